"""Translation model packages, managed through argostranslate's package API.

Packages live in argostranslate's package folder (its settings: ``ARGOS_PACKAGES_DIR``,
``XDG_DATA_HOME``…) unless ``--models-dir`` or ``VIEN_MODELS_DIR`` says otherwise. Installing
from a file checks the archive first: a zip, one top-level folder holding ``metadata.json``,
no member that would land outside that folder (zip-slip), a translate package. Its SHA-256 is
recorded and compared with the official packages' checksums.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import shutil
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
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
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        tops = set()
        for name in names:
            p = PurePosixPath(name.replace("\\", "/"))
            if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
                raise ModelError(
                    f"{path}: refusing an archive member that would be written "
                    f"outside the package folder: {name!r}"
                )
            info = zf.getinfo(name)
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise ModelError(f"{path}: refusing a symbolic link in the archive: {name!r}")
            if p.parts:
                tops.add(p.parts[0])
        if len(tops) != 1:
            raise ModelError(
                f"{path}: an Argos package holds exactly one top-level folder, "
                f"found {sorted(tops)[:5]}"
            )
        top = tops.pop()
        try:
            meta = json.loads(zf.read(f"{top}/metadata.json"))
        except KeyError:
            raise ModelError(f"{path}: no {top}/metadata.json in the archive") from None
        except json.JSONDecodeError as exc:
            raise ModelError(f"{path}: metadata.json is not valid JSON: {exc}") from exc
    if meta.get("type", "translate") != "translate":
        raise ModelError(f"{path}: a {meta.get('type')!r} package, not a translate package")
    for key in ("from_code", "to_code"):
        if not meta.get(key):
            raise ModelError(f"{path}: metadata.json has no {key}")
    required = {f"{top}/model/model.bin", f"{top}/sentencepiece.model"}
    if not required <= set(names):
        raise ModelError(
            f"{path}: missing {sorted(required - set(names))} (vien needs a "
            "CTranslate2 model and a SentencePiece model)"
        )
    meta["_top"] = top
    return meta


@contextlib.contextmanager
def _argos_dir(target: Path) -> Iterator[None]:
    """Point argostranslate's package folder at ``target`` for the duration."""
    settings = argos_module("argostranslate.settings")

    saved = (settings.package_data_dir, list(settings.package_dirs))
    settings.package_data_dir = target
    settings.package_dirs = [target]
    try:
        yield
    finally:
        settings.package_data_dir, settings.package_dirs = saved[0], saved[1]


def installed(directory: Path | None = None) -> list[InstalledModel]:
    """Installed translate packages (read with argostranslate's Package class)."""
    package = argos_module("argostranslate.package")

    root = models_dir(directory)
    if not root.is_dir():
        return []
    out = []
    for pkg in package.get_installed_packages([root]):
        if getattr(pkg, "type", "translate") != "translate":
            continue
        record = _record(Path(pkg.package_path))
        sha = record.get("sha256")
        digest = sha if isinstance(sha, str) else None
        out.append(
            InstalledModel(
                Path(pkg.package_path),
                pkg.from_code,
                pkg.to_code,
                str(getattr(pkg, "package_name", "") or pkg.package_path.name),
                str(pkg.package_version),
                digest,
                bool(digest and official_name(digest)),
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
    """Install an .argosmodel file after checking it (see :func:`inspect_archive`)."""
    package = argos_module("argostranslate.package")

    meta = inspect_archive(path)
    digest = sha256_file(path)
    if expected_sha256 and digest != expected_sha256:
        raise ModelError(f"{path}: checksum mismatch: sha256 {digest}, expected {expected_sha256}")
    root = models_dir(directory)
    root.mkdir(parents=True, exist_ok=True)
    pair = (str(meta["from_code"]), str(meta["to_code"]))
    for model in installed(root):
        if (model.from_code, model.to_code) == pair:
            if not replace:
                raise ModelError(
                    f"a {pair[0]}→{pair[1]} package is already installed at "
                    f"{model.path}; use --replace to swap it"
                )
            shutil.rmtree(model.path)
    top = root / str(meta["_top"])
    if top.exists():
        shutil.rmtree(top)
    with _argos_dir(root):
        package.install_from_path(path)
    record = {
        "archive": path.name,
        "sha256": digest,
        "size": path.stat().st_size,
        "official": official_name(digest),
        "files": _file_hashes(top),
    }
    (top / RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return next(m for m in installed(root) if m.path == top)


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
