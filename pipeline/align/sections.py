"""Align the sections of a page with the sections of its counterpart.

Evidence is language-independent first: image files (Markdown, HTML ``<img src>``, shortcode
parameters), link targets, URLs, inline and block code and the lines of fenced code,
shortcodes and their non-prose parameters, numbers, glossary terms and the English names and
UI labels that stay English in Vietnamese text, weighted by how rare they are in the pair
(idf); an anchor found on one page only weighs little against a section with none. A capitalised
word counts only where capitalisation marks a name (mid-sentence) or when both pages use it:
sentence openings and Title Case headings are vocabulary of their language. Then structure:
the sequence of block kinds, the length ratio (estimated from the linked sections and drawn
towards 1 for short pages), heading levels (up to a shift of the whole page) and heading
numbers ("4.2.", "Step 3" / "Bước 3"), and position.

A dynamic programme finds the cheapest alignment over 1-1, 1-0, 0-1, 2-1, 1-2, 3-1 and 1-3
links (each member beyond the first costs MERGE, or CHILD for the sub-sections of a parent
linked to a section of its level without any, or for sections under emphasis-only
sub-headings; a parent may take up to SUBTREE - 1 sub-sections along; every member must be
supported), a 2-1 or 1-2 link around a section with no counterpart (a section inserted into
a split one), and two neighbours in the other order (a swap, when both pairs have clear
evidence); it is run again once the length ratio has been estimated from its links, and
once more when sections are left without counterpart after the parents of corresponding
sub-sections (headings with little evidence of their own) were given a shared anchor. It
runs in a band around the diagonal (one section either side when both pages have the same
heading levels), widened while the best path touches an edge, so a long page costs about
its length, not its square; ``align(..., exhaustive=True)`` searches every pair of
sections. A section left without counterpart then takes the counterpart of a 1-1 link when
its evidence is clearly stronger, and sections left over on both sides are paired across
other links when their evidence is clear (an anchor shared, or more likeness on length and
shape alone; lengths within about 3x). A section left without counterpart names its rivals:
the targets of neighbouring links it is about as alike to, on shared anchors (the absence
of such a section is uncertain). The text before the first heading takes a first heading of
the other page along when that page's section 0 is front matter only. Target sections with
no counterpart stay next to the target section that follows them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import mul

from ..glossary.entries import Glossary
from ..page.model import Block, Document, Section
from .site import SiteEvidence, heading_anchors

_NUMBER = re.compile(r"\d+(?:[.:,/-]\d+)*")
#: A word in Latin letters without diacritics (not a piece of a Vietnamese word).
_NAME = re.compile(r"(?<![^\W_])[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*(?![^\W_])")
_CAPITAL = re.compile(r"[A-Z]")
_TARGET = re.compile(r"\]\(\s*<?([^\s)>]+)")
#: A heading's numbering: "4.2.", "1)", or a number after one word ("Step 3", "Bước 3").
_HEADNUM = re.compile(r"\s*(?:[^\W\d_]+\s+)?(\d+(?:\.\d+)*)(?:[.):]|\s|$)")

SKIP = 0.42  # cost of leaving a section unaligned
MERGE = 0.45  # extra cost of each member of a link beyond one per side
#: the same for a section's sub-sections linked with it to one section that has none, or to
#: one that has emphasis-only sub-headings for them (a condensed translation)
CHILD = 0.2
SUBTREE = 6  # most sections in such a link
SUPPORTED = 0.3  # similarity such a link needs to cost CHILD per member
POSITION = 0.1  # weight of the distance between relative positions
CROSS = 0.3  # evidence needed to pair sections across other links (swaps, leftovers)...
BARE = 0.5  # ... when they share no anchor
CROSS_FIT = 0.2  # least length agreement of sections paired across (lengths within ~3x)
SWAP = 0.1  # extra cost of two neighbours paired in the other order
LEVEL = 0.7  # similarity kept per heading level of difference, or for different numbers
NUMBER = 0.2  # similarity added when both headings carry the same number
PRIOR = 3.0  # weight of the length agreement in a member's coverage (about two rare anchors)
RATIO_TEXT = 2000  # characters of text that make a page's own length ratio half trusted
ONE_SIDED = 0.3  # weight of an anchor found on one page only, in how far anchors decide
DETACH_WEIGHT = 8.0  # own anchor weight of a member of an n-1 link that its counterpart lacks
DETACH_SHARE = 0.1  # ... and the most of it that counterpart may hold
ALIKE = 0.6  # ... when it is at least this alike to the link's target section
PARENT = 0.5  # similarity of a link whose sections' parents are given a shared anchor
RIVAL = 0.15  # a section without counterpart this close to a neighbour link's similarity...
#: times a heading pair the site's other page pairs confirm counts as a shared anchor (one
#: page pair's words are weighed against a translation seen on several)
SITE_HEADING = 3
BAND = 3  # sections the search strays from the diagonal at first (beyond the count difference)


@dataclass(frozen=True, slots=True)
class Link:
    """Source sections ↔ target sections (either side may be empty), with its evidence."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float
    evidence: list[str] = field(default_factory=list)
    #: a source section with no counterpart: the target sections it is about as alike to as
    #: their own counterparts are (sharing anchors), so that it could have been aligned there
    rivals: tuple[int, ...] = ()


Pairs = list[tuple[tuple[int, ...], tuple[int, ...]]]  # (source sections, target sections)
#: the parts of a similarity that do not depend on the length ratio (:meth:`_Evidence.terms`):
#: lengths, anchor weight, dice, evidence weight and gate, shape and level agreement, the
#: factor for the level difference, the heading numbers (1 same, -1 different, 0 not both),
#: and each member's (anchors found on the other side, own)
_Terms = tuple[
    int,
    int,
    float,
    float,
    float,
    float,
    float,
    float,
    float,
    int,
    list[tuple[float, float]],
]


@dataclass(slots=True)
class _Profile:
    anchors: Counter[str]
    length: int  # characters of translatable text
    level: int
    shape: tuple[str, ...] = ()  # block kinds in order, headings left out
    number: str | None = None  # the heading's numbering: "4.2" of "4.2. Setup", "3" of "Step 3"
    names: set[str] = field(default_factory=set)  # word anchors capitalised mid-sentence
    pseudo: int = 0  # emphasis-only paragraphs ("_Next steps_", "**Ghi chú**"): sub-headings


