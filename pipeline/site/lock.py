"""A site's vien state: ``.vien/lock.json`` (what each target section came from) and a lock
so two runs on the same site cannot interleave.

The lock file is sorted, indented JSON, so a diff shows exactly which sections changed
provenance. It is written atomically once per batch of pages and at the end of a run (its
cost grows with the site: rewriting it after every page made a run quadratic in pages); in
between, every change is appended to the
journal ``.vien/lock.journal``, one JSON line each, which every reader replays on top of
``lock.json``. A killed run loses at most the page in flight.

A page's entry is first journaled as an *intent* (``pending``, with the hash of the bytes about
to be written; the line is flushed to disk), then the page is renamed into place, then the
entry is journaled for good. After a kill between the two, the next run finds the intent: if
the page's bytes hash to it, the page is vien's own output and the entry is adopted as the
killed run would have saved it; if not, the page was not replaced and the intent is dropped.
Either way the lock ends as an uninterrupted run leaves it. A torn last journal line (a kill
mid-append) is ignored: its page was not yet replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .. import structured
from ..atomic import write_atomic
from ..errors import StateError, naming
from ..paths import Resolver

STATE_DIR = ".vien"
LOCK_FILE = "lock.json"
JOURNAL_FILE = "lock.journal"
MEMORY_FILE = "memory.sqlite"
RUN_LOCK = "run.lock"
RUN_PID = "run.pid"  # the pid of the run holding RUN_LOCK, for the waiting message
#: Seconds a run waits quietly for another one before saying so.
WAIT_NOTICE_AFTER = 1.0


def page_hash(data: bytes) -> str:
    """The short hash of a page's bytes that the lock records."""
    return hashlib.sha256(data).hexdigest()[:16]


