"""Translation model packages, managed through argostranslate's package API.

Packages live in argostranslate's package folder (its settings: ``ARGOS_PACKAGES_DIR``,
``XDG_DATA_HOME``…) unless ``--models-dir`` or ``VIEN_MODELS_DIR`` says otherwise. Installing
from a file checks the archive first: a zip, one top-level folder holding ``metadata.json`` (a
JSON object), no member that would land outside that folder (zip-slip), no symlink, no duplicate
member, no zip bomb (see :data:`MAX_UNPACKED_BYTES`, :data:`MAX_RATIO`), a translate package.
Its SHA-256 is recorded and compared with the official packages' checksums.

Installs are atomic: the archive is unpacked into a temporary folder inside the package folder
(``.vien-install-*``, never listed as a package), checked, and only then renamed into place; a
package it replaces (same language pair, by metadata, only with ``replace``) is moved aside at
that moment and deleted afterwards. A failure at any point (bad CRC, full disk…) removes the
temporary folder and leaves the installed packages as they were. A folder that belongs to
another pair is never deleted or replaced, whatever the archive's folder is called.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import VienError

ENV_DIR = "VIEN_MODELS_DIR"
RECORD = "vien-install.json"
#: The official Argos Translate packages for this language pair (name -> size, sha256).
OFFICIAL = {
    "translate-en_vi-1_9.argosmodel": (
        67_770_159,
        "86957101aa4099aa9a1a7492e41987d938d3cf0fdaf4fb684c0797a9d567dd16",
    ),
    "translate-vi_en-1_9.argosmodel": (
        65_895_840,
        "ebd51b7189b13eccb9238a5777de1d343008c4c05284a8b89610242364433953",
    ),
}
PAIRS = {"en-vi": ("en", "vi"), "vi-en": ("vi", "en")}
#: Zip-bomb guards. The real packages are about 68 MB zipped and under 100 MB unpacked (int8
#: weights barely compress: ratio about 1.1; the vocabulary JSON about 7), so these are generous.
#: Total uncompressed size of all members (declared and, while unpacking, actually written).
MAX_UNPACKED_BYTES = 1 << 30  # 1 GiB
#: Highest compression ratio (uncompressed / compressed) of a member larger than RATIO_FLOOR.
MAX_RATIO = 100
RATIO_FLOOR = 1 << 20  # 1 MiB: small files may compress as well as they like
#: metadata.json is read into memory: at most this many bytes.
MAX_METADATA_BYTES = 1 << 20
#: At most this many members (a real package has a few dozen).
MAX_MEMBERS = 10_000
#: Prefix of the temporary folders of installs in progress (inside the package folder).
STAGING_PREFIX = ".vien-install-"


class ModelError(VienError):
    """A package that cannot be installed, found or loaded."""


EXTRA = (
    "the argos engine needs the argos extra: pip install 'vien[argos]' "
    "(it pulls in PyTorch: install its CPU build first, see the README)"
)


def argos_module(name: str) -> Any:
    """Import ``name`` (argostranslate, ctranslate2, sentencepiece…), which only the argos extra
    installs; without it, a :class:`ModelError` that says what to install."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ModelError(f"{EXTRA} ({exc.name or name} is not installed)") from None


@dataclass(frozen=True, slots=True)
class InstalledModel:
    """An installed translate package."""

    path: Path
    from_code: str
    to_code: str
    name: str
    version: str
    sha256: str | None  # of the archive it was installed from, when vien installed it
    official: bool

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def model_id(self) -> str:
        """A stable id for provenance: pair, version and archive hash."""
        digest = (self.sha256 or "unknown")[:12]
        return f"argos:{self.pair}@{self.version}#{digest}"


def models_dir(override: Path | None = None) -> Path:
    """Where packages live: the override, $VIEN_MODELS_DIR, or argostranslate's setting."""
    if override is not None:
        return Path(override)
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    settings = argos_module("argostranslate.settings")

    return Path(settings.package_data_dir)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def official_name(sha256: str) -> str | None:
    return next((name for name, (_, digest) in OFFICIAL.items() if digest == sha256), None)