def _section_profile(
    doc: Document, section: Section, glossary: Glossary | None, lang: str
) -> _Profile:
    anchors: Counter[str] = Counter()
    names: set[str] = set()
    length = 0
    for block in section.blocks:
        if block.digest:
            anchors[f"{block.kind}:{block.digest}"] += 1
        if block.kind == "shortcode" and not block.info.startswith("/"):
            anchors[f"shortcode:{block.info}"] += 1
    for i in section.segments:
        seg = doc.segments[i]
        if seg.field is not None and seg.style != "md":
            continue  # front matter values belong to the page, not a section
        in_markup = False
        heading = section.blocks[seg.block].kind == "heading"  # Title Case: all capitalised
        before = ""  # the segment's text so far
        for part in seg.parts:
            kind, text = part.kind, part.text
            if kind in ("image", "link"):
                m = _TARGET.search(text)
                if m:
                    anchors[f"{kind}:{m.group(1).split('?')[0]}"] += 1
                    if kind == "image":  # the same file as an HTML or shortcode image
                        anchors[f"file:{_basename(m.group(1))}"] += 1
            elif kind in ("url", "code", "shortcode", "placeholder"):
                anchors[f"{kind}:{text.strip()}"] += 1
            elif kind == "markup":
                in_markup = not in_markup
            elif kind == "text":
                length += len(text)
                for num in _NUMBER.findall(text):
                    if len(num) > 1:
                        anchors[f"n:{num}"] += 1
                if _CAPITAL.search(text):  # only a word with a capital in it is a name
                    for m in _NAME.finditer(text):
                        name = m.group()
                        if len(name) > 2 and not name.islower():  # a capital in it
                            key = f"w:{name.lower()}"
                            anchors[key] += 1
                            if (
                                not heading
                                and key not in names
                                and not _opening(before + text[: m.start()])
                            ):
                                names.add(key)
                before = (before + text)[-200:]
                if in_markup and any(c.isalpha() for c in text) and len(text) < 60:
                    anchors[f"b:{text.strip().lower()}"] += 1
                if glossary is not None:
                    for found in glossary.find(text, lang):
                        anchors[f"t:{found.entry.en.lower()}"] += 1
    _raw_anchors(doc.text[section.start : section.end], anchors)
    shape = tuple(
        _shape(doc, b)
        for b in section.blocks
        if b.kind not in ("heading", "front_matter", "table_cell")
    )
    m = _HEADNUM.match(section.heading)
    # a sub-heading heads something: an emphasised line before another one (a list of
    # "*(Photo 1)*" captions) or at the end of the section is not one
    flags = [_pseudo_heading(doc, b) for b in section.blocks]
    pseudo = sum(f and k + 1 < len(flags) and not flags[k + 1] for k, f in enumerate(flags))
    return _Profile(anchors, length, section.level, shape, m.group(1) if m else None, names, pseudo)


def _pseudo_heading(doc: Document, block: Block) -> bool:
    """Whether a block is a paragraph of one short emphasised line (``_Kế hoạch dự phòng_``,
    ``**Next steps**``): a sub-heading written without ``#``."""
    if block.kind != "paragraph" or block.containers or len(block.segments) != 1:
        return False
    parts = doc.segments[block.segments[0]].parts
    kinds = [p.kind for p in parts]
    if len(kinds) == 4 and kinds[3] == "text" and parts[3].text.strip() in (":", "."):
        kinds = kinds[:3]
    text = parts[1].text.strip() if len(parts) > 1 else ""
    return kinds == ["markup", "text", "markup"] and 0 < len(text) < 80 and text[0].isalnum()


def _basename(target: str) -> str:
    """The file name of a link or image target, without query, fragment or folders."""
    return target.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1].lower()


def _raw_anchors(text: str, anchors: Counter[str]) -> None:
    """Language-independent evidence read from a section's raw text: the files and targets
    of HTML tags (``<img src>``, ``<a href>``), the parameters of shortcodes that are not
    prose (``{{< figure src="…" >}}``: a path, a name, a number), and the lines of fenced
    code (a block whose comments were translated still shares its commands)."""
    for m in _TAG.finditer(text):
        for a in _ATTR.finditer(m.group(2)):
            value = a.group(3) if a.group(3) is not None else a.group(4)
            if not value or value.startswith(("#", "data:", "javascript:")):
                continue
            if a.group(1).lower() == "href":
                anchors[f"link:{value.split('?')[0]}"] += 1
            else:
                anchors[f"file:{_basename(value)}"] += 1
    for m in _SHORTCODE.finditer(text):
        name = m.group(1)
        for a in _PARAM.finditer(m.group(2)):
            value = next((g for g in a.groups()[1:] if g is not None), "")
            if len(value) < 2 or any(c.isspace() for c in value):
                continue  # prose (a caption, a title) is language-specific
            if _FILE.search(value):
                anchors[f"file:{_basename(value)}"] += 1
            else:
                anchors[f"sc:{name}:{value.lower()}"] += 1
    for m in _FENCE.finditer(text):
        seen = 0
        for line in m.group(2).splitlines():
            line = line.strip()
            if len(line) < 6 or line.startswith(_COMMENT) or not any(c.isalpha() for c in line):
                continue
            anchors[f"cl:{line}"] += 1
            seen += 1
            if seen >= 20:  # a long listing is one block, not twenty pieces of evidence
                break


_TAG = re.compile(r"<(img|a|source|video|audio|iframe|embed|object|track)\b([^>]*)>", re.I)
_ATTR = re.compile(
    r"""\b(src|href|data-src|poster|data)\s*=\s*(?:(["'])(.*?)\2|([^\s"'>]+))""", re.I
)
_SHORTCODE = re.compile(r"\{\{[<%]\s*([\w./-]+)(.*?)\s*/?\s*[%>]\}\}", re.S)
_PARAM = re.compile(r"""(?:([\w-]+)\s*=\s*)?(?:"([^"]*)"|`([^`]*)`|'([^']*)'|([^\s"'`=]+))""")
_FILE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico|pdf|mp4|webm|mov)$", re.I)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n(.*?)^[ \t]*\1", re.S | re.M)
_COMMENT = ("#", "//", "--", "/*", "*", "<!--", "REM ", "rem ")


def _opening(before: str) -> bool:
    """Whether a word after ``before`` opens a sentence: only punctuation, digits and spaces
    since the start or since a full stop, question or exclamation mark or colon."""
    i = len(before)
    while i and not before[i - 1].isalpha():
        if before[i - 1] in ".!?:" and i < len(before) and before[i].isspace():
            return True
        i -= 1
    return i == 0


