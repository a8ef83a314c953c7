"""Is a source section with no counterpart really absent from the counterpart?

:func:`vien.align.sections.align` leaves a source section without counterpart when no target
section matches it well enough. That is not proof that its content is missing: a translator
may have folded it into a neighbour (a merged section, a condensed page written as prose), kept
its children under one heading (a parent whose sub-sections are aligned with one target
section), or turned its heading into an emphasis line. Inserting a machine translation there
duplicates human text. This module looks for such evidence on top of the alignment and calls a
section *certainly absent* only when it finds none:

- **children**: a deeper source section right below it is aligned with a target section of
  its own level or shallower (the target section is the parent, holding the children);
- **anchors**: an image, link target, URL, code span or block of the section is in the target
  page more often than in the rest of the source page;
- **pseudo-heading**: a neighbouring target section has an emphasis-only line followed by as
  many list items as the section has, which its own source does not have;
- **length**: a neighbouring target section holds more text than its own source warrants (by
  more than linked sections of the page usually stray), and fits better with this section
  added (merged sections, condensed prose);
- **stand-in**: on a page whose source is mostly unaligned (a condensed counterpart), target
  sections with no source counterpart stand where this section belongs, with about as much
  text as the missing sections there.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..page.model import Document, Section
from .sections import Link

_TARGET = re.compile(r"\]\(\s*<?([^\s)>]+)")
_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s)\]>\"'`]+")
_CODE = re.compile(r"`([^`\n]{3,})`")

#: The least spread of the log length ratio of linked sections taken for a page.
SPREAD = 0.1
#: A neighbour whose log length ratio exceeds the page's by this many spreads, and that
#: fits better with the missing section added, may hold it (by one spread, when it fits
#: four times better).
EXCESS_SPREADS = 2.5
#: A target section with no source counterpart stands in for missing sections whose
#: expected length is within this factor of its own...
STAND_IN = 2.5
#: ... on a page whose aligned source text is less than this share of the whole.
UNALIGNED = 0.5


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


def text_length(doc: Document, section: Section) -> int:
    """Characters of translatable text in the section's body (heading left out)."""
    return sum(
        len(doc.segments[i].plain.strip())
        for b in section.blocks
        if b.kind not in ("heading", "front_matter")
        for i in b.segments
        if not doc.segments[i].in_front_matter
    )


def _list_items(section: Section) -> int:
    return sum(b.kind == "list_item" for b in section.blocks)


def _pseudo_headings(doc: Document, section: Section) -> list[tuple[int, int]]:
    """Emphasis-only paragraphs of a section (a heading written as ``_Contingency plans_``),
    each with its line and the number of list items that follow it up to the next
    paragraph outside a list."""
    out = []
    blocks = section.blocks
    for k, b in enumerate(blocks):
        if b.kind != "paragraph" or b.containers or len(b.segments) != 1:
            continue
        parts = doc.segments[b.segments[0]].parts
        if len(parts) < 3 or parts[0].kind != "markup" or parts[-1].kind != "markup":
            continue
        if any(p.kind not in ("markup", "text") for p in parts):
            continue
        items = 0
        for nb in blocks[k + 1 :]:
            if nb.kind == "list_item":
                items += 1
            elif nb.kind == "paragraph" and not nb.containers:
                break
        out.append((b.line, items))
    return out


def _ratio(src: Document, tgt: Document, links: list[Link]) -> tuple[float, float]:
    """Target characters per source character (the median over one-to-one links with enough
    text; 1.0 when there are too few), and how far a link's log ratio strays from it
    (the median absolute deviation, at least SPREAD)."""
    logs = []
    for lk in links:
        if len(lk.source) == 1 and len(lk.target) == 1:
            a = text_length(src, src.sections[lk.source[0]])
            b = text_length(tgt, tgt.sections[lk.target[0]])
            if a >= 80 and b:
                logs.append(math.log(b / a))
    if len(logs) < 2:
        return 1.0, 2 * SPREAD
    mid = statistics.median(logs)
    spread = max(statistics.median(abs(x - mid) for x in logs), SPREAD)
    return min(max(math.exp(mid), 0.5), 2.0), spread


def _between(k: int, i: int, target_of: dict[int, tuple[int, ...]]) -> bool:
    """Whether source sections ``k`` and ``i`` lie between the same two aligned ones."""
    lo, hi = sorted((k, i))
    return not any(x in target_of for x in range(lo, hi + 1))


