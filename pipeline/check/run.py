"""Check a bilingual site: missing pages and sections, untranslated segments, stale
translations, glossary violations and structure drift, section by section.

The library half of ``vien check``: :func:`check` returns a :class:`Report`; the CLI formats
it and turns it into an exit status (0 nothing at the threshold, 1 findings, 2 usage/input
error). Each kind of finding is one small function over an aligned page pair.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from ..errors import PageError
from ..glossary.entries import Glossary, matching_once
from ..paths import Resolver
from ..site import history
from ..site.discover import Discovery, Page, base_language, discover
from ..site.lock import LockFile, PageRecord
from ..site.markup import config_root, heading_ids
from ..site.settings import KINDS, site_root
from . import conventions as site_conventions
from .cache import CheckCache, code_stamp, job_key

# Parsing, aligning and the checks of a pair are imported where a pair is checked: a run whose
# pairs all come from the check cache imports none of them (start-up time).
if TYPE_CHECKING:
    from ..align.absence import Absence
    from ..align.sections import Link
    from ..page.anchors import HeadingIds
    from ..page.model import Document, Section
    from .anchors import PageAnchors

#: Pairs below this are checked in-process; more are spread over worker processes. A pool
#: costs about 50 ms to start, and each worker fills its own caches (about 10% more CPU in
#: all, measured on 100 pairs); 50 pairs take about 0.7 s to check, which two cores halve.
PARALLEL_FROM = 50


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, located by file, 1-based line and section heading."""

    kind: str  # one of KINDS
    severity: str  # "error" (fails CI by default), "warning" or "notice"
    file: str
    line: int
    section: str
    message: str
    segment: int | None = None  # index of the segment (untranslated findings)
    text: str = ""  # what the finding is about (segment text, heading, term…)
    ref: str = ""  # the source place it refers to ("PATH:LINE"), if any
    title: bool = False  # about a heading, title, table header or link text

    def fingerprint(self, root: Path | None = None) -> str:
        """Identity for baselines: independent of line numbers (edits elsewhere in the page
        do not resurrect an accepted finding) and of the working directory (the file is taken
        relative to the site ``root``)."""
        name = self.file
        if root is not None:
            with contextlib.suppress(ValueError):
                name = Path(self.file).resolve().relative_to(root.resolve()).as_posix()
        key = "\x1f".join((self.kind, name, self.section, self.text or self.message))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (README: ``vien check --format json``)."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "section": self.section,
            "message": self.message,
        }


