"""The bounded search of the section aligner (the fast path for pages with the same heading
levels, the band around the diagonal otherwise) finds the same links as the search over
every pair of sections, on the shared sites' page pairs and on perturbed copies of them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import require_shared
from vien.align import sections
from vien.align.sections import align
from vien.glossary.entries import load as load_glossary
from vien.page.model import Document
from vien.page.parse import parse
from vien.page.read import read_document
from vien.site.discover import discover

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import bench_align as ba


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(None)


def shared_pairs() -> list[tuple[Path, Path]]:
    shared = require_shared()
    out = []
    for site in ("aws-budget", "dms-migration"):
        found = discover(shared / "sites" / site)
        out += [(s.path, t.path) for s, t in found.pairs("en", "vi") if t is not None]
    return out


def test_bounded_search_equals_full_search_on_shared_pairs(glossary) -> None:
    pairs = shared_pairs()
    assert len(pairs) >= 70
    for en, vi in pairs:
        src, tgt = read_document(en), read_document(vi)
        with glossary.memo():
            bounded = align(src, tgt, glossary)
            full = align(src, tgt, glossary, exhaustive=True)
        assert bounded == full, en


def test_bounded_search_equals_full_search_on_perturbed_pairs(glossary) -> None:
    pairs, _, foreign = ba.load_pairs(require_shared())
    cases, _ = ba.make_cases(pairs, foreign, seed=1, per_op=6)
    assert len(cases) >= 25
    for case in cases:
        with glossary.memo():
            bounded = align(case.pair.en, case.tgt, glossary)
            full = align(case.pair.en, case.tgt, glossary, exhaustive=True)
        assert bounded == full, (case.pair.name, case.steps)


def page(headings: list[str], body: str) -> str:
    return "Intro.\n\n" + "".join(f"## {h}\n\n{body} {h}.\n\n" for h in headings)


def _shifted(body: str) -> tuple[Document, Document]:
    """Twelve source sections; the target lacks the first five and adds five of its own at
    the end, each section's text ``body``."""
    names = [f"Part{k} Config{k}" for k in range(12)]
    extra = [f"Extra{k} Other{k}" for k in range(5)]
    return parse(page(names, "See `tool`")), parse(page(names[5:] + extra, body))


def _record_searches(monkeypatch) -> list[tuple[float, tuple[int, int] | None]]:
    """(length ratio, band) of every alignment search from now on (``_search`` wrapped)."""
    runs: list[tuple[float, tuple[int, int] | None]] = []
    search = sections._search

    def recorded(scorer, band=None):
        runs.append((scorer.ratio, band))
        return search(scorer, band)

    monkeypatch.setattr(sections, "_search", recorded)
    return runs


def test_band_widens_when_the_best_path_reaches_its_edge(monkeypatch) -> None:
    """The target lacks the source's first five sections and adds five of its own at the
    end: the same heading levels, so the search starts on the fast path (a band of one
    around the diagonal), whose best path runs along the band's edge; the band is widened
    until the path keeps off it, and the links are those of the full search."""
    src, tgt = _shifted("Xem `tool` và `other`")
    runs = _record_searches(monkeypatch)
    bounded = align(src, tgt)
    bands = [b for _, b in runs]
    assert bands[0] == (-1, 1) and len(bands) > 1 and bands[1] != bands[0]
    monkeypatch.undo()
    assert bounded == align(src, tgt, exhaustive=True)
    assert [lk.target for lk in bounded if lk.source and lk.source[0] >= 6] == [
        (j,) for j in range(1, 8)
    ]


def test_search_after_the_ratio_estimate_starts_from_the_band_needed(monkeypatch) -> None:
    """The target lacks five sections and adds five, in longer sentences: the first search
    widens its band until the best path keeps off its edges, and the search again after the
    length ratio is estimated from its links starts from that band, not from the narrowest;
    the links are still those of the full search."""
    src, tgt = _shifted("Xem `tool` và `other` cùng với nhiều chữ hơn nữa ở đây")
    runs = _record_searches(monkeypatch)
    bounded = align(src, tgt)
    monkeypatch.undo()
    ratios = list(dict.fromkeys(r for r, _ in runs))
    assert len(ratios) == 2 and runs[0][1] == (-1, 1)
    first = [b for r, b in runs if r == ratios[0]]
    again = [b for r, b in runs if r == ratios[1]]
    assert len(first) > 1 and again[0] == first[-1]
    assert bounded == align(src, tgt, exhaustive=True)


def test_wider_band_keeps_the_moves_it_had(monkeypatch) -> None:
    """A scorer searched in a band and then in a wider one finds what a fresh scorer finds in
    the wider band, and computes again only the moves of cells near the first band's edges."""
    names = [f"Step{k} Item{k}" for k in range(20)]
    src = parse(page(names, "Run `cmd`"))
    tgt = parse(page(names[:3] + names[6:] + ["Other"], "Chạy `cmd`"))
    sp = [sections._section_profile(src, s, None, "en") for s in src.sections]
    tp = [sections._section_profile(tgt, s, None, "vi") for s in tgt.sections]
    made = []
    moves = sections._moves

    def counted(scorer, i, j, lo, hi):
        made.append((i, j))
        return moves(scorer, i, j, lo, hi)

    monkeypatch.setattr(sections, "_moves", counted)
    scorer = sections._Scorer(sp, tp, 1.0)
    sections._search(scorer, (-9, 6))
    narrow = set(made)
    made.clear()
    wide = sections._search(scorer, (-18, 12))
    # a move takes at most SUBTREE - 1 sections more on one side than on the other
    edge = {(i, j) for i, j in narrow if not -9 + 5 <= j - i <= 6 - 5}
    assert narrow - edge and set(made) & narrow <= edge
    assert wide == sections._search(sections._Scorer(sp, tp, 1.0), (-6, 4))
    assert sections._search(scorer, (-9, 6)) == sections._search(
        sections._Scorer(sp, tp, 1.0), (-9, 6)
    )


def test_search_band_is_respected() -> None:
    """Within a band, every cell of the path keeps its offset j - i inside it."""
    names = [f"Step{k} Item{k}" for k in range(8)]
    src = parse(page(names, "Run `cmd`"))
    tgt = parse(page(names[:3] + names[5:], "Chạy `cmd`"))
    sp = [sections._section_profile(src, s, None, "en") for s in src.sections]
    tp = [sections._section_profile(tgt, s, None, "vi") for s in tgt.sections]
    scorer = sections._Scorer(sp, tp, 1.0)
    for lo, hi in ((-3, 0), (-4, 1), (-9, 7)):
        i = j = 0
        for s, t in sections._search(scorer, (lo, hi)):
            i, j = i + len(s), j + len(t)
            assert lo <= j - i <= hi
    assert sections._search(scorer, (-9, 7)) == sections._search(scorer)


def test_sequence_ratio_is_difflibs() -> None:
    """The block-kind sequence similarity equals SequenceMatcher's ratio exactly, on
    sequences of few kinds (many repeats: ties between equally long blocks) and of many."""
    import random
    from difflib import SequenceMatcher

    rng = random.Random(16)
    kinds = ["paragraph", "list_item", "code:bash", "image", "table", "shortcode:notice"]
    for _ in range(3000):
        k = rng.randint(1, len(kinds))
        a = tuple(rng.choice(kinds[:k]) for _ in range(rng.randint(0, 25)))
        b = tuple(rng.choice(kinds[:k]) for _ in range(rng.randint(0, 25)))
        want = SequenceMatcher(None, a, b, autojunk=False).ratio()
        assert sections.sequence_ratio(a, b) == want, (a, b)
