"""Errors that name the file and, where known, the line."""

from __future__ import annotations

from pathlib import Path


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
            + "refusing to write: "
            + "; ".join(problems[:5])
            + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
        )


class ConfigError(VienError):
    """A site configuration that cannot be read."""
