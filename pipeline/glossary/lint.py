"""Checks of a glossary CSV, each a small function from rows to findings with line numbers.

A finding names the check, the CSV line and what is wrong, like a linter::

    glossaries/aws.csv:12: conflict: 'ECS' is also on line 9 with another rendering or mode

Overlapping terms: one term *inside* another (``Amazon S3`` and ``S3``, ``Amazon EC2 instance``
and ``Amazon EC2``) is how the glossary is meant to be written; matching is leftmost-longest,
so the longer term always wins, and no check reports it. What matching cannot settle is a
*partial* overlap, where the end of one term is the start of another (``database migration``
and ``migration task``): in "database migration task" only the leftmost applies and the other
is lost. Whether that matters depends on the text, not on the glossary (the shipped glossary
has about thirty such pairs, most of them phrases no page contains), so the ``overlap`` check
is advisory: it runs only when asked for (``--select overlap`` or ``--all``) and reports pairs
where at least one term is a translate term, on either language's side.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .entries import (
    CASES,
    FIELDS,
    MODES,
    STATUSES,
    CsvGlossaryStore,
    Entry,
    Row,
    clean,
    sort_key,
    tokens,
)


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem: the CSV line, the check that found it, and a message."""

    line: int
    check: str
    message: str

    def format(self, path: Path | str) -> str:
        return f"{path}:{self.line}: {self.check}: {self.message}"


#: The checks read each field many times: :func:`clean` once per distinct text.
_clean = lru_cache(maxsize=1 << 16)(clean)


def _value(row: Row, name: str) -> str:
    return _clean(row.get(name))


def _key(row: Row) -> str:
    return _value(row, "en").casefold()


def _rendering(row: Row) -> str:
    return _value(row, "vi") or _value(row, "en")


def check_header(header: list[str], rows: list[Row]) -> list[Finding]:
    """The header is exactly en,vi,mode,case,note,status."""
    if tuple(header) == FIELDS:
        return []
    return [Finding(1, "header", f"header is {','.join(header)!r}, expected {','.join(FIELDS)!r}")]


def check_whitespace(header: list[str], rows: list[Row]) -> list[Finding]:
    """No leading, trailing or doubled spaces, tabs, line breaks or no-break spaces."""
    out = []
    for row in rows:
        for name in header:
            value = row.get(name)
            if value != " ".join(value.split()):  # str.split() also splits at NBSP and tabs
                out.append(
                    Finding(row.line, "whitespace", f"{name} {value!r} has stray whitespace")
                )
    return out


def check_unicode(header: list[str], rows: list[Row]) -> list[Finding]:
    """Every field is in Unicode NFC (what matching compares)."""
    return [
        Finding(row.line, "unicode", f"{name} {row.get(name)!r} is not in NFC")
        for row in rows
        for name in header
        if unicodedata.normalize("NFC", row.get(name)) != row.get(name)
    ]


def check_control(header: list[str], rows: list[Row]) -> list[Finding]:
    """No control characters (NUL, escape, backspace…): invisible, and never in a page's
    text. Line breaks (a note may span lines) and tabs (the whitespace check's) are not
    reported here."""
    return [
        Finding(
            row.line,
            "control",
            f"{name} {row.get(name)!r} contains control character(s) "
            + ", ".join(sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(row.get(name))})),
        )
        for row in rows
        for name in header
        if _CONTROL.search(row.get(name))
    ]


#: The control characters (general category Cc: U+0000-U+001F and U+007F-U+009F, a set
#: Unicode's stability policy fixes) but tab and line breaks: one search per field.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_values(header: list[str], rows: list[Row]) -> list[Finding]:
    """A term is present; mode, case and status have allowed values."""
    out = []
    for row in rows:
        if not _value(row, "en"):
            out.append(Finding(row.line, "value", "the en term is empty"))
        for name, allowed, optional in (
            ("mode", MODES, False),
            ("case", CASES, True),
            ("status", STATUSES, True),
        ):
            value = _value(row, name)
            if (value or not optional) and value not in allowed:
                out.append(
                    Finding(
                        row.line,
                        "value",
                        f"{name} is {value!r}, expected one of {', '.join(allowed)}",
                    )
                )
    return out


def check_rendering(header: list[str], rows: list[Row]) -> list[Finding]:
    """A translate term has a Vietnamese rendering; a keep term has none that differs."""
    out = []
    for row in rows:
        en, vi, mode = _value(row, "en"), _value(row, "vi"), _value(row, "mode")
        if mode == "translate" and (not vi or vi == en):
            out.append(
                Finding(
                    row.line, "rendering", f"translate-mode term {en!r} has no Vietnamese rendering"
                )
            )
        elif mode == "keep" and vi and vi != en:
            out.append(
                Finding(
                    row.line,
                    "rendering",
                    f"keep-mode term {en!r} has a different vi {vi!r}, which is ignored",
                )
            )
    return out


def _same_term(rows: list[Row]) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if _value(row, "en"):
            groups[_value(row, "en")].append(row)
    return groups


def check_duplicates(header: list[str], rows: list[Row]) -> list[Finding]:
    """The same term twice with the same rendering, mode and case."""
    out = []
    for group in _same_term(rows).values():
        seen: dict[tuple[str, str, str], int] = {}
        for row in group:
            k = (_rendering(row), _value(row, "mode"), _value(row, "case") or "sensitive")
            if k in seen:
                out.append(
                    Finding(row.line, "duplicate", f"{_value(row, 'en')!r} repeats line {seen[k]}")
                )
            else:
                seen[k] = row.line
    return out


