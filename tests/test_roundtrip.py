"""Every real page round-trips byte for byte, and pseudo translation changes only text."""

from __future__ import annotations

import pytest
from conftest import corpus, corpus_id, load
from vien.mt import get_engine
from vien.page.parse import DEFAULT_FRONT_MATTER_KEYS, parse
from vien.page.render import render_bytes

FILES = corpus()


def _decode(data: bytes) -> tuple[str, bool]:
    bom = data.startswith(b"\xef\xbb\xbf")
    return data[3 if bom else 0 :].decode("utf-8"), bom


def test_corpus_is_complete() -> None:
    """The shared sites (134 pages + 1 empty index), the 5 seeds and the sample site."""
    names = [corpus_id(f) for f in FILES]
    assert sum(n.startswith("sites/") for n in names) == 145
    assert sum(n.startswith("seeds/") for n in names) == 5
    assert sum(n.startswith("data/") for n in names) >= 14


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_identity_round_trip_is_byte_identical(path: str) -> None:
    data = load(path)
    text, bom = _decode(data)
    doc = parse(text, bom=bom)
    identity = get_engine("identity").translate(doc.segments, "en", "vi")
    assert render_bytes(doc, dict(enumerate(identity))) == data
    assert render_bytes(doc, {}) == data


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_pseudo_changes_only_translatable_text(path: str) -> None:
    data = load(path)
    text, bom = _decode(data)
    doc = parse(text, bom=bom)
    pseudo = get_engine("pseudo").translate(doc.segments, "en", "vi")
    out = render_bytes(doc, dict(enumerate(pseudo)))
    new_text, new_bom = _decode(out)
    new = parse(new_text, bom=new_bom)

    assert new_bom == bom
    # the output parses to the same block structure, with the same headings
    assert [s.level for s in new.sections] == [s.level for s in doc.sections]
    assert [b.signature for b in new.blocks()] == [b.signature for b in doc.blocks()]
    # every protected span is byte-identical, segment by segment and in order
    assert len(new.segments) == len(doc.segments)
    for a, b in zip(doc.segments, new.segments, strict=True):
        assert [(p.kind, p.text) for p in b.protected] == [(p.kind, p.text) for p in a.protected]
    # and everything outside the segments too
    assert new.skeleton() == doc.skeleton()
    # non-translatable front matter values are untouched
    if doc.front_matter:
        keep = {
            k: v for k, v in doc.front_matter.data.items() if k not in DEFAULT_FRONT_MATTER_KEYS
        }
        assert new.front_matter is not None
        assert {k: new.front_matter.data[k] for k in keep} == keep
    # and the translatable text really changed
    for seg, translated in zip(doc.segments, pseudo, strict=True):
        if any(c.isascii() and c.isalpha() for c in seg.plain):
            assert translated != seg.text


def test_corpus_has_no_unmapped_blocks() -> None:
    """Every inline run of every real page was located exactly (none kept verbatim)."""
    unmapped = {}
    for path in FILES:
        text, bom = _decode(load(path))
        warnings = [w for w in parse(text, bom=bom).warnings if "could not map" in w]
        if warnings:
            unmapped[corpus_id(path)] = warnings
    assert unmapped == {}
