"""The ``vien`` command line: translate, segments, pages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import DATA_SITE, require_shared
from vien.cli.main import main


def vien(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_translate_writes_missing_pages_by_convention_and_never_overwrites(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site)
    left = site / "content/2-pipeline/2.2-build-and-deploy.vi.md"
    human = left.read_bytes()
    code, out = vien("translate", str(site), "--to", "vi", "--engine", "pseudo")
    assert code == 0, out
    # 3 new pages, 1 missing section restored; the English paragraph left in a human
    # section is kept by default (#14: no byte of a human section changes)
    assert "wrote 4 page(s)" in out and "up to date 4" in out
    assert "translated 1 missing section: “Upload a test page”" in out
    assert "retranslated" not in out and left.read_bytes() == human
    assert "4 already vi" in out  # the report's Vietnamese bullets are carried over
    code, again = vien("translate", str(site), "--to", "vi", "--engine", "pseudo", "--retranslate")
    assert code == 0 and "retranslated 1 segment left in en" in again, again
    new = site / "content/2-pipeline/_index.vi.md"
    assert new.read_text(encoding="utf-8").count("⟦") > 3
    # a second run writes nothing
    stamp = new.stat().st_mtime_ns
    code, out = vien("translate", str(site), "--to", "vi", "--engine", "pseudo")
    assert code == 0 and "wrote 0 page(s)" in out and "up to date 8" in out
    assert new.stat().st_mtime_ns == stamp


def test_translate_to_english_names_files_x_en_md(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site)
    code, out = vien("translate", str(site), "--to", "en", "--engine", "identity")
    assert code == 0, out
    # the VI-only page gets an English counterpart named X.md (en is the default language)
    assert (site / "content/3-reports/3.2-ghi-chu-iam.md").read_bytes() == (
        site / "content/3-reports/3.2-ghi-chu-iam.vi.md"
    ).read_bytes()


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    code, out = vien("translate", str(site), "--to", "vi", "--engine", "pseudo", "--dry-run")
    assert code == 0 and "would write 4 page(s)" in out
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_out_mirrors_the_content_tree_for_language_folders(tmp_path: Path) -> None:
    site = tmp_path / "dms"
    shutil.copytree(require_shared() / "sites" / "dms-migration", site)
    for page in list((site / "content/vi").rglob("*.md"))[:3]:
        page.unlink()
    out_dir = tmp_path / "out"
    code, out = vien(
        "translate",
        str(site),
        "--to",
        "vi",
        "--engine",
        "pseudo",
        "--out",
        str(out_dir),
        "--no-retranslate",
    )
    assert code == 0, out
    written = sorted(p.relative_to(out_dir) for p in out_dir.rglob("*.md"))
    assert len(written) >= 3 and all(p.parts[:2] == ("content", "vi") for p in written)
    assert not list((site / "content/vi").rglob("*.tmp"))


def test_usage_errors_exit_2() -> None:
    assert vien("translate", str(DATA_SITE), "--to", "fr", "--engine", "pseudo")[0] == 2
    assert vien("translate", str(DATA_SITE), "--to", "vi")[0] == 2  # no engine
    assert vien("translate", "/nonexistent", "--to", "vi", "--engine", "pseudo")[0] == 2


def test_translate_asks_for_to_unless_vien_toml_gives_it(tmp_path: Path) -> None:
    """--to is required (click 8.3+ took an explicit default of None as a value and ran
    into an internal error); [site] target in vien.toml stands for it."""
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site)
    code, out = vien("translate", str(site), "--engine", "pseudo", "--dry-run")
    assert code == 2 and "Missing option '--to'" in out, out
    assert "internal error" not in out
    (site / "vien.toml").write_text('[site]\ntarget = "vi"\n', encoding="utf-8")
    code, out = vien("translate", str(site), "--engine", "pseudo", "--dry-run")
    assert code == 0 and "would write" in out, out


def test_every_command_names_a_language_the_site_lacks(tmp_path: Path) -> None:
    """translate, check, review, align and tm choose their languages one way: an unknown
    language, or a site with one language, is a usage error (2) that says so."""
    one = tmp_path / "one"
    (one / "content").mkdir(parents=True)
    (one / "content" / "a.md").write_text("---\ntitle: A\n---\n\nSome text here.\n")
    (one / "hugo.toml").write_text('defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n')
    site = str(DATA_SITE)
    for args in (
        ["translate", site, "--to", "fr", "--engine", "pseudo", "--dry-run"],
        ["translate", site, "--to", "vi", "--from", "fr", "--engine", "pseudo", "--dry-run"],
        ["check", site, "--from", "fr"],
        ["review", site, "--to", "fr", "-o", str(tmp_path / "r.html")],
        ["align", site, "--from", "fr"],
        ["tm", "import", site, "--to", "fr"],
    ):
        code, out = vien(*args)
        assert code == 2 and "'fr' is not one of the site's languages (en, vi)" in out, args
    for args in (["check", str(one)], ["align", str(one)]):
        code, out = vien(*args)
        assert code == 2 and "the site has one language (en)" in out, (args, out)


def test_help_has_examples() -> None:
    for cmd in ("translate", "segments", "pages"):
        code, out = vien(cmd, "--help")
        assert code == 0 and "Example" in out


def test_segments_text_and_json() -> None:
    page = DATA_SITE / "content/2-pipeline/2.1-prepare-bucket.md"
    code, out = vien("segments", str(page))
    assert code == 0
    assert "⟨attr: {#setup}⟩" in out and "⟨code:`aws configure`⟩" in out
    assert "§1 L11 ## Set up" in out
    code, out = vien("segments", str(page), "--format", "json")
    data = json.loads(out)
    assert data["front_matter"] == "yaml"
    assert data["segments"][0]["field"] == "title"
    assert {p["kind"] for s in data["segments"] for p in s["parts"]} >= {"code", "markup"}


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vien", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "vien" in done.stdout


def test_pages_lists_sets_and_orphans() -> None:
    code, out = vien("pages", str(DATA_SITE))
    assert code == 0
    assert "[-- vi] 3-reports/3.2-ghi-chu-iam" in out
    assert "3 en page(s) without a vi counterpart" in out


def test_report_records_applied_terms_per_segment(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, out = vien(
        "translate",
        str(DATA_SITE),
        "--to",
        "vi",
        "--engine",
        "pseudo",
        "--dry-run",
        "--report",
        str(report),
    )
    assert code == 0, out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["engine"] == "pseudo" and len(data["glossary"]["version"]) == 12
    assert data["summary"]["would_write"] == 4 and data["summary"]["terms"] > 0
    page = next(p for p in data["pages"] if p["source"].endswith("3.1-community-day-report.md"))
    terms = [t for seg in page["applied_terms"] for t in seg["terms"]]
    assert {"source": "Step Functions", "target": "Step Functions", "mode": "keep"} in terms
    assert all(seg["line"] >= 1 for seg in page["applied_terms"])