@dataclass(slots=True)
class Report:
    """Findings of one check run, and what was looked at."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # pages that could not be read
    notes: list[str] = field(default_factory=list)  # what was taken for granted about the site
    pairs: int = 0
    pages: int = 0
    source: str = ""
    targets: tuple[str, ...] = ()
    seconds: float = 0.0
    baselined: int = 0
    root: Path | None = None  # the site root: baseline fingerprints are relative to it
    conventions: dict[str, site_conventions.Convention] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        by_kind = Counter(f.kind for f in self.findings)
        by_sev = Counter(f.severity for f in self.findings)
        return {
            "pairs": self.pairs,
            "pages": self.pages,
            "findings": len(self.findings),
            "errors": by_sev["error"],
            "warnings": by_sev["warning"],
            "notices": by_sev["notice"],
            "by_kind": {k: by_kind[k] for k in KINDS if by_kind[k]},
            "baselined": self.baselined,
            "unreadable": len(self.errors),
            "source": self.source,
            "targets": list(self.targets),
        }


#: Resolves the pages' paths, each folder once; a new one for each :func:`check`.
_RESOLVED = Resolver()


def display(path: Path) -> str:
    """``path`` relative to the working directory when it is below it (as users type it)."""
    try:
        return _RESOLVED.relative(path, os.getcwd())
    except ValueError:
        return str(path)


_LANGUAGES = {"en": "English", "vi": "Vietnamese"}


def _name(lang: str) -> str:
    return _LANGUAGES.get(lang, repr(lang))


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _heading(doc: Document, index: int) -> str:
    return doc.sections[index].heading if index < len(doc.sections) else ""


@dataclass(slots=True)
class _Pair:
    """A page pair as the checks see it."""

    src_path: str
    tgt_path: str
    src_lang: str
    tgt_lang: str
    src: Document
    tgt: Document
    links: list[Link]
    glossary: Glossary | None

    def one_to_one(self) -> Iterator[tuple[Section, Section, Link]]:
        for lk in self.links:
            if len(lk.source) == 1 and len(lk.target) == 1:
                yield self.src.sections[lk.source[0]], self.tgt.sections[lk.target[0]], lk

    def target_of(self) -> dict[int, int]:
        """Source section -> first aligned target section."""
        return {i: lk.target[0] for lk in self.links if lk.target for i in lk.source}


# -- the checks: each a small function over a page --------------------------------------------


def untranslated(
    doc: Document,
    path: str,
    lang: str,
    other: str,
    glossary: Glossary | None,
    src: Document | None = None,
    src_path: str = "",
) -> list[Finding]:
    """Segments of a ``lang`` page written in ``other``, and, given the page it translates
    (``src`` at ``src_path``), its headings copied unchanged from it
    (:func:`vien.check.untranslated.untranslated_segments`)."""
    from .untranslated import untranslated as untranslated_found

    out = []
    for u in untranslated_found(doc, lang, glossary, src):
        seg = u.seg
        how = (
            f"copied unchanged from {src_path} and not {_name(lang)}"
            if u.copied
            else f"{_name(other)} text in the {_name(lang)} page"
        )
        out.append(
            Finding(
                "untranslated",
                u.level,
                path,
                seg.line,
                _heading(doc, seg.section),
                f"{how}: {u.why!r} in {_short(seg.plain)!r}",
                seg.index,
                seg.text,
                title=u.title,
            )
        )
    return out


def missing_sections(p: _Pair) -> list[Finding]:
    """Source sections with no counterpart, and counterpart sections with no source.

    An ``error`` only when the section is certainly absent (:mod:`vien.align.absence`, with
    the whole page looked at); otherwise an uncertain missing section: a ``warning``, with
    its evidence (the same images or code elsewhere, prose condensed or under
    pseudo-headings)."""
    from ..align.absence import absences, page_evidence

    out = []
    found = {a.source: a for a in absences(p.src, p.tgt, p.links, whole_page=True)}
    flat = _without_headings(p, found)
    if flat:
        return [flat]
    target_lines = {j: p.tgt.sections[j].line for lk in p.links for j in lk.target}
    last_line = p.tgt.text.count("\n") + 1
    for k, lk in enumerate(p.links):
        if lk.source and not lk.target:
            after = next((min(nx.target) for nx in p.links[k + 1 :] if nx.target), None)
            line = target_lines[after] if after is not None else last_line
            for i in lk.source:
                s = p.src.sections[i]
                sure = found[i].certain
                where = f"section {s.heading!r} ({p.src_path}:{s.line})"
                if sure:
                    message = f"{where} has no counterpart here; it belongs before this line"
                else:
                    why = "; ".join(found[i].evidence)
                    message = f"uncertain missing section: {where}; its content may be here ({why})"
                out.append(
                    Finding(
                        "missing-section",
                        "error" if sure else "warning",
                        p.tgt_path,
                        line,
                        s.heading,
                        message,
                        None,
                        s.heading,
                        f"{p.src_path}:{s.line}",
                    )
                )
        elif lk.target and not lk.source:
            for j in lk.target:
                s = p.tgt.sections[j]
                sure = page_evidence(p.tgt, s, p.src) is None  # a section the source lacks
                out.append(
                    Finding(
                        "missing-section",
                        "error" if sure else "warning",
                        p.tgt_path,
                        s.line,
                        s.heading,
                        f"section {s.heading!r} has no counterpart in {p.src_path}"
                        + ("" if sure else "; its content may be there in another form"),
                        None,
                        "extra:" + s.heading,
                    )
                )
    return out


def _without_headings(p: _Pair, found: dict[int, Absence]) -> Finding | None:
    """One finding for a counterpart that has none of the source's headings but may hold its
    content (every missing section uncertain: its text written as plain lines or prose),
    instead of an uncertain missing section for each of them."""
    headed = len(p.src.sections) - 1
    if len(p.tgt.sections) > 1 or headed < 2 or not found:
        return None
    if any(a.certain for a in found.values()):
        return None
    return Finding(
        "structure",
        "warning",
        p.tgt_path,
        1,
        "",
        f"the page has none of the {headed} headings of {p.src_path}, but its text may hold "
        "their sections (written as plain lines or prose): add the headings, so that its "
        "sections correspond and later changes can be merged",
        None,
        "no-headings",
    )


def different_content(p: _Pair) -> list[Finding]:
    """Same headings, unrelated content: the counterpart is not a translation of the page."""
    from ..align.sections import unrelated

    why = unrelated(p.src, p.tgt, p.links)
    if why is None:
        return []
    return [
        Finding(
            "structure",
            "error",
            p.tgt_path,
            1,
            "",
            f"{why} ({p.src_path})",
            None,
            "different-content",
        )
    ]


def _counts(doc: Document, section: Section) -> Counter[str]:
    c: Counter[str] = Counter()
    for b in section.blocks:
        if b.kind in ("code", "table", "shortcode"):
            c[b.kind] += 1
    for i in section.segments:
        for part in doc.segments[i].parts:
            if part.kind == "image" and part.text.startswith("!"):
                c["image"] += 1
            elif part.kind == "shortcode" and not part.text.lstrip("{<% ").startswith("/"):
                c["shortcode"] += 1
            elif part.kind == "html" and part.text[:4].lower() == "<img":
                c["image"] += 1
    return c


_NAMES = {"code": "code blocks", "table": "tables", "shortcode": "shortcodes", "image": "images"}


def structure(p: _Pair) -> list[Finding]:
    """Aligned 1-1 sections must hold as many code blocks, tables, shortcodes and images."""
    out = []
    for a, b, _ in p.one_to_one():
        ca, cb = _counts(p.src, a), _counts(p.tgt, b)
        diffs = [f"{_NAMES[k]} {ca[k]}→{cb[k]}" for k in _NAMES if ca[k] != cb[k]]
        if diffs:
            out.append(
                Finding(
                    "structure",
                    "warning",
                    p.tgt_path,
                    b.line,
                    b.heading,
                    f"differs from {p.src_path}:{a.line}: " + ", ".join(diffs),
                    None,
                    ";".join(diffs),
                )
            )
    return out


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def glossary_terms(p: _Pair) -> list[Finding]:
    """In aligned sections, keep-terms must be written as in the source (an altered one is
    located by line) and forced renderings used. Vietnamese has no plural and writers keep
    English terms: a term is present in any of its inflections (plural, possessive, case:
    "metric" for "metrics"), and a forced rendering is satisfied by the source term kept
    as is. So a term is reported only when the target has neither the term nor its
    rendering."""
    if p.glossary is None:
        return []
    out = []
    for a, b, _ in p.one_to_one():
        # rendering -> (source text, mode, line, forms accepted)
        wanted: dict[str, tuple[str, str, int, tuple[str, ...]]] = {}
        for i in a.segments:
            seg = p.src.segments[i]
            if seg.in_front_matter:
                continue
            for part in seg.parts:
                if part.protected:
                    continue
                for m in p.glossary.find(part.text, p.src_lang):
                    want = m.text if m.entry.mode == "keep" else m.entry.term(p.tgt_lang)
                    if want and want not in wanted:
                        forms: tuple[str, ...] = (
                            want,
                            m.text,
                            m.entry.en,
                            m.entry.term(p.src_lang),
                        )
                        wanted[want] = (m.text, m.entry.mode, seg.line, forms)
        if not wanted:
            continue
        segs = [p.tgt.segments[j] for j in b.segments]
        text = "\n".join(sg.text for sg in segs)
        squashed_segs: list[str] | None = None
        for want, (src_text, mode, line, accepted) in wanted.items():
            if any(term_present(f, text) for f in dict.fromkeys(accepted)):
                continue
            where, how = b.line, f"forced rendering {want!r} (for {src_text!r}) is not used"
            if mode == "keep":
                how = f"keep-term {want!r} is not in the translation"
                squashed = _squash(want)
                if squashed_segs is None:
                    squashed_segs = [_squash(sg.plain) for sg in segs]
                for sg, sq in zip(segs, squashed_segs, strict=True):
                    if squashed not in sq:  # an altered spelling: CodePipeline → Code Pipeline
                        continue
                    for w in _altered(sg.plain, squashed):
                        where, how = sg.line, f"keep-term {want!r} altered to {w!r}"
                        break
            out.append(
                Finding(
                    "glossary",
                    "warning",
                    p.tgt_path,
                    where,
                    b.heading,
                    f"{how} ({p.src_path}:{line})",
                    None,
                    f"{want}\x1f{how}",
                )
            )
    return out


def _singular(word: str) -> str:
    """English plural to singular, for the last word of a term ("policies" → "policy")."""
    low = word.lower()
    if low.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-1].isupper() else "y")
    if low.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if low.endswith("s") and not low.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


_TERM_FORMS: dict[tuple[str, bool], re.Pattern[str]] = {}


def term_present(term: str, text: str, *, sensitive: bool = False) -> bool:
    """Whether ``term`` is in ``text`` in any of its inflections: singular or plural and
    possessive of its last word ("Security Group", "security groups", "bucket's"), any case
    (first letter only when ``sensitive``)."""
    key = (term, sensitive)
    pattern = _TERM_FORMS.get(key)
    if pattern is None:
        head, _, last = term.rpartition(" ")
        base = _singular(last) if last[-1:].isalpha() else last
        stem = (head + " " if head else "") + base
        body = re.escape(stem).replace("\\ ", r"[\s\-]+")
        if sensitive:
            body = (
                f"[{re.escape(stem[0].upper())}{re.escape(stem[0].lower())}]"
                + body[len(re.escape(stem[0])) :]
            )
        suffix = r"(?:ies|es|s)?(?:['’]s?)?" if base != last or last[-1:].isalpha() else ""
        if base != last and last.lower().endswith("ies"):
            body = body[:-1]  # "polic" + ies / y
            suffix = r"(?:y|ies)(?:['’]s?)?"
        flags = 0 if sensitive else re.IGNORECASE
        pattern = re.compile(rf"(?<![\w]){body}{suffix}(?![\w])", flags)
        _TERM_FORMS[key] = pattern
    return pattern.search(text) is not None


def _altered(text: str, squashed: str) -> Iterator[str]:
    """Runs of up to three words of ``text`` that spell ``squashed`` differently."""
    words = text.split()
    for n in (1, 2, 3):
        for k in range(len(words) - n + 1):
            run = " ".join(words[k : k + n]).strip(".,;:!?()[]\"'*_`")
            if _squash(run) == squashed:
                yield run


def _stale(p: _Pair, changed: Iterable[tuple[Section, str, str]]) -> list[Finding]:
    """A stale finding at the aligned target section of each changed source section
    (section, its current hash, why it counts as changed)."""
    target_of = p.target_of()
    out = []
    for section, h, why in changed:
        if section.index not in target_of:
            continue  # no counterpart: a missing section, reported as such
        t = p.tgt.sections[target_of[section.index]]
        out.append(
            Finding(
                "stale",
                "warning",
                p.tgt_path,
                t.line,
                t.heading,
                f"source section {section.heading or '(top)'!r} ({p.src_path}:{section.line}) "
                f"changed {why}",
                None,
                f"{section.heading}\x1f{h}",
            )
        )
    return out


def stale_from_lock(p: _Pair, record: PageRecord | None) -> list[Finding]:
    """Source sections whose hash differs from the one recorded with their translation."""
    if record is None:
        return []
    changed = []
    for section, h in zip(p.src.sections, p.src.section_hashes(), strict=True):
        rec = record.section_for(section.index, section.heading)
        if rec is not None and rec.source_hash != h:
            changed.append((section, h, f"since its translation was recorded ({rec.origin})"))
    return _stale(p, changed)


def stale_from_history(p: _Pair, old_source: str | None) -> list[Finding]:
    """Source sections changed since the counterpart's last commit (no lock record)."""
    if old_source is None:
        return []
    from ..page.parse import parse

    try:
        before = set(parse(old_source).section_hashes())
    except PageError:
        return []
    return _stale(
        p,
        [
            (section, h, "after this page was last committed")
            for section, h in zip(p.src.sections, p.src.section_hashes(), strict=True)
            if h not in before
        ],
    )


