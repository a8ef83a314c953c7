"""Is a source section with no counterpart really absent from the counterpart?

:func:`vien.align.sections.align` leaves a source section without counterpart when no target
section matches it well enough. That is not proof that its content is missing: a translator
may have folded it into a neighbour (a merged section, a condensed page written as prose), kept
its children under one heading (a parent whose sub-sections are aligned with one target
section), or turned its heading into an emphasis line. Inserting a machine translation there
duplicates human text. This module looks for such evidence on top of the alignment and calls a
section *certainly absent* only when it finds none:

- **children**: a deeper source section right below it is aligned first with a target
  section of its own level or shallower (the target section is the parent, holding the
  children; levels compared at the shift the linked sections show);
- **anchors**: an image, link target, URL, code span or block of the section is in the target
  page more often than in the rest of the source page, and in the target sections between its
  aligned neighbours' more often than in their sources;
- **pseudo-heading**: a neighbouring target section has an emphasis-only line followed by as
  many list items as the section has, which its own source does not have;
- **length**: a neighbouring target section holds more text than its own source warrants (by
  well over what linked sections of the page usually stray), and fits better with this section
  added than with any other missing section (merged sections, condensed prose);
- **heading**: names that only its heading has among the source headings (two or more, or
  one acronym or number) head a neighbouring target section whose own source heading lacks
  them (two sections merged under
  the first one's heading);
- **blocks**: a neighbouring target section has, beyond the blocks of its own source, at least
  the list items, images, code blocks, tables, quotes and shortcodes of this section (two or
  more of them, or one image, code block or table): a section merged into its neighbour
  brings its blocks along, and translators keep list items and images one for one;
- **names**: two or more, and at least 25%, of the names and numbers only this section has
  in the source page (Latin words with a capital, acronyms, numbers of 2+ digits) are in a
  neighbouring target section, in two or more places (a section merged into its neighbour
  brings them along; one name of several words, "Dead Letter Queue", is one place);
- **shape**: a neighbouring target section's body is, block kind for block kind, its own
  source's body with this section's added at its end (the section before) or start (the
  section after), and no other missing section fits so: a section merged into its
  neighbour, however short (a one-sentence parent above its numbered children);
- **crossed**: a target section where it belongs, with its block kinds, is aligned with a
  source section outside the span of its aligned neighbours (the alignment crossed the
  other links, taking this section's counterpart for a sibling's);
- **twin**: a target section with no source counterpart where it belongs has its block kinds
  (a code block, image or table among them) and a Latin word of its heading that no other
  source heading has (its counterpart, which the alignment missed);
- **reworded twin**: a target section with no source counterpart where it belongs has its
  three or more block kinds in order, its heading level and about as much text as it
  warrants (within ``STAND_IN``): its counterpart, reworded past what anchors show;
- **heading kept**: it is a heading alone, and the next neighbour's target heading is about
  as long as its heading (by the page's text ratio), not as that neighbour's own source
  heading (the heading kept over the next section's body);
- **rival**: it shares anchors with a target section and is about as alike to it as the
  source section aligned with it (the alignment chose between them on little evidence);
- **stand-in**: on a page whose source is mostly unaligned (a condensed counterpart), target
  sections with no source counterpart stand where three or more missing sections belong,
  at least two per such section, with about as much text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..page.model import Block, Document, Section
from .sections import Link
from .site import body_texts

_TARGET = re.compile(r"\]\(\s*<?([^\s)>]+)")
_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s)\]>\"'`]+")
_CODE = re.compile(r"`([^`\n]{3,})`")

#: Names of a missing section found in a neighbour that show it may be there: at least
#: this many, and this share of the names only it has.
NAMES = 2
NAMES_SHARE = 0.25
#: The least spread of the log length ratio of linked sections taken for a page.
SPREAD = 0.1
#: A neighbour whose log length ratio exceeds the page's by this many spreads, and that
#: fits better with the missing section added, may hold it (a smaller surplus is a
#: translator's wording: a short section fits any of it).
EXCESS_SPREADS = 2.5
#: A target section with no source counterpart stands in for missing sections whose
#: expected length is within this factor of its own...
STAND_IN = 2.5
#: ... on a page whose aligned source text is less than this share of the whole.
UNALIGNED = 0.5
#: A target section with no source counterpart where a missing section belongs, at its
#: level, with its block kinds in order (this many or more) and within STAND_IN of its
#: expected text, may be its counterpart.
LONE_BLOCKS = 3
#: A heading alone is in its next neighbour's target heading when that heading's length is
#: within this log ratio of its own (times the page's text ratio) and twice as far from the
#: neighbour's own source heading's.
HEADING_FIT = math.log(1.4)
#: Most missing sections claiming one neighbour's surplus text that are sorted out by fit.
FITTING = 10


@dataclass(frozen=True, slots=True)
class Absence:
    """A source section with no counterpart: certainly absent, or with evidence that its
    content may be in the counterpart (``evidence`` non-empty)."""

    source: int
    evidence: list[str] = field(default_factory=list)

    @property
    def certain(self) -> bool:
        return not self.evidence


def _name(path: str) -> str:
    return path.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]


def anchors(doc: Document, section: Section) -> Counter[str]:
    """Language-independent things a section holds: images and link targets (file names),
    URLs, code spans of 3+ characters, code and HTML blocks; its heading line left out."""
    text = doc.text[section.start : section.end]
    if section.level:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    out: Counter[str] = Counter()
    for m in _TARGET.finditer(text):
        if not m.group(1).startswith("#"):
            out[f"target:{_name(m.group(1))}"] += 1
    for m in _SRC.finditer(text):
        out[f"target:{_name(m.group(1))}"] += 1
    for m in _URL.finditer(text):
        out[f"url:{m.group().rstrip('.,;:')}"] += 1
    for m in _CODE.finditer(text):
        out[f"code:{m.group(1).strip()}"] += 1
    for b in section.blocks:
        if b.digest:
            out[f"block:{b.digest}"] += 1
    return out


_WORD = re.compile(
    r"(?<![^\W_])(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Z][a-z]{2,}|\d{2,}(?:[.,]\d+)*)"
    r"(?![^\W_])"
)


def names(doc: Document, section: Section) -> set[str]:
    """Names and numbers in a section's body that read the same in both languages:
    capitalised words of 3+ Latin letters, acronyms and CamelCase, numbers of 2+ digits."""
    out: set[str] = set()
    for text in body_texts(doc, section):
        out.update(m.group() for m in _WORD.finditer(text))
    return out


def _runs(doc: Document, section: Section, wanted: set[str]) -> int:
    """In how many places a section's body has names of ``wanted``: names next to each
    other, with only spaces or punctuation between them, are one place."""
    count = 0
    for text in body_texts(doc, section):
        end = -1
        for m in _WORD.finditer(text):
            if m.group() in wanted and (end < 0 or any(c.isalnum() for c in text[end : m.start()])):
                count += 1
            end = m.end() if m.group() in wanted else -1
    return count


_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")


def _heading_names(section: Section) -> set[str]:
    """The names and numbers of a section's heading (as :func:`names` reads a body), an
    acronym's English plural also as the acronym ("AMIs": "AMI", which a Vietnamese
    heading writes unchanged)."""
    if not section.level:
        return set()
    out = {m.group() for m in _WORD.finditer(section.heading)}
    return out | {w[:-1] for w in out if _PLURAL.fullmatch(w)}


_LATIN = re.compile(r"[A-Za-z]{4,}")


def _heading_words(section: Section) -> set[str]:
    """Latin words of 4+ letters of a section's heading, lower-cased."""
    return {w.lower() for w in _LATIN.findall(section.heading)}


