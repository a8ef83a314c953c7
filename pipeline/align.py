"""Align the sections of a page with the sections of its counterpart.

Evidence is language-independent first: image files, link targets, URLs, inline and block
code, shortcodes, numbers, glossary terms and the English names and UI labels that stay
English in Vietnamese text, weighted by how rare they are in the pair (idf); then the length
ratio, heading levels and position. With a translation function, chrF between the source and
the machine-translated target is mixed in. A dynamic programme finds the best monotonic
alignment with 1-1, 1-0, 0-1, 2-1 and 1-2 links; sections left over are then paired across
(swapped sections) when their evidence is strong.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .glossary import Glossary
from .model import Block, Document, Section

_NUMBER = re.compile(r"\d+(?:[.:,/-]\d+)*")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
_TARGET = re.compile(r"\]\(\s*<?([^\s)>]+)")

SKIP = 0.42  # cost of leaving a section unaligned
MERGE = 0.45  # extra cost of a 2-1 or 1-2 link
POSITION = 0.1  # weight of the distance between relative positions
CROSS = 0.3  # evidence needed to pair leftover sections across other links


@dataclass(frozen=True, slots=True)
class Link:
    """Source sections ↔ target sections (either side may be empty), with its evidence."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Profile:
    anchors: Counter[str]
    length: int  # characters of translatable text
    level: int
    shape: tuple[str, ...] = ()  # block kinds in order, headings left out


def _section_profile(doc: Document, section: Section, glossary: Glossary | None,
                     lang: str) -> _Profile:
    anchors: Counter[str] = Counter()
    length = 0
    for block in section.blocks:
        if block.digest:
            anchors[f"{block.kind}:{block.digest}"] += 1
        if block.kind == "shortcode" and not block.info.startswith("/"):
            anchors[f"shortcode:{block.info}"] += 1
        if block.kind in ("table", "code", "list_item"):
            anchors[f"block:{block.kind}"] += 1
    for i in section.segments:
        seg = doc.segments[i]
        if seg.field is not None and seg.style != "md":
            continue  # front matter values belong to the page, not a section
        in_markup = False
        for part in seg.parts:
            kind, text = part.kind, part.text
            if kind in ("image", "link"):
                m = _TARGET.search(text)
                if m:
                    anchors[f"{kind}:{m.group(1).split('?')[0]}"] += 1
            elif kind in ("url", "code", "shortcode", "placeholder"):
                anchors[f"{kind}:{text.strip()}"] += 1
            elif kind == "markup":
                in_markup = not in_markup
            elif kind == "text":
                length += len(text)
                for num in _NUMBER.findall(text):
                    if len(num) > 1:
                        anchors[f"n:{num}"] += 1
                for name in _NAME.findall(text):
                    if len(name) > 2 and any(c.isupper() for c in name):
                        anchors[f"w:{name.lower()}"] += 1
                if in_markup and any(c.isalpha() for c in text) and len(text) < 60:
                    anchors[f"b:{text.strip().lower()}"] += 1
                if glossary is not None:
                    for m in glossary.find(text, lang):
                        anchors[f"t:{m.entry.en.lower()}"] += 1
    shape = tuple(_shape(doc, b) for b in section.blocks
                  if b.kind not in ("heading", "front_matter", "table_cell"))
    return _Profile(anchors, length, section.level, shape)


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


