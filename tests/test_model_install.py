"""Reliability of `vien models install --from` and of TMX/TBX import (issue #13: F13-F19).

Each test builds its bad archive from the tiny test package (see argos_fixture) in a few
milliseconds; none needs a real model or a special file system.
"""

from __future__ import annotations

import errno
import os
import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA_SITE, ROOT, require_shared
from vien.cli.main import main
from vien.mt import packages as models


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


# -- F14: metadata.json that is not an object ---------------------------------------------------


@pytest.mark.parametrize(
    "metadata",
    [b"[1, 2]", b'"en-vi"', b"null", b"3", b'{"from_code": 1, "to_code": "vi"}', b"\xff\xfe"],
)
def test_f14_metadata_must_be_an_object(
    tmp_path: Path, argos_package: dict[str, Path], metadata: bytes
) -> None:
    bad = repack(argos_package["en-vi"], tmp_path / "bad.argosmodel", metadata=metadata)
    with pytest.raises(models.ModelError, match=r"metadata\.json"):
        models.install_file(bad, tmp_path / "m")
    result = CliRunner().invoke(
        main, ["models", "install", "--from", str(bad), "--models-dir", str(tmp_path / "m")]
    )
    assert result.exit_code == 1 and "metadata.json" in result.output
    assert isinstance(result.exception, SystemExit)
    assert _listing(tmp_path / "m") == []


# -- F15: zip bombs ------------------------------------------------------------------------------


def test_f15_compression_ratio_is_limited(tmp_path: Path, argos_package: dict[str, Path]) -> None:
    bomb = repack(
        argos_package["en-vi"],
        tmp_path / "bomb.argosmodel",
        change=lambda rel, d: d + bytes(8 << 20) if rel == "model/model.bin" else d,
    )
    with pytest.raises(models.ModelError, match=r"zip bomb.*compressed \d+:1"):
        models.install_file(bomb, tmp_path / "m")
    assert _listing(tmp_path / "m") == []


def test_f15_total_size_is_limited(
    tmp_path: Path, argos_package: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "MAX_UNPACKED_BYTES", 1 << 20, raising=False)
    big = repack(
        argos_package["en-vi"],
        tmp_path / "big.argosmodel",
        change=lambda rel, d: d + os.urandom(2 << 20) if rel == "model/model.bin" else d,
    )
    with pytest.raises(models.ModelError, match=r"zip bomb.*more than 1 MiB"):
        models.install_file(big, tmp_path / "m")
    assert _listing(tmp_path / "m") == []


def test_f15_metadata_is_not_read_whole_when_huge(
    tmp_path: Path, argos_package: dict[str, Path]
) -> None:
    pad = os.urandom(3 << 19).hex().encode()  # 3 MiB that barely compresses
    huge = b'{"from_code": "en", "to_code": "vi", "pad": "' + pad + b'"}'
    bad = repack(argos_package["en-vi"], tmp_path / "meta.argosmodel", metadata=huge)
    with pytest.raises(models.ModelError, match=r"metadata\.json is \d+ bytes"):
        models.install_file(bad, tmp_path / "m")


def test_f15_limits_admit_the_real_sized_package() -> None:
    """The base package has the real en_vi model's shape and size (67.8 MB zipped)."""
    base = require_shared() / "models" / "translate-en_vi-base-synthetic.argosmodel"
    meta = models.inspect_archive(base)
    assert (meta["from_code"], meta["to_code"]) == ("en", "vi")


# -- F16: --replace with a damaged archive keeps the working model ------------------------------


def test_f16_damaged_archive_never_destroys_the_installed_model(
    tmp_path: Path, argos_package: dict[str, Path]
) -> None:
    root = tmp_path / "m"
    good = models.install_file(argos_package["en-vi"], root)
    # a stored copy, then one byte of model.bin flipped: the CRC no longer matches
    stored = repack(argos_package["en-vi"], tmp_path / "s.argosmodel", compression=0)
    raw = bytearray(stored.read_bytes())
    at = raw.find(b"model/model.bin") + 200
    raw[at] ^= 0xFF
    damaged = tmp_path / "damaged.argosmodel"
    damaged.write_bytes(bytes(raw))
    with pytest.raises(models.ModelError, match="damaged archive"):
        models.install_file(damaged, root, replace=True)
    assert [m.path for m in models.installed(root)] == [good.path]
    assert models.verify(models.installed(root)[0]) == []
    assert _listing(root) == [good.path.name]  # no temporary folder left


