"""``vien score``: sacrebleu scores against the site's own human sections (fast engines only)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA_SITE, require_shared
from vien import glossary
from vien.cli.main import main
from vien.mt import get_engine
from vien.page.model import Part, Segment
from vien.score import Metrics, Settings, plans, score, score_engine, translate
from vien.score.metrics import term_tally, wanted_terms
from vien.score.run import MemoryIndex, output_plain, segment_plain


@pytest.fixture(scope="module")
def budget() -> Path:
    return require_shared() / "sites" / "aws-budget"


@pytest.fixture(scope="module")
def terms() -> glossary.Glossary:
    return glossary.load()


@pytest.fixture(scope="module")
def budget_plans(budget: Path, terms: glossary.Glossary):  # type: ignore[no-untyped-def]
    todo, errors = plans(budget, terms, Settings())
    assert errors == []
    return todo


def test_both_directions_and_what_is_left_out(budget_plans) -> None:  # type: ignore[no-untyped-def]
    assert [(p.source_lang, p.target_lang) for p in budget_plans] == [("en", "vi"), ("vi", "en")]
    for p in budget_plans:
        assert len(p.items) >= 10
        assert all(it.confidence >= 0.5 and it.words >= 3 for it in p.items)
        assert sum(p.skipped.values()) > 0  # unaligned, unsure and short sections are counted
    en_vi, vi_en = budget_plans
    # the same human text is the reference one way and the source the other
    assert {it.reference for it in en_vi.items} & {it.source for it in vi_en.items}


def test_the_human_translation_scores_100(budget_plans, terms) -> None:  # type: ignore[no-untyped-def]
    for p in budget_plans:
        d = score(p, [it.reference for it in p.items], terms)
        assert d.site.bleu == pytest.approx(100)
        assert d.site.chrf == pytest.approx(100)
        assert d.site.ter == pytest.approx(0)
        assert all(s.scores.chrf == pytest.approx(100) for s in d.sections)
        assert all(pg.scores.bleu == pytest.approx(100) for pg in d.pages)
        # the human text judged as a translation: the same glossary figures as the reference
        assert d.terms.to_json() == d.reference_terms.to_json()


def test_shuffled_sections_score_lower(budget_plans) -> None:  # type: ignore[no-untyped-def]
    for p in budget_plans:
        refs = [it.reference for it in p.items]
        shuffled = refs[1:] + refs[:1]
        good, bad = score(p, refs), score(p, shuffled)
        assert bad.site.bleu < good.site.bleu / 2
        assert bad.site.chrf < good.site.chrf / 2
        assert bad.site.ter > good.site.ter


def test_site_bleu_equals_sacrebleus_command_line(budget: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "score",
            str(budget),
            "--engine",
            "pseudo",
            "--to",
            "vi",
            "--format=json",
            f"--dump={tmp_path}",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    d = data["engines"][0]["directions"][0]
    hyp, ref = tmp_path / "pseudo.en-vi.hyp", tmp_path / "en-vi.ref"
    assert len(hyp.read_text("utf-8").splitlines()) == d["sections_scored"]
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "sacrebleu",
            str(ref),
            f"--input={hyp}",
            "--format=json",
            "--width=4",
            "--metrics",
            "bleu",
            "chrf",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = {r["name"]: r for r in json.loads(cli.stdout)}
    assert d["bleu"] == pytest.approx(figures["BLEU"]["score"], abs=0.01)
    assert d["chrf"] == pytest.approx(figures["chrF2"]["score"], abs=0.01)
    assert data["signatures"]["bleu"] == figures["BLEU"]["signature"]
    assert data["signatures"]["chrf"] == figures["chrF2"]["signature"]


def test_identity_pseudo_and_tm(budget_plans, terms) -> None:  # type: ignore[no-untyped-def]
    m = Metrics()
    identity = score_engine("identity", get_engine("identity"), budget_plans, terms, m)
    pseudo = score_engine("pseudo", get_engine("pseudo", glossary=terms), budget_plans, terms, m)
    tm = score_engine("tm", None, budget_plans, terms, m)
    for a, b, c in zip(identity.directions, pseudo.directions, tm.directions, strict=True):
        assert 0 < b.site.chrf < a.site.chrf < 100  # accented letters lose even copied words
        # pseudo enforces the glossary: every keep term verbatim
        assert b.terms.to_json()["keep"]["share"] == 1.0
        assert c.coverage is not None and 0 <= c.coverage["share"] < 1
        assert c.coverage["covered_segments"] <= c.coverage["segments"]
        assert a.segments == sum(len(s.item.segments) for s in a.sections)


def test_tm_is_leave_one_page_out(budget_plans, terms) -> None:  # type: ignore[no-untyped-def]
    p = budget_plans[0]
    index = MemoryIndex(p.pages, terms, "en", "vi")
    tr = translate(p, None, index)
    for it, row in zip(p.items, tr.covered or [], strict=True):
        for seg, hit in zip(it.segments, row, strict=True):
            others = [k for k, _ in index.units.get(("en", seg.text), ()) if k != it.page]
            assert hit == bool(others)  # a unit of the page itself never answers
    # with the page's own units the memory would know far more
    own = sum(1 for it in p.items for seg in it.segments if index.units.get(("en", seg.text)))
    assert own > sum(sum(r) for r in tr.covered or [])


def test_plain_text_leaves_protected_spans_out() -> None:
    seg = Segment(
        0,
        0,
        0,
        1,
        0,
        0,
        (
            Part("text", "Run "),
            Part("code", "`aws s3 ls`"),
            Part("text", " now"),
            Part("escape", "\\*"),
            Part("markup", "**"),
            Part("text", "ok"),
            Part("markup", "**"),
        ),
    )
    assert segment_plain(seg) == "Run now* ok"
    assert output_plain(seg, "Chạy `aws s3 ls` ngay\\* **ok**") == "Chạy ngay* ok"


def test_glossary_accuracy_counts_occurrences(terms) -> None:  # type: ignore[no-untyped-def]
    want = wanted_terms(["Amazon S3 and Amazon S3 buckets"], terms, "en", "vi")
    t = term_tally(want, "Amazon S3 và các bucket")
    j = t.to_json()
    assert j["keep"]["occurrences"] >= 2
    assert 0 < j["keep"]["share"] < 1  # one of the two Amazon S3 is missing


def test_cli_text_and_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["score", str(DATA_SITE), "--engine", "identity", "--engine", "tm"])
    assert r.exit_code == 0, r.output
    assert "en → vi" in r.output and "vi → en" in r.output and "identity" in r.output
    r = runner.invoke(main, ["score", str(DATA_SITE), "--engine", "identity", "--to", "fr"])
    assert r.exit_code == 2
    r = runner.invoke(main, ["score", "--help"])
    assert r.exit_code == 0 and "Examples" in r.output


def test_json_schema_is_stable() -> None:
    r = CliRunner().invoke(
        main, ["score", str(DATA_SITE), "--engine", "pseudo", "--format", "json", "--to", "vi"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert set(data) == {
        "site",
        "languages",
        "page_pairs",
        "settings",
        "signatures",
        "engines",
        "errors",
        "seconds",
    }
    assert set(data["signatures"]) == {"bleu", "bleu_section", "chrf", "ter"}
    d = data["engines"][0]["directions"][0]
    assert set(d) >= {
        "source_lang",
        "target_lang",
        "model",
        "error",
        "sections_scored",
        "words",
        "skipped",
        "bleu",
        "chrf",
        "ter",
        "glossary",
        "reference_glossary",
        "coverage",
        "seconds",
        "engine_seconds",
        "segments",
        "pages",
        "sections",
    }
    assert set(d["skipped"]) == {"unaligned", "low-confidence", "too-short", "not-parallel"}
    if d["sections"]:
        assert set(d["sections"][0]) >= {
            "source",
            "target",
            "source_sections",
            "target_sections",
            "heading",
            "line",
            "confidence",
            "words",
            "bleu",
            "chrf",
            "ter",
            "glossary",
        }


def test_argos_random_weights_are_labelled_and_a_missing_direction_said(
    tmp_path: Path, argos_package: dict[str, Path]
) -> None:
    from vien.mt import packages as models

    store = tmp_path / "models"
    models.install_file(argos_package["en-vi"], store)
    fast = ["--beam-size=1", "--threads=1", "--max-length-ratio=1.3", f"--models-dir={store}"]
    runner = CliRunner()
    r = runner.invoke(main, ["score", str(DATA_SITE), "--engine=argos", "--format=json", *fast])
    assert r.exit_code == 0, r.output
    en_vi, vi_en = json.loads(r.output)["engines"][0]["directions"]
    assert en_vi["error"] is None and en_vi["sections_scored"] > 0
    assert en_vi["segments"] > 0 and en_vi["chrf"] is not None
    assert "NOT an official package" in en_vi["model"] and "argos:en-vi@" in en_vi["model"]
    assert vi_en["error"] and vi_en["sections_scored"] == 0  # no vi-en package: said, not scored
    r = runner.invoke(main, ["score", str(DATA_SITE), "--engine=argos", *fast])
    assert r.exit_code == 0, r.output
    assert "nonsense weights" in r.output and "not scored" in r.output
    # the one direction asked for has no package: a configuration error
    for one in ("--to=en", "--from=vi"):
        r = runner.invoke(main, ["score", str(DATA_SITE), "--engine=argos", one, *fast])
        assert r.exit_code == 2, r.output
        assert "error: no vi→en model installed" in r.output