class _Scorer:
    """Similarity of (groups of) sections, cached."""

    def __init__(self, src: list[_Profile], tgt: list[_Profile], ratio: float,
                 chrf: Callable[[tuple[int, ...], tuple[int, ...]], float] | None) -> None:
        self.src, self.tgt, self.ratio, self.chrf = src, tgt, ratio, chrf
        self.idf = _idf(src + tgt)
        self.cache: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[float, list[str]]] = {}

    @staticmethod
    def _merge(profiles: list[_Profile]) -> _Profile:
        anchors: Counter[str] = Counter()
        for p in profiles:
            anchors.update(p.anchors)
        return _Profile(anchors, sum(p.length for p in profiles), profiles[0].level,
                        tuple(k for p in profiles for k in p.shape))

    def score(self, si: tuple[int, ...], tj: tuple[int, ...]) -> tuple[float, list[str]]:
        key = (si, tj)
        if key not in self.cache:
            a = self._merge([self.src[i] for i in si])
            b = self._merge([self.tgt[j] for j in tj])
            sim, evidence = self._similarity(a, b, si, tj)
            if len(si) > 1 or len(tj) > 1:  # every member of the group must be matched
                members = ([(self.src[i], b) for i in si] if len(si) > 1 else []) + (
                    [(self.tgt[j], a) for j in tj] if len(tj) > 1 else [])
                fit = self._length_fit(a, b)
                worst = min(self._coverage(x, other, fit) for x, other in members)
                sim *= min(1.0, worst / 0.35)  # a member with no support is not part of it
            self.cache[key] = (sim, evidence)
        return self.cache[key]

    def _coverage(self, part: _Profile, other: _Profile, fit: float) -> float:
        """How much of ``part``'s evidence is found in ``other``; for a part with little
        evidence, how well the lengths of the whole link agree (``fit``)."""
        idf = self.idf
        weight = sum(c * idf[k] for k, c in part.anchors.items())
        if weight < 2:
            return fit
        return sum(c * idf[k] for k, c in (part.anchors & other.anchors).items()) / weight

    def _length_fit(self, a: _Profile, b: _Profile) -> float:
        if a.length and b.length:
            return math.exp(-1.5 * abs(math.log(b.length / (a.length * self.ratio))))
        return 1.0 if a.length == b.length else 0.3

    def _similarity(self, a: _Profile, b: _Profile, si: tuple[int, ...],
                    tj: tuple[int, ...]) -> tuple[float, list[str]]:
        idf = self.idf
        shared = a.anchors & b.anchors
        total = sum(c * idf[k] for k, c in a.anchors.items()) + \
            sum(c * idf[k] for k, c in b.anchors.items())
        dice = 2 * sum(c * idf[k] for k, c in shared.items()) / total if total else 0.0
        length = self._length_fit(a, b)
        level = 1.0 if a.level == b.level else 0.0
        shape = (SequenceMatcher(None, a.shape, b.shape, autojunk=False).ratio()
                 if a.shape or b.shape else 1.0) * length
        if total:
            weight = min(1.0, total / 12)  # little evidence: lean on structure and length
            # structure and length only count alongside shared evidence: two unrelated
            # sections of similar shape and size are still unrelated
            gate = min(1.0, dice / 0.15)
            sim = weight * (0.65 * dice + 0.35 * shape * gate) + (1 - weight) * (
                0.5 * shape + 0.3 * length + 0.2 * level)
        else:
            sim = 0.5 * shape + 0.3 * length + 0.2 * level
        evidence = [k for k, _ in sorted(shared.items(), key=lambda kv: -idf[kv[0]])[:6]]
        if self.chrf is not None:
            c = self.chrf(si, tj)
            sim = 0.6 * sim + 0.4 * c
            evidence.append(f"chrF {c:.2f}")
        evidence.append(f"length {b.length}/{a.length}")
        return sim, evidence


def _ratio(src: list[_Profile], tgt: list[_Profile]) -> float:
    a, b = sum(p.length for p in src), sum(p.length for p in tgt)
    return min(max(b / a, 0.5), 2.0) if a and b else 1.0


