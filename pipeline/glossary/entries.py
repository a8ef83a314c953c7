"""The protected glossary: entries, their CSV storage, editing, and finding terms in text.

One CSV serves both directions. ``keep`` terms are never translated (CodePipeline, DORA);
``translate`` terms have a forced rendering (deployment strategy → chiến lược triển khai),
used en→vi and, matched on the Vietnamese side, vi→en. Matching is by whole words, longest
match first, on NFC text, case-sensitive or not per entry.

The CSV is kept in one stable order (:func:`sort_key`) and written only by
:meth:`CsvGlossaryStore.dump`, atomically, so an edit shows as a one-line diff. Editing returns a
new :class:`Glossary` (:meth:`Glossary.add`, :meth:`~Glossary.replace`, :meth:`~Glossary.remove`,
:meth:`~Glossary.merge`);
other formats live in :mod:`vien.glossary.tbx` and :mod:`vien.glossary.aws_terminology`.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from ..atomic import write_atomic
from ..errors import VienError

FIELDS = ("en", "vi", "mode", "case", "note", "status")
MODES = ("keep", "translate")
CASES = ("sensitive", "insensitive")
STATUSES = ("approved", "proposed")


def _shipped(name: str) -> Path:
    """The file ``name`` of the package ``vien.glossaries``: a plain path in its folder where
    the package is installed as files (importlib.resources, slower to import, otherwise)."""
    package = importlib.import_module("..glossaries", __package__)
    for folder in getattr(package, "__path__", ()):
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    from importlib import resources

    return Path(str(resources.files(package).joinpath(name)))


#: The glossary that ships with vien.
#: The AWS glossary shipped inside the package (``glossaries/aws.csv`` in the source tree).
DEFAULT_PATH = _shipped("aws.csv")

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_SPAN = re.Match.span
#: The glossary's two languages, as :meth:`Glossary.find_each` takes them.
LANGS = ("en", "vi")


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

    @property
    def case(self) -> str:
        return "sensitive" if self.case_sensitive else "insensitive"

    def row(self) -> dict[str, str]:
        """The entry as a CSV row (FIELDS as keys)."""
        return {
            "en": self.en,
            "vi": self.vi,
            "mode": self.mode,
            "case": self.case,
            "note": self.note,
            "status": self.status,
        }

    @property
    def digest(self) -> str:
        """What a translation depends on: term, rendering, mode and case (not note/status)."""
        return "\x1f".join((self.en, self.vi, self.mode, str(self.case_sensitive)))


def sort_key(entry: Entry) -> tuple[str, str, str]:
    """The CSV's stable order: term ignoring case, then the term itself, then the mode."""
    return entry.en.casefold(), entry.en, entry.mode


def make_entry(
    en: str,
    vi: str = "",
    mode: str | None = None,
    case: str | None = None,
    note: str = "",
    status: str = "proposed",
) -> Entry:
    """A new, normalised entry (NFC, single spaces), validated like a CSV row.

    ``mode`` defaults to translate when a rendering differs from the term, else keep; ``case``
    defaults to insensitive for an all-lowercase term (a phrase), else sensitive (a name).
    """
    en, vi, note = clean(en), clean(vi), clean(note)
    if not en:
        raise GlossaryError("the term is empty")
    mode = mode or ("translate" if vi and vi != en else "keep")
    case = case or ("insensitive" if en == en.lower() else "sensitive")
    for name, value, allowed in (
        ("mode", mode, MODES),
        ("case", case, CASES),
        ("status", status, STATUSES),
    ):
        if value not in allowed:
            raise GlossaryError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    if mode == "keep":
        if vi and vi != en:
            raise GlossaryError(
                f"keep-mode term {en!r} cannot have a rendering ({vi!r}); use --mode translate"
            )
        vi = en
    elif not vi or vi == en:
        raise GlossaryError(f"translate-mode term {en!r} needs a Vietnamese rendering (--vi)")
    return Entry(en, vi, mode, case == "sensitive", note, status)


