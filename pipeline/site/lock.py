"""A site's vien state: ``.vien/lock.json`` (what each target section came from) and a lock
so two runs on the same site cannot interleave.

The lock file is sorted, indented JSON, written atomically after every page, so a diff shows
exactly which sections changed provenance and a killed run loses at most the page in flight.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from ..atomic import write_atomic

STATE_DIR = ".vien"
LOCK_FILE = "lock.json"
MEMORY_FILE = "memory.sqlite"
RUN_LOCK = "run.lock"
RUN_PID = "run.pid"  # the pid of the run holding RUN_LOCK, for the waiting message
#: Seconds a run waits quietly for another one before saying so.
WAIT_NOTICE_AFTER = 1.0


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
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                data = {}  # a damaged lock only costs a re-check of every page
            for name, page in (data.get("pages") or {}).items():
                self.pages[name] = PageRecord(
                    page.get("source", ""),
                    page.get("target_hash", ""),
                    [SectionRecord(**s) for s in page.get("sections", [])],
                )

    def key(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def get(self, target: Path) -> PageRecord | None:
        return self.pages.get(self.key(target))

    def set(self, target: Path, record: PageRecord) -> None:
        self.pages[self.key(target)] = record
        self.save()

    def save(self) -> None:
        data = {"version": 1, "pages": {k: asdict(v) for k, v in sorted(self.pages.items())}}
        write_atomic(
            self.path,
            (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"),
        )


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
    state = root / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    path, pid_path = state / RUN_LOCK, state / RUN_PID
    lock = FileLock(path)
    try:
        lock.acquire(timeout=WAIT_NOTICE_AFTER if wait else 0)
    except Timeout:
        if not wait:
            raise RuntimeError(f"another vien run (pid {_holder(pid_path)}) holds {path}") from None
        (notice or _to_stderr)(f"waiting for another vien run (pid {_holder(pid_path)}) on {root}")
        lock.acquire()
    try:
        with contextlib.suppress(OSError):
            pid_path.write_text(f"{os.getpid()}\n", encoding="ascii")
        yield
    finally:
        with contextlib.suppress(OSError):
            pid_path.unlink()  # before the release: the next holder writes its own
        lock.release()