# -- running the checks over a site -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Job:
    src: Page
    tgt: Page | None
    src_lang: str
    tgt_lang: str
    record: PageRecord | None
    old_source: str | None
    ids: HeadingIds  # the site's heading ID settings (anchor links)


#: What checking one pair gives: findings, unreadable pages, pages read, and the anchors of
#: the pages it parsed (source, then target; None: a page that cannot be read), for the
#: site-wide anchor check.
_Result: TypeAlias = "tuple[list[Finding], list[str], int, tuple[PageAnchors | None, ...]]"

_GLOSSARY: Glossary | None = None  # set in each worker (fork inherits it)


def _check_job(job: _Job) -> _Result:
    """Every check of one page pair (or lone page)."""
    with matching_once(_GLOSSARY), _collector_paused():  # the checks below match the same
        return _checked(job, _GLOSSARY)  # texts against it


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: the checks of a pair make no reference
    cycles (none on any pair of the corpus), so its passes over the many objects that
    parsing makes free nothing and cost about 5% of the check. What the pair frees is
    freed as it goes (reference counts); any cycle would be collected after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _checked(job: _Job, glossary: Glossary | None) -> _Result:
    from ..align.sections import align
    from ..page.read import empty_page, read_document
    from .anchors import page_anchors

    src_path = display(job.src.path)
    if empty_page(job.src.path):  # Hugo builds it; there is nothing in it to check
        return [], [], 1, (None,)
    try:
        src = read_document(job.src.path)
    except PageError as exc:
        return [], [str(exc)], 0, (None,)
    anchors: tuple[PageAnchors | None, ...] = (page_anchors(src, job.ids),)
    # the languages of the text ("en" for a site's "en-us"): what detector and glossary know
    sl, tl = base_language(job.src_lang), base_language(job.tgt_lang)
    found = untranslated(src, src_path, sl, tl, glossary)
    if job.tgt is None:
        return found, [], 1, anchors
    tgt_path = display(job.tgt.path)
    if empty_page(job.tgt.path):
        message = f"the {job.tgt_lang} page is empty: run vien translate to fill it"
        found.append(Finding("missing-page", "error", tgt_path, 1, "", message))
        return found, [], 2, (*anchors, None)
    try:
        tgt = read_document(job.tgt.path)
    except PageError as exc:
        return found, [str(exc)], 1, (*anchors, None)
    anchors += (page_anchors(tgt, job.ids),)
    found += untranslated(tgt, tgt_path, tl, sl, glossary, src, src_path)
    links = align(src, tgt, glossary, source_lang=sl, target_lang=tl)
    p = _Pair(src_path, tgt_path, sl, tl, src, tgt, links, glossary)
    drift = different_content(p)
    if drift:
        return found + drift, [], 2, anchors
    found += missing_sections(p)
    found += structure(p)
    found += glossary_terms(p)
    found += stale_from_lock(p, job.record) if job.record else stale_from_history(p, job.old_source)
    return found, [], 2, anchors