def _shape(doc: Document, block: Block) -> str:
    """A block's kind for structure comparison; a paragraph that is only an image is one."""
    if block.kind in ("paragraph", "list_item") and block.segments:
        parts = doc.segments[block.segments[0]].parts
        if parts and parts[0].kind == "image":
            return "image"
    return block.kind + (":" + block.info if block.kind in ("code", "shortcode") else "")


def _idf(profiles: Sequence[_Profile]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for p in profiles:
        df.update(p.anchors.keys())
    n = len(profiles)
    return {a: math.log(1 + n / d) for a, d in df.items()}


class _Evidence:
    """What the similarity of two groups of sections owes to their anchors and shapes alone:
    the same whatever the length ratio, so both searches of :func:`align` share it."""

    def __init__(self, src: list[_Profile], tgt: list[_Profile]) -> None:
        self.idf = _idf(src + tgt)
        #: anchors found on one page only: they cannot be shared by any link
        self.onesided = {
            k
            for k in {k for p in src for k in p.anchors} ^ {k for p in tgt for k in p.anchors}
            if k.startswith(_WORDS)
        }
        self.supports: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}
        self.merged: tuple[dict[tuple[int, ...], _Profile], dict[tuple[int, ...], _Profile]]
        self.merged = ({(i,): p for i, p in enumerate(src)}, {(j,): p for j, p in enumerate(tgt)})
        self.weights: tuple[dict[tuple[int, ...], float], dict[tuple[int, ...], float]] = ({}, {})
        #: (si, tj) -> (anchor weight of both, dice, shared anchors)
        self.pairs: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[float, float, list[str]]]
        self.pairs = {}
        #: (source?, member, group) -> idf weight of the member's anchors found in the group
        self.covered: dict[tuple[bool, int, tuple[int, ...]], float] = {}
        self.shapes: dict[tuple[tuple[str, ...], tuple[str, ...]], float] = {}
        self.termss: dict[tuple[tuple[int, ...], tuple[int, ...]], _Terms] = {}
        self.owns: tuple[dict[tuple[int, ...], list[float]], dict[tuple[int, ...], list[float]]]
        self.owns = ({}, {})

    def profile(self, side: int, group: tuple[int, ...]) -> _Profile:
        merged = self.merged[side]
        p = merged.get(group)
        if p is None:
            p = merged[group] = _Scorer._merge([merged[(k,)] for k in group])
        return p

    def weight(self, side: int, group: tuple[int, ...]) -> float:
        weights = self.weights[side]
        w = weights.get(group)
        if w is None:
            anchors = self.profile(side, group).anchors  # sum(c * idf[k]) in their order
            w = weights[group] = sum(map(mul, anchors.values(), map(self.idf.__getitem__, anchors)))
        return w

    def pair(self, si: tuple[int, ...], tj: tuple[int, ...]) -> tuple[float, float, list[str]]:
        key = (si, tj)
        got = self.pairs.get(key)
        if got is None:
            idf = self.idf
            a, b = self.profile(0, si).anchors, self.profile(1, tj).anchors
            total = self.weight(0, si) + self.weight(1, tj)
            if a.keys().isdisjoint(b):
                shared = []
                dice = 0.0
            else:
                shared = [k for k in a if k in b]
                dice = 2 * sum(min(a[k], b[k]) * idf[k] for k in shared) / total if total else 0.0
            got = self.pairs[key] = (total, dice, shared)
        return got

    def strongest(self, si: tuple[int, ...], tj: tuple[int, ...]) -> list[str]:
        """The (at most six) rarest anchors both groups hold, rarest first."""
        idf = self.idf
        return sorted(self.pair(si, tj)[2], key=lambda k: -idf[k])[:6]

    def support(self, si: tuple[int, ...], tj: tuple[int, ...]) -> float:
        """The anchor weight of both groups, anchors of one page only counted at
        ``ONE_SIDED``: how far the pair can be judged on its anchors rather than on its
        structure. A section whose anchors occur on its own page only (names in a heading
        the other language translated) has nothing that could be shared."""
        key = (si, tj)
        got = self.supports.get(key)
        if got is None:
            total = self.pair(si, tj)[0]
            one = self.onesided
            # only against a group with no anchors at all: two groups that each hold words of
            # their own page only (a dropped section, a foreign one) are different sections
            if one and not (self.weight(0, si) and self.weight(1, tj)):
                total -= (1 - ONE_SIDED) * sum(chain(self._own(0, si), self._own(1, tj)))
            got = self.supports[key] = total
        return got

    def _own(self, side: int, group: tuple[int, ...]) -> list[float]:
        """The idf weights of a group's anchors found on its own page only, in its order."""
        owns = self.owns[side]
        got = owns.get(group)
        if got is None:
            idf, one = self.idf, self.onesided
            anchors = self.profile(side, group).anchors
            got = owns[group] = [c * idf[k] for k, c in anchors.items() if k in one]
        return got

    def coverage(self, source: bool, member: int, group: tuple[int, ...]) -> float:
        key = (source, member, group)
        got = self.covered.get(key)
        if got is None:
            part = self.profile(0 if source else 1, (member,))
            other = self.profile(1 if source else 0, group)
            got = self.covered[key] = _shared_weight(part.anchors, other.anchors, self.idf)
        return got

    def terms(self, si: tuple[int, ...], tj: tuple[int, ...]) -> _Terms:
        """What the similarity of two groups owes to anything but the length ratio."""
        key = (si, tj)
        got = self.termss.get(key)
        if got is None:
            a, b = self.profile(0, si), self.profile(1, tj)
            total, dice, _ = self.pair(si, tj)
            weight = gate = 0.0
            if total:
                weight = min(1.0, self.support(si, tj) / 12)
                gate = min(1.0, dice / 0.15)
            number = 0
            if a.number is not None and b.number is not None:
                number = 1 if a.number == b.number else -1
            members: list[tuple[float, float]] = []
            if len(si) > 1 or len(tj) > 1:
                if len(si) > 1:
                    members += [(self.coverage(True, i, tj), self.weight(0, (i,))) for i in si]
                if len(tj) > 1:
                    members += [(self.coverage(False, j, si), self.weight(1, (j,))) for j in tj]
            got = self.termss[key] = (
                a.length,
                b.length,
                total,
                dice,
                weight,
                gate,
                self._shape_ratio(a.shape, b.shape),
                1.0 if a.level == b.level else 0.0,
                LEVEL ** abs(a.level - b.level),
                number,
                members,
            )
        return got

    def _shape_ratio(self, a: tuple[str, ...], b: tuple[str, ...]) -> float:
        if not a and not b:
            return 1.0
        got = self.shapes.get((a, b))
        if got is None:
            # equal sequences match whole: 2·n / 2n, exactly 1.0
            got = 1.0 if a == b else sequence_ratio(a, b)
            self.shapes[a, b] = got
        return got