def text_length(doc: Document, section: Section) -> int:
    """Characters of translatable text in the section's body (heading left out)."""
    return sum(
        len(doc.segments[i].plain.strip())
        for b in section.blocks
        if b.kind not in ("heading", "front_matter")
        for i in b.segments
        if not doc.segments[i].in_front_matter
    )


#: Block kinds a translation keeps one for one (a paragraph is often split or joined).
_KEPT = ("list_item", "image", "code", "table", "blockquote", "shortcode")
#: ... of which one alone is enough to tell a section (a list item or quote alone is not).
_DISTINCT = ("image", "code", "table")


def _line(doc: Document, line: int) -> str:
    """Line ``line`` (1-based) of the page text."""
    start = 0
    for _ in range(line - 1):
        start = doc.text.find("\n", start) + 1
        if not start:
            return ""
    end = doc.text.find("\n", start)
    return doc.text[start : end if end >= 0 else len(doc.text)]


def blocks(doc: Document, section: Section) -> Counter[str]:
    """The blocks of a section that a translation keeps one for one, by kind: list items,
    images (a paragraph that is only an image), code blocks, tables, quotes, shortcodes."""
    out: Counter[str] = Counter()
    for b in section.blocks:
        kind = b.kind
        if kind == "paragraph" and (
            _image_only(doc, b) if b.segments else _image_line(doc, b)
        ):  # without a segment: an image whose alt text is not prose
            kind = "image"
        if kind in _KEPT:
            out[kind] += 1
    return out


