"""Merge a source page into its existing counterpart.

Aligned human sections are kept byte for byte; source sections with no counterpart are
translated and inserted where they belong; segments of the counterpart still written in the
source language are retranslated in place. Target sections with no source counterpart are kept
and reported. A counterpart with the same headings but unrelated content is not merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..align.sections import Link, align, unrelated
from ..check.langid import detect
from ..check.untranslated import untranslated_segments
from ..glossary.entries import Glossary, matching_once
from ..page.model import Document
from ..page.render import render_range


def eol_of(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


@dataclass(slots=True)
class MergePlan:
    """What merging needs: source segments to translate, target segments to retranslate."""

    src: Document
    tgt: Document
    links: list[Link]
    src_needed: list[int] = field(default_factory=list)  # segments of missing sections
    tgt_needed: list[int] = field(default_factory=list)  # target segments in source language
    missing: list[int] = field(default_factory=list)  # source sections with no counterpart
    reports: list[str] = field(default_factory=list)
    refused: str | None = None

    @property
    def unchanged(self) -> bool:
        return (
            not self.src_needed and not self.tgt_needed and not self.missing and (self._in_order())
        )

    def _in_order(self) -> bool:
        order = [j for _, targets in emission(self.links) for j in targets]
        return order == sorted(order)


def emission(links: list[Link]) -> list[tuple[Link, tuple[int, ...]]]:
    """Each link with the target sections written at its place. A link whose target sections
    are not neighbours (a section inserted into a split one) takes the target-only sections
    between them along, so that the target page keeps its order."""
    lone = {lk.target[0] for lk in links if not lk.source and len(lk.target) == 1}
    out, taken = [], set()
    for lk in links:
        targets = lk.target
        if len(targets) > 1 and set(range(targets[0], targets[-1] + 1)) - set(targets) <= lone:
            taken |= set(range(targets[0], targets[-1] + 1)) - set(targets)
            targets = tuple(range(targets[0], targets[-1] + 1))
        out.append((lk, targets))
    return [(lk, t) for lk, t in out if not (lk.target and not lk.source and t[0] in taken)]


def plan(
    src: Document,
    tgt: Document,
    glossary: Glossary | None,
    source: str,
    target: str,
    *,
    retranslate: bool = False,
    redo: frozenset[int] = frozenset(),
) -> MergePlan:
    """Align and decide what to translate. ``redo``: source sections whose machine
    translation is stale (their source changed): translated again, replacing the target's."""
    with matching_once(glossary):  # aligning and finding untranslated text read the same texts
        return _plan(src, tgt, glossary, source, target, retranslate, redo)


def _plan(
    src: Document,
    tgt: Document,
    glossary: Glossary | None,
    source: str,
    target: str,
    retranslate: bool,
    redo: frozenset[int],
) -> MergePlan:
    links = align(src, tgt, glossary, source_lang=source, target_lang=target)
    # a stale machine section is translated again: its old target text is not emitted
    links = [
        Link(lk.source, (), 0.0, ["stale machine translation"])
        if lk.source and lk.target and set(lk.source) <= redo
        else lk
        for lk in links
    ]
    p = MergePlan(src, tgt, links)
    p.refused = unrelated(src, tgt, links)
    if p.refused:
        p.refused += "; not merged"
        return p
    for lk in links:
        if lk.source and not lk.target:
            p.missing.extend(lk.source)
        elif lk.target and not lk.source:
            for j in lk.target:
                s = tgt.sections[j]
                p.reports.append(
                    f"line {s.line}: target section {s.heading!r} has no source counterpart; kept"
                )
        elif len(lk.source) != len(lk.target):
            heads = [src.sections[i].heading for i in lk.source]
            p.reports.append(
                f"source sections {heads} correspond to "
                f"{len(lk.target)} target section(s); kept as written"
            )
    missing = set(p.missing)
    p.src_needed = [
        i
        for s in src.sections
        if s.index in missing
        for i in s.segments
        if not src.segments[i].in_front_matter
    ]
    if retranslate:
        # opt-in: what `vien check` reports as untranslated (text in the source language,
        # headings copied unchanged from the source), never text that reads as the target
        # language already
        p.tgt_needed = [
            seg.index
            for seg, _ in untranslated_segments(tgt, target, glossary, src)
            if detect(seg, glossary) != target
        ]
    return p


def build(
    p: MergePlan, src_tr: dict[int, str], tgt_tr: dict[int, str]
) -> tuple[str, list[tuple[str, int]]]:
    """The merged page text, and where each output section came from: ("src", i) or
    ("tgt", j)."""
    src, tgt = p.src, p.tgt
    eol = eol_of(tgt.text)
    sspans, tspans = src.section_spans(), tgt.section_spans()
    body = tgt.front_matter.end if tgt.front_matter else 0
    head = render_range(tgt, tgt_tr, 0, body)
    chunks: list[str] = []
    origins: list[tuple[str, int]] = []
    for lk, targets in emission(p.links):
        if targets:
            for j in targets:
                chunks.append(render_range(tgt, tgt_tr, *tspans[j]))
                origins.append(("tgt", j))
        else:
            for i in lk.source:
                text = render_range(src, src_tr, *sspans[i])
                if eol == "\r\n":
                    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
                chunks.append(text)
                origins.append(("src", i))
    out = head
    for k, chunk in enumerate(chunks):
        if k and chunk and out and origins[k][1] != 0:
            if not out.endswith(("\n", "\r")):
                out += eol  # a heading starts on its own line
            if not chunk.lstrip(" ").startswith("#") and not out.endswith(eol * 2):
                out += eol  # a setext heading needs the block before it closed
        out += chunk
    return out, origins


def segment_pairs(src: Document, tgt: Document, links: list[Link]) -> list[tuple[int, int]]:
    """Segment pairs inside 1-1 section links whose blocks line up (same kinds in order),
    plus front matter values with the same key."""
    from difflib import SequenceMatcher

    pairs = []
    fm_src = {s.field: s.index for s in src.segments if s.in_front_matter}
    for s in tgt.segments:
        if s.in_front_matter and s.field in fm_src:
            pairs.append((fm_src[s.field], s.index))
    for lk in links:
        if len(lk.source) != 1 or len(lk.target) != 1:
            continue
        a, b = src.sections[lk.source[0]], tgt.sections[lk.target[0]]
        ablocks = [blk for blk in a.blocks if blk.segments and blk.kind != "front_matter"]
        bblocks = [blk for blk in b.blocks if blk.segments and blk.kind != "front_matter"]
        matcher = SequenceMatcher(
            a=[x.kind for x in ablocks], b=[x.kind for x in bblocks], autojunk=False
        )
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                sa, sb = ablocks[block.a + k].segments, bblocks[block.b + k].segments
                if len(sa) == len(sb):
                    pairs.extend(zip(sa, sb, strict=True))
    return pairs
