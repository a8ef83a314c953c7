"""Errors that name the file and, where known, the line."""

from __future__ import annotations

import errno
from pathlib import Path

#: errno values about the disk or the machine rather than one file: they stop a run (every
#: later page would fail the same way), where a page's own error only fails that page.
_ENVIRONMENT = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.ENOMEM, errno.ENFILE})


def stops_run(exc: OSError) -> bool:
    """True when ``exc`` is the environment's failure (disk full, I/O error…), not a page's."""
    return exc.errno is None or exc.errno in _ENVIRONMENT


def naming(exc: OSError, path: Path | str) -> OSError:
    """``exc``, naming ``path`` when it names no file (a failed write or fsync)."""
    if exc.filename is not None or exc.errno is None:
        return exc
    return OSError(exc.errno, exc.strerror, str(path))


def os_message(exc: OSError) -> str:
    """``FILE: what went wrong`` for an OSError, without Python's ``[Errno N]``."""
    if exc.strerror is None:
        return str(exc)
    name = exc.filename2 if exc.filename2 is not None else exc.filename
    return f"{name}: {exc.strerror}" if name is not None else exc.strerror


class VienError(Exception):
    """Base class for errors vien reports to the user."""


class PageError(VienError):
    """A page that cannot be read or parsed: bad bytes, bad front matter, unclosed shortcode…"""

    def __init__(
        self, message: str, *, path: Path | str | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def located(self, path: Path | str) -> PageError:
        """The same error, naming ``path`` when it did not name a file yet."""
        if self.path is None:
            self.path = Path(path)
        return self

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        elif self.line:
            where = f"line {self.line}: "
        return f"{where}{self.message}"


class InvariantError(VienError):
    """A rendered page that is not equivalent to its source; it must not be written."""

    def __init__(self, problems: list[str], path: Path | str | None = None) -> None:
        self.problems = problems
        self.path = path
        head = f"{path}: " if path else ""
        super().__init__(
            head
            + "not written, the page is left as it is: the translation would change more than "
            + "its text: "
            + "; ".join(problems[:5])
            + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
        )


class ConfigError(VienError):
    """A site configuration that cannot be read."""


class StateError(VienError):
    """vien's own state (``.vien/lock.json``, ``memory.sqlite``, the run lock) cannot be read or
    used: the run stops before it can do harm, with a message naming the file and what to do."""