def shape(doc: Document, section: Section) -> tuple[str, ...]:
    """The kinds of a section's body blocks in order (an image alone is an image, not a
    paragraph): what a section merged into its neighbour adds to that neighbour's end."""
    out = []
    for b in section.blocks:
        if b.kind in ("heading", "front_matter"):
            continue
        kind = b.kind
        if kind == "paragraph" and (_image_line(doc, b) or _image_only(doc, b)):
            kind = "image"
        out.append(kind)
    return tuple(out)


def _image_only(doc: Document, block: Block) -> bool:
    """A block whose first segment is images only (and white space)."""
    if not block.segments:
        return False
    parts = doc.segments[block.segments[0]].parts
    return bool(parts) and all(p.kind == "image" or not p.text.strip() for p in parts)


def _image_line(doc: Document, block: Block) -> bool:
    """A block whose first line starts with an image (Markdown or HTML)."""
    return _line(doc, block.line).lstrip().startswith(("![", "<img"))


def _list_items(section: Section) -> int:
    return sum(b.kind == "list_item" for b in section.blocks)


def _pseudo_headings(doc: Document, section: Section) -> list[tuple[int, int, bool, bool]]:
    """Emphasis-only paragraphs of a section (a heading written as ``_Contingency plans_``),
    each with its line, the number of list items that follow it up to the next paragraph
    outside a list, whether it opens the section and whether its list ends it."""
    out = []
    blocks = section.blocks
    body = [k for k, b in enumerate(blocks) if b.kind not in ("heading", "front_matter")]
    for k, b in enumerate(blocks):
        if b.kind != "paragraph" or b.containers or len(b.segments) != 1:
            continue
        parts = doc.segments[b.segments[0]].parts
        if len(parts) < 3 or parts[0].kind != "markup" or parts[-1].kind != "markup":
            continue
        if any(p.kind not in ("markup", "text") for p in parts):
            continue
        items, last = 0, True
        for nb in blocks[k + 1 :]:
            if nb.kind == "list_item" or (nb.containers and nb.containers[0] == "list"):
                items += nb.kind == "list_item"
            else:
                last = False
                break
        out.append((b.line, items, bool(body) and k == body[0], last))
    return out


def _ratio(
    src: list[int], tgt: list[int], links: list[Link], leave: tuple[int, ...] = ()
) -> tuple[float, float]:
    """Target characters per source character (the median over one-to-one links with enough
    text, leaving out those to the target sections ``leave``; 1.0 when there are too few),
    and how far a link's log ratio strays from it (the median absolute deviation, at least
    SPREAD). ``src``, ``tgt``: the text length of each section."""
    logs = []
    for lk in links:
        if len(lk.source) == 1 and len(lk.target) == 1 and lk.target[0] not in leave:
            a, b = src[lk.source[0]], tgt[lk.target[0]]
            if a >= 80 and b:
                logs.append(math.log(b / a))
    if len(logs) < 2:
        return 1.0, 2 * SPREAD
    import statistics  # here: most pages never get this far (start-up time)

    mid = statistics.median(logs)
    spread = max(statistics.median(abs(x - mid) for x in logs), SPREAD)
    return min(max(math.exp(mid), 0.5), 2.0), spread


def _between(k: int, i: int, target_of: dict[int, tuple[int, ...]]) -> bool:
    """Whether source sections ``k`` and ``i`` lie between the same two aligned ones."""
    lo, hi = sorted((k, i))
    return not any(x in target_of for x in range(lo, hi + 1))