def check_conflicts(header: list[str], rows: list[Row]) -> list[Finding]:
    """The same term twice with a different rendering, mode or case: which one applies?"""
    out = []
    for group in _same_term(rows).values():
        first = group[0]
        for row in group[1:]:
            diff = [
                name
                for name, a, b in (
                    ("rendering", _rendering(first), _rendering(row)),
                    ("mode", _value(first, "mode"), _value(row, "mode")),
                    ("case", _value(first, "case"), _value(row, "case")),
                )
                if a != b
            ]
            if diff:
                out.append(
                    Finding(
                        row.line,
                        "conflict",
                        f"{_value(row, 'en')!r} is also on "
                        f"line {first.line} with another {' and '.join(diff)}",
                    )
                )
    return out


def check_case(header: list[str], rows: list[Row]) -> list[Finding]:
    """Two terms that differ only in case (one entry with case insensitive is meant)."""
    first: dict[str, Row] = {}
    out = []
    for row in rows:
        k = _key(row)
        if not k:
            continue
        if k in first and _value(first[k], "en") != _value(row, "en"):
            out.append(
                Finding(
                    row.line,
                    "case",
                    f"{_value(row, 'en')!r} differs only in case "
                    f"from {_value(first[k], 'en')!r} (line {first[k].line})",
                )
            )
        first.setdefault(k, row)
    return out


def check_ambiguous(header: list[str], rows: list[Row]) -> list[Finding]:
    """Two translate terms with one rendering: vi→en could not tell which term is meant."""
    first: dict[str, Row] = {}
    out = []
    for row in rows:
        if _value(row, "mode") != "translate" or not _value(row, "vi"):
            continue
        k = _value(row, "vi").casefold()
        if k in first and _key(first[k]) != _key(row):
            out.append(
                Finding(
                    row.line,
                    "ambiguous",
                    f"rendering {_value(row, 'vi')!r} is also "
                    f"the rendering of {_value(first[k], 'en')!r} (line "
                    f"{first[k].line})",
                )
            )
        first.setdefault(k, row)
    return out


def _seq(text: str) -> tuple[str, ...]:
    return tuple(t.casefold() for _, _, t in tokens(clean(text)))


def check_overlap(header: list[str], rows: list[Row]) -> list[Finding]:
    """The end of one term is the start of another, and one of them is a translate term."""
    usable = [r for r in rows if _value(r, "en") and _value(r, "mode") in MODES]
    out = []
    for lang in ("en", "vi"):
        terms = []
        for r in usable:
            terms.append((r, _seq(_term(r, lang))))
        starts: dict[str, list[tuple[Row, tuple[str, ...]]]] = defaultdict(list)
        for r, seq in terms:
            if seq:
                starts[seq[0]].append((r, seq))
        for a, sa in terms:
            for k in range(1, len(sa)):
                tail = sa[k:]
                for b, sb in starts.get(tail[0], ()):
                    if b is a or len(sb) <= len(tail) or sb[: len(tail)] != tail:
                        continue
                    if "translate" not in (_value(a, "mode"), _value(b, "mode")):
                        continue
                    joined = " ".join((*sa, *sb[len(tail) :]))
                    out.append(
                        Finding(
                            b.line,
                            "overlap",
                            f"{lang} term {_term(b, lang)!r} "
                            f"overlaps {_term(a, lang)!r} (line {a.line}): in "
                            f"{joined!r} only the first applies",
                        )
                    )
    return out


def _term(row: Row, lang: str) -> str:
    return (
        _rendering(row)
        if lang == "vi" and _value(row, "mode") == "translate"
        else _value(row, "en")
    )


def check_order(header: list[str], rows: list[Row]) -> list[Finding]:
    """Rows are in the stable order (term ignoring case, then the term, then the mode)."""
    out = []
    prev = None
    for row in rows:
        k = sort_key(Entry(_value(row, "en"), "", _value(row, "mode")))
        if prev is not None and k < prev[0]:
            out.append(
                Finding(
                    row.line,
                    "order",
                    f"{_value(row, 'en')!r} belongs before "
                    f"{prev[1]!r}; `vien glossary fmt` sorts the file",
                )
            )
        else:
            prev = (k, _value(row, "en"))
    return out


Check = Callable[[list[str], list[Row]], list[Finding]]
#: Every check, by name (the name a finding reports).
CHECKS: dict[str, Check] = {
    "header": check_header,
    "whitespace": check_whitespace,
    "unicode": check_unicode,
    "control": check_control,
    "value": check_values,
    "rendering": check_rendering,
    "duplicate": check_duplicates,
    "conflict": check_conflicts,
    "case": check_case,
    "ambiguous": check_ambiguous,
    "overlap": check_overlap,
    "order": check_order,
}


#: The checks run by default: everything that is a defect of the file itself.
DEFAULT = tuple(name for name in CHECKS if name != "overlap")


def lint_rows(header: list[str], rows: list[Row], checks: Iterable[str] = DEFAULT) -> list[Finding]:
    """All findings of the named checks, by line."""
    return sorted(f for name in checks for f in CHECKS[name](header, rows))


def lint(path: Path, checks: Iterable[str] = DEFAULT) -> list[Finding]:
    """Lint a glossary file; :class:`~vien.glossary.entries.GlossaryError` if it cannot be read."""
    header, rows = CsvGlossaryStore.rows(path)
    return lint_rows(header, rows, checks)
