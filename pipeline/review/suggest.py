"""Glossary candidates mined from a site: English kept inside Vietnamese text, and names.

Vietnamese writers keep many English terms as they are ("Triển khai Blue/Green đến ECS",
"tạo Security Group mới"). Runs of English words inside Vietnamese segments are the main
evidence: each is a ``keep`` candidate. Names (CamelCase, acronyms) and Title Case phrases in
English segments are weaker evidence, proposed for ``review``.

Work is done on parsed segments only: protected spans (code, URLs, links, HTML, shortcodes)
split the text and are never mined; file names, paths, identifiers and numbers are dropped.
Glossary terms may be part of a longer candidate (``source endpoint``) but are never proposed
themselves, nor is any part of one. Candidates are ranked by how many pages use them (kept in
Vietnamese pages, and also found in English ones), how often, and how term-like they look:
multi-word phrases and names first; single generic words, UI actions ("Create task"),
sentence fragments, code identifiers and Vietnamese abbreviations (CSDL) last.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..check.langid import EN_WORDS, detect, is_vietnamese_word, vietnamese_syllable
from ..errors import PageError
from ..glossary.entries import LANGS, Glossary
from ..page.model import Document, Segment
from ..page.read import read_document
from ..site.discover import discover

#: A word, possibly joined by inner ``- / . : ' &`` (Blue/Green, X-Ray, re:Invent), or C#, C++.
_TOKEN = re.compile(r"[^\W_]+(?:[-/.:'’&][^\W_]+)*[+#]*", re.UNICODE)
#: Small words allowed inside a term (Infrastructure as Code, Point in Time Recovery).
_CONNECTORS = frozenset("of and for as to in on by with at or from per".split())
#: Words that open a UI action rather than name a thing (Create task, Upload a template file).
_ACTIONS = frozenset(
    """
