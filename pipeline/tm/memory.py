"""The translation memory: segment pairs with provenance, in one SQLite file per site.

Each unit records its languages, both texts, where it came from (``human`` for segments taken
from aligned human sections, ``machine`` for MT output, ``reviewed``, ``imported`` from TMX,
``pseudo``/``identity`` for test engines), the glossary signature of the segment (a hash of
the glossary entries found in it, '' when none: see :func:`vien.translate.batch.segment_signature`;
stored in the ``glossary_version`` column) and the model id. Writes are
transactions, so a killed run leaves the memory as it was before or after a page, never between.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import StateError

#: Lookup preference: better provenance first.
PROVENANCE = ("reviewed", "human", "imported", "machine", "pseudo", "identity")
TRUSTED = ("reviewed", "human", "imported")
SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    src_hash TEXT NOT NULL,
    src_text TEXT NOT NULL,
    tgt_text TEXT NOT NULL,
    provenance TEXT NOT NULL,
    glossary_version TEXT NOT NULL DEFAULT '',
    model_id TEXT NOT NULL DEFAULT '',
    page TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    UNIQUE (src_lang, tgt_lang, src_hash, tgt_text, provenance, model_id)
);
CREATE INDEX IF NOT EXISTS units_lookup ON units (src_lang, tgt_lang, src_hash);
"""
COLUMNS = frozenset(
    (
        "src_lang tgt_lang src_hash src_text tgt_text provenance glossary_version model_id"
        " page created"
    ).split()
)
#: SQLite errors that mean the disk, not the file: the run stops, the memory is fine.
_DISK = ("disk is full", "disk i/o error", "readonly database", "unable to open")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Unit:
    """One segment pair."""

    src_lang: str
    tgt_lang: str
    src_text: str
    tgt_text: str
    provenance: str
    glossary_version: str = ""
    model_id: str = ""
    page: str = ""


class Memory:
    """A translation memory stored in SQLite (WAL mode, one transaction per batch)."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:  # look-ups only (a dry run): nothing is created or written
                self.db = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60, isolation_level=None
                )
            else:
                if path.is_dir():
                    raise sqlite3.DatabaseError("a folder, not a file")
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(SCHEMA)
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(units)")}
            if COLUMNS - columns:
                raise sqlite3.DatabaseError(
                    f"its units table lacks {', '.join(sorted(COLUMNS - columns))}"
                )
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> Exception:
        """The error to report for ``exc``: the disk's (an OSError) or a damaged memory's."""
        if any(d in str(exc).lower() for d in _DISK):
            return OSError(f"{exc} (translation memory {self.path})")
        return StateError(
            f"{self.path}: not a usable translation memory ({exc}). Move it aside (a new one "
            "is created; `vien tm import` refills it from aligned pages) or run with --no-memory"
        )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, units: Iterable[Unit]) -> int:
        """Store units in one transaction; returns how many were new."""
        rows = [
            (
                u.src_lang,
                u.tgt_lang,
                text_hash(u.src_text),
                u.src_text,
                u.tgt_text,
                u.provenance,
                u.glossary_version,
                u.model_id,
                u.page,
                time.time(),
            )
            for u in units
        ]
        if not rows:
            return 0
        before = self.db.total_changes  # INSERT OR IGNORE counts only the rows it inserts
        try:
            with self._transaction():
                self.db.executemany(
                    "INSERT OR IGNORE INTO units (src_lang, tgt_lang, src_hash, src_text,"
                    " tgt_text, provenance, glossary_version, model_id, page, created)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return self.db.total_changes - before

    def lookup(
        self,
        src_text: str,
        src_lang: str,
        tgt_lang: str,
        *,
        model_id: str | None = None,
        glossary_version: str | None = None,
    ) -> Unit | None:
        """The best exact match: trusted units first; machine units only from ``model_id``
        (and with ``glossary_version``, the segment's glossary signature, when given), so a
        new model retranslates, and so does a change to a glossary entry the segment
        contains."""
        try:
            rows = self.db.execute(
                "SELECT src_text, tgt_text, provenance, glossary_version, model_id, page"
                " FROM units WHERE src_lang = ? AND tgt_lang = ? AND src_hash = ?"
                " ORDER BY created DESC",
                (src_lang, tgt_lang, text_hash(src_text)),
            ).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        best = None
        for src, tgt, prov, gver, mid, page in rows:
            if src != src_text:
                continue
            if prov not in TRUSTED and (
                mid != model_id or (glossary_version is not None and gver != glossary_version)
            ):
                continue
            rank = PROVENANCE.index(prov) if prov in PROVENANCE else len(PROVENANCE)
            if best is None or rank < best[0]:
                best = (rank, Unit(src_lang, tgt_lang, src, tgt, prov, gver, mid, page))
        return best[1] if best else None

    def units(self, provenance: Iterable[str] | None = None) -> Iterator[Unit]:
        query = (
            "SELECT src_lang, tgt_lang, src_text, tgt_text, provenance, glossary_version,"
            " model_id, page FROM units"
        )
        args: list[str] = []
        if provenance is not None:
            wanted = list(provenance)
            query += f" WHERE provenance IN ({', '.join('?' * len(wanted))})"
            args = wanted
        for row in self.db.execute(query + " ORDER BY id", args):
            yield Unit(*row)

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM units").fetchone()[0])

    def _transaction(self) -> _Tx:
        return _Tx(self.db)


class _Tx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if not exc_type:
            self.db.execute("COMMIT")
            return
        # SQLite may have rolled back already (disk full, I/O error): report the first error
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("ROLLBACK")
