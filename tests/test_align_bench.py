"""The section-alignment benchmark in small: its ground truth on hand-made pages, and vien's
aligner against the baselines on a fixed subset of the real perturbed pairs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import require_shared
from vien.page.parse import parse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import bench_align as ba

EN = """---
title: "Tiny"
---

Intro text.

## One

First part of one.

Second part of one.

## Two

Body of two.

## Three

Body of three.
"""

VI = """---
title: "Nhỏ"
---

Đoạn mở đầu.

## Một

Phần đầu của một.

Phần sau của một.

## Hai

Nội dung của hai.

## Ba

Nội dung của ba.
"""

FOREIGN = ba.Foreign("other", "Khác", 2, "## Khác\n\nNội dung lạ.\n\n")


def draft(vi: str = VI) -> ba.Draft:
    return ba.Draft.of(vi, parse(vi))


def perturbed(d: ba.Draft) -> tuple[str, set[ba.LinkKey]]:
    doc = ba.check(d)
    assert doc is not None, d.text()
    return d.text(), set(d.gold())


def test_unperturbed_is_identity() -> None:
    d = draft()
    assert d.text() == VI
    assert perturbed(d)[1] == {((i,), (i,)) for i in range(4)}


def test_drop() -> None:
    d = draft()
    d.drop(2)
    text, gold = perturbed(d)
    assert "## Hai" not in text and "Nội dung của hai" not in text
    assert gold == {((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))}


def test_insert() -> None:
    d = draft()
    d.insert(2, FOREIGN)
    text, gold = perturbed(d)
    assert text.index("## Một") < text.index("## Khác") < text.index("## Hai")
    assert gold == {((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,)), ((3,), (4,))}


def test_insert_at_end_of_page_without_final_newline() -> None:
    d = draft(VI.rstrip("\n"))
    d.insert(4, FOREIGN)
    text, gold = perturbed(d)
    assert "Nội dung của ba.\n## Khác" in text
    assert gold == {((i,), (i,)) for i in range(4)} | {((), (4,))}


def test_merge() -> None:
    d = draft()
    d.merge(1)
    text, gold = perturbed(d)
    assert "## Hai" not in text and "Nội dung của hai" in text
    assert gold == {((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))}


def test_split() -> None:
    d = draft()
    d.split(1, "Các bước tiếp theo")
    text, gold = perturbed(d)
    assert "của một.\n\n## Các bước tiếp theo\n\nPhần sau" in text
    assert gold == {((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))}


def test_split_needs_a_paragraph_boundary() -> None:
    d = draft()
    assert d.positions("split") == [1]  # "Hai" and "Ba" have a single paragraph


def test_swap() -> None:
    d = draft()
    d.swap(2)
    text, gold = perturbed(d)
    assert text.index("## Ba") < text.index("## Hai")
    assert gold == {((0,), (0,)), ((1,), (1,)), ((2,), (3,)), ((3,), (2,))}


def test_two_operations_with_crlf() -> None:
    d = draft(VI.replace("\n", "\r\n"))
    d.split(1, "Lưu ý")
    d.drop(4)  # "Ba", now the fifth section
    text, gold = perturbed(d)
    assert "\n" not in text.replace("\r\n", "")
    assert "\r\n\r\n## Lưu ý\r\n\r\nPhần sau" in text
    assert gold == {((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), ())}
    assert d.positions("swap") == []  # every section after 0 is touched


def test_strict_scoring() -> None:
    t = ba.Tally()
    gold = {((0,), (0,)), ((1, 2), (1,)), ((3,), ())}
    t.add({((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())}, gold)
    assert (t.tp, t.pred, t.gold) == (2, 4, 3)
    assert (t.tp_ne, t.pred_ne, t.gold_ne) == (1, 2, 2)
    assert ba.contract_problem({((0,), (0,)), ((1,), (1,))}, 3, 2) is not None


def test_baselines_on_tiny_pages() -> None:
    src, tgt = parse(EN), parse(VI)
    assert ba.position(src, tgt) == {((i,), (i,)) for i in range(4)}
    assert ba.gale_church(1.0, 6.0)(src, tgt) == {((i,), (i,)) for i in range(4)}


@pytest.fixture(scope="module")
def subset() -> tuple[list[ba.Case], list[ba.PagePair], tuple[float, float]]:
    shared = require_shared()
    pairs, total, foreign = ba.load_pairs(shared)
    assert len(pairs) >= 50 and total >= len(pairs)
    cases, _ = ba.make_cases(pairs, foreign, seed=0, per_op=8)
    return cases, pairs, ba.gc_parameters(pairs)


def test_generator_subset(subset) -> None:
    cases, _, _ = subset
    assert len(cases) == 40
    for op in ba.OPS:
        assert sum(c.ops[0] == op for c in cases) == 8
    for case in cases:  # every section of both pages in exactly one gold link
        gold = set(case.gold)
        assert ba.contract_problem(gold, len(case.pair.en.sections), len(case.tgt.sections)) is None


def test_vien_beats_baselines(subset) -> None:
    cases, _, (c, s2) = subset
    f1 = {}
    for name, aligner in [
        ("vien", ba.vien_aligner()),
        ("position", ba.position),
        ("gale-church", ba.gale_church(c, s2)),
    ]:
        run = ba.run_aligner(aligner, cases)
        assert run.broken == 0, name
        f1[name] = ba.tally(cases, run.preds).prf()[2]
    # the aim, on pairs whose gold holds (1.000 on this subset today; 0.988-0.992 on
    # the full benchmark with seeds 0 to 3)
    assert f1["vien"] >= 0.98, f1
    assert f1["vien"] > max(f1["position"], f1["gale-church"]), f1


def test_vien_on_the_page_whose_gold_is_wrong() -> None:
    """aws-budget's 0-Createtemplate has the same heading levels but not the same content
    (its images say so): kept, the gold §i ↔ §i is partly wrong, and vien's F1 is lower."""
    shared = require_shared()
    excluded: list[str] = []
    pairs, _, foreign = ba.load_pairs(shared, excluded=excluded)
    assert [e.split(":")[0] for e in excluded] == ["aws-budget/0-Createtemplate/_index"]
    pairs, _, foreign = ba.load_pairs(shared, keep_mismatched=True)
    cases, _ = ba.make_cases(pairs, foreign, seed=0, per_op=8)
    run = ba.run_aligner(ba.vien_aligner(), cases)
    # a regression guard just below today's 0.949 (0.967-0.978 on the full benchmark)
    assert ba.tally(cases, run.preds).prf()[2] >= 0.94
