"""A site's vien state: ``.vien/lock.json`` (what each target section came from) and a lock
so two runs on the same site cannot interleave.

The lock file is sorted, indented JSON, written atomically after every page, so a diff shows
exactly which sections changed provenance and a killed run loses at most the page in flight.

A page's entry is first saved as an *intent* (under ``pending``, with the hash of the bytes
about to be written), then the page is renamed into place, then the entry is saved for good.
After a kill between the two saves, the next run finds the intent: if the page's bytes hash to
it, the page is vien's own output and the entry is adopted as the killed run would have
saved it; if not, the page was not replaced and the intent is dropped. Either way the lock
ends as an uninterrupted run leaves it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_atomic

STATE_DIR = ".vien"
LOCK_FILE = "lock.json"
MEMORY_FILE = "memory.sqlite"
RUN_LOCK = "run.lock"


def page_hash(data: bytes) -> str:
    """The short hash of a page's bytes that the lock records."""
    return hashlib.sha256(data).hexdigest()[:16]


def _json(record: PageRecord) -> dict:
    """``asdict(record)``, faster (the lock is saved after every page)."""
    return {
        "source": record.source,
        "target_hash": record.target_hash,
        "sections": [
            {
                "index": s.index,
                "heading": s.heading,
                "source_hash": s.source_hash,
                "origin": s.origin,
                "glossary": s.glossary,
            }
            for s in record.sections
        ],
    }


def _page_record(page: dict) -> PageRecord:
    return PageRecord(
        page.get("source", ""),
        page.get("target_hash", ""),
        [SectionRecord(**s) for s in page.get("sections", [])],
    )


@dataclass(frozen=True, slots=True)
class SectionRecord:
    """Where one target section came from."""

    index: int
    heading: str
    source_hash: str  # hash of the source section's text when the target was recorded
    origin: str  # human, tm, machine:<model id>, pseudo, identity, carried
    glossary: str = ""


@dataclass(slots=True)
class PageRecord:
    """The lock entry of one target page."""

    source: str
    target_hash: str
    sections: list[SectionRecord] = field(default_factory=list)

    def section_for(self, index: int, heading: str) -> SectionRecord | None:
        """The record of source section ``index``: the one with that index and heading, else
        the first with that heading (sections were inserted or removed before it)."""
        return next(
            (r for r in self.sections if r.index == index and r.heading == heading),
            next((r for r in self.sections if r.heading == heading), None),
        )


class LockFile:
    """Read and update ``.vien/lock.json`` (paths relative to the site root)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / STATE_DIR / LOCK_FILE
        self.pages: dict[str, PageRecord] = {}
        self.pending: dict[str, PageRecord] = {}  # intents: see the module's docstring
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                data = {}  # a damaged lock only costs a re-check of every page
            for name, page in (data.get("pages") or {}).items():
                self.pages[name] = _page_record(page)
            for name, page in (data.get("pending") or {}).items():
                self.pending[name] = _page_record(page)

    def key(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def get(self, target: Path) -> PageRecord | None:
        return self.pages.get(self.key(target))

    def set(self, target: Path, record: PageRecord, *, save: bool = True) -> None:
        key = self.key(target)
        self.pages[key] = record
        self.pending.pop(key, None)
        if save:
            self.save()

    def intend(self, target: Path, record: PageRecord) -> None:
        """Save ``record`` as the intent for ``target``, before its new bytes (hashing to
        ``record.target_hash``) are renamed into place."""
        self.pending[self.key(target)] = record
        self.save()

    def forget(self, target: Path) -> None:
        """Drop the intent for ``target`` (its write failed)."""
        if self.pending.pop(self.key(target), None) is not None:
            self.save()

    def recover(self, *, save: bool = True) -> list[str]:
        """Settle the intents a killed run left: adopt each whose page holds exactly the
        intended bytes, drop the others. Returns the keys adopted."""
        if not self.pending:
            return []
        adopted = []
        for key, record in sorted(self.pending.items()):
            path = Path(key) if Path(key).is_absolute() else self.root / key
            try:
                data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
            except OSError:
                data = None
            if data is not None and page_hash(data) == record.target_hash:
                self.pages[key] = record
                adopted.append(key)
        self.pending.clear()
        if save:
            self.save()
        return adopted

    def save(self) -> None:
        data: dict = {"version": 1, "pages": {k: _json(v) for k, v in sorted(self.pages.items())}}
        if self.pending:
            data["pending"] = {k: _json(v) for k, v in sorted(self.pending.items())}
        write_atomic(
            self.path,
            (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"),
        )


def _holder(fd: int) -> str:
    """The pid the run holding the lock wrote into it ('?' when unknown)."""
    try:
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
    except OSError:
        return "?"


def _wait_for(fd: int, root: Path, after: float = 1.0) -> None:
    """Block until the lock is ours; past ``after`` seconds, say on stderr whom we wait for."""
    done = threading.Event()

    def tell() -> None:
        if not done.wait(after):
            print(
                f"waiting for another vien run (pid {_holder(fd)}) on {root}",
                file=sys.stderr,
                flush=True,
            )

    teller = threading.Thread(target=tell, daemon=True)
    teller.start()
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    finally:
        done.set()
        teller.join()


@contextlib.contextmanager
def run_lock(root: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold ``.vien/run.lock`` for the duration: a second run waits (or fails) until the
    first is done. The lock is released by the OS if the process dies."""
    path = root / STATE_DIR / RUN_LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise RuntimeError(f"another vien run holds {path}") from None
            _wait_for(fd, root)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock
