"""Atomic file writes: a reader, or a crash, sees the old file or the new one, never half."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .paths import contained


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The name of write_atomic's temporary files (``.NAME.XXXXXXXX.tmp``, as tempfile makes them).
TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")


def write_atomic(path: Path, data: bytes, *, root: Path | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: a reader (or a crash)
    sees the old file or the new one, never half of one.

    With ``root``, the write is refused (:class:`vien.paths.OutsideError`) unless it stays
    inside ``root``: not outside it, not through a symlink leading out of it, not replacing a
    symlink (checked before the folders are made and again before the rename)."""
    if root is not None:
        contained(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here: a run that writes nothing does not import it (start-up time)

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if root is not None:
            contained(path, root)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temps(
    folder: Path, *, suffixes: tuple[str, ...], recursive: bool = True
) -> list[Path]:
    """Delete the temporary files :func:`write_atomic` left in ``folder`` (and, when
    ``recursive``, its subfolders; symlinks and hidden folders are not entered) for files whose
    name ends with one of ``suffixes``: what a killed run leaves behind. Only call this while
    holding the lock that keeps every other writer of those files out. Returns what was
    removed."""
    removed: list[Path] = []
    if not folder.is_dir() or folder.is_symlink():
        return removed
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")] if recursive else []
        for name in filenames:
            m = TEMP_NAME.fullmatch(name)
            if m is None or not m.group("name").endswith(suffixes):
                continue
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                try:
                    path.unlink()
                except OSError:
                    continue
                removed.append(path)
    return removed
