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


def contained(path: Path, root: Path) -> Path:
    """``path`` if reading or writing it stays inside ``root``; :class:`OutsideError`
    (naming ``path``) otherwise. ``root`` itself may be a symlink; nothing below it may be
    one that leads out of it, and the file itself may not be a symlink."""
    lex_root, lex = _lexical(root), _lexical(path)
    if lex == lex_root or not lex.is_relative_to(lex_root):
        raise OutsideError(f"outside {root} (not followed)", path=path)
    real_root = lex_root.resolve()
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
        real = current.resolve()
        if not real.is_relative_to(real_root):
            raise OutsideError(
                f"{current} is a symlink to {real}, outside {root} (not followed)", path=path
            )
    if not lex.parent.resolve().is_relative_to(real_root):
        raise OutsideError(f"leads outside {root} (not followed)", path=path)
    return path
