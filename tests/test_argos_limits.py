"""Engine limits (issue #13 item 4): a unit longer than the model's position limit is split,
translated and joined; one that cannot be split fails its page, never the run.

The package here has 64 positions (tests/argos_fixture.py, max_positions=64), so a paragraph of
a few sentences is already too long for it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import DATA_SITE
from vien.cli.main import main
from vien.glossary.entries import Entry, Glossary
from vien.glossary.masking import missing_terms
from vien.mt import ArgosEngine, DecodeOptions
from vien.mt import packages as models
from vien.mt.argos import position_limit, split_to_fit
from vien.page.invariants import problems
from vien.page.parse import parse
from vien.page.render import render_text

FAST = DecodeOptions(beam_size=1, threads=1, length_ratio=1.3, length_extra=3)
SENTENCE = (
    "Amazon S3 stores the files of the static website in a private bucket, and "
    "CloudFront delivers them over HTTPS from edge locations around the world; "
    "run `aws s3 sync public/ s3://my-bucket` after each build."
)


@pytest.fixture(scope="module")
def short_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder with an en→vi package whose positions stop at 64."""
    root = tmp_path_factory.mktemp("short")
    archive = build_argos_package(root / "pkg", max_positions=64)
    models.install_file(archive, root / "models")
    return root / "models"


def test_position_limit_is_read_from_model_bin(short_store: Path) -> None:
    (model,) = models.installed(short_store)
    assert position_limit(model.path / "model") == 64


def test_split_to_fit_prefers_sentences_then_clauses_then_spaces() -> None:
    count = lambda t: len(t.split())  # noqa: E731  (one token per word)
    text = "One two three. Four five, six seven; eight nine ten eleven twelve."
    assert split_to_fit(text, count, 20) == [text]
    assert split_to_fit(text, count, 9) == [
        "One two three.",
        "Four five, six seven; eight nine ten eleven twelve.",
    ]
    assert split_to_fit(text, count, 8) == [
        "One two three.",
        "Four five, six seven;",
        "eight nine ten eleven twelve.",
    ]
    assert split_to_fit(text, count, 3) == [
        "One two three.",
        "Four five,",
        "six seven;",
        "eight nine ten",
        "eleven twelve.",
    ]
    assert split_to_fit("a b " + "x" * 50, len, 10) is None  # one word over budget


def test_long_segment_is_split_and_keeps_protected_spans(short_store: Path) -> None:
    glossary = Glossary([Entry("Amazon S3", "Amazon S3"), Entry("CloudFront", "CloudFront")])
    engine = ArgosEngine(glossary, models_dir=short_store, options=FAST)
    # one sentence far over 64 tokens (no sentence boundary), and a paragraph of many
    long_sentence = " ".join([SENTENCE.rstrip(".")] * 4) + "."
    paragraph = " ".join([SENTENCE] * 12)
    doc = parse(f"# Title\n\n{long_sentence}\n\n{paragraph}\n")
    loaded = engine.load("en", "vi")
    assert len(loaded.sp.encode(long_sentence)) > 3 * 64
    out = engine.translate(doc.segments, "en", "vi")
    assert engine.last_failed == {}
    assert engine.stats.split > 0
    for translated, used in zip(out, engine.last_applied, strict=True):
        assert missing_terms(translated, used) == []
    assert out[1].count("`aws s3 sync public/ s3://my-bucket`") == 4
    assert out[2].count("`aws s3 sync public/ s3://my-bucket`") == 12
    assert problems(doc, render_text(doc, dict(enumerate(out)))) == []


def test_plain_text_longer_than_the_limit(short_store: Path) -> None:
    engine = ArgosEngine(None, models_dir=short_store, options=DecodeOptions(beam_size=2))
    (out,) = engine.translate_texts(["word, " * 300], "en", "vi")
    assert out and engine.stats.split == 1


def test_unsplittable_unit_fails_only_its_page(tmp_path: Path, short_store: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site, ignore=shutil.ignore_patterns(".vien"))
    page = site / "content" / "9-long" / "_index.md"
    page.parent.mkdir(parents=True)
    word = "abcdefghij" * 40  # one 400-letter "word": no boundary to split at
    page.write_text(
        f'---\ntitle: "Long"\nweight: 9\n---\n\n# Long\n\n{SENTENCE}\n\n{word} end.\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        ["translate", str(site), "--to", "vi", "--models-dir", str(short_store), "-q"],
    )
    assert result.exit_code == 1, result.output
    assert f"{page}:10: " in result.output and "no sentence, clause or space" in result.output
    assert "wrote 4 page(s)" in result.output and "failed 1" in result.output
    assert not (page.parent / "_index.vi.md").exists()