def clean(text: str) -> str:
    """NFC, no leading, trailing, repeated or unusual whitespace (tabs, NBSP)."""
    return " ".join(nfc(text).split())


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a text: where, which entry, and the exact text matched."""

    start: int
    end: int
    entry: Entry
    text: str


#: Entry attribute -> CSV field.
_ATTRS = {
    "en": "en",
    "vi": "vi",
    "mode": "mode",
    "case_sensitive": "case",
    "note": "note",
    "status": "status",
}


def nfc(text: str) -> str:
    """Unicode NFC (what the glossary stores and matches on)."""
    return unicodedata.normalize("NFC", text)


def _digest(entries: Iterable[Entry]) -> str:
    h = hashlib.sha256()
    for e in sorted(entries, key=lambda e: (e.en, e.mode, e.vi, e.case_sensitive)):
        h.update(e.digest.encode())
        h.update(b"\x1e")
    return h.hexdigest()[:12]


#: A term as the index holds it: its lowercased tokens, the entry, the term with its spaces
#: squeezed, the same lowercased.
_Candidate = tuple[tuple[str, ...], Entry, str, str]


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word and punctuation tokens of ``text``: (start, end, token)."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


class Glossary:
    """A set of entries with a term index for each language."""

    def __init__(self, entries: list[Entry], source: Path | None = None) -> None:
        self.entries = entries
        self.source = source
        self._index: dict[str, dict[str, list[_Candidate]]] = {}
        #: per language: first token -> (second token -> candidates, one-token candidates)
        self._narrow: dict[str, dict[str, tuple[dict[str, list[_Candidate]], list[_Candidate]]]]
        self._narrow = {}
        self._memo: dict[str, list[list[Match]]] | None = None  # see memo()
        #: per tuple of languages: the first tokens of their terms (lowercased)
        self._firsts: dict[tuple[str, ...], frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def version(self) -> str:
        """A short hash of the content: changes whenever any term, rendering, mode or case
        changes (notes and status do not matter)."""
        return _digest(self.entries)

    @cached_property
    def keep_only(self) -> Glossary:
        """The keep-mode entries alone (a translate-mode term left in the source language is
        untranslated text; a keep-term is not)."""
        return Glossary([e for e in self.entries if e.mode == "keep"], self.source)

    def signature(self, texts: Iterable[str], lang: str) -> str:
        """A short hash of the entries found in ``texts`` ('' when none): what a translation
        of those texts depends on, so it changes only when one of those entries does (or
        when an entry starts or stops matching them)."""
        found = {m.entry for text in texts for m in self.find(text, lang)}
        return _digest(found) if found else ""

    def lookup(self, term: str, mode: str | None = None) -> list[Entry]:
        """Entries whose English term is ``term`` (exactly, else ignoring case)."""
        want = [e for e in self.entries if mode is None or e.mode == mode]
        exact = [e for e in want if e.en == clean(term)]
        return exact or [e for e in want if e.en.casefold() == clean(term).casefold()]

    # editing: each returns a new glossary, in the CSV's order

    def _with(self, entries: Iterable[Entry]) -> Glossary:
        return Glossary(sorted(entries, key=sort_key), self.source)

    def add(self, entry: Entry) -> Glossary:
        """The glossary with ``entry`` added; a term already present (in any case or mode)
        is refused."""
        clash = self.lookup(entry.en)
        if clash:
            raise GlossaryError(
                f"{entry.en!r} is already in the glossary as {clash[0].en!r} "
                f"({clash[0].mode}); change it with `vien glossary set`"
            )
        return self._with([*self.entries, entry])

    def replace(self, old: Entry, new: Entry) -> Glossary:
        """The glossary with ``old`` replaced by ``new`` (a rename must not clash)."""
        if new.en.casefold() != old.en.casefold() and self.lookup(new.en):
            raise GlossaryError(f"{new.en!r} is already in the glossary")
        return self._with([new if e is old else e for e in self.entries])

    def remove(self, old: Entry) -> Glossary:
        return self._with(e for e in self.entries if e is not old)

    def merge(
        self, incoming: Iterable[Entry], fields: Iterable[str] = FIELDS
    ) -> tuple[Glossary, list[Entry], list[tuple[Entry, Entry]]]:
        """Merge entries from another file: new terms are added; for a term already present
        (the same English text) only ``fields`` are taken from the incoming entry. Returns
        the glossary, the added entries and the (old, new) pairs that changed."""
        take = set(fields)
        current = {e.en: e for e in self.entries}
        added: list[Entry] = []
        changed: list[tuple[Entry, Entry]] = []
        for inc in incoming:
            old = current.get(inc.en)
            if old is None:
                current[inc.en] = inc
                added.append(inc)
                continue
            new = replace(old, **{k: getattr(inc, k) for k in _ATTRS if _ATTRS[k] in take})
            if new != old:
                current[inc.en] = new
                changed.append((old, new))
        return self._with(current.values()), added, changed

    def _lang_index(self, lang: str) -> dict[str, list[_Candidate]]:
        """First token (lowercased) -> candidates, longest first: (lowercased token sequence,
        entry, the term with its spaces squeezed, the same lowercased)."""
        if lang not in self._index:
            index: dict[str, list[_Candidate]] = {}
            for e in self.entries:
                toks = tuple(t.lower() for t in _TOKEN.findall(nfc(e.term(lang))))
                if toks:
                    term = " ".join(e.term(lang).split())
                    index.setdefault(toks[0], []).append((toks, e, term, term.lower()))
            for candidates in index.values():
                candidates.sort(key=lambda c: -len(c[0]))
            self._index[lang] = index
        return self._index[lang]

    def _narrow_index(
        self, lang: str
    ) -> dict[str, tuple[dict[str, list[_Candidate]], list[_Candidate]]]:
        """:meth:`_lang_index` narrowed by the second token: for each first token, the
        candidates that can match when a given token follows it (those of one token, and
        the longer ones whose second token it is), in the index's order; and the one-token
        candidates alone. Many terms share a first token ("aws", "amazon")."""
        if lang not in self._narrow:
            narrow = {}
            for first, candidates in self._lang_index(lang).items():
                seconds = {c[0][1] for c in candidates if len(c[0]) > 1}
                by_second = {
                    second: [c for c in candidates if len(c[0]) == 1 or c[0][1] == second]
                    for second in seconds
                }
                narrow[first] = (by_second, [c for c in candidates if len(c[0]) == 1])
            self._narrow[lang] = narrow
        return self._narrow[lang]

    @contextmanager
    def memo(self) -> Iterator[None]:
        """Within the block, each text is matched once, in both languages, whoever asks: the
        checks of one page pair (language, alignment, glossary use) read the same texts.
        The lists returned are shared then: callers must not change them."""
        outer, self._memo = self._memo, {} if self._memo is None else self._memo
        try:
            yield
        finally:
            self._memo = outer

    def find(self, text: str, lang: str) -> list[Match]:
        """Non-overlapping terms of ``lang`` in ``text`` (NFC), longest match first."""
        if self._memo is not None and lang in LANGS:
            return self.find_each(text, LANGS)[LANGS.index(lang)]
        return self.find_each(text, (lang,))[0]

    def find_each(self, text: str, langs: tuple[str, ...]) -> list[list[Match]]:
        """:meth:`find` for each of ``langs``, tokenizing ``text`` once."""
        memo = self._memo
        if memo is None or langs != LANGS:
            return self._find_each(text, langs)
        found = memo.get(text)
        if found is None:
            found = memo[text] = self._find_each(text, langs)
        return found

    def _find_each(self, text: str, langs: tuple[str, ...]) -> list[list[Match]]:
        if not unicodedata.is_normalized("NFC", text):  # match on NFC, report positions
            back = _nfc_offsets(text)  # in the caller's text
            return [
                [
                    Match(back[m.start], back[m.end], m.entry, text[back[m.start] : back[m.end]])
                    for m in found
                ]
                for found in self._find_each(nfc(text), langs)
            ]
        low_text = text.lower()
        lows = (
            _TOKEN.findall(low_text)
            if len(low_text) == len(text)  # same tokens
            else [t.lower() for t in _TOKEN.findall(text)]
        )
        firsts = self._firsts.get(langs)
        if firsts is None:
            firsts = self._firsts[langs] = frozenset().union(
                *(self._lang_index(lang) for lang in langs)
            )
        if firsts.isdisjoint(lows):  # no token starts a term (most texts)
            return [[] for _ in langs]
        # the tokens that start a term of any of the languages
        starts = [k for k, low in enumerate(lows) if low in firsts]
        spans: list[tuple[int, int]] = []  # the tokens' places: found once a term needs them
        out: list[list[Match]] = []
        for lang in langs:
            index = self._lang_index(lang)
            hits = [k for k in starts if lows[k] in index] if len(langs) > 1 else starts
            narrow = self._narrow_index(lang) if hits else {}
            out.append(self._matches(text, narrow, lows, spans, hits) if hits else [])
        return out

    @staticmethod
    def _matches(
        text: str,
        narrow: dict[str, tuple[dict[str, list[_Candidate]], list[_Candidate]]],
        lows: list[str],
        spans: list[tuple[int, int]],
        hits: list[int],
    ) -> list[Match]:
        """The terms at token positions ``hits``; ``spans``, the place of each token in
        ``text``, is filled in the first time a term's tokens are all there (most texts
        whose tokens start a term hold none)."""
        out: list[Match] = []
        pos = 0  # first token not yet covered by a match
        last = len(lows) - 1
        for i in hits:
            if i < pos:
                continue
            by_second, singles = narrow[lows[i]]
            candidates = by_second.get(lows[i + 1], singles) if i < last else singles
            for seq, entry, term, low_term in candidates:
                n = len(seq)
                if n > 1 and tuple(lows[i + 1 : i + n]) != seq[1:]:
                    continue
                if not spans:
                    spans += map(_SPAN, _TOKEN.finditer(text))
                start, end = spans[i][0], spans[i + n - 1][1]
                matched = text[start:end]
                if n > 1:  # a token holds no space: only a longer match has some to squeeze
                    matched_sq = " ".join(matched.split())
                    if matched_sq != term and (
                        entry.case_sensitive or matched_sq.lower() != low_term
                    ):
                        continue  # case differs, or the spacing between tokens does
                elif matched != term and (entry.case_sensitive or matched.lower() != low_term):
                    continue  # case differs
                if not _word_edges(text, start, end):
                    continue
                out.append(Match(start, end, entry, matched))
                pos = i + n
                break
        return out


def matching_once(glossary: Glossary | None) -> AbstractContextManager[None]:
    """:meth:`Glossary.memo` of ``glossary``; nothing to remember without one."""
    return glossary.memo() if glossary is not None else nullcontext()


def _nfc_offsets(text: str) -> list[int]:
    """For each offset of NFC(text), the offset in ``text`` (cluster boundaries map exactly)."""
    back: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        back.extend([i] * len(nfc(text[i:j])))
        i = j
    back.append(len(text))
    return back


def _word_edges(text: str, start: int, end: int) -> bool:
    """A term must not start or end in the middle of a word."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (
        after.isalnum() and text[end - 1].isalnum()
    )