def _shift(src: Document, tgt: Document, links: list[Link]) -> int:
    """Source heading level minus target heading level: the one most one-to-one links of
    headed sections show, when more than half show one (a section dropped or inserted
    changes the levels a page uses, not those of the sections it keeps); else, when the
    target uses other levels for the same structure (as :func:`vien.align.sections.align`
    compares them), their difference; else 0."""
    shown = Counter(
        src.sections[lk.source[0]].level - tgt.sections[lk.target[0]].level
        for lk in links
        if len(lk.source) == 1
        and len(lk.target) == 1
        and src.sections[lk.source[0]].level
        and tgt.sections[lk.target[0]].level
    )
    if shown:
        shift, n = shown.most_common(1)[0]
        if 2 * n > shown.total():
            return shift
    a = {s.level for s in src.sections if s.level}
    b = {s.level for s in tgt.sections if s.level}
    if len(a) > 1 and len(b) > 1 and a != b:
        shift = min(a) - min(b)
        if {x + shift for x in b} == a:
            return shift
    return 0


_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_PAGE_URL = re.compile(r"https?://[^\s)\]>\"']+")
#: A counterpart holding this share of the source's text or more has room for the section.
WHOLE_TEXT = 0.8


def _body_chars(doc: Document) -> int:
    return sum(len(sg.plain.strip()) for sg in doc.segments if sg.field is None)


def page_evidence(src: Document, section: Section, tgt: Document) -> str | None:
    """Why a section of ``src`` with no counterpart may be in ``tgt`` anywhere on the page:
    one of its images, links or code blocks is there, or ``tgt`` holds about as much text as
    the whole of ``src`` (the section under a pseudo-heading, condensed, merged elsewhere);
    None when neither. Stricter than :func:`absences`, which looks where the section
    belongs: what `vien check` needs before calling a section missing an error."""
    text = src.text[section.start : section.end]
    refs = set(_IMAGE.findall(text)) | set(_PAGE_URL.findall(text))
    code = {b.digest for b in section.blocks if b.kind == "code" and b.digest}
    if any(r in tgt.text for r in refs) or code & {
        b.digest for s in tgt.sections for b in s.blocks if b.kind == "code"
    }:
        return "its images, links or code are here"
    have, whole = _body_chars(tgt), _body_chars(src)
    if have >= WHOLE_TEXT * whole:
        return f"this page has {have} characters of text for {whole} in the source"
    return None


