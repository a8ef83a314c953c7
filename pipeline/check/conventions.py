"""What a site keeps in English on purpose, learned from the site itself.

A heading, title, label or table header left in the other language on two pages or more
("Frontend", "Worklog"), or a template title that only differs by its number ("Event 1",
"Event 2", "Blog 3": one convention, ``Event #``), is the site's convention, not an
oversight: ``vien check`` reports it as a ``notice`` (shown and counted, not failing) and
says so. Prose is never a convention.

The conventions are learned on a full run and stored in ``.vien/conventions.json``, so that
``--changed-only`` (which reads a few pages) gives the same answers as a full run; without
the file, a changed-only run learns them from every page first. ``vien check --conventions``
lists them with the ``vien glossary add`` command that confirms each one.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..atomic import write_atomic

FILE = "conventions.json"
#: Pages a heading or label must be kept on to be the site's convention.
MIN_PAGES = 2
#: Most words a convention has: longer text is a sentence, never a convention.
MAX_WORDS = 5

_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1 << 16)  # a site's findings repeat their texts: each is keyed once
def key(text: str) -> str:
    """What two kept titles have in common: case, spacing, edge punctuation and numbers
    ignored ("Event 1" and "event 2:" are ``event #``)."""
    text = re.sub(r"[*_`#>]+", " ", text)
    text = _NUMBER.sub("#", " ".join(text.split()).strip(" :.-–—|"))
    return text.casefold()


@dataclass(frozen=True, slots=True)
class Convention:
    """A text the site keeps as is, and where."""

    key: str
    text: str  # one occurrence, as written
    pages: int
    examples: tuple[str, ...]  # a few of the pages (relative to the site root)

    @property
    def template(self) -> bool:
        """A numbered template title ("Event #"): not a glossary term."""
        return "#" in self.key

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "key": self.key,
            "pages": self.pages,
            "template": self.template,
            "examples": list(self.examples),
        }

    def glossary_command(self) -> str:
        """The command that confirms it as a keep-term (none for a template)."""
        if self.template:
            return ""
        text = self.text.replace('"', '\\"')
        return f'vien glossary add "{text}" --note "kept in English on {self.pages} pages"'


@lru_cache(maxsize=1 << 16)
def candidate(text: str) -> bool:
    """Short enough to be a title or label the site keeps (prose never is)."""
    return 0 < len(_WORD.findall(text)) <= MAX_WORDS


def learn(kept: list[tuple[str, str]]) -> dict[str, Convention]:
    """Conventions from ``(page, text)`` pairs of titles and labels kept in the other
    language: those kept on :data:`MIN_PAGES` pages or more."""
    pages: dict[str, set[str]] = defaultdict(set)
    first: dict[str, str] = {}
    for page, text in kept:
        if not candidate(text):
            continue
        k = key(text)
        if k:
            pages[k].add(page)
            first.setdefault(k, " ".join(text.split()))
    return {
        k: Convention(k, first[k], len(p), tuple(sorted(p)[:3]))
        for k, p in sorted(pages.items())
        if len(p) >= MIN_PAGES
    }


def path(root: Path) -> Path:
    return root / ".vien" / FILE


def load(root: Path) -> dict[str, Convention] | None:
    """The stored conventions of the site at ``root``; None when there are none (or the
    file cannot be read: then they are learned again)."""
    try:
        data = json.loads(path(root).read_text(encoding="utf-8"))
        return {
            str(c["key"]): Convention(
                str(c["key"]), str(c["text"]), int(c["pages"]), tuple(map(str, c["examples"]))
            )
            for c in data["conventions"]
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(root: Path, found: dict[str, Convention]) -> None:
    """Write them to ``.vien/conventions.json`` when they changed (a read-only checkout is
    no error: they are learned again next time)."""
    data = {"version": 1, "conventions": [c.to_json() for c in found.values()]}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    target = path(root)
    with contextlib.suppress(OSError):
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            return
        if not found and not target.exists():
            return
        target.parent.mkdir(exist_ok=True)
        write_atomic(target, text.encode("utf-8"))