create delete add remove save start stop configure upload download connect view edit modify
provide update choose select click open close enable disable get go check refresh browse
convert register cancel submit attach detach copy paste search sign install decrypt specify
enter use make see verify wait press navigate return scroll expand confirm accept set test
""".split()
)
#: Kinds of protected span whose words are identifiers (`DMSVpc`, <StackName>).
_CODE_KINDS = frozenset({"code", "placeholder"})
_GLUE = frozenset({"code", "placeholder", "escape", "entity", "url"})
MAX_WORDS = 4
#: A word found next to this many different glossary terms is a combiner, not part of a term.
COMBINER = 3
#: A last word found after this many different words is a form slot (X name), not a term.
SLOT = 8
SNIPPET = 40
#: Penalty for a candidate that is made of known terms, misspelt, a form slot and so on.
PENALTY = 3.0


@dataclass(frozen=True, slots=True)
class Context:
    """Where a candidate was seen: file, line and a short snippet of its segment."""

    path: str
    line: int
    snippet: str
    lang: str  # language of the segment it was seen in ("?" when undecided)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.snippet}"


@dataclass(slots=True)
class Candidate:
    """A proposed glossary term and its evidence."""

    term: str
    count: int = 0  # occurrences, in any language
    pages: int = 0  # distinct pages
    vi_count: int = 0  # occurrences inside Vietnamese text
    vi_pages: int = 0
    contexts: list[Context] = field(default_factory=list)
    mode: str = "review"  # keep: seen unchanged in Vietnamese text; review: English only
    score: float = 0.0
    kind: str = "phrase"  # phrase, name (CamelCase, acronym) or word

    def as_dict(self) -> dict[str, object]:
        return {
            "term": self.term,
            "mode": self.mode,
            "score": round(self.score, 3),
            "count": self.count,
            "pages": self.pages,
            "vi_count": self.vi_count,
            "vi_pages": self.vi_pages,
            "kind": self.kind,
            "contexts": [
                {"path": c.path, "line": c.line, "snippet": c.snippet, "lang": c.lang}
                for c in self.contexts
            ],
        }


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    start: int  # offset in its text part
    end: int
    kind: str  # vi, skip (number, code…), name, en, amb (could be Vietnamese), term (glossary)


# -- input ---------------------------------------------------------------------------------


def pages_of(paths: Iterable[Path]) -> tuple[list[tuple[Path, str | None]], list[PageError]]:
    """(page, language when the site's naming tells it) for folders (Hugo discovery) and
    page files (any extension: the seeds are markdown pages saved as ``.txt``)."""
    out: list[tuple[Path, str | None]] = []
    problems: list[PageError] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = discover(path)
            problems.extend(found.problems)
            items: list[tuple[Path, str | None]] = [(p.path, p.lang) for p in found.pages]
        elif path.exists():
            name = path.name.split(".")
            lang = name[-2].lower() if len(name) > 2 and name[-2].lower() in LANGS else None
            items = [(path, lang)]  # lang None: the file name names no language
        else:
            problems.append(PageError("no such file or folder", path=path))
            continue
        for p, lang in items:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                out.append((p, lang))
    return out, problems


# -- tokens --------------------------------------------------------------------------------


def _is_name(word: str) -> bool:
    """CamelCase, an acronym or a word with digits: a name rather than a plain word."""
    return word[1:] != word[1:].lower() or any(c.isdigit() for c in word)


def _is_code(word: str) -> bool:
    """A file name, path, domain, version, region or identifier: never a glossary term."""
    if re.search(r"[^\W_]\.[^\W_]|/.*/|:", word) and word.lower() != "re:invent":
        return True
    return bool(re.search(r"[a-z]-?\d|\d-?[a-z]{2,}", word))  # us-east-1, v2beta, t3


def _identifier(word: str) -> bool:
    """Looks like a resource or variable name: DMSVpc, TargetAuroraPostgreSQLEndpoint."""
    humps = re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|\d+", word)
    return bool(re.search(r"[A-Z]{2}[A-Z][a-z]|[a-z][A-Z]$|^[a-z]+[A-Z]", word)) or (
        len(humps) >= 3 and word[1:] != word[1:].lower() and not word.isupper()
    )


def _kind(word: str) -> str:
    if not re.search(r"[A-Za-z]", word) or len(word) < 2:
        return "skip"
    if is_vietnamese_word(word):
        return "vi"
    if _is_code(word):
        return "skip"
    if _is_name(word):
        return "name"
    if all(vietnamese_syllable(w) for w in re.split(r"[-/'’&]", word.lower()) if w):
        return "amb"
    return "en"


def _runs(
    seg: Segment, glossary: Glossary, names: dict[str, str]
) -> Iterator[tuple[int, str, list[_Tok]]]:
    """(offset of its text part in the segment, the part's text, run) for each run of words
    separated by spaces only; protected spans and punctuation end a run. ``names`` maps the
    glossary's names, lowercased, to their spelling: another spelling is a ``variant``."""
    offset = 0
    parts = seg.parts
    for j, part in enumerate(parts):
        if part.protected:
            offset += len(part.text)
            continue
        text = part.text
        if j > 0 and parts[j - 1].kind == "image":
            offset += len(text)
            continue  # an image's alt text: captions, often copied from page to page
        # a word glued to an escape or a code span is part of it (C:\Users\AWS Schema…)
        glued_left = j > 0 and parts[j - 1].kind in _GLUE
        glued_right = j + 1 < len(parts) and parts[j + 1].kind in _GLUE
        spans = [(m.start, m.end) for found in glossary.find_each(text, LANGS) for m in found]
        cur: list[_Tok] = []
        prev_end = 0
        for m in _TOKEN.finditer(text):
            a, b = m.start(), m.end()
            kind = "term" if any(s <= a and b <= e for s, e in spans) else _kind(m.group())
            if (glued_left and a == 0) or (glued_right and b == len(text)):
                kind = "skip"
            elif (
                kind in ("en", "name", "amb")
                and names.get(m.group().lower(), m.group()) != m.group()
            ):
                kind = "variant"  # Cloudformation, Postgresql: a known name misspelt
            if cur and text[prev_end:a].strip():
                yield offset, text, cur
                cur = []
            if kind == "skip":
                if cur:
                    yield offset, text, cur
                cur = []
            else:
                cur.append(_Tok(m.group(), a, b, kind))
            prev_end = b
        if cur:
            yield offset, text, cur
        offset += len(text)


def _key(words: Iterable[str]) -> tuple[str, ...]:
    """Grouping key: lowercase, a plural ``-s`` on the last word folded."""
    ws = [w.lower() for w in words]
    last = ws[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        ws[-1] = last[:-1]
    return tuple(ws)


def _edges(words: list[_Tok]) -> list[_Tok]:
    """Without function words at either end."""
    stop = EN_WORDS | _CONNECTORS
    while words and words[0].text.lower() in stop:
        words = words[1:]
    while words and words[-1].text.lower() in stop:
        words = words[:-1]
    return words


def _vi_phrases(run: list[_Tok]) -> Iterator[list[_Tok]]:
    """English phrases kept in a run of a Vietnamese segment."""
    out: list[_Tok] = []
    for i, tok in enumerate([*run, _Tok("", 0, 0, "vi")]):
        # a word that could be Vietnamese written without accents counts only between two
        # English words (Point in Time, Infrastructure as Code)
        if tok.kind in ("en", "name", "term", "variant") or (
            tok.kind == "amb"
            and out
            and out[-1].kind != "amb"
            and i + 1 < len(run)
            and run[i + 1].kind in ("en", "name", "term")
        ):
            out.append(tok)
            continue
        words = _edges(out)
        out = []
        if not words or all(t.kind == "term" for t in words):
            continue
        if len(words) <= MAX_WORDS:
            yield words
        else:  # an English clause: only its names and Title Case phrases
            yield from _title_phrases(words)


def _title_phrases(run: list[_Tok], skip_first: bool = False) -> Iterator[list[_Tok]]:
    """Names and Title Case phrases (inner connectors allowed: Infrastructure as Code)."""
    cur: list[_Tok] = []
    for i, tok in enumerate([*run, _Tok("", 0, 0, "vi")]):
        cap = tok.kind in ("name", "term", "variant") or (
            tok.kind in ("en", "amb") and tok.text[0].isupper() and not (skip_first and i == 0)
        )
        if cap or (
            cur
            and tok.text.lower() in _CONNECTORS
            and i + 1 < len(run)
            and run[i + 1].text[:1].isupper()
        ):
            cur.append(tok)
            continue
        words = _edges(cur)
        cur = []
        if (
            words
            and len(words) <= MAX_WORDS
            and any(t.kind != "term" for t in words)
            and (len(words) > 1 or words[0].kind == "name")
        ):
            yield words


def _headline(run: list[_Tok]) -> bool:
    """A run in Title Case throughout (a heading, a UI label): its capitals say nothing."""
    words = [t for t in run if t.text.lower() not in _CONNECTORS]
    return len(words) > 1 and all(t.text[0].isupper() for t in words)


# -- mining --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Stats:
    forms: Counter[str] = field(default_factory=Counter)
    count: int = 0
    vi_count: int = 0
    pages: set[str] = field(default_factory=set)
    vi_pages: set[str] = field(default_factory=set)
    en_pages: set[str] = field(default_factory=set)
    contexts: list[Context] = field(default_factory=list)
    kinds: tuple[str, ...] = ()  # kinds of its words where it was first mined


@dataclass(frozen=True, slots=True)
class _Seg:
    label: str
    doc: Document
    seg: Segment
    lang: str
    runs: list[tuple[int, str, list[_Tok]]]


def _snippet(text: str, start: int, end: int) -> str:
    a = text.rfind(" ", 0, max(0, start - SNIPPET)) + 1 if start > SNIPPET else 0
    b = text.find(" ", end + SNIPPET)
    b = b if b >= 0 else len(text)
    return ("…" if a else "") + " ".join(text[a:b].split()) + ("…" if b < len(text) else "")


def _line(doc: Document, seg: Segment, offset: int) -> int:
    if seg.style != "md":  # a decoded front matter or shortcode value
        return seg.line
    return seg.line + doc.text.count("\n", seg.start, seg.start + offset)


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load(paths: Iterable[Path], glossary: Glossary, problems: list[PageError]) -> list[_Seg]:
    names = {
        w.lower(): w
        for e in glossary.entries
        if e.case_sensitive
        for w in _TOKEN.findall(e.en)
        if _is_name(w)
    }
    pages, errs = pages_of(paths)
    problems.extend(errs)
    out = []
    for path, page_lang in pages:
        try:
            doc = read_document(path)
        except PageError as exc:
            problems.append(exc)
            continue
        label = _label(path)
        for seg in doc.segments:
            lang = detect(seg, glossary) or page_lang or "?"
            out.append(_Seg(label, doc, seg, lang, list(_runs(seg, glossary, names))))
    return out


def suggest(
    paths: Iterable[Path],
    glossary: Glossary,
    *,
    min_count: int = 2,
    max_contexts: int = 3,
    problems: list[PageError] | None = None,
) -> list[Candidate]:
    """Glossary candidates found in ``paths`` (site folders or page files), best first.

    Terms the glossary already has (any case, or as part of a longer term) are left out.
    Pages that cannot be read are skipped and added to ``problems`` when given.
    """
    errs: list[PageError] = []
    segs = _load(paths, glossary, errs)
    if problems is not None:
        problems.extend(errs)

    # 1. mine: English kept in Vietnamese segments; names and Title Case phrases elsewhere
    stats: dict[tuple[str, ...], _Stats] = defaultdict(_Stats)
    code_words: set[str] = set()
    partners: dict[str, set[str]] = defaultdict(set)  # word -> glossary terms it joins
    for s in segs:
        code_words.update(
            w.lower() for p in s.seg.parts if p.kind in _CODE_KINDS for w in _TOKEN.findall(p.text)
        )
        for _, _, run in s.runs:
            if s.lang == "vi":
                mined = list(_vi_phrases(run))
            elif not _headline(run):
                mined = list(_title_phrases(run, skip_first=True))
            else:
                continue
            for words in mined:
                st = stats[_key(t.text for t in words)]
                st.kinds = st.kinds or tuple(t.kind for t in words)
                for t in words:
                    if t.kind != "term":
                        partners[t.text.lower()].update(
                            u.text.lower() for u in words if u.kind == "term"
                        )
    initials = _vi_initials(segs)
    known = _glossary_keys(glossary)
    parts = _parts(known)
    for k in [k for k in stats if k in parts]:
        del stats[k]
    vocab = {w for k in known for w in k}
    modifiers: dict[str, set[str]] = defaultdict(set)  # head word -> words seen before it
    for k in stats:
        if len(k) > 1:
            modifiers[k[-1]].add(k[-2])

    # 2. count the occurrences of mined keys in every segment, longest first (a part of a
    # longer candidate is not counted there)
    for s in segs:
        for off, text, run in s.runs:
            for words in _longest(run, stats, vi=s.lang == "vi"):
                st = stats[_key(t.text for t in words)]
                a, b = words[0].start, words[-1].end
                st.forms[text[a:b]] += 1
                st.count += 1
                st.pages.add(s.label)
                if s.lang == "vi":
                    st.vi_count += 1
                    st.vi_pages.add(s.label)
                elif s.lang == "en":
                    st.en_pages.add(s.label)
                if len(st.contexts) < 8 * max_contexts:
                    st.contexts.append(
                        Context(s.label, _line(s.doc, s.seg, off + a), _snippet(text, a, b), s.lang)
                    )

    out = []
    for key, st in stats.items():
        if st.count < min_count:
            continue
        # made of glossary terms and words that join many terms (Oracle Source, X console)
        combined = "term" in st.kinds and all(
            kind == "term" or w in _CONNECTORS or len(partners[w]) >= COMBINER
            for w, kind in zip(key, st.kinds, strict=False)
        )
        term = _best_form(st.forms)
        c = Candidate(
            term,
            st.count,
            len(st.pages),
            st.vi_count,
            len(st.vi_pages),
            _spread(st.contexts, max_contexts),
            "keep" if st.vi_count else "review",
            0.0,
            _term_kind(term),
        )
        # Aurora/RDS, DMS/SNS: a list of known terms; Replcation, Manger: a term misspelt
        listed = any("/" in w and any(p in vocab for p in w.split("/")) for w in key)
        typo = any(
            kind != "term" and _near(w, vocab) for w, kind in zip(key, st.kinds, strict=False)
        )
        slot = len(key) > 1 and len(modifiers[key[-1]]) >= SLOT  # Server Name, Stack Name…
        # CSDL: English never uses it, and it spells the initials of a Vietnamese phrase
        # written about as often in these pages (cơ sở dữ liệu)
        abbrev = (
            len(term) > 2
            and term.isalpha()
            and term.isupper()
            and not st.en_pages
            and initials.get(term, 0) >= max(5, st.count // 2)
        )
        c.score = _score(c, len(st.en_pages), term.lower() in code_words) - PENALTY * (
            combined or listed or typo or slot or abbrev or "variant" in st.kinds
        )
        out.append(c)
    out.sort(key=lambda c: (-round(c.score, 6), -c.pages, -c.count, c.term.lower()))
    return out


def _vi_initials(segs: list[_Seg]) -> dict[str, int]:
    """Initials (CSDL) -> how often the commonest run of 2-6 Vietnamese words with these
    initials (cơ sở dữ liệu) is written in Vietnamese segments."""
    phrases: Counter[tuple[str, str]] = Counter()
    for s in segs:
        if s.lang != "vi":
            continue
        for _, _, run in s.runs:
            viet = [
                t.kind in ("vi", "amb") or (t.kind == "term" and is_vietnamese_word(t.text))
                for t in run
            ]
            for i in range(len(run)):
                end = i
                while end < len(run) and end - i < 6 and viet[end]:
                    end += 1
                for n in range(2, end - i + 1):
                    words = run[i : i + n]
                    phrases[
                        "".join(_initial(t.text) for t in words),
                        " ".join(t.text.lower() for t in words),
                    ] += 1
    out: dict[str, int] = {}
    for (initials, _), n in phrases.items():
        out[initials] = max(n, out.get(initials, 0))
    return out


def _initial(word: str) -> str:
    """The base letter a Vietnamese word starts with, upper case (đ: D)."""
    first = unicodedata.normalize("NFD", word[:1].replace("đ", "d").replace("Đ", "D"))[:1]
    return first.upper()


def _longest(
    run: list[_Tok], stats: dict[tuple[str, ...], _Stats], *, vi: bool
) -> Iterator[list[_Tok]]:
    """The mined keys in ``run``, longest match first, no overlaps."""
    i = 0
    while i < len(run):
        for n in range(min(MAX_WORDS, len(run) - i), 0, -1):
            words = run[i : i + n]
            if (
                _key(t.text for t in words) not in stats
                or all(t.kind == "term" for t in words)
                or (
                    vi
                    and (
                        any(t.kind == "vi" for t in words)
                        or "amb" in (words[0].kind, words[-1].kind)
                    )
                )
            ):
                continue  # in Vietnamese text, counted as mined
            yield words
            i += n
            break
        else:
            i += 1


def _near(word: str, vocab: set[str]) -> bool:
    """Whether ``word`` is an edit away from a glossary word (two for long words), not just
    its plural."""
    if len(word) < 5 or word in vocab:
        return False
    limit = 1 if len(word) < 8 else 2
    for v in vocab:
        if (
            abs(len(v) - len(word)) <= limit
            and v[0] == word[0]
            and v.rstrip("s") != word.rstrip("s")
            and _distance(v, word, limit) <= limit
        ):
            return True
    return False


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` once it is certainly above ``limit``."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _glossary_keys(glossary: Glossary) -> set[tuple[str, ...]]:
    keys: set[tuple[str, ...]] = set()
    for e in glossary.entries:
        for term in (e.en, e.vi):
            words = _TOKEN.findall(term)
            if words:
                keys.update((_key(words), tuple(w.lower() for w in words)))
    return keys


def _parts(keys: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Every glossary term and every run of words inside one."""
    return {k[i:j] for k in keys for i in range(len(k)) for j in range(i + 1, len(k) + 1)}


def in_glossary(term: str, glossary: Glossary) -> bool:
    """Whether the glossary has ``term`` (any case, plural folded) or a longer term with it."""
    words = _TOKEN.findall(term)
    return bool(words) and _key(words) in _parts(_glossary_keys(glossary))


def _best_form(forms: Counter[str]) -> str:
    """The most common spelling; on a tie, the one with more capitals (names)."""
    return max(forms.items(), key=lambda f: (f[1], sum(c.isupper() for c in f[0]), f[0]))[0]


def _spread(contexts: list[Context], n: int) -> list[Context]:
    """Up to ``n`` contexts, Vietnamese first, from as many files as possible."""
    ordered = sorted(contexts, key=lambda c: c.lang != "vi")
    out: list[Context] = []
    for c in ordered:
        if len(out) < n and all(c.path != o.path for o in out):
            out.append(c)
    for c in ordered:
        if len(out) < n and c not in out:
            out.append(c)
    return out


def _term_kind(term: str) -> str:
    words = _TOKEN.findall(term)
    if len(words) > 1:
        return "phrase"
    return "name" if _is_name(term) else "word"


def _score(c: Candidate, en_pages: int, in_code: bool) -> float:
    """Evidence (pages, Vietnamese pages, English pages too, count) plus term-likeness."""
    s = 2.0 * math.log1p(c.vi_pages) + math.log1p(c.pages) + 0.5 * math.log1p(c.count)
    if c.vi_pages and en_pages:  # kept in Vietnamese and used in English: a shared term
        s += 1.0
    elif c.kind == "name" and not en_pages:
        s -= 2.0  # a "name" English never uses: a Vietnamese abbreviation (CSDL) or a typo
    if not c.vi_count:
        s -= 1.5
    words = [w.lower() for w in _TOKEN.findall(c.term)]
    if c.kind == "phrase":
        s += 1.5
        if words[0] in _ACTIONS or (words[0].endswith("ing") and c.term[:1].isupper()):
            s -= 3.0  # a UI action or a status line, not a thing
        if any(w in EN_WORDS and w not in _CONNECTORS for w in words) or any(
            w.endswith("ly") for w in words
        ):
            s -= 3.0  # a sentence fragment
    elif c.kind == "name":
        if c.term.isupper() and len(c.term) <= 2:
            s -= 1.5  # two capitals: units, times, IDs
        if _identifier(c.term) or in_code:
            s -= 5.0  # a resource or variable name
    else:
        s = s / 2 - 1.0  # one plain word: almost always generic English
    return s