class _Scorer:
    """Similarity of (groups of) sections, cached."""

    def __init__(
        self,
        src: list[_Profile],
        tgt: list[_Profile],
        ratio: float,
        evidence: _Evidence | None = None,
    ) -> None:
        self.src, self.tgt, self.ratio = src, tgt, ratio
        self.ev = _Evidence(src, tgt) if evidence is None else evidence
        self.idf = self.ev.idf
        self.cache: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[float, list[str]]] = {}
        self.sims: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}
        #: per side, the end (exclusive) of each section's sub-sections
        self.subtrees = (_subtrees(src), _subtrees(tgt))
        #: the search's moves from each cell it reached, with the band they were made for
        self.cells: dict[tuple[int, int], tuple[int, int, bool, list[_Step]]] = {}

    @staticmethod
    def _merge(profiles: list[_Profile]) -> _Profile:
        anchors: Counter[str] = Counter(profiles[0].anchors)
        for p in profiles[1:]:  # as Counter.update adds them, in the same order
            get = anchors.get
            for k, c in p.anchors.items():
                anchors[k] = c + get(k, 0)
        return _Profile(
            anchors,
            sum(p.length for p in profiles),
            profiles[0].level,
            tuple(k for p in profiles for k in p.shape),
            profiles[0].number,
        )

    def score(self, si: tuple[int, ...], tj: tuple[int, ...]) -> tuple[float, list[str]]:
        """The similarity of two groups and its evidence: the strongest shared anchors and
        the lengths."""
        key = (si, tj)
        got = self.cache.get(key)
        if got is None:
            terms = self.ev.terms(si, tj)
            evidence = self.ev.strongest(si, tj)
            evidence.append(f"length {terms[1]}/{terms[0]}")
            got = self.cache[key] = (self.sim(si, tj), evidence)
        return got

    def sim(self, si: tuple[int, ...], tj: tuple[int, ...]) -> float:
        """The similarity of two groups of sections (source, target), 0 to 1."""
        key = (si, tj)
        got = self.sims.get(key)
        if got is None:
            al, bl, total, dice, weight, gate, shape, level, levels, number, members = (
                self.ev.terms(si, tj)
            )
            length = self._fit(al, bl)
            shape *= length
            if total:
                # little evidence: lean on structure and length; structure and length only
                # count alongside shared evidence: two unrelated sections of similar shape
                # and size are still unrelated
                got = weight * (0.65 * dice + 0.35 * shape * gate) + (1 - weight) * (
                    0.5 * shape + 0.3 * length + 0.2 * level
                )
            else:
                got = 0.5 * shape + 0.3 * length + 0.2 * level
            got *= levels
            if number:
                got = min(1.0, got + NUMBER) if number > 0 else got * LEVEL
            if members:  # every member of the group must be matched
                # how much of a member's evidence is found in the group on the other side,
                # smoothed towards how well the lengths of the whole link agree: a member
                # with little evidence is judged mostly by length
                worst = min((found + PRIOR * length) / (own + PRIOR) for found, own in members)
                got *= min(1.0, worst / 0.35)  # a member with no support is not part of it
            self.sims[key] = got
        return got

    def crosses(self, si: tuple[int, ...], tj: tuple[int, ...]) -> bool:
        """Whether two groups are alike enough to be paired across other links: ``CROSS``
        when they share an anchor, ``BARE`` on length and shape alone (two short sections of
        prose are alike in length whatever they say); and their lengths agree within
        ``CROSS_FIT`` (a heading and a line are not a long section that shares a word)."""
        sim = self.sim(si, tj)
        fit = self._length_fit(self.ev.profile(0, si), self.ev.profile(1, tj))
        return sim >= CROSS and fit >= CROSS_FIT and (sim >= BARE or self.ev.pair(si, tj)[1] > 0)

    def swaps(self, i: int, j: int) -> bool:
        """Whether source sections ``i``, ``i + 1`` may be linked to target sections
        ``j + 1``, ``j`` (two neighbours in the other order, each pair at least ``CROSS``
        alike): the lengths of each pair agree within ``CROSS_FIT``, and one pair shares an
        anchor or both are ``BARE`` alike."""
        pairs = (((i,), (j + 1,)), ((i + 1,), (j,)))
        ev = self.ev
        if any(self._length_fit(ev.profile(0, a), ev.profile(1, b)) < CROSS_FIT for a, b in pairs):
            return False
        return any(ev.pair(a, b)[1] > 0 for a, b in pairs) or all(
            self.sim(a, b) >= BARE for a, b in pairs
        )

    def extra(self, si: tuple[int, ...], tj: tuple[int, ...]) -> float:
        """The cost of the members of a link beyond one per side: ``MERGE`` each, or
        ``CHILD`` each when they are the sub-sections of the first and the single section on
        the other side has none (a parent translated with its children folded in), or has an
        emphasis-only sub-heading for each of them."""
        cost = 0.0
        for group, other, profs, others, ends in (
            (si, tj, self.src, self.tgt, self.subtrees[1]),
            (tj, si, self.tgt, self.src, self.subtrees[0]),
        ):
            k = len(group)
            if k < 2:
                continue
            child = False
            if len(other) == 1:
                first = profs[group[0]].level
                childless = ends[other[0]] == other[0] + 1
                # the section that holds them is the parent's counterpart: of its level (or
                # shallower), not of its children's
                child = (
                    k >= 4
                    and first > 0
                    and childless
                    and all(profs[x].level > first for x in group[1:])
                    and others[other[0]].level <= first
                ) or (k >= 3 and others[other[0]].pseudo >= k - 1)
            # only for a link whose members are all supported: dropped sub-sections leave
            # their parent childless too
            child = child and self.sim(si, tj) >= SUPPORTED
            cost += (CHILD if child else MERGE) * (k - 1)
        return cost

    def _length_fit(self, a: _Profile, b: _Profile) -> float:
        return self._fit(a.length, b.length)

    def _fit(self, a: int, b: int) -> float:
        """How well lengths ``a`` (source) and ``b`` (target) agree at the length ratio."""
        if a and b:
            return math.exp(-1.5 * abs(math.log(b / (a * self.ratio))))
        return 1.0 if a == b else 0.3


