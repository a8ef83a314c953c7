"""``vien check`` finds untranslated text: segment-level precision and recall on the labelled
set (tests/check_set.py + tests/data/check_labels.json), issue #5."""

from __future__ import annotations

import check_set
import pytest
from conftest import require_shared
from vien.glossary.entries import load as load_glossary

#: The issue's floor is 0.98 for both; the detector reaches precision 1.000 and recall 0.993
#: (2 false negatives: "MySQL syntax:" and the step title "Configure Additional Settings").
#: Its rules were written on this same set: bench/bench_check.py --heldout DIR scores it
#: on pages it was not developed on.
PRECISION = 0.98
RECALL = 0.99
Unit = tuple[str, int]


#: Level error (#15) is for prose: precision over every error finding, recall over the
#: positives that are running text (headings, titles and link texts are warnings by design).
#: Measured: precision 1.000, recall 0.991 (2 of 232 missed: "MySQL syntax:" and "Configure
#: Additional Settings", not found at all). The issue asks 0.98 and 0.99.
ERROR_PRECISION = 0.98
ERROR_RECALL = 0.99


@pytest.fixture(scope="module")
def scored(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[check_set.LabelledSet, dict[Unit, check_set.Label], dict[Unit, tuple[int, str]]]:
    """The set, its labels by unit, and the untranslated findings of ``check`` by unit
    (unit -> (reported line, level))."""
    shared = require_shared()
    glossary = load_glossary(None)
    labelled = check_set.materialise(
        tmp_path_factory.mktemp("check-set") / "set", shared, glossary=glossary
    )
    labels, problems = check_set.labels(labelled)
    assert not problems, "labels that name no segment:\n" + "\n".join(problems)
    found = check_set.checked_levels(labelled, glossary)
    return labelled, labels, found


def test_precision_and_recall(
    scored: tuple[check_set.LabelledSet, dict[Unit, check_set.Label], dict[Unit, tuple[int, str]]],
) -> None:
    labelled, labels, found = scored
    positive = {u for u, lab in labels.items() if lab.label == "untranslated"}
    predicted = set(found)
    tp = len(positive & predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(positive)
    if precision < PRECISION or recall < RECALL:  # the details read every page again
        details = check_set.describe(predicted, positive, check_set.units(labelled), labels)
        pytest.fail(
            f"precision {precision:.3f}, recall {recall:.3f} ({tp} of "
            f"{len(positive)} untranslated found, {len(predicted - positive)} false "
            "positives)\n" + "\n".join(details)
        )


def test_precision_and_recall_at_level_error(
    scored: tuple[check_set.LabelledSet, dict[Unit, check_set.Label], dict[Unit, tuple[int, str]]],
) -> None:
    """#15: what fails CI by default is right, and prose in the wrong language fails it."""
    labelled, labels, found = scored
    positive = {u for u, lab in labels.items() if lab.label == "untranslated"}
    prose = {u for u in positive if check_set.prose(labelled, u)}
    errors = {u for u, (_, level) in found.items() if level == "error"}
    precision = len(errors & positive) / len(errors)
    recall = len(errors & prose) / len(prose)
    assert precision >= ERROR_PRECISION and recall >= ERROR_RECALL, (
        f"precision {precision:.3f}, recall {recall:.3f} at level error\n"
        + "\n".join(check_set.describe(errors, prose, check_set.units(labelled), labels))
    )
    assert all(
        level == "error"
        for u, (_, level) in found.items()
        if u in prose and u[0].startswith("seeds/001_")
    )


def test_every_injection_kind_is_in_the_set(
    scored: tuple[check_set.LabelledSet, dict[Unit, check_set.Label], dict[Unit, tuple[int, str]]],
) -> None:
    _, labels, _ = scored
    kinds = {lab.kind for lab in labels.values() if lab.label == "untranslated"}
    assert set(check_set.KINDS) | {"real"} <= kinds


def test_seed_001_vietnamese_segments_located(
    scored: tuple[check_set.LabelledSet, dict[Unit, check_set.Label], dict[Unit, tuple[int, str]]],
) -> None:
    """Seed 001 is an English page with Vietnamese bullets: each is reported at its line."""
    labelled, labels, found = scored
    every = check_set.units(labelled)
    wanted = {
        u: lab
        for u, lab in labels.items()
        if u[0].startswith("seeds/001_") and lab.label == "untranslated"
    }
    assert len(wanted) >= 40
    wrong = [
        f"  {u[0]}:{every[u][1].line} reported at {found.get(u, (None,))[0]} "
        f"{check_set.short(every[u][1].plain)!r}"
        for u in sorted(wanted)
        if found.get(u, (0, ""))[0] != every[u][1].line
    ]
    assert not wrong, "Vietnamese segments of seed 001 not located:\n" + "\n".join(wrong)