def _json(record: PageRecord) -> dict[str, object]:
    """``asdict(record)``, faster; the page-level hashes only when recorded."""
    out: dict[str, object] = {
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
    if record.source_page_hash:
        out["source_page_hash"] = record.source_page_hash
    if record.stamp:
        out["stamp"] = record.stamp
    return out


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
    #: The hash of the source page's bytes and the run's settings (glossary version, engine,
    #: options) when the entry was recorded: both unchanged, and the target's bytes still
    #: hashing to ``target_hash``, the page is up to date without being parsed.
    source_page_hash: str = ""
    stamp: str = ""

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
        self.journal = root / STATE_DIR / JOURNAL_FILE
        self.pages: dict[str, PageRecord] = {}
        self.pending: dict[str, PageRecord] = {}  # intents: see the module's docstring
        self.dirty = False  # changes not yet in lock.json
        self._log: BinaryIO | None = None
        self._resolved = Resolver()  # the pages' folders, each resolved once
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._replay()
            return
        except OSError as exc:
            raise StateError(
                f"{self.path}: cannot read the vien lock file: {exc.strerror}"
            ) from None
        # A lock that cannot be read must not be taken for an empty one: every machine
        # section would then count as human, and source edits would never reach them.
        try:
            data = structured.load_json(raw.decode("utf-8"), walk=False)  # shape: _parse
            self.pages, self.pending = _parse(data)
        except (UnicodeDecodeError, ValueError) as exc:
            raise StateError(
                f"{self.path}: damaged vien lock file ({exc}); without it vien cannot tell "
                "machine sections from human ones. Restore it (e.g. from git), or move it "
                "aside to start over: the next run then keeps every existing translation as "
                "human"
            ) from None
        self._replay()

    def _replay(self) -> None:
        """Apply the journal a run left (killed, or not yet compacted) on top of lock.json."""
        try:
            raw = self.journal.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StateError(f"{self.journal}: cannot read: {exc.strerror}") from None
        lines = raw.split(b"\n")
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = structured.load_json(line.decode("utf-8"), walk=False)
                if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                    raise ValueError("not a journal entry")
                op, key = entry.get("op"), entry["key"]
                record = _records({key: entry["record"]})[key] if "record" in entry else None
            except (UnicodeDecodeError, ValueError, KeyError) as exc:
                if n == len(lines):  # the torn last line of a killed append (no newline)
                    break
                raise StateError(
                    f"{self.journal}:{n}: damaged vien lock journal ({exc}); restore "
                    f"{self.path} (e.g. from git) and move the journal aside"
                ) from None
            if op == "intend" and record is not None:
                self.pending[key] = record
            elif op == "set" and record is not None:
                self.pages[key] = record
                self.pending.pop(key, None)
            elif op == "forget":
                self.pending.pop(key, None)
            self.dirty = True

    def _append(self, entry: dict[str, object], *, durable: bool) -> None:
        """Append one line to the journal; ``durable``: on disk before this returns."""
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        try:
            if self._log is None:
                self.journal.parent.mkdir(parents=True, exist_ok=True)
                self._log = self.journal.open("ab")
            self._log.write(line)
            self._log.flush()
            if durable:
                os.fsync(self._log.fileno())
        except OSError as exc:
            raise naming(exc, self.journal) from None
        self.dirty = True

    def close(self) -> None:
        """Close the journal (its lines stay; :meth:`save` folds them into lock.json)."""
        if self._log is not None:
            with contextlib.suppress(OSError):
                self._log.close()
            self._log = None

    def key(self, path: Path) -> str:
        """``path``'s entry name: relative to the site root (both resolved), else absolute."""
        try:
            return self._resolved.relative(path, self.root)
        except ValueError:
            return self._resolved(path).as_posix()

    def get(self, target: Path) -> PageRecord | None:
        return self.pages.get(self.key(target))

    def set(self, target: Path, record: PageRecord, *, save: bool = True) -> None:
        """Record ``target``'s entry; ``save``: journaled now (else by :meth:`save`)."""
        key = self.key(target)
        self.pages[key] = record
        had_intent = self.pending.pop(key, None) is not None
        if save or had_intent:
            self._append({"op": "set", "key": key, "record": _json(record)}, durable=False)
        else:
            self.dirty = True

    def intend(self, target: Path, record: PageRecord, *, durable: bool = True) -> None:
        """Journal ``record`` as the intent for ``target`` (on disk when this returns, or,
        unless ``durable``, after :meth:`sync`), before its new bytes (hashing to
        ``record.target_hash``) are renamed into place."""
        key = self.key(target)
        self.pending[key] = record
        self._append({"op": "intend", "key": key, "record": _json(record)}, durable=durable)

    def sync(self) -> None:
        """Make the journal's lines so far durable (on disk)."""
        if self._log is not None:
            try:
                self._log.flush()
                os.fsync(self._log.fileno())
            except OSError as exc:
                raise naming(exc, self.journal) from None

    def forget(self, target: Path) -> None:
        """Drop the intent for ``target`` (its write failed)."""
        key = self.key(target)
        if self.pending.pop(key, None) is not None:
            self._append({"op": "forget", "key": key}, durable=False)

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
        """Write lock.json whole (atomically), then drop the journal it now contains."""
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
        self.close()
        try:
            self.journal.unlink(missing_ok=True)
        except OSError as exc:
            raise naming(exc, self.journal) from None
        self.dirty = False


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
        strings = [page.get(k, "") for k in ("source", "target_hash", "source_page_hash", "stamp")]
        if not all(isinstance(v, str) for v in strings):
            raise ValueError(f"entry {name!r} has a hash, source or stamp that is not a string")
        source, target_hash, page_hash_, stamp = strings
        pages[str(name)] = PageRecord(source, target_hash, sections, page_hash_, stamp)
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


class _Held(Exception):
    """Another run holds the lock (the timeout given to :meth:`_Flock.acquire` passed)."""


class _Flock:
    """An exclusive ``flock`` on a file, as ``filelock`` takes it on POSIX, without importing
    it (its logging and asyncio support cost a run's start-up about 20 ms)."""

    #: Seconds between two tries while the timeout runs.
    POLL = 0.05

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock, waiting at most ``timeout`` seconds (None: as long as it takes);
        :class:`_Held` when it is still held by then."""
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if timeout is None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise _Held from None
                        time.sleep(self.POLL)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Let the lock go (closing the file lets it go, as does the process's end)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


def _file_lock(path: Path) -> tuple[Any, type[Exception]]:
    """The run lock on ``path`` and the exception of a timed-out wait for it: a ``flock`` of
    our own where the system has ``fcntl``, else ``filelock``'s (``msvcrt`` on Windows)."""
    try:
        import fcntl  # noqa: F401
    except ImportError:
        from filelock import FileLock, Timeout  # imported here: start-up time

        return FileLock(path), Timeout
    return _Flock(path), _Held


@contextlib.contextmanager
def run_lock(
    root: Path, *, wait: bool = True, notice: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold ``.vien/run.lock`` for the duration: a second run waits (or fails) until the
    first is done. The lock is ``flock`` on POSIX, ``filelock``'s ``msvcrt`` locking on
    Windows, so the OS releases it if the process dies. The holder's pid is written to
    ``.vien/run.pid``; after :data:`WAIT_NOTICE_AFTER` seconds a waiting run says whom it
    waits for (through ``notice``, by default on stderr)."""
    state = root / STATE_DIR
    path, pid_path = state / RUN_LOCK, state / RUN_PID
    try:
        state.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            raise StateError(f"{path}: not a file; vien takes its run lock there (move it aside)")
        lock, busy = _file_lock(path)
        try:
            lock.acquire(timeout=WAIT_NOTICE_AFTER if wait else 0)
        except busy:
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
