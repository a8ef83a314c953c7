"""Refuse output that is not equivalent to its source (in the spirit of mdformat).

A rendered page is re-parsed and compared with the original: same skeleton (every byte
outside translatable segments), same sections and heading levels, same block structure, the
same protected spans in each segment, and the same non-translatable front matter values.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import InvariantError, PageError
from .front_matter import is_translatable_key
from .model import Document
from .parse import DEFAULT_OPTIONS, ParseOptions, parse

#: Protected kinds machine translation may add or drop: soft breaks and backslash escapes.
REFLOW = frozenset({"break", "escape"})


_KEPT_ID = re.compile(r"\s*\{#[^\s{}]+\}\s*")


def _same_spans(a: list[tuple[str, str]], b: list[tuple[str, str]], ordered: bool) -> bool:
    """Same protected spans: in order, or (machine translation) as a multiset, ignoring the
    soft breaks and escapes MT may reflow or add. A heading ``{#id}`` added at the end of a
    segment that had no attribute is allowed: it keeps the source heading's ID."""
    if b and b[-1][0] == "attr" and _KEPT_ID.fullmatch(b[-1][1]) and all(k != "attr" for k, _ in a):
        b = b[:-1]
    if ordered:
        return a == b
    return Counter(p for p in a if p[0] not in REFLOW) == Counter(
        p for p in b if p[0] not in REFLOW
    )


def problems(
    original: Document,
    rendered: str,
    options: ParseOptions = DEFAULT_OPTIONS,
    *,
    ordered: bool = False,
) -> list[str]:
    """What makes ``rendered`` not equivalent to ``original``; empty when it is.

    ``ordered`` also requires protected spans to keep their order inside each segment (true
    for pseudo-localization). Without it (machine translation), spans may be reordered, soft
    line breaks may reflow and backslash escapes may be added to keep MT text inert.
    """
    try:
        new = parse(rendered, options, bom=original.bom)
    except PageError as exc:
        return [f"the output does not parse: {exc}"]
    out: list[str] = []
    old_h = [(s.level, s.line) for s in original.sections]
    new_h = [(s.level, s.line) for s in new.sections]
    if [h[0] for h in old_h] != [h[0] for h in new_h]:
        out.append(
            f"headings changed: {len(old_h) - 1} headings (levels "
            f"{[h[0] for h in old_h[1:]]}) became {len(new_h) - 1} "
            f"(levels {[h[0] for h in new_h[1:]]})"
        )
    old_b = [b.signature for b in original.blocks()]
    new_b = [b.signature for b in new.blocks()]
    if old_b != new_b:
        at = next(
            (i for i, (a, b) in enumerate(zip(old_b, new_b, strict=False)) if a != b),
            min(len(old_b), len(new_b)),
        )
        blocks = original.blocks()
        where = f"line {blocks[at].line}" if at < len(blocks) else "the end"
        out.append(f"block structure changed at {where}: {len(old_b)} blocks became {len(new_b)}")
    if len(original.segments) != len(new.segments):
        out.append(f"{len(original.segments)} segments became {len(new.segments)}")
    else:
        for a, b in zip(original.segments, new.segments, strict=True):
            pa = [(p.kind, p.text) for p in a.protected]
            pb = [(p.kind, p.text) for p in b.protected]
            if not _same_spans(pa, pb, ordered):
                pa = [p for p in pa if ordered or p[0] not in REFLOW]
                pb = [p for p in pb if ordered or p[0] not in REFLOW]
                missing = Counter(pa) - Counter(pb)
                extra = Counter(pb) - Counter(pa)
                detail = (
                    "order changed"
                    if not (missing or extra)
                    else (f"missing {sorted(missing)[:3]}, unexpected {sorted(extra)[:3]}")
                )
                out.append(f"line {a.line}: protected spans changed ({detail})")
    if original.skeleton() != new.skeleton() and len(original.segments) == len(new.segments):
        old_s, new_s = original.skeleton(), new.skeleton()
        i = next(i for i, (a, b) in enumerate(zip(old_s, new_s, strict=True)) if a != b)
        line = original.segments[i].line if i < len(original.segments) else "end"
        out.append(
            f"text outside translatable segments changed near line {line}: "
            f"{old_s[i][:40]!r} became {new_s[i][:40]!r}"
        )
    fm_a, fm_b = original.front_matter, new.front_matter
    if (fm_a is None) != (fm_b is None) or (fm_a and fm_b and fm_a.format != fm_b.format):
        out.append("front matter presence or format changed")
    elif fm_a and fm_b:
        keys = options.front_matter_keys
        kept_a = {k: v for k, v in fm_a.data.items() if not is_translatable_key(k, keys)}
        kept_b = {k: v for k, v in fm_b.data.items() if not is_translatable_key(k, keys)}
        if kept_a != kept_b:
            changed = sorted(
                k for k in kept_a.keys() | kept_b.keys() if kept_a.get(k) != kept_b.get(k)
            )
            out.append(f"non-translatable front matter changed: {changed}")
        if set(fm_a.data) != set(fm_b.data):
            out.append("front matter keys changed")
    return out


def ensure_equivalent(
    original: Document,
    rendered: str,
    options: ParseOptions = DEFAULT_OPTIONS,
    *,
    ordered: bool = False,
    path: Path | str | None = None,
) -> None:
    """Raise :class:`InvariantError` when ``rendered`` is not equivalent to ``original``."""
    found = problems(original, rendered, options, ordered=ordered)
    if found:
        raise InvariantError(found, path)


def _section_view(
    doc: Document, index: int, span: tuple[int, int]
) -> tuple[list[tuple[object, ...]], list[list[tuple[str, str]]], list[str]]:
    """Block signatures, protected parts per segment and skeleton of one section."""
    section = doc.sections[index]
    segs = [doc.segments[i] for i in section.segments if not doc.segments[i].in_front_matter]
    blocks = [b.signature for b in section.blocks if b.kind != "front_matter"]
    parts = [[(p.kind, p.text) for p in s.protected] for s in segs]
    skeleton, pos = [], span[0]
    for s in segs:
        skeleton.append(doc.text[pos : s.start])
        pos = s.end
    skeleton.append(doc.text[pos : span[1]])
    return blocks, parts, skeleton


def merged_problems(
    output: str, origins: list[tuple[Document, int]], *, ordered: bool = False, bom: bool = False
) -> list[str]:
    """Problems of a merged page: each of its sections must be equivalent to the section it
    came from (same blocks, protected spans and skeleton; only segment text may differ)."""

    try:
        new = parse(output, bom=bom)
    except PageError as exc:
        return [f"the output does not parse: {exc}"]
    if len(new.sections) != len(origins):
        return [
            f"the merged page would have {len(new.sections)} sections instead of the "
            f"{len(origins)} put together (a heading would join or split a neighbour)"
        ]
    out: list[str] = []
    new_spans = new.section_spans()
    for k, (doc, index) in enumerate(origins):
        if k == 0 and index != 0:
            continue  # a page that starts with a heading has an empty section 0
        a_blocks, a_parts, a_skel = _section_view(doc, index, doc.section_spans()[index])
        b_blocks, b_parts, b_skel = _section_view(new, k, new_spans[k])
        where = f"section {new.sections[k].heading or '0'!r} (line {new.sections[k].line})"
        if a_blocks != b_blocks:
            out.append(f"{where}: block structure changed")
        elif len(a_parts) != len(b_parts):
            out.append(f"{where}: {len(a_parts)} segments became {len(b_parts)}")
        else:
            for pa, pb in zip(a_parts, b_parts, strict=True):
                if not _same_spans(pa, pb, ordered):
                    out.append(f"{where}: protected spans changed")
                    break
            a_inner, b_inner = a_skel[1:-1], b_skel[1:-1]
            if (
                a_inner != b_inner
                or a_skel[0].strip() != b_skel[0].strip()
                or a_skel[-1].strip() != b_skel[-1].strip()
            ):
                out.append(f"{where}: text outside translatable segments changed")
    return out
