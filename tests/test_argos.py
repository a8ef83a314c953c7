"""Model management and the argos engine, on tiny random-weight packages built at test time.

Random weights produce nonsense and mangle placeholders: that exercises the repair path. These
tests check behaviour (installation, batching, term protection, equivalence), never quality.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from argos_fixture import make_zip_slip_package
from click.testing import CliRunner
from conftest import DATA_SITE
from vien.cli.main import main
from vien.glossary.entries import Entry, Glossary
from vien.glossary.masking import missing_terms
from vien.mt import ArgosEngine, DecodeOptions
from vien.mt import packages as models
from vien.page.invariants import problems
from vien.page.parse import parse
from vien.page.render import render_text

GLOSSARY = Glossary(
    [
        Entry("AWS CodePipeline", "AWS CodePipeline"),
        Entry("CodePipeline", "CodePipeline"),
        Entry("Amazon S3", "Amazon S3"),
        Entry("S3", "S3"),
        Entry("CloudFront", "CloudFront"),
        Entry("deployment strategy", "chiến lược triển khai", "translate", False),
        Entry("bucket", "bucket", "keep", False),
    ]
)
FAST = DecodeOptions(beam_size=1, threads=1, length_ratio=1.3, length_extra=3)


@pytest.fixture
def store(tmp_path: Path, argos_package: dict[str, Path]) -> Path:
    root = tmp_path / "models"
    for archive in argos_package.values():
        models.install_file(archive, root)
    return root


def test_install_from_file_records_checksum_and_lists(
    store: Path, argos_package: dict[str, Path]
) -> None:
    found = models.installed(store)
    assert sorted(m.pair for m in found) == ["en-vi", "vi-en"]
    for m in found:
        assert m.sha256 == models.sha256_file(argos_package[m.pair])
        assert not m.official  # random weights are not the official package
        assert models.verify(m) == []
    # a modified file is noticed
    target = found[0].path / "model" / "config.json"
    target.write_text(target.read_text() + " ")
    assert models.verify(found[0]) == ["model/config.json modified since install"]


def test_second_package_for_a_pair_needs_replace(
    store: Path, argos_package: dict[str, Path]
) -> None:
    with pytest.raises(models.ModelError, match="already installed"):
        models.install_file(argos_package["en-vi"], store)
    models.install_file(argos_package["en-vi"], store, replace=True)
    assert len(models.installed(store)) == 2


def test_zip_slip_and_malformed_archives_are_rejected(tmp_path: Path) -> None:
    evil = make_zip_slip_package(tmp_path / "evil.argosmodel")
    with pytest.raises(models.ModelError, match="outside the package folder"):
        models.install_file(evil, tmp_path / "models")
    assert not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())
    absolute = tmp_path / "abs.argosmodel"
    with zipfile.ZipFile(absolute, "w") as zf:
        zf.writestr("/etc/x", "x")
    with pytest.raises(models.ModelError, match="outside the package folder"):
        models.inspect_archive(absolute)
    notzip = tmp_path / "n.argosmodel"
    notzip.write_bytes(b"hello")
    with pytest.raises(models.ModelError, match="not a zip"):
        models.inspect_archive(notzip)


def test_checksum_mismatch_is_refused(tmp_path: Path, argos_package: dict[str, Path]) -> None:
    with pytest.raises(models.ModelError, match="checksum mismatch"):
        models.install_file(argos_package["en-vi"], tmp_path / "m", expected_sha256="0" * 64)


def test_missing_model_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(models.ModelError, match=r"vien models install en-vi"):
        models.find("en", "vi", tmp_path / "empty")
    result = CliRunner().invoke(
        main, ["translate", str(DATA_SITE), "--to", "vi", "--models-dir", str(tmp_path / "empty")]
    )
    assert result.exit_code == 2
    assert "vien models install --from translate-en_vi-1_9.argosmodel" in result.output


@pytest.mark.parametrize(
    ("source", "target", "text"),
    [
        (
            "en",
            "vi",
            "Create an **Amazon S3** bucket with `aws s3 mb`, then a deployment "
            "strategy for AWS CodePipeline. See [the guide](https://docs.aws.amazon.com/).",
        ),
        (
            "vi",
            "en",
            "Tạo bucket **Amazon S3** bằng `aws s3 mb`, rồi chọn chiến lược triển khai "
            "cho AWS CodePipeline. Xem [hướng dẫn](https://docs.aws.amazon.com/).",
        ),
    ],
)
def test_engine_both_directions_keeps_terms_and_structure(
    store: Path, source: str, target: str, text: str
) -> None:
    engine = ArgosEngine(GLOSSARY, models_dir=store, options=FAST)
    doc = parse(f"## {text[:40]}\n\n{text}\n\n- {text}\n")
    out = engine.translate(doc.segments, source, target)
    assert len(out) == len(doc.segments)
    for seg, translated, used in zip(doc.segments, out, engine.last_applied, strict=True):
        assert translated != seg.text  # the model did produce something
        assert missing_terms(translated, used) == []
    assert engine.last_applied[1]  # terms were found
    expected = "chiến lược triển khai" if target == "vi" else "deployment strategy"
    assert expected in out[1]
    assert problems(doc, render_text(doc, dict(enumerate(out)))) == []
    assert engine.stats.repairs > 0  # random weights mangle placeholders: repaired
    assert engine.stats.sentences >= 5


def test_output_length_is_capped_per_input(store: Path) -> None:
    engine = ArgosEngine(None, models_dir=store, options=FAST)
    short, long = engine.translate_texts(["Hello.", "word " * 60], "en", "vi")
    loaded = engine.load("en", "vi")
    assert len(loaded.sp.encode(short)) <= 1.3 * len(loaded.sp.encode("Hello.")) + 3 + 2
    assert len(long) > len(short)


def test_translate_command_end_to_end(tmp_path: Path, store: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site)
    result = CliRunner().invoke(
        main,
        [
            "translate",
            str(site),
            "--to",
            "vi",
            "--models-dir",
            str(store),
            "--beam-size",
            "1",
            "--max-length-ratio",
            "1.3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "wrote 4 page(s)" in result.output and "repaired" in result.output
    page = (site / "content/3-reports/3.1-community-day-report.vi.md").read_text("utf-8")
    assert 'pre: "<b>3.1. </b>"' in page  # non-translatable front matter kept
    assert "Dùng **Amazon SQS**" in page  # a Vietnamese bullet, carried over as written


def test_install_online_through_a_package_index(
    tmp_path: Path, argos_package: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The online path, served from file:// URLs: index → download with progress → install."""
    import json

    from argostranslate import settings

    archive = argos_package["en-vi"]
    index = tmp_path / "index.json"
    index.write_text(
        json.dumps(
            [
                {
                    "package_version": "0.0",
                    "argos_version": "1.11.0",
                    "from_code": "en",
                    "from_name": "English",
                    "to_code": "vi",
                    "to_name": "Vietnamese",
                    "type": "translate",
                    "links": [archive.as_uri()],
                }
            ]
        )
    )
    monkeypatch.setattr(settings, "remote_package_index", index.as_uri())
    monkeypatch.setattr(settings, "downloads_dir", tmp_path / "downloads")
    (tmp_path / "downloads").mkdir()
    seen: list[tuple[int, int]] = []
    model = models.install_online(
        "en-vi", tmp_path / "models", progress=lambda done, total: seen.append((done, total))
    )
    assert model.pair == "en-vi" and model.sha256 == models.sha256_file(archive)
    assert seen and seen[-1][0] == archive.stat().st_size
    assert not any((tmp_path / "downloads").iterdir())  # the download is removed
    with pytest.raises(models.ModelError, match="no vi→en package"):
        models.install_online("vi-en", tmp_path / "models")
    monkeypatch.setattr(settings, "remote_package_index", (tmp_path / "nope.json").as_uri())
    with pytest.raises(models.ModelError, match="models install --from FILE"):
        models.install_online("en-vi", tmp_path / "other")


def test_models_commands(tmp_path: Path, argos_package: dict[str, Path]) -> None:
    runner = CliRunner()
    where = ["--models-dir", str(tmp_path / "m")]
    result = runner.invoke(
        main, ["models", "install", "--from", str(argos_package["vi-en"]), *where]
    )
    assert result.exit_code == 0 and "NOT an official Argos package" in result.output
    result = runner.invoke(main, ["models", "list", *where])
    assert result.exit_code == 0 and "vi-en" in result.output
    result = runner.invoke(main, ["models", "verify", *where])
    assert result.exit_code == 1 and "not an official package" in result.output
    result = runner.invoke(main, ["models", "verify", str(argos_package["vi-en"])])
    assert result.exit_code == 1 and "is not an official package" in result.output
    result = runner.invoke(main, ["models", "install", *where])
    assert result.exit_code == 2  # neither a pair nor a file