def test_f16_replace_swaps_in_the_new_package(
    tmp_path: Path, argos_package: dict[str, Path]
) -> None:
    root = tmp_path / "m"
    models.install_file(argos_package["en-vi"], root)
    other = repack(argos_package["en-vi"], tmp_path / "o.argosmodel", top="translate-en_vi-new")
    new = models.install_file(other, root, replace=True)
    assert [m.path for m in models.installed(root)] == [new.path]
    assert _listing(root) == ["translate-en_vi-new"]
    assert models.verify(new) == []


# -- F17: a package of one pair never replaces another pair's package ---------------------------


@pytest.mark.parametrize("replace", [False, True])
def test_f17_misnamed_archive_never_touches_another_pair(
    tmp_path: Path, argos_package: dict[str, Path], replace: bool
) -> None:
    root = tmp_path / "m"
    vi_en = models.install_file(argos_package["vi-en"], root)
    misnamed = repack(argos_package["en-vi"], tmp_path / "x.argosmodel", top=vi_en.path.name)
    with pytest.raises(models.ModelError, match="not a en→vi package"):
        models.install_file(misnamed, root, replace=replace)
    assert [(m.pair, m.path) for m in models.installed(root)] == [("vi-en", vi_en.path)]
    assert models.verify(models.installed(root)[0]) == []


# -- F18: a full disk leaves no half package ----------------------------------------------------


@pytest.mark.parametrize("replace", [False, True])
def test_f18_full_disk_leaves_no_half_package(
    tmp_path: Path, argos_package: dict[str, Path], monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    root = tmp_path / "m"
    before = []
    if replace:
        before = [models.install_file(argos_package["en-vi"], root).path]
    archive = repack(argos_package["en-vi"], tmp_path / "n.argosmodel", top="translate-en_vi-n")
    real_read = zipfile.ZipExtFile.read

    def full(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        if self.name.endswith("model.bin"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_read(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", full)
    with pytest.raises(models.ModelError, match="No space left"):
        models.install_file(archive, root, replace=replace)
    monkeypatch.undo()
    assert [m.path for m in models.installed(root)] == before
    assert _listing(root) == [p.name for p in before]


def test_f18_leftover_temporary_folder_is_not_a_package(
    tmp_path: Path, argos_package: dict[str, Path]
) -> None:
    root = tmp_path / "m"
    half = root / f"{models.STAGING_PREFIX}killed" / _top(argos_package["en-vi"])
    half.mkdir(parents=True)
    with zipfile.ZipFile(argos_package["en-vi"]) as zf:
        (half / "metadata.json").write_bytes(zf.read(f"{half.name}/metadata.json"))
    (root / "not-a-package").mkdir()
    assert models.installed(root) == []
    model = models.install_file(argos_package["en-vi"], root)
    assert [m.path for m in models.installed(root)] == [model.path]
    result = CliRunner().invoke(main, ["models", "list", "--models-dir", str(root)])
    assert result.exit_code == 0 and "1 package(s)" in result.output


# -- F19: duplicate members ---------------------------------------------------------------------


def test_f19_duplicate_members_are_refused(tmp_path: Path, argos_package: dict[str, Path]) -> None:
    top = _top(argos_package["en-vi"])
    dup = repack(
        argos_package["en-vi"],
        tmp_path / "dup.argosmodel",
        extra=[(f"{top}/model/model.bin", b"garbage")],
    )
    with pytest.raises(models.ModelError, match="duplicate members"):
        models.install_file(dup, tmp_path / "m")
    assert _listing(tmp_path / "m") == []