def inspect_archive(path: Path) -> dict[str, object]:
    """Validate an .argosmodel archive without extracting it; return its metadata."""
    if not path.is_file():
        raise ModelError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not an Argos package (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            top = _check_members(path, infos)
            meta = _read_metadata(path, zf, top)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ModelError(f"{path}: damaged archive: {exc}") from exc
    names = {i.filename for i in infos}
    required = {f"{top}/model/model.bin", f"{top}/sentencepiece.model"}
    if not required <= names:
        raise ModelError(
            f"{path}: missing {sorted(required - names)} (vien needs a "
            "CTranslate2 model and a SentencePiece model)"
        )
    meta["_top"] = top
    return meta


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> str:
    """The archive's single top-level folder, after checking every member's name, type, size
    and compression ratio (zip-slip, symlinks, duplicates, zip bombs)."""
    if len(infos) > MAX_MEMBERS:
        raise ModelError(f"{path}: {len(infos)} archive members (at most {MAX_MEMBERS})")
    tops = set()
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        p = PurePosixPath(name.replace("\\", "/"))
        if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
            raise ModelError(
                f"{path}: refusing an archive member that would be written "
                f"outside the package folder: {name!r}"
            )
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise ModelError(f"{path}: refusing a symbolic link in the archive: {name!r}")
        key = p.as_posix()
        if key in seen:
            raise ModelError(
                f"{path}: refusing an archive with duplicate members: {name!r} appears twice"
            )
        seen.add(key)
        if p.parts:
            tops.add(p.parts[0])
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise ModelError(
                f"{path}: refusing a possible zip bomb: the members unpack to more than "
                f"{MAX_UNPACKED_BYTES >> 20} MiB"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise ModelError(
                f"{path}: refusing a possible zip bomb: {name!r} is compressed "
                f"{info.file_size // max(1, info.compress_size)}:1 (at most {MAX_RATIO}:1)"
            )
    if len(tops) != 1:
        raise ModelError(
            f"{path}: an Argos package holds exactly one top-level folder, found {sorted(tops)[:5]}"
        )
    return tops.pop()


def _read_metadata(path: Path, zf: zipfile.ZipFile, top: str) -> dict[str, object]:
    """The package's metadata.json: a JSON object of a translate package with both codes."""
    try:
        info = zf.getinfo(f"{top}/metadata.json")
    except KeyError:
        raise ModelError(f"{path}: no {top}/metadata.json in the archive") from None
    if info.file_size > MAX_METADATA_BYTES:
        raise ModelError(
            f"{path}: metadata.json is {info.file_size} bytes (at most {MAX_METADATA_BYTES})"
        )
    with zf.open(info) as fh:
        raw = fh.read(MAX_METADATA_BYTES + 1)
    try:
        meta = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: metadata.json is not valid JSON: {exc}") from exc
    if not isinstance(meta, dict):
        raise ModelError(f"{path}: metadata.json must be a JSON object, not {type(meta).__name__}")
    if meta.get("type", "translate") != "translate":
        raise ModelError(f"{path}: a {meta.get('type')!r} package, not a translate package")
    for key in ("from_code", "to_code"):
        if not meta.get(key) or not isinstance(meta[key], str):
            raise ModelError(f"{path}: metadata.json has no {key}")
    return meta


def installed(directory: Path | None = None) -> list[InstalledModel]:
    """Installed translate packages (read with argostranslate's Package class).

    Folders whose name starts with a dot (installs in progress or interrupted) and folders
    that are not readable packages (no metadata.json, or not an object) are not packages."""
    package = argos_module("argostranslate.package")

    root = models_dir(directory)
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or not path.is_dir():
            continue
        try:
            meta = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
            if not isinstance(meta, dict):
                continue
            pkg = package.Package(path)
        except (OSError, ValueError, AttributeError, TypeError):
            continue
        if getattr(pkg, "type", "translate") != "translate":
            continue
        if not (isinstance(pkg.from_code, str) and isinstance(pkg.to_code, str)):
            continue
        record = _record(path)
        digest = record.get("sha256")
        out.append(
            InstalledModel(
                path,
                pkg.from_code,
                pkg.to_code,
                str(getattr(pkg, "package_name", "") or path.name),
                str(pkg.package_version),
                digest if isinstance(digest, str) else None,
                bool(isinstance(digest, str) and official_name(digest)),
            )
        )
    return sorted(out, key=lambda m: (m.pair, m.path.name))


def _record(path: Path) -> dict[str, object]:
    try:
        return json.loads((path / RECORD).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def find(from_code: str, to_code: str, directory: Path | None = None) -> InstalledModel:
    """The installed package for a pair, or an error naming the command that installs one."""
    for model in installed(directory):
        if (model.from_code, model.to_code) == (from_code, to_code):
            return model
    where = models_dir(directory)
    raise ModelError(
        f"no {from_code}→{to_code} model installed in {where}. Install one with:\n"
        f"  vien models install {from_code}-{to_code}            (online, from the Argos index)\n"
        f"  vien models install --from translate-{from_code}_{to_code}-1_9.argosmodel"
        "   (offline, from a downloaded file)"
    )


def install_file(
    path: Path,
    directory: Path | None = None,
    *,
    replace: bool = False,
    expected_sha256: str | None = None,
) -> InstalledModel:
    """Install an .argosmodel file after checking it (see :func:`inspect_archive`), atomically:
    unpacked into a temporary folder inside the package folder, checked, then renamed into
    place (see the module docstring)."""
    meta = inspect_archive(path)
    digest = sha256_file(path)
    if expected_sha256 and digest != expected_sha256:
        raise ModelError(f"{path}: checksum mismatch: sha256 {digest}, expected {expected_sha256}")
    root = models_dir(directory)
    pair = (str(meta["from_code"]), str(meta["to_code"]))
    top = str(meta["_top"])
    dest = root / top
    current = [m for m in installed(root) if (m.from_code, m.to_code) == pair]
    if current and not replace:
        raise ModelError(
            f"a {pair[0]}→{pair[1]} package is already installed at "
            f"{current[0].path}; use --replace to swap it"
        )
    if (dest.exists() or dest.is_symlink()) and dest not in {m.path for m in current}:
        other = next((m for m in installed(root) if m.path == dest), None)
        what = f"the {other.from_code}→{other.to_code} package" if other else "a folder"
        raise ModelError(
            f"{path}: its folder {top!r} would replace {what} at {dest}, which is not a "
            f"{pair[0]}→{pair[1]} package; refusing (remove or rename that folder first)"
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    except OSError as exc:
        raise ModelError(f"{root}: cannot create the package folder: {exc}") from exc
    try:
        _unpack(path, staging)
        new = staging / top
        if (
            not (new / "model" / "model.bin").is_file()
            or not (new / "sentencepiece.model").is_file()
        ):
            raise ModelError(
                f"{path}: the unpacked package lacks model/model.bin or sentencepiece.model"
            )
        record = {
            "archive": path.name,
            "sha256": digest,
            "size": path.stat().st_size,
            "official": official_name(digest),
            "files": _file_hashes(new),
        }
        (new / RECORD).write_text(
            json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        _swap(new, dest, [m.path for m in current], staging)
    except OSError as exc:
        raise ModelError(f"{path}: cannot install into {root}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return next(m for m in installed(root) if m.path == dest)


def _unpack(path: Path, staging: Path) -> None:
    """Extract every member of ``path`` under ``staging``, checking CRCs and counting the
    bytes actually written against :data:`MAX_UNPACKED_BYTES`."""
    written = 0
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                rel = PurePosixPath(info.filename.replace("\\", "/"))
                target = staging.joinpath(*rel.parts)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("xb") as out:
                    for chunk in iter(lambda: src.read(1 << 20), b""):
                        written += len(chunk)
                        if written > MAX_UNPACKED_BYTES:
                            raise ModelError(
                                f"{path}: refusing a possible zip bomb: the members unpack to "
                                f"more than {MAX_UNPACKED_BYTES >> 20} MiB"
                            )
                        out.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
        raise ModelError(f"{path}: damaged archive: {exc}") from exc


def _swap(new: Path, dest: Path, old: list[Path], staging: Path) -> None:
    """Move the packages being replaced into ``staging`` (deleted with it), then ``new`` to
    ``dest``; on failure, put the old packages back."""
    moved: list[tuple[Path, Path]] = []
    try:
        for k, p in enumerate(old):
            aside = staging / f"replaced-{k}"
            p.rename(aside)
            moved.append((aside, p))
        new.rename(dest)
    except OSError:
        for aside, p in reversed(moved):
            with contextlib.suppress(OSError):
                aside.rename(p)
        raise


def _file_hashes(top: Path) -> dict[str, str]:
    return {
        p.relative_to(top).as_posix(): sha256_file(p)
        for p in sorted(top.rglob("*"))
        if p.is_file() and p.name != RECORD
    }


def verify(model: InstalledModel) -> list[str]:
    """Problems with an installed package: files changed since install, unknown origin."""
    record = _record(model.path)
    if not record:
        return ["not installed by vien: no install record, the archive checksum is unknown"]
    problems = []
    recorded = record.get("files", {})
    now = _file_hashes(model.path)
    assert isinstance(recorded, dict)
    for name in sorted(set(recorded) | set(now)):
        if recorded.get(name) != now.get(name):
            state = (
                "missing" if name not in now else "added" if name not in recorded else "modified"
            )
            problems.append(f"{name} {state} since install")
    return problems


def install_online(
    pair: str,
    directory: Path | None = None,
    *,
    replace: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> InstalledModel:
    """Install the official package for ``pair`` through argostranslate's package index."""
    package = argos_module("argostranslate.package")
    settings = argos_module("argostranslate.settings")

    from_code, to_code = PAIRS[pair]
    try:
        import urllib.request  # imported here: start-up time

        with urllib.request.urlopen(settings.remote_package_index, timeout=30) as resp:
            index = json.loads(resp.read())
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot reach the Argos package index ({exc}). Offline? Download "
            f"translate-{from_code}_{to_code}-1_9.argosmodel on a connected machine and run "
            f"`vien models install --from FILE`"
        ) from exc
    available = [package.AvailablePackage(m) for m in index]
    matches = [
        p
        for p in available
        if (p.from_code, p.to_code) == (from_code, to_code)
        and getattr(p, "type", "translate") == "translate"
    ]
    if not matches:
        raise ModelError(f"the Argos index has no {from_code}→{to_code} package")
    pkg = matches[0]
    name = package.argospm_package_name(pkg) + ".argosmodel"
    dest = Path(settings.downloads_dir) / name
    _download(list(pkg.links), dest, progress)
    expected = OFFICIAL.get(name, (0, None))[1]
    try:
        return install_file(dest, directory, replace=replace, expected_sha256=expected)
    finally:
        dest.unlink(missing_ok=True)


def _download(links: list[str], dest: Path, progress: Callable[[int, int], None] | None) -> None:
    errors = []
    for url in links:
        tmp = dest.with_suffix(".part")
        try:
            import urllib.request  # imported here: start-up time

            with urllib.request.urlopen(url, timeout=60) as resp, tmp.open("wb") as fh:
                total = int(resp.headers.get("Content-Length") or 0)
                done = 0
                for chunk in iter(lambda: resp.read(1 << 16), b""):
                    fh.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            tmp.replace(dest)
            return
        except OSError as exc:
            errors.append(f"{url}: {exc}")
            tmp.unlink(missing_ok=True)
    raise ModelError("download failed: " + "; ".join(errors))