def _shift(src: Document, tgt: Document) -> int:
    """Source heading level minus target heading level, when the target uses other levels
    for the same structure (as :func:`vien.align.sections.align` compares them); else 0."""
    a = {s.level for s in src.sections if s.level}
    b = {s.level for s in tgt.sections if s.level}
    if len(a) > 1 and len(b) > 1 and a != b:
        shift = min(a) - min(b)
        if {x + shift for x in b} == a:
            return shift
    return 0


def absences(src: Document, tgt: Document, links: list[Link]) -> list[Absence]:
    """Each source section with no counterpart in ``links``, in source order, with the
    evidence that its content may be in ``tgt`` after all."""
    target_of = {i: lk.target for lk in links if lk.target for i in lk.source}
    missing = [i for lk in links if lk.source and not lk.target for i in lk.source]
    if not missing:
        return []
    shift = _shift(src, tgt)
    ratio, spread = _ratio(src, tgt, links)
    lengths = [text_length(src, x) for x in src.sections]
    aligned = sum(lengths[i] for lk in links if lk.target for i in lk.source)
    unaligned_page = aligned < UNALIGNED * sum(lengths)
    src_anchors = [anchors(src, s) for s in src.sections]
    tgt_anchors = [anchors(tgt, s) for s in tgt.sections]
    linked = {j for lk in links if lk.source for j in lk.target}
    tgt_all: Counter[str] = sum(tgt_anchors, Counter())
    src_all: Counter[str] = sum(src_anchors, Counter())
    out = []
    for i in missing:
        s = src.sections[i]
        evidence: list[str] = []
        # children aligned with a target section of the parent's level: that section is it
        k = i + 1
        while k < len(src.sections) and src.sections[k].level > s.level > 0:
            for j in target_of.get(k, ()):
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
        # its images, links, code… are in the target more often than elsewhere in the source
        for key, n in src_anchors[i].items():
            if tgt_all[key] > src_all[key] - n:
                where = next(
                    (t for t, a in zip(tgt.sections, tgt_anchors, strict=True) if key in a), None
                )
                kind, _, value = key.partition(":")
                what = {"target": "link or image", "block": "code or HTML block"}.get(kind, kind)
                shown = value if kind != "block" else "(same content)"
                evidence.append(
                    f"{what} {shown[:60]} is in target section "
                    f"{where.heading if where else ''!r} (line {where.line if where else 0})"
                )
                break
        # neighbours: the target sections of the nearest aligned source sections around it
        before = next((target_of[k] for k in range(i - 1, -1, -1) if k in target_of), ())
        after = next((target_of[k] for k in range(i + 1, len(src.sections)) if k in target_of), ())
        items = _list_items(s)
        length = text_length(src, s)
        for group in (before, after):
            if not group:
                continue
            sources = [k for k, t in target_of.items() if set(t) & set(group)]
            # emphasis lines with their list items that the aligned source does not have
            own = Counter(n for k in sources for _, n in _pseudo_headings(src, src.sections[k]))
            for j in group:
                for line, n in _pseudo_headings(tgt, tgt.sections[j]):
                    if items >= 2 and n == items and not own[n]:
                        evidence.append(
                            f"target section {tgt.sections[j].heading!r} has an emphasis line "
                            f"at line {line} followed by {n} list items, as this section has"
                        )
                    own[n] -= 1
            have = sum(text_length(tgt, tgt.sections[j]) for j in group)
            want = ratio * sum(lengths[k] for k in sources)
            if length and have and want:
                alone = math.log(have / want)
                added = math.log(have / (want + ratio * length))
                if abs(added) < alone and (
                    alone > EXCESS_SPREADS * spread or (alone > spread and abs(added) < alone / 4)
                ):
                    t = tgt.sections[group[0]]
                    evidence.append(
                        f"target section {t.heading or '(top)'!r} (line {t.line}) holds "
                        f"{have} characters where its source warrants about {round(want)}: "
                        "it may hold this section too"
                    )
        # a target section with no source counterpart where this one belongs, long enough
        # to hold it (a section rewritten or condensed beyond recognition)
        low = max(before, default=-1)
        high = min(after, default=len(tgt.sections))
        lone = [j for j in range(low + 1, high) if j not in linked]
        if unaligned_page and lone and length:
            gap = [k for k in missing if _between(k, i, target_of)]
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
    return out
