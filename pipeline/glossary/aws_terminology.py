"""Amazon Translate custom terminology (CSV) storage for the glossary.

The format: UTF-8 CSV, a header row of language codes (``en,vi``), then one row per term with
its text in each language. A keep (do-not-translate) term has the same text in both columns,
which is how Amazon Translate keeps a term as it is. The format holds only the term, its
rendering and (through equal texts) the mode: case sensitivity, notes and review status cannot
be carried, so importing sets only those three fields of existing entries, and new entries get
vien's defaults (insensitive for an all-lowercase term, status proposed, no note).

Reading accepts files with more language columns (a multi-directional terminology): the ``en``
and ``vi`` columns are used (codes such as ``en-US`` and ``vi-VN`` count), and rows where one
of them is empty are skipped with a warning.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from .entries import Entry, GlossaryError, TermFileStore, clean, make_entry, sort_key

#: The fields this format can hold (what an import may change in an existing entry).
FIELDS = ("en", "vi", "mode")


class AwsTerminologyStore(TermFileStore):
    """Reads and writes Amazon Translate custom terminology CSV files."""

    @staticmethod
    def dumps(entries: Iterable[Entry]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["en", "vi"])
        for e in sorted(entries, key=sort_key):
            writer.writerow([e.en, e.term("vi")])
        return out.getvalue().encode("utf-8")

    @staticmethod
    def load(path: Path) -> tuple[list[Entry], list[str]]:
        """The entries of a terminology file, and warnings about rows that were skipped."""
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                rows, last = [], 0
                for record in reader:  # with the line each record starts on
                    rows.append((last + 1, record))
                    last = reader.line_num
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise GlossaryError(f"{path}: cannot read terminology CSV: {exc}") from exc
        if not rows:
            raise GlossaryError(f"{path}: empty file (expected a header row: en,vi)")
        header = rows[0][1]
        codes = [c.strip().lower().replace("_", "-").split("-")[0] for c in header]
        if "en" not in codes or "vi" not in codes:
            raise GlossaryError(
                f"{path}:1: the header must name the languages en and vi "
                f"(found {','.join(header)!r})"
            )
        ien, ivi = codes.index("en"), codes.index("vi")
        entries, warnings = [], []
        for n, row in rows[1:]:
            if not any(cell.strip() for cell in row):
                continue
            en = clean(row[ien]) if ien < len(row) else ""
            vi = clean(row[ivi]) if ivi < len(row) else ""
            if not en or not vi:
                warnings.append(f"{path}:{n}: no {'en' if not en else 'vi'} text; skipped")
                continue
            entries.append(make_entry(en, vi, status="proposed"))
        return entries, warnings
