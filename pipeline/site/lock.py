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
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import structured
from ..atomic import write_atomic
from ..errors import StateError, naming

STATE_DIR = ".vien"
LOCK_FILE = "lock.json"
MEMORY_FILE = "memory.sqlite"
RUN_LOCK = "run.lock"
RUN_PID = "run.pid"  # the pid of the run holding RUN_LOCK, for the waiting message
#: Seconds a run waits quietly for another one before saying so.
WAIT_NOTICE_AFTER = 1.0


def page_hash(data: bytes) -> str:
    """The short hash of a page's bytes that the lock records."""
    return hashlib.sha256(data).hexdigest()[:16]


def _json(record: PageRecord) -> dict[str, object]:
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
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StateError(
                f"{self.path}: cannot read the vien lock file: {exc.strerror}"
            ) from None
        # A lock that cannot be read must not be taken for an empty one: every machine
        # section would then count as human, and source edits would never reach them.
        try:
            self.pages, self.pending = _parse(structured.load_json(raw.decode("utf-8")))
        except (UnicodeDecodeError, ValueError) as exc:
            raise StateError(
                f"{self.path}: damaged vien lock file ({exc}); without it vien cannot tell "
                "machine sections from human ones. Restore it (e.g. from git), or move it "
                "aside to start over: the next run then keeps every existing translation as "
                "human"
            ) from None

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
        data: dict[str, object] = {
            "version": 1,
            "pages": {k: _json(v) for k, v in sorted(self.pages.items())},
        }
        if self.pending:
            data["pending"] = {k: _json(v) for k, v in sorted(self.pending.items())}
        try:
            write_atomic(
                self.path,
                (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(
                    "utf-8"
                ),
            )
        except OSError as exc:
            raise naming(exc, self.path) from None


def _not_a_folder(state: Path) -> StateError:
    return StateError(f"{state}: not a folder; vien keeps its state there (move the file aside)")


def _parse(data: object) -> tuple[dict[str, PageRecord], dict[str, PageRecord]]:
    """The page records and the intents of a loaded lock file; ``ValueError`` saying what is
    wrong."""
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("pages", {}), dict)
        or not isinstance(data.get("pending", {}), dict)
    ):
        raise ValueError('not a vien lock file: expected {"version": 1, "pages": {…}}')
    return _records(data.get("pages") or {}), _records(data.get("pending") or {})


def _records(entries: dict[str, object]) -> dict[str, PageRecord]:
    """Page records from their JSON, checked field by field."""
    fields = {
        "index": int,
        "heading": str,
        "source_hash": str,
        "origin": str,
        "glossary": str,
    }
    pages = {}
    for name, page in entries.items():
        if not isinstance(page, dict) or not isinstance(page.get("sections", []), list):
            raise ValueError(f"entry {name!r} is not a page record")
        sections = []
        for s in page.get("sections", []):
            if (
                not isinstance(s, dict)
                or not set(s) <= set(fields)
                or not {"index", "heading", "source_hash", "origin"} <= set(s)
                or any(not isinstance(v, fields[k]) or isinstance(v, bool) for k, v in s.items())
            ):
                raise ValueError(f"entry {name!r} has a section record of the wrong shape: {s!r}")
            sections.append(SectionRecord(**s))
        source, target_hash = page.get("source", ""), page.get("target_hash", "")
        if not isinstance(source, str) or not isinstance(target_hash, str):
            raise ValueError(f"entry {name!r} has a source or target_hash that is not a string")
        pages[str(name)] = PageRecord(source, target_hash, sections)
    return pages


def _holder(path: Path) -> str:
    """The pid recorded by the run holding the lock, or "?" when it cannot be read."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "?"
    return text if text.isdigit() else "?"


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def run_lock(
    root: Path, *, wait: bool = True, notice: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold ``.vien/run.lock`` for the duration: a second run waits (or fails) until the
    first is done. The lock is ``filelock``'s: ``flock`` on POSIX, ``msvcrt`` locking on
    Windows, so the OS releases it if the process dies. The holder's pid is written to
    ``.vien/run.pid``; after :data:`WAIT_NOTICE_AFTER` seconds a waiting run says whom it
    waits for (through ``notice``, by default on stderr)."""
    from filelock import FileLock, Timeout  # imported here: start-up time

    state = root / STATE_DIR
    path, pid_path = state / RUN_LOCK, state / RUN_PID
    try:
        state.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            raise StateError(f"{path}: not a file; vien takes its run lock there (move it aside)")
        lock = FileLock(path)
        try:
            lock.acquire(timeout=WAIT_NOTICE_AFTER if wait else 0)
        except Timeout:
            if not wait:
                raise RuntimeError(
                    f"another vien run (pid {_holder(pid_path)}) holds {path}"
                ) from None
            (notice or _to_stderr)(
                f"waiting for another vien run (pid {_holder(pid_path)}) on {root}"
            )
            lock.acquire()
    except (FileExistsError, NotADirectoryError):
        raise _not_a_folder(state) from None
    except OSError as exc:
        raise StateError(f"{path}: cannot take the run lock: {exc.strerror or exc}") from None
    try:
        with contextlib.suppress(OSError):
            pid_path.write_text(f"{os.getpid()}\n", encoding="ascii")
        yield
    finally:
        with contextlib.suppress(OSError):
            pid_path.unlink()  # before the release: the next holder writes its own
        lock.release()
