"""Merge a source page into its existing counterpart.

Aligned human sections are kept byte for byte and in their order; source sections certainly
absent from the counterpart (:mod:`vien.align.absence`) are translated and inserted where their
source neighbours put them; one whose content may be there is reported as an uncertain missing
section, not inserted. With ``retranslate`` (opt-in), segments of the counterpart still written
in the source language are retranslated in place. Target sections with no source counterpart
are kept and reported. A counterpart that is another page (same headings but unrelated
content, or hardly a section in common) is not merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..align.absence import Absence, absences
from ..align.sections import Link, align, unrelated
from ..align.site import SiteEvidence, copied
from ..check.langid import detect
from ..check.untranslated import untranslated
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
    missing: list[int] = field(default_factory=list)  # source sections to insert
    #: source sections whose stale machine translation they replace: source -> old targets
    replaced: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: source sections with no counterpart whose content may be there: not inserted
    uncertain: list[Absence] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    refused: str | None = None

    @property
    def unchanged(self) -> bool:
        return not self.src_needed and not self.tgt_needed and not self.missing

    def places(self) -> dict[int, int]:
        """Where each inserted source section goes: before target section ``j`` (``j`` = the
        number of target sections: at the end). A replaced section takes its old place; a
        missing one goes right after the last target of the source sections before it, or
        at the end when no source section after it is aligned. Target sections never
        move."""
        target_of = {i: lk.target for lk in self.links if lk.target for i in lk.source}
        n, m = len(self.src.sections), len(self.tgt.sections)
        out = {}
        for i in self.missing:
            if i in self.replaced:
                out[i] = min(self.replaced[i])
                continue
            prev = max((max(target_of[k]) for k in range(i) if k in target_of), default=-1)
            nxt = next((min(target_of[k]) for k in range(i + 1, n) if k in target_of), None)
            # target sections with no source stay with the aligned section after them (as
            # align orders them); at the end of the page, with the one before them
            out[i] = m if nxt is None else min(prev + 1, m)
        return out


def plan(
    src: Document,
    tgt: Document,
    glossary: Glossary | None,
    source: str,
    target: str,
    *,
    retranslate: bool = False,
    redo: frozenset[int] = frozenset(),
    site: SiteEvidence | None = None,
) -> MergePlan:
    """Align and decide what to translate. ``redo``: source sections whose machine
    translation is stale (their source changed): translated again, replacing the target's.
    ``site``: how the site's other page pairs pair their sections."""
    with matching_once(glossary):  # aligning and finding untranslated text read the same texts
        return _plan(src, tgt, glossary, source, target, retranslate, redo, site)