def sequence_ratio(a: Sequence[str], b: Sequence[str]) -> float:
    """``SequenceMatcher(None, a, b, autojunk=False).ratio()``, without its objects: the
    same blocks (the longest first, the earliest of equal ones, then either side of it), so
    the same value, at less cost (alignment compares thousands of block-kind sequences).
    Each kind is written as one character, so that a block is found by ``str.find``: the
    earliest start in ``a`` of a longest block, and its earliest place in ``b``."""
    code: dict[str, str] = {}
    sa = "".join([code.setdefault(x, chr(len(code))) for x in a])
    sb = "".join([code.setdefault(x, chr(len(code))) for x in b])
    matched = 0
    queue = [(0, len(sa), 0, len(sb))]
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        besti, size = alo, 0
        find = sb.find
        for i in range(alo, ahi):
            # a block longer than the longest so far that starts at i?
            while i + size < ahi and find(sa[i : i + size + 1], blo, bhi) >= 0:
                besti, size = i, size + 1
            if ahi - i <= size:
                break  # no longer block can start further on
        if size:
            bestj = find(sa[besti : besti + size], blo, bhi)
            matched += size
            if alo < besti and blo < bestj:
                queue.append((alo, besti, blo, bestj))
            if besti + size < ahi and bestj + size < bhi:
                queue.append((besti + size, ahi, bestj + size, bhi))
    length = len(a) + len(b)
    return 2.0 * matched / length if length else 1.0


def _subtrees(profiles: list[_Profile]) -> list[int]:
    """For each section, the index after its last sub-section (itself + 1 if it has none)."""
    out = []
    for i, p in enumerate(profiles):
        k = i + 1
        if p.level > 0:
            while k < len(profiles) and profiles[k].level > p.level:
                k += 1
        out.append(k)
    return out


