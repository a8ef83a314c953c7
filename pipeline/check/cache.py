"""Findings kept per page pair in ``.vien/check-cache.json``, keyed by what they depend on.

A pair's key hashes both pages' bytes, the languages, the glossary version, the pair's lock
entry (or the source as of the counterpart's last commit), how the files are named in the
report, the site's heading ID settings and vien's own code: a re-run of ``vien check`` with
none of these changed reuses the findings (and the anchors of both pages, for the site-wide
anchor check) without parsing or aligning either page. The file is a cache: a damaged or missing
one is ignored, one that cannot be written is not an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Protocol

from ..atomic import write_atomic
from ..glossary.entries import Glossary
from ..page.anchors import HeadingIds
from ..site.lock import STATE_DIR, PageRecord, _json
from .anchors import PageAnchors

CACHE_FILE = "check-cache.json"
FORMAT = 2

#: A pair's result: findings (as JSON objects), unreadable pages, pages read, and the
#: anchors of the pages it parsed, in the order source, target (None: unreadable).
Result = tuple[list[dict[str, object]], list[str], int, tuple[PageAnchors | None, ...]]


class _PageLike(Protocol):
    @property
    def path(self) -> Path: ...


class _JobLike(Protocol):
    @property
    def src(self) -> _PageLike: ...
    @property
    def tgt(self) -> _PageLike | None: ...
    @property
    def src_lang(self) -> str: ...
    @property
    def tgt_lang(self) -> str: ...
    @property
    def record(self) -> PageRecord | None: ...
    @property
    def old_source(self) -> str | None: ...
    @property
    def ids(self) -> HeadingIds: ...


@cache
def code_stamp() -> str:
    """Changes whenever vien's own code changes: a hash of the name and bytes of each of its
    files (about 0.7 MB: a few milliseconds, once per run). Not their sizes and times, which
    another version installed from a wheel, or a checkout, can share."""
    return stamp_of(Path(__file__).resolve().parents[1])


def stamp_of(package: Path) -> str:
    """:func:`code_stamp` of the Python files under ``package`` (``*.py`` at any depth, in
    the order of their paths' parts)."""
    h = hashlib.sha256()
    for parts, path in sorted(_python_files(str(package), ())):
        with contextlib.suppress(OSError), open(path, "rb") as fh:
            data = fh.read()
            h.update(f"{'/'.join(parts)}\0{len(data)}\0".encode() + data)
    return h.hexdigest()[:16]


def _python_files(folder: str, parts: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(relative path parts, path) of each ``*.py`` under ``folder``, as ``Path.rglob``
    finds them (symbolic links to folders not followed), with plain strings: faster."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in list(entries):
            if entry.name.endswith(".py"):
                yield (*parts, entry.name), entry.path
            try:
                is_dir = entry.is_dir() and not entry.is_symlink()
            except OSError:
                continue
            if is_dir:
                yield from _python_files(entry.path, (*parts, entry.name))


def job_key(job: _JobLike, names: tuple[str, str], glossary: Glossary | None) -> str | None:
    """The key of ``job``'s findings; None when a page cannot be read (not cached)."""
    h = hashlib.sha256()
    try:
        pages = [job.src.path.read_bytes(), job.tgt.path.read_bytes() if job.tgt else b""]
    except OSError:
        return None
    record = json.dumps(_json(job.record), sort_keys=True) if job.record else ""
    parts = [
        str(FORMAT),
        code_stamp(),
        job.src_lang,
        job.tgt_lang,
        glossary.version if glossary is not None else "",
        *names,
        record,
        job.old_source if job.old_source is not None else "\0none",
        repr(job.ids),
    ]
    for part in parts:
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for page in pages:
        h.update(hashlib.sha256(page).digest())
    return h.hexdigest()[:32]


class CheckCache:
    """The cached results of one site (read at start, written once at the end)."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        """``enabled`` False: nothing is read or written (every pair is checked anew)."""
        self.path = root / STATE_DIR / CACHE_FILE
        self.enabled = enabled
        self.old: dict[str, object] = {}
        self.new: dict[str, object] = {}
        if not enabled:
            return
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT:
            entries = data.get("pairs")
            self.old = entries if isinstance(entries, dict) else {}

    def get(self, key: str | None) -> Result | None:
        """The result stored under ``key`` (kept for the next write), or None."""
        entry = self.old.get(key) if key else None
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("findings"), list)
            or not isinstance(entry.get("pages"), int)
            or not isinstance(entry.get("anchors"), list)
        ):
            return None
        anchors = tuple(None if a is None else PageAnchors.from_json(a) for a in entry["anchors"])
        if any(a is None and b is not None for a, b in zip(anchors, entry["anchors"], strict=True)):
            return None  # a damaged entry
        assert key is not None
        self.new[key] = entry
        return entry["findings"], [], entry["pages"], anchors

    def put(
        self,
        key: str | None,
        findings: Iterable[object],
        errors: list[str],
        pages: int,
        anchors: tuple[PageAnchors | None, ...] = (),
    ) -> None:
        """Store a pair's result (not one with an unreadable page: that may be passing)."""
        if key is None or errors:
            return
        self.new[key] = {
            "findings": [dataclasses.asdict(f) for f in findings],  # type: ignore[call-overload]
            "pages": pages,
            "anchors": [None if a is None else a.to_json() for a in anchors],
        }

    def save(self, *, keep_old: bool = False) -> None:
        """Write the entries used or made by this run (``keep_old``: and the earlier ones, for a
        run that checked only some pairs). Nothing is written when nothing changed."""
        entries = {**self.old, **self.new} if keep_old else self.new
        if not self.enabled or entries == self.old:
            return
        data = {"format": FORMAT, "pairs": dict(sorted(entries.items()))}
        with contextlib.suppress(OSError):  # a read-only site: no cache, no error
            write_atomic(self.path, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