def _plan(
    src: Document,
    tgt: Document,
    glossary: Glossary | None,
    source: str,
    target: str,
    retranslate: bool,
    redo: frozenset[int],
    site: SiteEvidence | None = None,
) -> MergePlan:
    aligned = align(src, tgt, glossary, source_lang=source, target_lang=target, site=site)
    refused = unrelated(src, tgt, aligned)
    if site is not None and not refused:
        aligned = _uncopied(site, src, tgt, aligned)
    # a stale machine section is translated again, in place of its old target text
    links = [
        Link(lk.source, (), 0.0, ["stale machine translation"])
        if lk.source and lk.target and set(lk.source) <= redo
        else lk
        for lk in aligned
    ]
    p = MergePlan(src, tgt, links)
    p.refused = refused
    if p.refused:
        p.refused += (
            "; not merged. If it translates another page, give the two pages the same "
            "translationKey; if it is a page of its own, move it to a path of its own"
        )
        return p
    for old, lk in zip(aligned, links, strict=True):
        if old.target and not lk.target:
            for i in lk.source:
                p.replaced[i] = old.target
    # a source section with no counterpart is inserted only when it is certainly absent
    found = {a.source: a for a in absences(src, tgt, aligned)}
    for lk in links:
        if lk.source and not lk.target:
            for i in lk.source:
                if i in p.replaced or found[i].certain:
                    p.missing.append(i)
                else:
                    p.uncertain.append(found[i])
                    s = src.sections[i]
                    p.reports.append(
                        f"uncertain missing section {s.heading or '(top)'!r} (source line "
                        f"{s.line}), not inserted: " + "; ".join(found[i].evidence)
                    )
        elif lk.target and not lk.source:
            for j in lk.target:
                s = tgt.sections[j]
                p.reports.append(
                    f"line {s.line}: target section {s.heading!r} has no source counterpart; kept"
                )
        elif len(lk.source) != len(lk.target):
            heads = ", ".join(repr(src.sections[i].heading) for i in lk.source)
            p.reports.append(
                f"source section(s) {heads} correspond to "
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
        # opt-in: what `vien check` reports as an untranslated *error* (prose in the source
        # language), never a title or label it only warns about (a site convention is at
        # most a warning), never text that reads as the target language already
        p.tgt_needed = [
            u.seg.index
            for u in untranslated(tgt, target, glossary, src)
            if u.level == "error" and detect(u.seg, glossary) != target
        ]
    return p


def build(
    p: MergePlan, src_tr: dict[int, str], tgt_tr: dict[int, str]
) -> tuple[str, list[tuple[str, int]]]:
    """The merged page text, and where each output section came from: ("src", i) or
    ("tgt", j). Target sections keep their order; inserted sections go where
    :meth:`MergePlan.places` says, each after a blank line."""
    src, tgt = p.src, p.tgt
    eol = eol_of(tgt.text)
    sspans, tspans = src.section_spans(), tgt.section_spans()
    body = tgt.front_matter.end if tgt.front_matter else 0
    head = render_range(tgt, tgt_tr, 0, body)
    dropped = {j for old in p.replaced.values() for j in old}
    inserts: dict[int, list[int]] = {}
    for i, j in sorted(p.places().items()):
        inserts.setdefault(j, []).append(i)
    origins: list[tuple[str, int]] = []
    for j in range(len(tgt.sections) + 1):
        origins.extend(("src", i) for i in inserts.get(j, []))
        if j < len(tgt.sections) and j not in dropped:
            origins.append(("tgt", j))
    out = head
    for k, (side, i) in enumerate(origins):
        if side == "tgt":
            chunk = render_range(tgt, tgt_tr, *tspans[i])
        else:
            chunk = render_range(src, src_tr, *sspans[i])
            if eol == "\r\n":
                chunk = chunk.replace("\r\n", "\n").replace("\n", "\r\n")
        if k and chunk and out and i != 0:
            if not out.endswith(("\n", "\r")):
                out += eol  # a heading starts on its own line (a page without final newline)
            inserted = side == "src" and not p.replaced.get(i)
            if not out.endswith(eol * 2) and (
                inserted or not chunk.lstrip(" ").startswith("#") or _open_html(p, origins[k - 1])
            ):
                # a blank line before an inserted section; a setext heading needs the block
                # before it closed, and an HTML block (`<img src=…>` lines) runs on to the
                # next blank line, heading included
                out += eol
        out += chunk
    return out, origins


def _open_html(p: MergePlan, origin: tuple[str, int]) -> bool:
    """Whether the section ``origin`` ends with an HTML block: a CommonMark HTML block (an
    ``<img>`` or ``<div>`` line) ends only at a blank line, so a heading put right after it
    would be read as part of it."""
    side, i = origin
    blocks = (p.src if side == "src" else p.tgt).sections[i].blocks
    return bool(blocks) and blocks[-1].kind == "html"


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


#: A link weaker than this to a section copied from another page is broken (see
#: :func:`_uncopied`).
COPIED = 0.5


def uncertain_links(links: list[Link]) -> bool:
    """Whether a page pair's links leave anything that site-wide evidence may decide: a
    section without counterpart, sections linked other than one to one, or a link weaker
    than ``COPIED``. A complete pair is merged without reading the site's other pairs."""
    return any(len(lk.source) != 1 or len(lk.target) != 1 or lk.confidence < COPIED for lk in links)


def _uncopied(site: SiteEvidence, src: Document, tgt: Document, links: list[Link]) -> list[Link]:
    """Break each weak one-to-one link (under ``COPIED``) whose target section is a copy of
    another page pair's target section that translates other source text
    (:func:`vien.align.site.copied`): that section is the other page's, and the source
    section is left without counterpart here."""
    out = []
    for lk in links:
        if (
            len(lk.source) == 1
            and len(lk.target) == 1
            and lk.source[0] > 0
            and lk.confidence < COPIED
            and copied(site, src, tgt, lk.source[0], lk.target[0])
        ):
            out.append(Link(lk.source, (), 1.0, ["its target is a copy of another page's section"]))
            out.append(Link((), lk.target, 1.0, ["a copy of another page's section"]))
        else:
            out.append(lk)
    return out