def _shared_weight(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    """The idf weight of ``a & b`` (in ``a``'s order, as ``Counter.__and__`` sums it),
    without building the intersection."""
    if a.keys().isdisjoint(b):
        return 0  # what sum() of nothing gives
    return sum(min(c, b[k]) * idf[k] for k, c in a.items() if k in b)


_WORDS = ("w:", "b:")  # anchors made of words: language-specific unless on both pages


def _shared_words(src: list[_Profile], tgt: list[_Profile]) -> None:
    """Drop word anchors found on one page only: a capitalised word or bold label that the
    other language never uses is vocabulary of that language, not evidence (a name or UI
    label kept in English appears on both pages)."""
    seen = [{k for p in side for k in p.anchors if k.startswith(_WORDS)} for side in (src, tgt)]
    both = seen[0] & seen[1]
    for side in (src, tgt):
        names = set().union(*(p.names for p in side))
        for p in side:
            for k in [
                k for k in p.anchors if k.startswith(_WORDS) and k not in both and k not in names
            ]:
                del p.anchors[k]


def _same_levels(src: list[_Profile], tgt: list[_Profile]) -> None:
    """Compare heading levels up to a shift that maps one page's levels onto the other's
    (a translation that uses ## wherever the original uses ####)."""
    a = {p.level for p in src if p.level}
    b = {p.level for p in tgt if p.level}
    if len(a) > 1 and len(b) > 1 and a != b:  # one level alone does not show a shift
        shift = min(a) - min(b)
        if {x + shift for x in b} == a:
            for p in tgt:
                p.level += shift if p.level else 0


def _ratio(src: list[_Profile], tgt: list[_Profile], prior: float = 1.0) -> float:
    """Target characters per source character of these sections, drawn towards ``prior``
    the less text there is to estimate it from (a few short sections say little)."""
    a, b = sum(p.length for p in src), sum(p.length for p in tgt)
    if not a or not b:
        return prior
    trust = (a + b) / (a + b + RATIO_TEXT)
    return min(max((b / a) ** trust * prior ** (1 - trust), 0.5), 2.0)


def _first_scorer(
    src: Document,
    tgt: Document,
    glossary: Glossary | None,
    source_lang: str,
    target_lang: str,
    site: SiteEvidence | None = None,
) -> _Scorer:
    """The scorer :func:`align` searches with first: both pages' section profiles, their
    shared words and levels, the headings the site's other page pairs pair (``site``: a
    shared anchor), and the length ratio of the whole pages."""
    sp = [_section_profile(src, s, glossary, source_lang) for s in src.sections]
    tp = [_section_profile(tgt, s, glossary, target_lang) for s in tgt.sections]
    _shared_words(sp, tp)
    _same_levels(sp, tp)
    if site is not None:
        for i, j, key in heading_anchors(site, src, tgt):
            sp[i].anchors[key] += SITE_HEADING
            tp[j].anchors[key] += SITE_HEADING
    return _Scorer(sp, tp, _ratio(sp, tp))


def align(
    src: Document,
    tgt: Document,
    glossary: Glossary | None = None,
    *,
    source_lang: str = "en",
    target_lang: str = "vi",
    exhaustive: bool = False,
    site: SiteEvidence | None = None,
) -> list[Link]:
    """Links covering every section of both documents, in source order.

    The search runs in a band around the diagonal (:func:`_bounded_search`); ``exhaustive``
    searches the whole grid of section pairs instead (slower, for comparison). ``site``:
    how the site's other page pairs pair their headings (:mod:`vien.align.site`).
    """
    scorer = _first_scorer(src, tgt, glossary, source_lang, target_lang, site)
    sp, tp = scorer.src, scorer.tgt
    same = [p.level for p in sp] == [p.level for p in tp]

    margin: int | None = None

    def search(scorer: _Scorer) -> Pairs:
        """The best links; a search again starts from the band the one before needed."""
        nonlocal margin
        if exhaustive:
            return _search(scorer)
        steps, margin = _bounded_search(scorer, same, margin)
        return steps

    steps = search(scorer)
    # the length ratio of the whole pages is skewed by sections on one side only: estimate
    # it again from the sections just linked (drawn towards the first estimate), and search
    # again if it differs
    linked = [(s, t) for s, t in steps if s and t]
    ratio = _ratio(
        [sp[i] for s, _ in linked for i in s], [tp[j] for _, t in linked for j in t], scorer.ratio
    )
    if abs(math.log(ratio / scorer.ratio)) > 0.05:
        scorer = _Scorer(sp, tp, ratio, scorer.ev)
        steps = search(scorer)
    # sections left without counterpart: headings whose sub-sections correspond correspond
    # too (a short parent heading has little evidence of its own)
    if any(not (s and t) for s, t in steps) and _parents(scorer, steps):
        scorer = _Scorer(sp, tp, scorer.ratio)
        steps = search(scorer)
    n, m = len(sp), len(tp)
    prior = site.ratio() if site is not None else None
    steps = _detach(scorer, _intro(scorer, _reassign(scorer, steps)), prior)
    links = [Link(s, t, *scorer.score(s, t)) for s, t in steps if s and t]
    lone_s = [s[0] for s, t in steps if not t]
    lone_t = [t[0] for s, t in steps if not s]
    # sections left over on both sides: pair them across other links (swapped sections)
    pairs = sorted(((scorer.sim((a,), (b,)), a, b) for a in lone_s for b in lone_t), reverse=True)
    used_s: set[int] = set()
    used_t: set[int] = set()
    for sim, a, b in pairs:
        if scorer.crosses((a,), (b,)) and a not in used_s and b not in used_t:
            used_s.add(a)
            used_t.add(b)
            links.append(Link((a,), (b,), sim, [*scorer.score((a,), (b,))[1], "crossing"]))
    for a in lone_s:
        if a not in used_s:
            best = max((scorer.sim((a,), (b,)) for b in range(m)), default=0.0)
            rivals = _rivals(scorer, a, links)
            evidence = ["no counterpart"] + [
                f"about as alike to target section {b}" for b in rivals
            ]
            links.append(Link((a,), (), round(1 - best, 4), evidence, rivals))
    for b in lone_t:
        if b not in used_t:
            best = max((scorer.sim((a,), (b,)) for a in range(n)), default=0.0)
            links.append(Link((), (b,), round(1 - best, 4), ["no counterpart"]))
    links = [
        Link(lk.source, lk.target, round(lk.confidence, 4), lk.evidence, lk.rivals) for lk in links
    ]
    return sorted(
        links,
        key=lambda lk: (
            lk.source[0] if lk.source else _before(lk, links, n),
            lk.target[0] if lk.target else -1,
        ),
    )


def _parents(scorer: _Scorer, steps: Pairs) -> bool:
    """Give the parents of the two sections of each confident one-to-one link a shared
    anchor (``kid:`` the source section): a heading whose sub-sections correspond to another
    heading's sub-sections is that heading's counterpart. Only parents whose anchors weigh
    less than ``PRIOR`` (little evidence of their own), and whose sub-sections
    all correspond one way: a parent whose sub-sections have counterparts under two parents
    (a parent heading dropped, its sub-sections now under the one before) proves nothing.
    Whether any was given."""
    kids = []
    for s, t in steps:
        if len(s) == 1 and len(t) == 1 and scorer.sim(s, t) >= PARENT:
            a, b = _parent(scorer.src, s[0]), _parent(scorer.tgt, t[0])
            # only parents with little evidence of their own (a heading and a line): one with
            # more is aligned on it
            if (
                a is not None
                and b is not None
                and scorer.ev.weight(0, (a,)) < PRIOR
                and scorer.ev.weight(1, (b,)) < PRIOR
            ):
                kids.append((a, b, s[0]))
    of_src: dict[int, set[int]] = {}
    of_tgt: dict[int, set[int]] = {}
    for a, b, _ in kids:
        of_src.setdefault(a, set()).add(b)
        of_tgt.setdefault(b, set()).add(a)
    given = False
    for a, b, k in kids:
        if len(of_src[a]) == 1 and len(of_tgt[b]) == 1:
            scorer.src[a].anchors[f"kid:{k}"] += 1
            scorer.tgt[b].anchors[f"kid:{k}"] += 1
            given = True
    return given


def _parent(profiles: list[_Profile], k: int) -> int | None:
    """The section whose sub-section ``k`` is (the nearest shallower heading before it)."""
    level = profiles[k].level
    for x in range(k - 1, 0, -1):
        if 0 < profiles[x].level < level:
            return x
    return None


def _rivals(scorer: _Scorer, a: int, links: list[Link]) -> tuple[int, ...]:
    """Target sections of the one-to-one links of the source sections next to ``a`` (left
    without counterpart) that ``a`` shares anchors with and is alike to (``ALIKE``), within
    ``RIVAL`` of their own source section: which of the two is the counterpart was decided
    on little evidence. Not a link whose headings the site's other page pairs pair (a
    ``hd:`` anchor ``a`` lacks): their evidence is not little."""
    out = []
    mine = scorer.src[a].anchors
    for lk in links:
        if len(lk.source) == 1 and len(lk.target) == 1 and lk.source[0] in (a - 1, a + 1):
            t = lk.target
            sim = scorer.sim((a,), t)
            if (
                sim >= ALIKE
                and scorer.ev.pair((a,), t)[1] > 0
                and sim >= scorer.sim(lk.source, t) - RIVAL
                and not any(
                    k.startswith("hd:") and k not in mine for k in scorer.ev.pair(lk.source, t)[2]
                )
            ):
                out.append(t[0])
    return tuple(out)


def _detach(scorer: _Scorer, steps: Pairs, prior: float | None = None) -> Pairs:
    """Source members of an n-1 link of sibling sections that the target section does not
    hold leave it: members whose own anchors (those no other member of the link has) weigh
    ``DETACH_WEIGHT`` or more and are found in the target section at most ``DETACH_SHARE`` of
    that weight (a section dropped beside two merged neighbours, which the merge swallowed
    whole). A member with less evidence of its own (a short section) leaves when the target
    section is more alike without it (:func:`_unfit`), unless a target section without
    counterpart stands next to the link (which may be that member's, rewritten). With
    ``prior`` (the site's length ratio), that likeness is judged at the ratio of the page's
    other links drawn towards it: the page's own ratio was estimated from this link too,
    and a section dropped beside it shifts it to fit."""
    out: Pairs = []
    idf = scorer.idf
    for k, (s, t) in enumerate(steps):
        src = scorer.src
        # source side only (what is left unaligned there may be inserted), siblings only: a
        # parent with its sub-sections folded in is a condensed page
        if len(s) < 2 or len(t) != 1 or len({src[x].level for x in s}) > 1:
            out.append((s, t))
            continue
        theirs = scorer.tgt[t[0]]
        kept = list(s)
        for m in s:
            rest = set().union(*(src[x].anchors.keys() for x in s if x != m))
            own = [k for k in src[m].anchors if k not in rest]
            weight = sum(idf[k] for k in own)
            found = sum(idf[k] for k in own if k in theirs.anchors)
            if weight >= DETACH_WEIGHT and found <= DETACH_SHARE * weight:
                kept.remove(m)
        beside = (steps[x] for x in (k - 1, k + 1) if 0 <= x < len(steps))
        if not any(not a and b for a, b in beside):
            judge = scorer
            if prior is not None:
                linked = [x for x in steps if x[0] and x[1] and x != (s, t)]
                ratio = _ratio(
                    [src[i] for a, _ in linked for i in a],
                    [scorer.tgt[j] for _, b in linked for j in b],
                    min(max(prior, 0.5), 2.0),
                )
                judge = _Scorer(src, scorer.tgt, ratio, scorer.ev)
            kept = _unfit(judge, kept, t)
        if kept and len(kept) < len(s):
            out.append((tuple(kept), t))
            out += [((m,), ()) for m in s if m not in kept]
            continue
        out.append((s, t))
    return out


def _unfit(scorer: _Scorer, kept: list[int], t: tuple[int, ...]) -> list[int]:
    """The members of an n-1 link of siblings without those the target section fits
    better without: a member none of whose own anchors (those no other member has) is in
    the target section, and without which the link is more alike (its length and blocks
    not there: a section dropped beside two merged neighbours, however short). The one
    whose leaving gains most leaves first, while two or more are left."""
    idf, src, theirs = scorer.idf, scorer.src, scorer.tgt[t[0]].anchors
    while len(kept) >= 2:
        now = scorer.sim(tuple(kept), t)
        best, gain = None, 0.0
        for m in kept:
            rest = set().union(*(src[x].anchors.keys() for x in kept if x != m))
            own = [k for k in src[m].anchors if k not in rest]
            if sum(idf[k] for k in own if k in theirs) > DETACH_SHARE * sum(idf[k] for k in own):
                continue
            up = scorer.sim(tuple(x for x in kept if x != m), t) - now
            if up > gain:
                best, gain = m, up
        if best is None:
            break
        kept = [x for x in kept if x != best]
    return kept


def _intro(scorer: _Scorer, steps: Pairs) -> Pairs:
    """The text before the first heading on one page, written under a first heading on the
    other (whose section 0 holds front matter only): section 0 ↔ sections 0 and 1, when
    that section is otherwise left without counterpart and its evidence agrees."""
    if len(steps) < 2 or steps[0] != ((0,), (0,)):
        return steps
    for side, lone in ((1, ((), (1,))), (0, ((1,), ()))):
        if lone in steps[1:3]:
            empty = (scorer.tgt if side else scorer.src)[0].length == 0
            group = ((0,), (0, 1)) if side else ((0, 1), (0,))
            sim = scorer.sim(*group)
            if empty and sim >= CROSS and sim > scorer.sim((0,), (0,)):
                return [group] + [st for st in steps[1:] if st != lone]
    return steps


def _reassign(scorer: _Scorer, steps: Pairs) -> Pairs:
    """A section left without counterpart takes the counterpart of a 1-1 link across other
    links when its own evidence for it is clearly stronger (a section moved further than
    its neighbour, which the monotonic search cannot link)."""
    steps = list(steps)
    while True:
        best = None
        for k, (s, t) in enumerate(steps):
            if len(s) != 1 or len(t) != 1 or s[0] == 0:
                continue
            here = scorer.sim(s, t)
            for x, (a, b) in enumerate(steps):
                if a and b:
                    continue
                sim = scorer.sim(a or s, b or t)
                if (
                    sim - here > SWAP
                    and scorer.crosses(a or s, b or t)
                    and (best is None or sim - here > best[0])
                ):
                    best = (sim - here, k, x)
        if best is None:
            return steps
        _, k, x = best
        (s, t), (a, b) = steps[k], steps[x]
        steps[k] = (a or s, b or t)
        steps[x] = (s, ()) if a else ((), t)


def _bounded_search(
    scorer: _Scorer, same_structure: bool, margin: int | None = None
) -> tuple[Pairs, int]:
    """:func:`_search` in a band around the diagonal, widened until the best path keeps off
    its edges: the same links as the full search on real pages at a cost that grows with
    the page rather than its square. Also the margin it ended with.

    The band holds the cells whose offset (target index − source index) lies between 0 and
    the difference of the section counts, plus a margin either side: one when both pages
    have the same heading levels (the fast path: it holds the diagonal, and a 2-1 link, a
    swap or a skipped section beside it), ``BAND`` otherwise, or ``margin`` (that of a
    search of the same pages before, whose best path needed it). A best path that reaches
    an edge of the band may want to go further: the margin is doubled and the search run
    again (the scores and moves already computed are kept), up to the whole grid.
    """
    n, m = len(scorer.src), len(scorer.tgt)
    if margin is None:
        margin = 1 if same_structure else BAND
    while True:
        lo, hi = min(0, m - n) - margin, max(0, m - n) + margin
        if lo <= -n and hi >= m:
            return _search(scorer), margin
        steps = _search(scorer, (lo, hi))
        i = j = 0
        edge = False
        for s, t in steps:
            i += len(s)
            j += len(t)
            if j - i <= lo or j - i >= hi:
                edge = True
                break
        if not edge:
            return steps, margin
        margin *= 2


#: a move of the search: (source sections, target sections it takes, its cost, its links)
_Move = tuple[int, int, float, Pairs]
#: a move from a cell: (the cell it leads to (i, j), its offset j - i, its cost, its links)
_Step = tuple[int, int, int, float, Pairs]


def _search(scorer: _Scorer, band: tuple[int, int] | None = None) -> Pairs:
    """The cheapest alignment as a list of links (source sections, target sections), by a
    dynamic programme over 1-1, 1-0, 0-1, 2-1, 1-2, 3-1, 1-3 links, 2-1 and 1-2 links around
    an unlinked section, and swapped neighbours; with ``band`` = (lo, hi), only over the
    cells whose offset j − i lies in lo..hi. The moves of each cell are kept in the scorer
    (:func:`_moves`): a wider band searched again computes only the moves it adds."""
    n, m = len(scorer.src), len(scorer.tgt)
    lo, hi = band if band is not None else (-n, m)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    if n and m:  # both pages have a section 0 (before the first heading): they correspond
        cost[1][1] = 0.0
        cost[0][0] = inf
    cells = scorer.cells
    back: list[list[Pairs | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    if n and m:
        back[1][1] = [((0,), (0,))]
    for i in range(n + 1):
        row = cost[i]
        for j in range(max(0, i + lo), min(m, i + hi) + 1):
            here = row[j]
            if here == inf:
                continue
            got = cells.get((i, j))  # moves to a cell outside the band are left out
            if got is None or ((got[0] > lo or got[1] < hi) and not got[2]):
                got = cells[i, j] = _moves(scorer, i, j, lo, hi)
            if got[0] == lo and got[1] == hi:  # made for this band: all in it
                for x, y, _, c, made in got[3]:
                    if here + c < cost[x][y]:
                        cost[x][y] = here + c
                        back[x][y] = made
                continue
            for x, y, e, c, made in got[3]:
                if lo <= e <= hi and here + c < cost[x][y]:
                    cost[x][y] = here + c
                    back[x][y] = made
    steps: Pairs = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        steps.extend(reversed(step))
        i -= len({k for s, _ in step for k in s})
        j -= len({k for _, t in step for k in t})
    steps.reverse()
    return steps


def _moves(scorer: _Scorer, i: int, j: int, lo: int, hi: int) -> tuple[int, int, bool, list[_Step]]:
    """The moves from cell (i, j) that stay in the grid and in the band lo..hi of offsets,
    in the order the search tries them: (lo, hi, whether no move was left out for the band,
    the moves)."""
    n, m = len(scorer.src), len(scorer.tgt)
    sim, extra = scorer.sim, scorer.extra
    sub_s, sub_t = scorer.subtrees
    d = j - i
    whole = True

    def inside(di: int, dj: int) -> bool:
        """Whether a move that fits the grid ends in the band (else it is left out)."""
        nonlocal whole
        if lo <= d + dj - di <= hi:
            return True
        whole = False
        return False

    pos = POSITION * abs((i + 0.5) / n - (j + 0.5) / m) if n and m else 0.0
    moves: list[_Move] = []
    if i < n and inside(1, 0):
        moves.append((1, 0, SKIP, [((i,), ())]))
    if j < m and inside(0, 1):
        moves.append((0, 1, SKIP, [((), (j,))]))
    if i < n and j < m:
        moves.append((1, 1, 1 - sim((i,), (j,)) + pos, [((i,), (j,))]))
    if i + 1 < n and j < m and inside(2, 1):
        moves.append(
            (
                2,
                1,
                1 - sim((i, i + 1), (j,)) + extra((i, i + 1), (j,)) + pos,
                [((i, i + 1), (j,))],
            )
        )
    if i < n and j + 1 < m and inside(1, 2):
        moves.append(
            (
                1,
                2,
                1 - sim((i,), (j, j + 1)) + extra((i,), (j, j + 1)) + pos,
                [((i,), (j, j + 1))],
            )
        )
    if i + 2 < n and j < m and inside(3, 1):  # each further member costs MERGE again
        moves.append(
            (
                3,
                1,
                1 - sim((i, i + 1, i + 2), (j,)) + extra((i, i + 1, i + 2), (j,)) + pos,
                [((i, i + 1, i + 2), (j,))],
            )
        )
    if i < n and j + 2 < m and inside(1, 3):
        moves.append(
            (
                1,
                3,
                1 - sim((i,), (j, j + 1, j + 2)) + extra((i,), (j, j + 1, j + 2)) + pos,
                [((i,), (j, j + 1, j + 2))],
            )
        )
    if i + 2 < n and j < m and inside(3, 1):  # a 2-1 link around an unlinked section
        moves.append(
            (
                3,
                1,
                1 - sim((i, i + 2), (j,)) + MERGE + SKIP + pos,
                [((i, i + 2), (j,)), ((i + 1,), ())],
            )
        )
    if i < n and j + 2 < m and inside(1, 3):
        moves.append(
            (
                1,
                3,
                1 - sim((i,), (j, j + 2)) + MERGE + SKIP + pos,
                [((i,), (j, j + 2)), ((), (j + 1,))],
            )
        )
    # a section with 3 to SUBTREE - 1 sub-sections ↔ one section without any
    k = sub_s[i] - i if i < n else 0
    if 4 <= k <= SUBTREE and j < m and sub_t[j] == j + 1 and inside(k, 1):
        group = tuple(range(i, i + k))
        moves.append((k, 1, 1 - sim(group, (j,)) + extra(group, (j,)) + pos, [(group, (j,))]))
    k = sub_t[j] - j if j < m else 0
    if 4 <= k <= SUBTREE and i < n and sub_s[i] == i + 1 and inside(1, k):
        group = tuple(range(j, j + k))
        moves.append((1, k, 1 - sim((i,), group) + extra((i,), group) + pos, [((i,), group)]))
    if i + 1 < n and j + 1 < m:  # two neighbours in the other order
        x, y = sim((i,), (j + 1,)), sim((i + 1,), (j,))
        # crossing needs as much evidence as below
        if min(x, y) >= CROSS and scorer.swaps(i, j):
            moves.append((2, 2, 2 - x - y + SWAP + 2 * pos, [((i,), (j + 1,)), ((i + 1,), (j,))]))
    return lo, hi, whole, [(i + di, j + dj, d + dj - di, c, made) for di, dj, c, made in moves]


def _before(link: Link, links: list[Link], n: int) -> float:
    """Sort key for a target-only link: it stays with the target section that follows it
    (just before that section's source: source sections with no counterpart at the same
    place come first), or, at the end of the page, with the one before it."""
    linked = [lk for lk in links if lk.source and lk.target]
    after = [lk.source[0] for lk in linked if lk.target[0] > link.target[0]]
    if after:
        return min(after) - 0.5
    return max((lk.source[-1] for lk in linked), default=n) + 0.5


#: A section link weaker than this does not count as "the same content".
DIFFERENT = 0.3


def unrelated(src: Document, tgt: Document, links: list[Link]) -> str | None:
    """Why ``tgt`` is not a translation of ``src``, or None: it has the same heading levels
    but fewer than half the sections correspond, or, whatever its headings, fewer than half
    of the headed sections correspond on either side (two or more each): another page kept
    at the counterpart's path, which sections inserted from ``src`` would only mix up."""
    sections = len(src.sections) - 1  # section 0 carries no heading
    theirs = len(tgt.sections) - 1
    good = {  # source sections (after section 0) in confident links: 1-1, or merged/split
        i for lk in links if lk.target and lk.confidence >= DIFFERENT for i in lk.source if i > 0
    }
    if sections < 2 or len(good) >= sections / 2:
        return None
    if [s.level for s in src.sections] == [s.level for s in tgt.sections]:
        return (
            f"the counterpart has the same headings but different content "
            f"(only {len(good)} of {sections} sections correspond)"
        )
    matched = {
        j for lk in links if lk.source and lk.confidence >= DIFFERENT for j in lk.target if j > 0
    }
    if theirs < 2 or len(matched) >= theirs / 2:
        return None
    return (
        f"the counterpart is about something else: only {len(good)} of {sections} sections "
        f"correspond, and {len(matched)} of its {theirs}"
    )