def _jobs(
    found: Discovery,
    source: str,
    targets: Iterable[str],
    lock: LockFile,
    only: set[Path] | None,
    git: history.History | None,
    ids: HeadingIds,
) -> Iterator[_Job]:
    def wanted(*pages: Page | None) -> bool:
        return only is None or any(pg is not None and pg.path.resolve() in only for pg in pages)

    for target in targets:
        for src, tgt in found.pairs(source, target):
            if not wanted(src, tgt):
                continue
            record = lock.get(tgt.path) if tgt is not None else None
            old = None
            if tgt is not None and record is None and git is not None:
                old = git.source_at_target_commit(src.path, tgt.path)
            yield _Job(src, tgt, source, target, record, old, ids)
        for page in found.orphans(target, source):
            if wanted(page):
                yield _Job(page, None, target, source, None, None, ids)


def _missing_pages(
    found: Discovery, source: str, targets: Iterable[str], only: set[Path] | None
) -> list[Finding]:
    out = []
    for target in targets:
        for src, tgt in found.pairs(source, target):
            if tgt is None and (only is None or src.path.resolve() in only):
                expected = found.target_path(src, target)
                out.append(
                    Finding(
                        "missing-page",
                        "error",
                        display(src.path),
                        1,
                        "",
                        f"no {target!r} counterpart (expected {display(expected)})",
                        None,
                        f"{target}:missing",
                    )
                )
        for page in found.orphans(target, source):
            if only is None or page.path.resolve() in only:
                out.append(
                    Finding(
                        "missing-page",
                        "warning",
                        display(page.path),
                        1,
                        "",
                        f"no {source!r} counterpart: a page only in {target!r}",
                        None,
                        f"{source}:orphan",
                    )
                )
    return out


