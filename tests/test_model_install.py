"""Reliability of `vien models install --from` and of TMX/TBX import (issue #13: F13-F19).

Each test builds its bad archive from the tiny test package (see argos_fixture) in a few
milliseconds; none needs a real model or a special file system.
"""

from __future__ import annotations

import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA_SITE, ROOT
from vien.cli.main import main


def repack(
    src: Path,
    dest: Path,
    *,
    top: str | None = None,
    metadata: bytes | None = None,
    change: Callable[[str, bytes], bytes] | None = None,
    extra: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A copy of the package ``src`` with another top folder, metadata.json, member data or
    extra members (written as given, duplicates included)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", compression) as out:
        for info in zin.infolist():
            if info.is_dir():
                continue
            old_top, rel = info.filename.split("/", 1)
            data = zin.read(info)
            if rel == "metadata.json" and metadata is not None:
                data = metadata
            if change:
                data = change(rel, data)
            out.writestr(f"{top or old_top}/{rel}", data)
        for name, data in extra:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Duplicate name"
                out.writestr(name, data)
    return dest


def _top(archive: Path) -> str:
    with zipfile.ZipFile(archive) as zf:
        return zf.namelist()[0].split("/", 1)[0]


def _listing(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


# -- F13: TMX / TBX with an unknown encoding declaration ----------------------------------------


@pytest.mark.parametrize("kind", ["tmx", "tbx"])
def test_f13_unknown_xml_encoding_is_a_clear_error(tmp_path: Path, kind: str) -> None:
    decl = '<?xml version="1.0" encoding="x-unknown-enc"?>\n'
    runner = CliRunner()
    if kind == "tmx":
        bad = tmp_path / "bad.tmx"
        bad.write_text(decl + '<tmx version="1.4"><header srclang="en"/><body/></tmx>\n')
        site = tmp_path / "site"
        shutil.copytree(DATA_SITE, site, ignore=shutil.ignore_patterns(".vien"))
        result = runner.invoke(main, ["tm", "import", str(site), "--tmx", str(bad)])
    else:
        bad = tmp_path / "bad.tbx"
        bad.write_text(decl + '<martif type="TBX-Basic"><text><body/></text></martif>\n')
        csv = tmp_path / "g.csv"
        csv.write_bytes((ROOT / "glossaries" / "aws.csv").read_bytes())
        result = runner.invoke(
            main, ["glossary", "import", str(bad), "--dry-run", "--glossary", str(csv)]
        )
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert str(bad) in result.output and "unknown encoding" in result.output