def align(src: Document, tgt: Document, glossary: Glossary | None = None, *,
          source_lang: str = "en", target_lang: str = "vi",
          translate: Callable[[list[str]], list[str]] | None = None) -> list[Link]:
    """Links covering every section of both documents, in source order.

    ``translate`` (target-language texts → source-language texts), when given, adds chrF
    between each source section and the machine-translated target section.
    """
    sp = [_section_profile(src, s, glossary, source_lang) for s in src.sections]
    tp = [_section_profile(tgt, s, glossary, target_lang) for s in tgt.sections]
    chrf = _chrf_scorer(src, tgt, translate) if translate else None
    scorer = _Scorer(sp, tp, _ratio(sp, tp), chrf)
    n, m = len(sp), len(tp)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    if n and m:  # both pages have a section 0 (before the first heading): they correspond
        cost[1][1] = 0.0
        back[1][1] = (1, 1)
        cost[0][0] = inf

    def pos(i: int, j: int) -> float:
        return POSITION * abs((i + 0.5) / n - (j + 0.5) / m) if n and m else 0.0

    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            moves = [(1, 0, SKIP), (0, 1, SKIP)]
            if i < n and j < m:
                moves.append((1, 1, 1 - scorer.score((i,), (j,))[0] + pos(i, j)))
            if i + 1 < n and j < m:
                moves.append((2, 1, 1 - scorer.score((i, i + 1), (j,))[0] + MERGE + pos(i, j)))
            if i < n and j + 1 < m:
                moves.append((1, 2, 1 - scorer.score((i,), (j, j + 1))[0] + MERGE + pos(i, j)))
            for di, dj, c in moves:
                if i + di <= n and j + dj <= m and here + c < cost[i + di][j + dj]:
                    cost[i + di][j + dj] = here + c
                    back[i + di][j + dj] = (di, dj)
    steps = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj = step
        steps.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    steps.reverse()
    links = [Link(s, t, *scorer.score(s, t)) for s, t in steps if s and t]
    lone_s = [s[0] for s, t in steps if not t]
    lone_t = [t[0] for s, t in steps if not s]
    # sections left over on both sides: pair them across other links (swapped sections)
    pairs = sorted(((scorer.score((a,), (b,))[0], a, b) for a in lone_s for b in lone_t),
                   reverse=True)
    used_s: set[int] = set()
    used_t: set[int] = set()
    for sim, a, b in pairs:
        if sim >= CROSS and a not in used_s and b not in used_t:
            used_s.add(a)
            used_t.add(b)
            links.append(Link((a,), (b,), sim, [*scorer.score((a,), (b,))[1], "crossing"]))
    for a in lone_s:
        if a not in used_s:
            best = max((scorer.score((a,), (b,))[0] for b in range(m)), default=0.0)
            links.append(Link((a,), (), round(1 - best, 4), ["no counterpart"]))
    for b in lone_t:
        if b not in used_t:
            best = max((scorer.score((a,), (b,))[0] for a in range(n)), default=0.0)
            links.append(Link((), (b,), round(1 - best, 4), ["no counterpart"]))
    links = [Link(lk.source, lk.target, round(lk.confidence, 4), lk.evidence) for lk in links]
    return sorted(links, key=lambda lk: (lk.source[0] if lk.source else _after(lk, links),
                                         lk.target[0] if lk.target else -1))


def _after(link: Link, links: list[Link]) -> float:
    """Sort key for a target-only link: just after the source section before it."""
    before = [lk.source[-1] for lk in links if lk.source and lk.target
              and lk.target[-1] < link.target[0]]
    return (max(before) if before else -1) + 0.5


def _chrf_scorer(src: Document, tgt: Document,
                 translate: Callable[[list[str]], list[str]]
                 ) -> Callable[[tuple[int, ...], tuple[int, ...]], float]:
    from sacrebleu.metrics import CHRF

    def plain(doc: Document, section: Section) -> str:
        return " ".join(doc.segments[i].plain for i in section.segments)

    src_text = [plain(src, s) for s in src.sections]
    tgt_text = translate([plain(tgt, s) for s in tgt.sections])
    metric = CHRF()

    def score(si: tuple[int, ...], tj: tuple[int, ...]) -> float:
        hyp = " ".join(tgt_text[j] for j in tj)
        ref = " ".join(src_text[i] for i in si)
        if not hyp.strip() or not ref.strip():
            return 0.0
        return metric.sentence_score(hyp, [ref]).score / 100

    return score
