"""Containment: the one check every page read and write of a run goes through.

Discovery does not follow a symlink that leads out of the content folder, nor reads a page
file that is a symlink to a place outside it. :func:`contained` makes the same promise hold
for the paths vien computes itself (a target page, a page under ``--out``): a path is refused
when it is not below its root, when one of its components below the root is a symlink that
leads out of the root, or when the file itself is a symlink (replacing it would not write
where the link points, and reading it would read what it points to).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import PageError


class OutsideError(PageError):
    """A path that vien will not read or write: outside its root, or through a symlink."""


def _lexical(path: Path) -> Path:
    return Path(os.path.normpath(os.path.abspath(path)))


class Resolver:
    """``path.resolve()`` for the many pages of a run, which sit in few folders: each folder is
    resolved once (its symbolic links followed) and a file name is joined to it, unless the
    file is itself a symbolic link. A folder that becomes a link while the resolver is in use
    is not seen: make one per run."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        self._roots: dict[str, str] = {}  # the folders paths are taken relative to

    def text(self, path: Path | str) -> str:
        """``str(Path(path).resolve())``."""
        name = os.fspath(path)
        if os.name != "posix" or ".." in name.split(os.sep):
            # ".." after a link leads into the target's parent; elsewhere, names are also
            # given the case they have on disk
            return str(Path(name).resolve())
        folder, base = os.path.split(os.path.normpath(os.path.abspath(name)))
        if not base or os.path.islink(os.path.join(folder, base)):
            return str(Path(name).resolve())
        return os.path.join(self._folder(folder), base)

    def _folder(self, folder: str) -> str:
        """``folder`` (absolute, normalised) resolved: its parent's resolved path and its
        name, unless it is a link."""
        real = self._folders.get(folder)
        if real is None:
            parent, name = os.path.split(folder)
            if not name or os.path.islink(folder):
                real = str(Path(folder).resolve())
            else:
                real = os.path.join(self._folder(parent), name)
            self._folders[folder] = real
        return real

    def __call__(self, path: Path) -> Path:
        """``path.resolve()``."""
        return Path(self.text(path))

    def relative(self, path: Path | str, root: Path | str) -> str:
        """``path`` resolved, relative to ``root`` resolved, as POSIX text (``ValueError``
        when it is not below ``root``), as ``Path.relative_to`` gives it."""
        real, base = self.text(path), self._roots.get(os.fspath(root))
        if base is None:
            base = self._roots[os.fspath(root)] = self.text(root)
        if os.name != "posix":  # names compared without case, separators of two kinds
            return Path(real).relative_to(base).as_posix()  # pragma: no cover
        if real == base:
            return "."
        if not real.startswith(base.rstrip("/") + "/"):
            raise ValueError(f"{real!r} is not in the subpath of {base!r}")
        return real[len(base.rstrip("/")) + 1 :]


def contained(path: Path, root: Path) -> Path:
    """``path`` if reading or writing it stays inside ``root``; :class:`OutsideError`
    (naming ``path``) otherwise. ``root`` itself may be a symlink; nothing below it may be
    one that leads out of it, and the file itself may not be a symlink."""
    lex_root, lex = _lexical(root), _lexical(path)
    if lex == lex_root or not lex.is_relative_to(lex_root):
        raise OutsideError(f"outside {root} (not followed)", path=path)
    real_root = None  # resolved when a symlink is met: most paths have none
    current = lex_root
    parts = lex.relative_to(lex_root).parts
    for k, part in enumerate(parts):
        current = current / part
        if not current.is_symlink():
            if not os.path.lexists(current):
                break  # nothing below exists yet: it will be created as real folders
            continue
        if k == len(parts) - 1:
            raise OutsideError(f"is a symlink, to {current.resolve()} (not followed)", path=path)
        real, real_root = current.resolve(), real_root or lex_root.resolve()
        if not real.is_relative_to(real_root):
            raise OutsideError(
                f"{current} is a symlink to {real}, outside {root} (not followed)", path=path
            )
    # without a symlink below the root (each component was looked at above; a normalised
    # path holds no ".."), the parent resolves to a folder of the root's own
    if real_root is not None and not lex.parent.resolve().is_relative_to(real_root):
        raise OutsideError(f"leads outside {root} (not followed)", path=path)
    return path