@dataclass(frozen=True, slots=True)
class Row:
    """A CSV record as written (unstripped), with the line it starts on."""

    line: int
    fields: dict[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name) or ""


class TermFileStore:
    """A glossary exchange format: ``dumps`` to bytes, ``load`` entries and warnings."""

    @classmethod
    def dumps(cls, entries: Iterable[Entry]) -> bytes:
        raise NotImplementedError

    @classmethod
    def dump(cls, entries: Iterable[Entry], path: Path) -> None:
        """Write ``entries`` to ``path`` atomically."""
        write_atomic(path, cls.dumps(entries))


class CsvGlossaryStore:
    """Reads and writes the reviewer-friendly CSV (en, vi, mode, case, note, status)."""

    @staticmethod
    def rows(path: Path) -> tuple[list[str], list[Row]]:
        """The header and the records of a glossary CSV, each with its first line number."""
        try:
            # utf-8-sig: Excel's "CSV UTF-8" starts the file with a byte order mark
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader, [])
                rows, last = [], reader.line_num
                for record in reader:
                    if record:  # a blank line is no record
                        rows.append(Row(last + 1, dict(zip(header, record, strict=False))))
                    last = reader.line_num
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise GlossaryError(f"{path}: cannot read glossary: {exc}") from exc
        missing = [f for f in ("en", "mode") if f not in header]
        if missing:
            raise GlossaryError(
                f"{path}:1: the header has no {' or '.join(missing)} column "
                f"(expected {','.join(FIELDS)})"
            )
        return header, rows

    @staticmethod
    def entry(row: Row, path: Path) -> Entry:
        """The entry of a row: stripped, NFC; :class:`GlossaryError` for a row vien cannot
        use (no term, an unknown mode, a translate term with no rendering)."""
        where = f"{path}:{row.line}"
        missing = [f for f in ("en", "mode") if not row.get(f).strip()]
        if missing:
            raise GlossaryError(f"{where}: missing {', '.join(missing)}")
        mode = row.get("mode").strip()
        if mode not in MODES:
            raise GlossaryError(f"{where}: mode must be keep or translate, not {mode!r}")
        en = nfc(row.get("en").strip())
        vi = nfc(row.get("vi").strip()) or en
        if mode == "translate" and vi == en:
            raise GlossaryError(f"{where}: translate-mode term {en!r} has no Vietnamese rendering")
        case = (row.get("case") or "sensitive").strip().lower()
        return Entry(
            en,
            vi,
            mode,
            case != "insensitive",
            nfc(row.get("note").strip()),
            row.get("status").strip() or "approved",
        )

    @classmethod
    def load(cls, path: Path) -> Glossary:
        _, rows = cls.rows(path)
        return Glossary([cls.entry(row, path) for row in rows], path)

    @staticmethod
    def dumps(entries: Iterable[Entry]) -> bytes:
        """The CSV text of ``entries`` in the stable order."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        for e in sorted(entries, key=sort_key):
            writer.writerow([e.row()[f] for f in FIELDS])
        return out.getvalue().encode("utf-8")

    @classmethod
    def dump(cls, glossary: Glossary, path: Path) -> None:
        """Write the glossary atomically (the only way vien writes a glossary CSV)."""
        write_atomic(path, cls.dumps(glossary.entries))


@contextmanager
def edit_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for a read-modify-write of the glossary at ``path``: two
    concurrent edits (``vien glossary add`` twice) run one after the other, so neither loses
    the other's change. The lock file lives in the system's temporary folder, named by the
    glossary's absolute path, so nothing is left beside the glossary for ``git add``; it is an
    OS lock (``filelock``: flock on POSIX, msvcrt on Windows), released if the process dies."""
    import tempfile  # imported here: start-up time

    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    from filelock import FileLock  # imported here: start-up time

    with FileLock(Path(tempfile.gettempdir()) / f"vien-glossary-{key[:16]}.lock"):
        yield


def load(path: Path | None = None) -> Glossary:
    """Load a glossary file (default: the one shipped with vien)."""
    return CsvGlossaryStore.load(path or DEFAULT_PATH)