def absences(
    src: Document, tgt: Document, links: list[Link], *, whole_page: bool = False
) -> list[Absence]:
    """Each source section with no counterpart in ``links``, in source order, with the
    evidence that its content may be in ``tgt`` after all. With ``whole_page`` (`vien
    check`'s error), a section with no evidence where it belongs also gets
    :func:`page_evidence`, if any; translate inserts on the local evidence alone."""
    target_of = {i: lk.target for lk in links if lk.target for i in lk.source}

    def sources_of(group: Iterable[int]) -> list[int]:
        """The source sections aligned with target sections of ``group``, in order."""
        return sorted(k for k, t in target_of.items() if set(t) & set(group))

    missing = [i for lk in links if lk.source and not lk.target for i in lk.source]
    rivals = {i: lk.rivals for lk in links if lk.source and not lk.target for i in lk.source}
    if not missing:
        return []
    shift = _shift(src, tgt, links)
    lengths = [text_length(src, x) for x in src.sections]
    tgt_lengths = [text_length(tgt, x) for x in tgt.sections]
    ratio = _ratio(lengths, tgt_lengths, links)[0]
    aligned = sum(lengths[i] for lk in links if lk.target for i in lk.source)
    unaligned_page = aligned < UNALIGNED * sum(lengths)
    src_anchors = [anchors(src, s) for s in src.sections]
    tgt_anchors = [anchors(tgt, s) for s in tgt.sections]
    linked = {j for lk in links if lk.source for j in lk.target}
    source_of = {j: lk.source for lk in links if lk.source for j in lk.target}
    src_names = [names(src, x) for x in src.sections]
    tgt_names = [names(tgt, x) for x in tgt.sections]
    src_blocks = [blocks(src, x) for x in src.sections]
    heads = [_heading_names(x) for x in src.sections]
    shapes = [shape(src, x) for x in src.sections]
    tgt_shapes = [shape(tgt, x) for x in tgt.sections]
    tgt_blocks = [blocks(tgt, x) for x in tgt.sections]
    tgt_all: Counter[str] = sum(tgt_anchors, Counter())
    src_all: Counter[str] = sum(src_anchors, Counter())
    out = []
    #: target sections holding more text than their source warrants: their text, the text
    #: their source warrants, and (section, its expected text, why) for each missing
    #: section that fits better added
    claims: dict[tuple[int, ...], tuple[int, float, list[tuple[int, float, str]]]] = {}
    #: neighbours holding a missing section's blocks beyond their source's: (section, why)
    shaped: dict[tuple[int, ...], list[tuple[int, str]]] = {}
    for i in missing:
        s = src.sections[i]
        evidence: list[str] = []
        # children aligned with a target section of the parent's level: that section is it
        k = i + 1
        while k < len(src.sections) and src.sections[k].level > s.level > 0:
            # the first target section of its link only: a parent's heading comes before
            # its children's text, not after it
            for j in target_of.get(k, ())[:1]:
                t = tgt.sections[j]
                if t.level and t.level + shift <= s.level:
                    evidence.append(
                        f"its sub-section {src.sections[k].heading!r} is aligned with target "
                        f"section {t.heading!r} (line {t.line}), at this section's level"
                    )
                    break
            if evidence:
                break
            k += 1
        # aligned elsewhere on little evidence: it is about as alike to a target section as
        # that section's own source is
        for j in rivals[i]:
            t = tgt.sections[j]
            evidence.append(
                f"it is about as alike to target section {t.heading or '(top)'!r} (line "
                f"{t.line}) as that section's own source"
            )
        # neighbours: the target sections of the nearest aligned source sections around it
        before = next((target_of[k] for k in range(i - 1, -1, -1) if k in target_of), ())
        after = next((target_of[k] for k in range(i + 1, len(src.sections)) if k in target_of), ())
        # its images, links, code… are in the target more often than elsewhere in the source,
        # and near where it belongs: more often in the target sections from its neighbours'
        # to its neighbours' than in their sources (a link a translator added elsewhere, or
        # the one its aligned neighbour holds too, is no evidence)
        lo, hi = min(before, default=0), max(after, default=len(tgt.sections) - 1)
        region = range(min(lo, hi), max(lo, hi) + 1)
        region_sources = set(sources_of(region)) - {i}
        for key, n in src_anchors[i].items():
            near = sum(tgt_anchors[j][key] for j in region)
            if tgt_all[key] > src_all[key] - n and near > sum(
                src_anchors[k][key] for k in region_sources
            ):
                where = next((tgt.sections[j] for j in region if key in tgt_anchors[j]), None)
                kind, _, value = key.partition(":")
                what = {"target": "link or image", "block": "code or HTML block"}.get(kind, kind)
                shown = value if kind != "block" else "(same content)"
                evidence.append(
                    f"{what} {shown[:60]} is in target section "
                    f"{where.heading if where else ''!r} (line {where.line if where else 0})"
                )
                break
        body = shapes[i]
        items = _list_items(s)
        length = text_length(src, s)
        for group in (before, after):
            if not group:
                continue
            sources = sources_of(group)
            # emphasis lines with their list items that the aligned source does not have
            own = sum(len(_pseudo_headings(src, src.sections[k])) for k in sources)
            theirs = [(j, h) for j in group for h in _pseudo_headings(tgt, tgt.sections[j])]
            # only emphasis lines the aligned source lacks, where a section folded into a
            # neighbour would be: at its end, or at the start of the next one
            for j, (line, n, opens, ends) in theirs if len(theirs) > own else []:
                placed = ends if group is before else opens
                if items >= 2 and n == items and placed:
                    evidence.append(
                        f"target section {tgt.sections[j].heading!r} has an emphasis line "
                        f"at line {line} followed by {n} list items, as this section has"
                    )
            # the ratio of the page without this neighbour's own link (a merge inflates it)
            rate, strays = _ratio(lengths, tgt_lengths, links, group)
            have = sum(tgt_lengths[j] for j in group)
            want = rate * sum(lengths[k] for k in sources)
            if length and have and want:
                alone = math.log(have / want)
                added = math.log(have / (want + rate * length))
                if abs(added) < alone and alone > EXCESS_SPREADS * strays:
                    t = tgt.sections[group[0]]
                    claims.setdefault(group, (have, want, []))[2].append(
                        (
                            i,
                            rate * length,
                            f"target section {t.heading or '(top)'!r} (line {t.line}) holds "
                            f"{have} characters where its source warrants about "
                            f"{round(want)}: it may hold this section too",
                        )
                    )
        # a neighbour's body is its source's body with this section's body added at the end
        # of the one before or the start of the one after, block for block: the section was
        # merged into it (its heading dropped), however short it is; evidence only when no
        # other missing section fits it so (sections of one template look alike)
        for group, at_end in ((before, True), (after, False)):
            sources = sources_of(group)
            if not body or not group or not sources:
                continue
            held = tuple(x for j in sorted(group) for x in tgt_shapes[j])
            base = tuple(x for k in sources for x in shapes[k])
            if held == (base + body if at_end else body + base):
                t = tgt.sections[group[0]]
                shaped.setdefault(group, []).append(
                    (
                        i,
                        f"target section {t.heading or '(top)'!r} (line {t.line}) has the blocks "
                        f"of its source and, at its {'end' if at_end else 'start'}, those of "
                        "this section",
                    )
                )
        low = max(before, default=-1)
        high = min(after, default=len(tgt.sections))
        # a target section where this one belongs, with its blocks, is aligned with a source
        # section outside the span between its aligned neighbours (crossing the other links):
        # the alignment may have taken it for that one
        span = range(
            max((k for k in target_of if k < i and set(target_of[k]) & set(before)), default=-1),
            min(
                (k for k in target_of if k > i and set(target_of[k]) & set(after)),
                default=len(src.sections),
            ),
        )
        crossed = [
            j
            for j in range(low + 1, high)
            if tgt_shapes[j] == body and any(k not in span for k in source_of.get(j, ()))
        ]
        if crossed:
            t = tgt.sections[crossed[0]]
            evidence.append(
                f"target section {t.heading or '(top)'!r} (line {t.line}), where this section "
                "belongs, is aligned with a source section elsewhere on the page"
            )
        # a target section with no source counterpart where this one belongs, with its block
        # kinds (a code block, image or table among them) and a Latin word of its heading that
        # no other source heading has (a counterpart the alignment missed)
        words = _heading_words(s) - set().union(
            *(_heading_words(x) for k, x in enumerate(src.sections) if k != i)
        )
        twins = [
            j
            for j in range(low + 1, high)
            if j not in linked
            and body
            and tgt_shapes[j] == body
            and any(k in _DISTINCT for k in body)
            and words & _heading_words(tgt.sections[j])
        ]
        if twins:
            t = tgt.sections[twins[0]]
            evidence.append(
                f"target section {t.heading!r} (line {t.line}) has no source counterpart, "
                "stands where this section belongs, has its blocks and a word of its heading"
            )
        # one that has its three or more block kinds in order, at its heading level and about
        # as long as it warrants (its counterpart, reworded past what anchors show)
        alike = [
            j
            for j in range(low + 1, high)
            if j not in linked
            and s.level
            and len(body) >= LONE_BLOCKS
            and tgt_shapes[j] == body
            and tgt.sections[j].level + shift == s.level
            and ratio * length / STAND_IN <= tgt_lengths[j] <= ratio * length * STAND_IN
        ]
        if alike:
            t = tgt.sections[alike[0]]
            evidence.append(
                f"target section {t.heading!r} (line {t.line}) has no source counterpart, "
                "stands where this section belongs, at its level, with its blocks and about "
                "as much text"
            )
        # a heading alone whose next neighbour's target heading fits its heading in length,
        # not that neighbour's own source heading (the heading kept over the next body)
        if not body and s.level and after:
            t = tgt.sections[after[0]]
            sources = sources_of(after)
            heading_rate = _ratio(lengths, tgt_lengths, links, after)[0]
            fit = (
                abs(math.log(len(t.heading) / (heading_rate * len(s.heading))))
                if t.heading
                else 9.0
            )
            if fit <= HEADING_FIT and all(
                abs(
                    math.log(len(t.heading) / (heading_rate * max(len(src.sections[k].heading), 1)))
                )
                >= 2 * HEADING_FIT
                for k in sources
            ):
                evidence.append(
                    f"target section {t.heading!r} (line {t.line}) is headed about as long as "
                    "this section's heading, not as its own source's"
                )
        # names of its heading in a neighbour's heading whose own source heading lacks them
        # (two sections merged under the first one's heading)
        heading = heads[i] - set().union(*(h for k, h in enumerate(heads) if k != i))
        for group in (before, after):
            sources = sources_of(group)
            found = set().union(*(_heading_names(tgt.sections[j]) for j in group)) & heading
            found -= set().union(*(heads[k] for k in sources))
            # one capitalised word may be a Title Case heading's vocabulary; an acronym, a
            # CamelCase name or a number is a name
            if len(found) >= NAMES or any(not w[1:].islower() for w in found):
                t = tgt.sections[group[0]]
                evidence.append(
                    f"target section {t.heading!r} (line {t.line}) is headed with "
                    f"{', '.join(sorted(found))} of this section's heading, which its own "
                    "source heading lacks"
                )
                break
        # blocks it has that a neighbour holds beyond what that neighbour's source has
        kept = src_blocks[i]
        if sum(kept.values()) >= 2 or any(kept[k] for k in _DISTINCT):
            for group in (before, after):
                sources = sources_of(group)
                extra = sum((tgt_blocks[j] for j in group), Counter()) - sum(
                    (src_blocks[k] for k in sources), Counter()
                )
                if group and all(extra[k] >= n for k, n in kept.items()):
                    t = tgt.sections[group[0]]
                    shown = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in kept.items())
                    evidence.append(
                        f"target section {t.heading or '(top)'!r} (line {t.line}) has "
                        f"{shown} beyond what its source has, as this section has"
                    )
                    break
        mine = src_names[i] - set().union(*(src_names[k] for k in range(len(src_names)) if k != i))
        if len(mine) >= NAMES:
            for group in (before, after):
                found = {w for j in group for w in tgt_names[j] & mine}
                if (
                    len(found) >= NAMES
                    and len(found) >= NAMES_SHARE * len(mine)
                    and sum(_runs(tgt, tgt.sections[j], found) for j in group) >= NAMES
                ):
                    t = tgt.sections[group[0]]
                    shown = ", ".join(sorted(found)[:4])
                    evidence.append(
                        f"{len(found)} of the {len(mine)} names only this section has "
                        f"({shown}…) are in target section {t.heading or '(top)'!r} "
                        f"(line {t.line})"
                    )
                    break
        # a target section with no source counterpart where this one belongs, long enough
        # to hold it (a section rewritten or condensed beyond recognition)
        lone = [j for j in range(low + 1, high) if j not in linked]
        gap = [k for k in missing if _between(k, i, target_of)]
        if unaligned_page and lone and length and len(gap) >= max(3, 2 * len(lone)):
            have = sum(text_length(tgt, tgt.sections[j]) for j in lone)
            want = ratio * sum(lengths[k] for k in gap)
            if want / STAND_IN <= have <= want * STAND_IN:
                t = tgt.sections[lone[0]]
                evidence.append(
                    f"target section {t.heading or '(top)'!r} (line {t.line}) has no source "
                    "counterpart and stands where this section belongs, on a page mostly "
                    "unaligned"
                )
        out.append(Absence(i, list(dict.fromkeys(evidence))))
    # a neighbour's surplus text is evidence for the missing sections whose text together
    # fits it best, not for every one around it (a section merged into its neighbour, others
    # dropped beside it)
    by_source = {a.source: a for a in out}
    for have, want, claimed in claims.values():
        for i, _, why in _fitting(have, want, claimed):
            if why not in by_source[i].evidence:
                by_source[i].evidence.append(why)
    for candidates in shaped.values():
        if len(candidates) == 1:
            by_source[candidates[0][0]].evidence.append(candidates[0][1])
    if whole_page:
        for a in out:
            if not a.evidence:
                elsewhere = page_evidence(src, src.sections[a.source], tgt)
                if elsewhere is not None:
                    a.evidence.append(elsewhere)
    return out


def _fitting(
    have: float, want: float, claimed: list[tuple[int, float, str]]
) -> list[tuple[int, float, str]]:
    """The claims (section, expected text, why) whose expected text added to ``want`` comes
    closest to ``have`` (the fewest on a tie); all of them when there are more than
    ``FITTING``."""
    if len(claimed) > FITTING:
        return claimed
    best: tuple[float, int, list[tuple[int, float, str]]] | None = None
    for mask in range(1, 1 << len(claimed)):
        chosen = [c for k, c in enumerate(claimed) if mask >> k & 1]
        off = abs(math.log(have / (want + sum(c[1] for c in chosen))))
        if best is None or (off, len(chosen)) < best[:2]:
            best = (off, len(chosen), chosen)
    return best[2] if best else []