#: What checking a pair imports on first use (:func:`_checked`): the parser, the aligner and
#: the checks.
_CHECK_MODULES = (
    "..page.read",
    "..page.parse",
    "..align.sections",
    "..align.absence",
    ".anchors",
    ".untranslated",
)


def _import_checks() -> None:
    """Import :data:`_CHECK_MODULES` (before worker processes fork: not once in each)."""
    import importlib

    for module in _CHECK_MODULES:
        importlib.import_module(module, __package__)


def _init_worker(glossary: Glossary | None) -> None:
    global _GLOSSARY
    _GLOSSARY = glossary


def check(
    content: Path,
    *,
    source: str | None = None,
    target: str | None = None,
    glossary: Glossary | None = None,
    changed_since: str | None = None,
    workers: int | None = None,
    progress: Callable[[int], Callable[[int], None]] | None = None,
    remember: bool = True,
) -> Report:
    """Check every page pair under ``content``.

    ``source`` and ``target`` default as :meth:`SiteConfig.direction` says.
    ``changed_since``: a git ref; only pairs with a page changed since then are checked.
    ``workers``: processes to use (default: one per core once there are many pairs).
    ``remember``: keep state in ``.vien/``: the site's conventions (:mod:`.conventions`) and
    the findings of unchanged pairs (:mod:`.cache`); False reads and writes neither.
    """
    global _RESOLVED
    started = time.perf_counter()
    _RESOLVED = Resolver()  # folders are resolved anew by each run
    found = discover(content)
    cfg = found.config
    src_lang, targets = cfg.direction(source, target)
    git = history.History.of(cfg.root)
    only = None
    if changed_since is not None:
        if git is None:
            raise ValueError("--changed-only needs the site to be in a git repository")
        only = git.changed_since(changed_since)
    lock = LockFile(cfg.root)
    # baselines are relative to the Hugo site root, given the site or its content folder
    report = Report(source=src_lang, targets=targets, root=site_root(cfg.root))
    report.errors = [str(e) for e in found.problems]
    report.notes = [n for n in (cfg.assumed(),) if n]
    report.findings = _missing_pages(found, src_lang, targets, only)
    # the site's heading ID settings: the pairs' anchors and the site-wide anchor check
    ids = heading_ids(config_root(cfg.config_file, cfg.root))
    jobs = list(_jobs(found, src_lang, targets, lock, only, git, ids))
    report.pairs = sum(1 for j in jobs if j.tgt is not None)
    tick = progress(len(jobs)) if progress else None
    n = (
        workers
        if workers is not None
        else (os.cpu_count() or 1)
        if len(jobs) >= PARALLEL_FROM
        else 1
    )
    _init_worker(glossary)
    # pairs unchanged since the last check (bytes, lock entry, glossary, code) are not
    # parsed again: their findings come from .vien/check-cache.json
    cached = CheckCache(cfg.root, enabled=remember)
    keys = [
        job_key(j, (display(j.src.path), display(j.tgt.path) if j.tgt else ""), glossary)
        for j in jobs
    ]
    hits = [cached.get(k) for k in keys]
    anchors: dict[Path, PageAnchors | None] = {}  # of the pages the pairs read
    for job, hit in zip(jobs, hits, strict=True):
        if hit is not None:
            report.findings.extend(Finding(**f) for f in hit[0])  # type: ignore[arg-type]
            report.pages += hit[2]
            _keep_anchors(anchors, job, hit[3])
    todo = [k for k, hit in enumerate(hits) if hit is None]
    todo_jobs = [jobs[k] for k in todo]
    if len(todo) < PARALLEL_FROM and workers is None:
        n = 1
    done = len(jobs) - len(todo)
    if tick and done:
        tick(done)
    if n > 1 and todo:
        from concurrent.futures import ProcessPoolExecutor  # here: start-up time

        # the first pair is checked here, before the workers fork: they inherit what it
        # imported and built (parser, patterns, caches) instead of each building its own
        _import_checks()
        first = _check_job(todo_jobs[0])
        with ProcessPoolExecutor(n, initializer=_init_worker, initargs=(glossary,)) as pool:
            results: Iterable[_Result] = itertools.chain(
                [first],
                pool.map(_check_job, todo_jobs[1:], chunksize=max(1, len(todo) // (n * 8))),
            )
            stored = _stored(cached, [keys[k] for k in todo], results)
            _collect(report, todo_jobs, stored, tick, anchors)
    else:
        stored = _stored(cached, [keys[k] for k in todo], map(_check_job, todo_jobs))
        _collect(report, todo_jobs, stored, tick, anchors)
    report.findings += _anchor_findings(found, cached, only, anchors, ids)
    cached.save(keep_old=only is not None)
    _apply_conventions(report, found, cfg.root, glossary, full=only is None, remember=remember)
    # with several target languages a source page is read once per target: one finding each
    report.findings = sorted(
        dict.fromkeys(report.findings), key=lambda f: (f.file, f.line, KINDS.index(f.kind))
    )
    report.seconds = time.perf_counter() - started
    return report


def _kept(f: Finding, *, learning: bool = False) -> bool:
    """A title or label left in the other language, not prose: a convention candidate.
    Learnt from warnings only (a title copied from the source page is a notice already, and
    a changed-only run, which learns without the source pages, must learn the same)."""
    levels = ("warning",) if learning else ("warning", "notice")
    return f.kind == "untranslated" and f.severity in levels and site_conventions.candidate(f.text)


def _relative_to(root: Path) -> Callable[[str], str]:
    """A finding's file (as displayed) relative to the site ``root``, or as it is outside it;
    each file and the root resolved once (a site's findings name each page many times)."""

    @functools.cache
    def relative(file: str) -> str:
        try:
            return _RESOLVED.relative(file, root)
        except ValueError:
            return file

    return relative


def _learn_all(found: Discovery, root: Path, glossary: Glossary | None) -> list[tuple[str, str]]:
    """Titles and labels kept in the other language on every page of the site (what a
    full run learns conventions from), for a changed-only run without stored ones."""
    from ..page.read import read_document

    langs = list(found.config.languages)
    kept = []
    relative = _relative_to(root)
    with matching_once(glossary):
        for page in found.pages:
            other = next((lg for lg in langs if lg != page.lang), "")
            try:
                doc = read_document(page.path)
            except PageError:
                continue
            lang, other = base_language(page.lang), base_language(other)
            for f in untranslated(doc, str(page.path), lang, other, glossary):
                if _kept(f, learning=True):
                    kept.append((relative(f.file), f.text))
    return kept


def _apply_conventions(
    report: Report,
    found: Discovery,
    root: Path,
    glossary: Glossary | None,
    *,
    full: bool,
    remember: bool = True,
) -> None:
    """Learn the site's conventions (a full run stores them in ``.vien/``; a changed-only
    run reads them) and turn the findings that follow one into notices."""
    known = None if full else site_conventions.load(root)
    if known is None:
        if full:
            relative = _relative_to(root)
            kept = [(relative(f.file), f.text) for f in report.findings if _kept(f, learning=True)]
        else:
            kept = _learn_all(found, root, glossary)
        known = site_conventions.learn(kept)
        if remember:
            site_conventions.store(root, known)
    report.conventions = known
    if not known:
        return
    out = []
    for f in report.findings:
        c = known.get(site_conventions.key(f.text)) if _kept(f) else None
        if c is not None:
            f = replace(
                f,
                severity="notice",
                message=f"{f.message}: kept as is on {c.pages} pages, a site convention "
                "(vien check --conventions)",
            )
        out.append(f)
    report.findings = out


def _anchor_findings(
    found: Discovery,
    cached: CheckCache,
    only: set[Path] | None,
    known: dict[Path, PageAnchors | None],
    ids: HeadingIds,
) -> list[Finding]:
    """Anchor links that do not resolve, site-wide (a link may point into another page),
    from the anchors of the pages the pairs read (``known``); a page no pair read is parsed
    here. Kept in the check cache under the bytes of every page: a no-change run parses
    nothing."""
    digest = hashlib.sha256(f"{code_stamp()}\x1f{ids}\x1f{sorted(only or [])}".encode())
    for page in sorted(found.pages, key=lambda pg: str(pg.path)):
        try:
            digest.update(f"\x1e{page.path}\x1f".encode() + page.path.read_bytes())
        except OSError:
            digest.update(f"\x1e{page.path}\x1funreadable".encode())
    key = "anchors:" + digest.hexdigest()
    hit = cached.get(key)
    if hit is not None:
        return [Finding(**f) for f in hit[0]]  # type: ignore[arg-type]
    from .anchors import broken_anchors

    out = [
        Finding("anchor", "error", display(b.path), b.line, b.section, b.message, None, b.target)
        for b in broken_anchors(found, ids, only, known)
    ]
    cached.put(key, out, [], 0)
    return out


def _stored(
    cached: CheckCache, keys: list[str | None], results: Iterable[_Result]
) -> Iterator[_Result]:
    """``results``, each stored in ``cached`` under its key as it passes."""
    for key, result in zip(keys, results, strict=True):
        cached.put(key, *result)
        yield result


def _keep_anchors(
    anchors: dict[Path, PageAnchors | None], job: _Job, got: tuple[PageAnchors | None, ...]
) -> None:
    """Note the anchors of the pages ``job`` read (source, then target, as many as it read)."""
    for page, found in zip((job.src, job.tgt), got, strict=False):
        if page is not None:
            anchors[page.path] = found


def _collect(
    report: Report,
    jobs: list[_Job],
    results: Iterable[_Result],
    tick: Callable[[int], None] | None,
    anchors: dict[Path, PageAnchors | None],
) -> None:
    for job, (findings, errors, pages, got) in zip(jobs, results, strict=True):
        report.findings.extend(findings)
        report.errors.extend(errors)
        report.pages += pages
        _keep_anchors(anchors, job, got)
        if tick:
            tick(1)  # one more pair done: the bar counts up to the number of pairs


# -- baselines --------------------------------------------------------------------------------


def apply_baseline(report: Report, fingerprints: Counter[str]) -> None:
    """Drop findings accepted in a baseline (each accepted once per occurrence)."""
    left = Counter(fingerprints)
    kept = []
    for f in report.findings:
        fp = f.fingerprint(report.root)
        if left[fp] > 0:
            left[fp] -= 1
            report.baselined += 1
        else:
            kept.append(f)
    report.findings = kept


def baseline_data(findings: list[Finding], root: Path | None = None) -> dict[str, object]:
    """A baseline file's content: sorted, one entry per finding, readable in a diff."""
    rows = [
        {
            "fingerprint": f.fingerprint(root),
            **{k: v for k, v in asdict(f).items() if k in ("kind", "file", "section", "message")},
        }
        for f in findings
    ]
    rows.sort(key=lambda r: (str(r["file"]), str(r["kind"]), str(r["fingerprint"])))
    return {"version": 1, "tool": "vien check", "findings": rows}


def read_baseline(data: object) -> Counter[str]:
    """Fingerprints of a baseline file's content (``ValueError`` if it is not one)."""
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ValueError('not a vien check baseline (expected {"findings": [...]})')
    out: Counter[str] = Counter()
    for row in data["findings"]:
        if not isinstance(row, dict) or not isinstance(row.get("fingerprint"), str):
            raise ValueError("baseline entry without a fingerprint")
        out[row["fingerprint"]] += 1
    return out
