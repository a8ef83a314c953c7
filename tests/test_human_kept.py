"""#14: human text is kept by default; --retranslate touches only what check reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT
from vien.cli.main import main

CASES = ROOT / "tests" / "data" / "merge"


def vien(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_default_run_changes_no_byte_of_a_human_counterpart(tmp_path: Path) -> None:
    """The English page of a vi-default site keeps its Vietnamese leftover by default."""
    site = tmp_path / "site"
    shutil.copytree(CASES / "vi-default", site)
    en = site / "content/module/_index.en.md"
    before = en.read_bytes()
    code, out = vien("translate", str(site), "--to", "en", "--engine", "pseudo")
    assert code == 0, out
    assert en.read_bytes() == before


def test_retranslate_leaves_english_copied_from_a_vietnamese_page_alone(tmp_path: Path) -> None:
    """vi-default site, --to en --retranslate: "Module", "Blog 1" and "5.10 Cleanup" are the
    same in both pages because the Vietnamese page writes them in English; they are correct
    English and stay. Only the Vietnamese sentence left in the English page is redone."""
    site = tmp_path / "site"
    shutil.copytree(CASES / "vi-default", site)
    en = site / "content/module/_index.en.md"
    before = en.read_text(encoding="utf-8")
    code, out = vien("translate", str(site), "--to", "en", "--engine", "pseudo", "--retranslate")
    assert code == 0, out
    assert "retranslated 1 segment left in vi" in out, out
    after = en.read_text(encoding="utf-8")
    for kept in ('title: "Module"', "# Blog 1\n", "## 5.10 Cleanup\n", "This page records"):
        assert kept in after
    pairs = zip(before.splitlines(), after.splitlines(), strict=True)
    changed = [(a, b) for a, b in pairs if a != b]
    assert len(changed) == 1 and changed[0][0].startswith("Hãy kiểm tra"), changed


def test_check_does_not_call_english_copied_from_the_vietnamese_page_untranslated() -> None:
    result = CliRunner().invoke(main, ["check", str(CASES / "vi-default"), "--format", "json"])
    found = [
        f["message"]
        for f in json.loads(result.stdout)["findings"]
        if f["kind"] == "untranslated" and f["file"].endswith("_index.en.md")
    ]
    assert len(found) == 1 and "Hãy kiểm tra" in found[0], found
