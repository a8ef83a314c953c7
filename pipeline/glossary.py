"""The protected glossary: entries, their CSV storage, and finding terms in text.

One CSV serves both directions. ``keep`` terms are never translated (CodePipeline, DORA);
``translate`` terms have a forced rendering (deployment strategy → chiến lược triển khai),
used en→vi and, matched on the Vietnamese side, vi→en. Matching is by whole words, longest
match first, on NFC text, case-sensitive or not per entry.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import VienError

FIELDS = ("en", "vi", "mode", "case", "note", "status")
MODES = ("keep", "translate")
#: The glossary that ships with vien.
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "glossaries" / "aws.csv"

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class GlossaryError(VienError):
    """A glossary file that cannot be used."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary row."""

    en: str
    vi: str
    mode: str = "keep"
    case_sensitive: bool = True
    note: str = ""
    status: str = "approved"

    def term(self, lang: str) -> str:
        """The entry's text in ``lang`` (keep terms read the same in both)."""
        return self.vi if lang == "vi" and self.mode == "translate" else self.en

    def rendering(self, target: str) -> str:
        return self.term(target)


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a text: where, which entry, and the exact text matched."""

    start: int
    end: int
    entry: Entry
    text: str


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


class Glossary:
    """A set of entries with a term index for each language."""

    def __init__(self, entries: list[Entry], source: Path | None = None) -> None:
        self.entries = entries
        self.source = source
        self._index: dict[str, dict[str, list[tuple[tuple[str, ...], Entry]]]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def version(self) -> str:
        """A short hash of the content: changes whenever any entry changes."""
        h = hashlib.sha256()
        for e in sorted(self.entries, key=lambda e: (e.en, e.mode)):
            h.update("\x1f".join((e.en, e.vi, e.mode, str(e.case_sensitive))).encode())
            h.update(b"\x1e")
        return h.hexdigest()[:12]

    def _lang_index(self, lang: str) -> dict[str, list[tuple[tuple[str, ...], Entry]]]:
        """First token (lowercased) -> [(token sequence, entry)], longest first."""
        if lang not in self._index:
            index: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
            for e in self.entries:
                toks = tuple(t for _, _, t in _tokens(_nfc(e.term(lang))))
                if toks:
                    index.setdefault(toks[0].lower(), []).append((toks, e))
            for candidates in index.values():
                candidates.sort(key=lambda c: -len(c[0]))
            self._index[lang] = index
        return self._index[lang]

    def find(self, text: str, lang: str) -> list[Match]:
        """Non-overlapping terms of ``lang`` in ``text`` (NFC), longest match first."""
        index = self._lang_index(lang)
        norm = _nfc(text)
        if norm != text:  # match on NFC, report positions in the caller's text
            back = _nfc_offsets(text)
            return [Match(back[m.start], back[m.end], m.entry, text[back[m.start]:back[m.end]])
                    for m in self.find(norm, lang)]
        toks = _tokens(text)
        out: list[Match] = []
        i = 0
        while i < len(toks):
            found = None
            for seq, entry in index.get(toks[i][2].lower(), ()):
                n = len(seq)
                if i + n > len(toks):
                    continue
                window = toks[i : i + n]
                if any(a[2].lower() != b.lower() for a, b in zip(window, seq, strict=True)):
                    continue
                start, end = window[0][0], window[-1][1]
                matched = text[start:end]
                term = entry.term(lang)
                if " ".join(matched.split()) != " ".join(term.split()) and (
                        entry.case_sensitive
                        or " ".join(matched.lower().split()) != " ".join(term.lower().split())):
                    continue  # case differs, or the spacing between tokens does
                if not _word_edges(text, start, end):
                    continue
                found = Match(start, end, entry, matched)
                i += n
                break
            if found is None:
                i += 1
            else:
                out.append(found)
        return out


def _nfc_offsets(text: str) -> list[int]:
    """For each offset of NFC(text), the offset in ``text`` (cluster boundaries map exactly)."""
    back: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        back.extend([i] * len(_nfc(text[i:j])))
        i = j
    back.append(len(text))
    return back


def _word_edges(text: str, start: int, end: int) -> bool:
    """A term must not start or end in the middle of a word."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (
        after.isalnum() and text[end - 1].isalnum())


class CsvGlossaryStore:
    """Reads and writes the reviewer-friendly CSV (en, vi, mode, case, note, status)."""

    @staticmethod
    def load(path: Path) -> Glossary:
        try:
            with path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise GlossaryError(f"{path}: cannot read glossary: {exc}") from exc
        entries = []
        for n, row in enumerate(rows, start=2):
            missing = [f for f in ("en", "mode") if not (row.get(f) or "").strip()]
            if missing:
                raise GlossaryError(f"{path}:{n}: missing {', '.join(missing)}")
            mode = row["mode"].strip()
            if mode not in MODES:
                raise GlossaryError(f"{path}:{n}: mode must be keep or translate, not {mode!r}")
            en = _nfc(row["en"].strip())
            vi = _nfc((row.get("vi") or "").strip()) or en
            if mode == "translate" and vi == en:
                raise GlossaryError(f"{path}:{n}: translate-mode term {en!r} has no "
                                    "Vietnamese rendering")
            case = (row.get("case") or "sensitive").strip().lower()
            entries.append(Entry(en, vi, mode, case != "insensitive",
                                 (row.get("note") or "").strip(),
                                 (row.get("status") or "approved").strip()))
        return Glossary(entries, path)

    @staticmethod
    def dump(glossary: Glossary, path: Path) -> None:
        rows = sorted(glossary.entries, key=lambda e: (e.en.lower(), e.mode))
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(FIELDS)
            for e in rows:
                writer.writerow([e.en, e.vi, e.mode,
                                 "sensitive" if e.case_sensitive else "insensitive",
                                 e.note, e.status])


def load(path: Path | None = None) -> Glossary:
    """Load a glossary file (default: the one shipped with vien)."""
    return CsvGlossaryStore.load(path or DEFAULT_PATH)
