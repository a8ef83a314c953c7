"""``vien review``: one static HTML page to review a bilingual site, section by section.

Each page pair is shown side by side, one row per aligned group of sections, coloured by
provenance (human, TM, MT, untranslated, stale); glossary terms are highlighted with their
entry on hover and the findings of :func:`vien.check.run.check` sit next to the section or
segment they concern. The page is self-contained (inline CSS and JS, no external asset) and
every piece of page text is escaped: a page holding ``<script>`` shows it, never runs it.

:func:`build_review` gathers the data model (:class:`Review`); :func:`render_review` turns
it into HTML.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import hashlib
import html
import multiprocessing as mp
import os
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..align.sections import align
from ..check.run import KINDS, Finding, Report, check
from ..errors import PageError
from ..glossary.entries import Entry, Glossary
from ..page.model import Document
from ..page.read import read_document
from ..site.discover import Discovery, discover
from ..site.lock import LockFile, PageRecord, SectionRecord

#: Row statuses, in the order the summary lists them.
STATUSES = ("human", "tm", "mt", "untranslated", "stale")
LABELS = {
    "human": "human",
    "tm": "TM",
    "mt": "MT",
    "untranslated": "untranslated",
    "stale": "stale",
}
#: Lock origins that a machine produced (``machine:<model>`` and the test engines).
MACHINE = ("machine", "pseudo", "identity")
#: Findings shown on the page rather than on one of its sections.
_PAGE_KINDS = ("missing-page",)


def provenance(origin: str) -> str:
    """The provenance class of a lock ``origin``: human, tm or mt."""
    if origin == "tm":
        return "tm"
    if origin.split(":", 1)[0] in MACHINE:
        return "mt"
    return "human"  # human, carried (already in the target language), copied (no text)


@dataclass(slots=True)
class Row:
    """Aligned source sections and target sections (either may be empty)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    status: str  # one of STATUSES
    origin: str = ""  # the lock origins, as recorded ("" without a lock record)
    confidence: float = 0.0
    stale: bool = False
    findings: list[Finding] = field(default_factory=list)  # about the target side
    src_findings: list[Finding] = field(default_factory=list)  # about the source side
    score: float | None = None  # chrF of MT against this human section (`vien score`)

    @property
    def problem(self) -> bool:
        """Shown by the problems filter: a finding, or a section left to translate."""
        return bool(self.findings or self.src_findings) or self.status in ("untranslated", "stale")


@dataclass(slots=True)
class PageReview:
    """One page pair (or a page with no counterpart) and its rows."""

    site: Path
    src_lang: str
    tgt_lang: str
    source: Path | None  # None: a page only in the target language
    target: Path | None  # None: the counterpart is missing
    src: Document | None = None
    tgt: Document | None = None
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # about the whole page
    errors: list[str] = field(default_factory=list)  # a side that could not be read

    @property
    def problem(self) -> bool:
        return bool(self.findings or self.errors) or any(r.problem for r in self.rows)

    def all_findings(self) -> Iterable[Finding]:
        yield from self.findings
        for r in self.rows:
            yield from r.src_findings
            yield from r.findings


@dataclass(slots=True)
class Review:
    """Everything the review page shows."""

    sites: list[Path]
    pages: list[PageReview] = field(default_factory=list)
    glossary: Glossary | None = None
    unplaced: list[Finding] = field(default_factory=list)  # findings on no page shown
    errors: list[str] = field(default_factory=list)  # discovery problems
    seconds: float = 0.0

    @property
    def rows(self) -> list[Row]:
        return [r for p in self.pages for r in p.rows]

    def findings(self) -> list[Finding]:
        return [f for p in self.pages for f in p.all_findings()] + self.unplaced

    def summary(self) -> dict[str, object]:
        """Counts for the header (and for tests)."""
        rows = self.rows
        status = Counter(r.status for r in rows)
        found = self.findings()
        kinds = Counter(f.kind for f in found)
        sev = Counter(f.severity for f in found)
        return {
            "sites": len(self.sites),
            "pages": len(self.pages),
            "pairs": sum(1 for p in self.pages if p.source and p.target),
            "sections": len(rows),
            "problem_sections": sum(r.problem for r in rows),
            "source_sections": sum(len(p.src.sections) for p in self.pages if p.src),
            "target_sections": sum(len(p.tgt.sections) for p in self.pages if p.tgt),
            "status": {s: status[s] for s in STATUSES},
            "findings": len(found),
            "errors": sev["error"],
            "warnings": sev["warning"],
            "by_kind": {k: kinds[k] for k in KINDS if kinds[k]},
        }


# -- gathering --------------------------------------------------------------------------------


def _record_for(record: PageRecord | None, index: int, heading: str) -> SectionRecord | None:
    """The lock entry of source section ``index`` (matched as ``vien check`` matches it)."""
    return record.section_for(index, heading) if record is not None else None


def _rows(
    src: Document,
    tgt: Document,
    glossary: Glossary | None,
    src_lang: str,
    tgt_lang: str,
    record: PageRecord | None,
) -> list[Row]:
    hashes = src.section_hashes()
    rows = []
    for lk in align(src, tgt, glossary, source_lang=src_lang, target_lang=tgt_lang):
        if not lk.target:
            rows.append(Row(lk.source, (), "untranslated", confidence=lk.confidence))
            continue
        if not lk.source:
            rows.append(Row((), lk.target, "human", confidence=lk.confidence))
            continue
        recs = [_record_for(record, i, src.sections[i].heading) for i in lk.source]
        origins = [r.origin for r in recs if r is not None]
        classes = {provenance(o) for o in origins}
        cls = next((c for c in ("mt", "tm") if c in classes), "human")
        stale = any(
            r is not None and r.source_hash != hashes[i]
            for r, i in zip(recs, lk.source, strict=True)
        )
        rows.append(
            Row(
                lk.source,
                lk.target,
                "stale" if stale else cls,
                ", ".join(dict.fromkeys(origins)),
                lk.confidence,
                stale,
            )
        )
    return rows


def _read(path: Path, page: PageReview) -> Document | None:
    try:
        return read_document(path)
    except PageError as exc:
        page.errors.append(str(exc))
        return None


def _languages(
    content: Path, source: str | None, target: str | None
) -> tuple[Discovery, str, list[str]]:
    """The site's pages, its source language and the target languages to review."""
    found = discover(content)
    try:
        src_lang, targets = found.config.direction(source, target)
    except ValueError as exc:
        raise ValueError(f"{content}: {exc}") from None
    return found, src_lang, list(targets)


def _pages(
    found: Discovery, src_lang: str, tgt_lang: str, glossary: Glossary | None, lock: LockFile
) -> list[PageReview]:
    """Page reviews of one site and target language (no findings yet)."""
    root = found.config.root
    pages = []
    for sp, tp in found.pairs(src_lang, tgt_lang):
        page = PageReview(root, src_lang, tgt_lang, sp.path, tp.path if tp else None)
        page.src = _read(sp.path, page)
        page.tgt = _read(tp.path, page) if tp else None
        if page.src is not None and page.tgt is not None:
            page.rows = _rows(
                page.src, page.tgt, glossary, src_lang, tgt_lang, lock.get(tp.path) if tp else None
            )
        elif page.src is not None:
            page.rows = [Row((s.index,), (), "untranslated") for s in page.src.sections]
        pages.append(page)
    for orphan in found.orphans(tgt_lang, src_lang):
        page = PageReview(root, src_lang, tgt_lang, None, orphan.path)
        page.tgt = _read(orphan.path, page)
        if page.tgt is not None:
            page.rows = [Row((), (s.index,), "human") for s in page.tgt.sections]
        pages.append(page)
    return pages


def _section_at(doc: Document, line: int) -> int:
    lines = [s.line for s in doc.sections]
    return max(0, bisect.bisect_right(lines, line) - 1)


def _place(f: Finding, page: PageReview, side: str) -> None:
    """Attach ``f`` to the row it concerns, or to the page."""
    doc = page.src if side == "src" else page.tgt
    if (
        f.kind in _PAGE_KINDS
        or (f.kind == "structure" and f.text == "different-content")
        or doc is None
        or not page.rows
    ):
        page.findings.append(f)
        return
    row = None
    if f.kind == "missing-section" and side == "tgt":
        row = next(
            (
                r
                for r in page.rows
                if not r.target
                and page.src is not None
                and any(page.src.sections[i].heading == f.section for i in r.source)
            ),
            None,
        )
    if row is None:
        if f.segment is not None and f.segment < len(doc.segments):
            index = doc.segments[f.segment].section
        else:
            index = _section_at(doc, f.line)
        row = next(
            (r for r in page.rows if index in (r.source if side == "src" else r.target)), None
        )
    if row is None:
        page.findings.append(f)
    elif side == "src":
        row.src_findings.append(f)
    else:
        row.findings.append(f)
        if f.kind == "untranslated":
            row.status = "untranslated"
        elif f.kind == "stale" and row.status != "untranslated":
            row.status, row.stale = "stale", True


def _attach(findings: Iterable[Finding], pages: list[PageReview]) -> list[Finding]:
    """Distribute findings over the pages' rows; returns those on no page shown."""
    where: dict[Path, tuple[PageReview, str]] = {}
    for page in pages:
        if page.target is not None:
            where.setdefault(page.target.resolve(), (page, "tgt"))
        if page.source is not None:
            where.setdefault(page.source.resolve(), (page, "src"))
    left = []
    for f in findings:
        hit = where.get(Path(f.file).resolve())
        if hit is None:
            left.append(f)
        else:
            _place(f, *hit)
    return left


def build_review(
    contents: Path | Sequence[Path],
    *,
    source: str | None = None,
    target: str | None = None,
    glossary: Glossary | None = None,
    parallel: bool | None = None,
) -> Review:
    """Gather every page pair of the sites ``contents``, its rows and its findings.

    ``source`` defaults to each site's default language, ``target`` to every other one.
    Raises ``ValueError`` for a language the site does not have (as :func:`check` does).
    :func:`check` reads and aligns the pages too: it runs in a forked process while this
    one builds the rows (``parallel``, default: when there are two cores or more).
    """
    started = time.perf_counter()
    sites = [contents] if isinstance(contents, Path) else list(contents)
    review = Review(sites, glossary=glossary)
    jobs = []  # (site, its discovery, source language, target language)
    for content in sites:
        found, src_lang, targets = _languages(content, source, target)
        review.errors.extend(str(p) for p in found.problems)
        jobs += [(content, found, src_lang, t) for t in targets]
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1 and "fork" in mp.get_all_start_methods()
    with contextlib.ExitStack() as stack:
        reports: list[Future[Report]] | None = None
        if parallel:
            pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=mp.get_context("fork")))
            reports = [
                pool.submit(check, c, source=s, target=t, glossary=glossary) for c, _, s, t in jobs
            ]
        for k, (content, found, src_lang, tgt_lang) in enumerate(jobs):
            pages = _pages(found, src_lang, tgt_lang, glossary, LockFile(found.config.root))
            report = None
            if reports is not None:
                with contextlib.suppress(BrokenProcessPool):  # the fork died: check here
                    report = reports[k].result()
            if report is None:
                report = check(content, source=src_lang, target=tgt_lang, glossary=glossary)
            review.unplaced += _attach(report.findings, pages)
            review.pages.extend(pages)
    review.seconds = time.perf_counter() - started
    return review


#: How many of the lowest-scored rows the page lists and flags.
WORST = 10


ScoreKey = tuple[Path, tuple[int, ...], Path, tuple[int, ...]]


def section_scores(data: object, engine: str | None = None) -> dict[ScoreKey, float]:
    """Per-section chrF from ``vien score --format json`` output: (source page, source
    sections, target page, target sections) → chrF, from ``engine`` (default: the first engine
    in the file other than identity). Raises ValueError, KeyError or TypeError on data of
    another shape."""
    engines = data.get("engines") if isinstance(data, dict) else None
    if not isinstance(engines, list):
        raise ValueError("not the output of `vien score --format json` (no engines list)")
    runs = [e for e in engines if isinstance(e, dict)]
    if engine is None:
        runs = [e for e in runs if e.get("engine") != "identity"] or runs
    else:
        runs = [e for e in runs if e.get("engine") == engine]
    out: dict[ScoreKey, float] = {}
    for d in runs[0]["directions"] if runs else []:
        for sec in d["sections"]:
            if sec.get("chrf") is None:
                continue
            key = (
                Path(sec["source"]).resolve(),
                tuple(sec["source_sections"]),
                Path(sec["target"]).resolve(),
                tuple(sec["target_sections"]),
            )
            out[key] = sec["chrf"]
    return out


def attach_scores(review: Review, scores: dict[ScoreKey, float]) -> int:
    """Give each row its score, in the direction the page is reviewed in or the other;
    returns how many rows got one."""
    n = 0
    for page in review.pages:
        if page.source is None or page.target is None:
            continue
        a, b = page.source.resolve(), page.target.resolve()
        for row in page.rows:
            if not row.source or not row.target:
                continue
            got = scores.get((a, row.source, b, row.target))
            if got is None:
                got = scores.get((b, row.target, a, row.source))
            if got is not None:
                row.score = got
                n += 1
    return n


def worst_rows(review: Review, n: int = WORST) -> list[tuple[int, int, Row]]:
    """The ``n`` scored rows with the lowest chrF: (page number, row number, row)."""
    scored = [
        (r.score, p, k, r)
        for p, page in enumerate(review.pages)
        for k, r in enumerate(page.rows)
        if r.score is not None
    ]
    return [(p, k, r) for _, p, k, r in sorted(scored, key=lambda x: x[:3])[:n]]


# -- rendering --------------------------------------------------------------------------------


def esc(text: object) -> str:
    """Escape page text for HTML element content and (double-quoted) attribute values."""
    return html.escape(str(text), quote=True)


def _entry_title(entry: Entry) -> str:
    how = "keep as is" if entry.mode == "keep" else f"→ {entry.vi}"
    note = f" — {entry.note}" if entry.note else ""
    return f"glossary: {entry.en} ({how}; {entry.mode}, case-{entry.case}){note}"


class _Marks:
    """Spans to highlight in a document: glossary terms and flagged segments."""

    def __init__(self, doc: Document, lang: str, glossary: Glossary | None) -> None:
        self.spans: list[tuple[int, int, str, str]] = []  # start, end, tag, attributes
        if glossary is None:
            return
        for seg in doc.segments:
            raw = doc.text[seg.start : seg.end]
            if raw != seg.text:  # a decoded value (quoted YAML…): offsets would not map
                continue
            protected, at = [], 0
            for part in seg.parts:
                if part.protected:
                    protected.append((at, at + len(part.text)))
                at += len(part.text)
            for m in glossary.find(raw, lang):
                if any(a < m.end and m.start < b for a, b in protected):
                    continue
                self.spans.append(
                    (
                        seg.start + m.start,
                        seg.start + m.end,
                        "mark",
                        f' class="term" title="{esc(_entry_title(m.entry))}"',
                    )
                )
        self.spans.sort()

    def flag(self, doc: Document, findings: Iterable[Finding]) -> None:
        for f in findings:
            if f.segment is not None and f.segment < len(doc.segments):
                seg = doc.segments[f.segment]
                self.spans.append(
                    (
                        seg.start,
                        seg.end,
                        "span",
                        f' class="flag" title="{esc(f.kind + ": " + f.message)}"',
                    )
                )
        self.spans.sort()

    def html(self, text: str, a: int, b: int) -> str:
        """``text[a:b]`` escaped, with the spans inside it opened and closed (clipped)."""
        events: list[tuple[int, int, int, str]] = []
        lo = bisect.bisect_left(self.spans, (a,)) if self.spans else 0
        # a span starting before ``a`` may still reach into the range
        starts = [s for s in self.spans if s[0] < a and s[1] > a] if self.spans else []
        for s, e, tag, attrs in starts + self.spans[lo:]:
            if s >= b:
                break
            s, e = max(s, a), min(e, b)
            if s >= e:
                continue
            events.append((s, 1, -e, f"<{tag}{attrs}>"))
            events.append((e, 0, -s, f"</{tag}>"))
        events.sort()
        out, pos = [], a
        for off, _, _, tag in events:
            out.append(esc(text[pos:off]))
            out.append(tag)
            pos = off
        out.append(esc(text[pos:b]))
        return "".join(out)


def _spans(doc: Document) -> list[tuple[int, int]]:
    spans = doc.section_spans()
    if spans:  # section 0 shows the front matter too: its values are translatable
        spans[0] = (0, spans[0][1])
    return spans


_FINDING_ORDER = {k: n for n, k in enumerate(KINDS)}


def _findings_html(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    items = []
    for f in sorted(findings, key=lambda f: (f.line, _FINDING_ORDER.get(f.kind, 99))):
        items.append(
            f'<li class="finding {esc(f.severity)}"><span class="kind">'
            f'{esc(f.kind)}</span> <span class="loc">line {f.line}</span> '
            f"{esc(f.message)}</li>"
        )
    return f'<ul class="findings">{"".join(items)}</ul>'


def _cell(
    doc: Document | None,
    indexes: tuple[int, ...],
    spans: list[tuple[int, int]],
    marks: _Marks | None,
    findings: Sequence[Finding],
    side: str,
    lang: str,
    empty: str,
) -> str:
    out = [f'<div class="cell {side}" lang="{esc(lang)}">', _findings_html(findings)]
    if doc is None or not indexes:
        out.append(f'<p class="empty">{esc(empty)}</p>')
    else:
        for i in indexes:
            s = doc.sections[i]
            head = s.heading or "(top of page)"
            a, b = spans[i]
            end = len(doc.text[a:b].rstrip()) + a
            body = marks.html(doc.text, a, end) if marks else esc(doc.text[a:end])
            out.append(
                f'<div class="sec-head"><span class="sec-title">{esc(head)}</span> '
                f'<span class="loc">line {s.line}</span></div><pre>{body}</pre>'
            )
    out.append("</div>")
    return "".join(out)


def _badge(status: str) -> str:
    return f'<span class="badge s-{status}">{esc(LABELS[status])}</span>'


def _page_html(
    n: int, page: PageReview, glossary: Glossary | None, label: str, worst: frozenset[int]
) -> str:
    src, tgt = page.src, page.tgt
    flagged_src = [f for r in page.rows for f in r.src_findings]
    flagged_tgt = [f for r in page.rows for f in r.findings]
    ms = mt = None
    if src is not None:
        ms = _Marks(src, page.src_lang, glossary)
        ms.flag(src, flagged_src)
    if tgt is not None:
        mt = _Marks(tgt, page.tgt_lang, glossary)
        mt.flag(tgt, flagged_tgt)
    sspans = _spans(src) if src is not None else []
    tspans = _spans(tgt) if tgt is not None else []
    cls = "page has-problem" if page.problem else "page"
    out = [
        f'<section class="{cls}" id="p{n}">',
        f'<h2><span class="site">{esc(label)}</span> '
        f'<span class="path" title="{esc(page.source or "")}">'
        f"{esc(_rel(page.source, page.site) or '(no source page)')}</span> "
        f'<span class="arrow">⇄</span> '
        f'<span class="path" title="{esc(page.target or "")}">'
        f"{esc(_rel(page.target, page.site) or '(no counterpart)')}</span></h2>",
    ]
    if page.errors:
        out.append(
            '<ul class="findings">'
            + "".join(
                f'<li class="finding error"><span class="kind">unreadable</span> {esc(e)}</li>'
                for e in page.errors
            )
            + "</ul>"
        )
    out.append(_findings_html(page.findings))
    for k, row in enumerate(page.rows):
        rcls = f"row s-{row.status}" + (" problem" if row.problem else "")
        badges = _badge(row.status)
        if row.stale and row.status != "stale":
            badges += _badge("stale")
        if row.origin:
            badges += f' <span class="origin">{esc(row.origin)}</span>'
        if row.source and row.target:
            badges += f' <span class="conf">alignment {row.confidence:.2f}</span>'
        if row.score is not None:
            wcls = "score worst" if id(row) in worst else "score"
            badges += (
                f' <span class="{wcls}" title="chrF of machine translation against this '
                f'human section (vien score)">MT chrF {row.score:.1f}</span>'
            )
        out.append(
            f'<div class="{rcls}" id="p{n}-{k}" data-status="{row.status}">'
            f'<div class="row-meta">{badges}</div>'
            + _cell(
                src,
                row.source,
                sspans,
                ms,
                row.src_findings,
                "src",
                page.src_lang,
                f"(no {page.src_lang} section)",
            )
            + _cell(
                tgt,
                row.target,
                tspans,
                mt,
                row.findings,
                "tgt",
                page.tgt_lang,
                f"(untranslated: no {page.tgt_lang} section)",
            )
            + "</div>"
        )
    out.append("</section>")
    return "".join(out)


def _row_heading(page: PageReview, row: Row) -> str:
    doc, idx = (page.src, row.source) if row.source else (page.tgt, row.target)
    return (doc.sections[idx[0]].heading if doc is not None and idx else "") or "(top of page)"


def _rel(path: Path | None, root: Path) -> str:
    """``path`` relative to the site ``root`` when below it ("" for None)."""
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _toc_html(n: int, page: PageReview, label: str) -> str:
    shown = _rel(page.source or page.target, page.site)
    status = Counter(r.status for r in page.rows)
    probs = sum(r.problem for r in page.rows) + len(page.findings) + len(page.errors)
    counts = "".join(f'<span class="badge s-{s}">{status[s]}</span>' for s in STATUSES if status[s])
    doc = page.src or page.tgt
    items = []
    for k, row in enumerate(page.rows):
        idx = row.source or row.target
        heading = ""
        if doc is not None and idx:
            d = page.src if row.source else page.tgt
            heading = d.sections[idx[0]].heading if d is not None else ""
        pcls = ' class="problem"' if row.problem else ""
        items.append(
            f'<li{pcls}><a href="#p{n}-{k}"><i class="dot s-{row.status}"></i>'
            f"{esc(heading or '(top of page)')}</a></li>"
        )
    cls = "toc-page has-problem" if page.problem else "toc-page"
    return (
        f'<li class="{cls}"><details><summary><a href="#p{n}">'
        f'<span class="site">{esc(label)}</span> {esc(shown)}</a> {counts}'
        + (f' <span class="nprob">{probs} problem(s)</span>' if probs else "")
        + f"</summary><ol>{''.join(items)}</ol></details></li>"
    )


_CSS = """
:root{--human:#e6f4ea;--tm:#e3efff;--mt:#f3e8fd;--untranslated:#fde2e1;--stale:#fff1d6;
--human-b:#34a853;--tm-b:#4285f4;--mt-b:#9c27b0;--untranslated-b:#d93025;--stale-b:#f29900}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#202124;
background:#fafafa}
header{background:#fff;padding:8px 16px 0}
header h1{font-size:18px;margin:0 0 4px}
.summary span{margin-right:10px}
.controls{position:sticky;top:0;z-index:5;background:#fff;height:34px;padding:5px 16px;
border-bottom:1px solid #ddd;box-shadow:0 1px 3px rgba(0,0,0,.08);white-space:nowrap;
overflow:hidden}
.controls label{font-weight:600;cursor:pointer;background:#fff3f3;border:1px solid #d93025;
border-radius:4px;padding:2px 8px}
#shown{margin-left:12px;color:#555}
.legend .badge{margin-right:4px}
.layout{display:grid;grid-template-columns:300px 1fr;gap:0}
nav{position:sticky;top:34px;align-self:start;max-height:calc(100vh - 34px);overflow:auto;
padding:8px;border-right:1px solid #ddd;font-size:12px;background:#fff}
nav ul,nav ol{list-style:none;margin:0;padding:0}
nav ol{padding-left:12px}
nav li{margin:2px 0}
nav a{color:#1a0dab;text-decoration:none}
nav a:hover{text-decoration:underline}
.dot{display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:4px}
main{padding:8px 16px;min-width:0}
.page{background:#fff;border:1px solid #ddd;border-radius:6px;margin:0 0 16px;padding:8px}
.page h2{font-size:14px;margin:0 0 6px;word-break:break-all}
.site{color:#555;font-weight:400}
.path{font-family:ui-monospace,monospace}
.row{display:grid;grid-template-columns:1fr 1fr;gap:6px;margin:6px 0;padding:4px;
border-left:6px solid #999;border-radius:3px}
.row-meta{grid-column:1/3;font-size:12px;color:#444}
.cell{min-width:0;background:rgba(255,255,255,.7);border-radius:3px;padding:4px}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:2px 0;
font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace}
.sec-head{font-weight:600;font-size:12px}
.loc,.conf,.origin{color:#666;font-size:11px;font-weight:400}
.empty{color:#a50e0e;font-style:italic;margin:4px 0}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;font-weight:600;
border:1px solid #999}
mark.term{background:#fff59d;border-bottom:1px dotted #8a6d00;cursor:help}
span.flag{background:#ffcdd2;outline:1px solid #d93025;cursor:help}
.findings{margin:4px 0;padding-left:18px;font-size:12px}
.finding.error{color:#a50e0e}
.finding.warning{color:#7a4f00}
.finding .kind{font-weight:700}
.nprob{color:#a50e0e}
.score{color:#444;font-size:11px}.score.worst{color:#a50e0e;font-weight:700}
#worst ol{margin:2px 0;font-size:12px}
.s-human{background:var(--human);border-color:var(--human-b)}
.s-tm{background:var(--tm);border-color:var(--tm-b)}
.s-mt{background:var(--mt);border-color:var(--mt-b)}
.s-untranslated{background:var(--untranslated);border-color:var(--untranslated-b)}
.s-stale{background:var(--stale);border-color:var(--stale-b)}
.dot.s-human{background:var(--human-b)}.dot.s-tm{background:var(--tm-b)}
.dot.s-mt{background:var(--mt-b)}.dot.s-untranslated{background:var(--untranslated-b)}
.dot.s-stale{background:var(--stale-b)}
body.only-problems .row:not(.problem),body.only-problems .page:not(.has-problem),
body.only-problems .toc-page:not(.has-problem),body.only-problems nav ol li:not(.problem)
{display:none}
@media (max-width:900px){.layout{grid-template-columns:1fr}nav{position:static;max-height:none}}
"""

_JS = """
(function(){
var box=document.getElementById('only-problems'),shown=document.getElementById('shown');
var all=document.querySelectorAll('main .row').length;
var bad=document.querySelectorAll('main .row.problem').length;
function apply(){document.body.classList.toggle('only-problems',box.checked);
shown.textContent=(box.checked?bad:all)+' of '+all+' sections shown';}
box.addEventListener('change',apply);apply();
})();
"""


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def render_review(
    review: Review, *, only_problems: bool = False, title: str = "vien review"
) -> str:
    """The review as one self-contained HTML document."""
    s = review.summary()
    status: dict[str, int] = s["status"]  # type: ignore[assignment]
    by_kind: dict[str, int] = s["by_kind"]  # type: ignore[assignment]
    labels = {site: site.resolve().name for site in review.sites}
    # only this page's own script may run, and nothing may be fetched (defence in depth:
    # page text is escaped anyway)
    csp = (
        f"default-src 'none'; script-src {_csp_hash(_JS)}; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    head = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
    )
    counts = "".join(
        f'<span class="badge s-{k}">{esc(LABELS[k])}: {status[k]}</span> ' for k in STATUSES
    )
    kinds = ", ".join(f"{n} {esc(k)}" for k, n in by_kind.items()) or "none"
    sites = ", ".join(esc(labels[x]) for x in review.sites)
    header = (
        f'<header><h1>{esc(title)} <span class="site">{sites}</span></h1>'
        f'<div class="summary" id="summary"><span>{s["pairs"]} page pair(s)</span>'
        f"<span>{s['source_sections']} source and {s['target_sections']} target "
        f"sections in {s['sections']} row(s)</span>"
        f'<span class="legend">{counts}</span></div>'
        f'<div class="summary"><span>{s["findings"]} finding(s): {s["errors"]} '
        f"error(s), {s['warnings']} warning(s) ({kinds})</span>"
        f"<span>{s['problem_sections']} section row(s) with problems</span></div>"
    )
    extra = [f'<li class="finding error">{esc(e)}</li>' for e in review.errors]
    extra += [
        f'<li class="finding {esc(f.severity)}"><span class="kind">{esc(f.kind)}</span> '
        f"{esc(f.file)}:{f.line} {esc(f.message)}</li>"
        for f in review.unplaced
    ]
    if extra:
        header += f'<ul class="findings">{"".join(extra)}</ul>'
    header += (
        '</header><div class="controls"><label><input type="checkbox" id="only-problems"'
        f"{' checked' if only_problems else ''}> Only problems</label>"
        f'<span id="shown"></span> <span class="loc">hover a '
        f'<mark class="term">term</mark> for its glossary entry, a '
        f'<span class="flag">flagged segment</span> for its finding</span></div>'
    )
    lowest = worst_rows(review)
    worst = frozenset(id(r) for _, _, r in lowest)
    if lowest:
        items = "".join(
            f'<li><a href="#p{p}-{k}"><span class="score worst">chrF {r.score:.1f}</span> '
            f"{esc(_row_heading(review.pages[p], r))}</a> "
            f'<span class="loc">{esc(_rel(review.pages[p].source, review.pages[p].site))}'
            "</span></li>"
            for p, k, r in lowest
        )
        header = header.replace(
            '</header><div class="controls">',
            f'<div class="summary" id="worst">Worst MT first (chrF against the human '
            f"section, from vien score):<ol>{items}</ol></div>"
            '</header><div class="controls">',
            1,
        )
    toc, pages = [], []
    for n, page in enumerate(review.pages):
        label = labels.get(page.site, page.site.name)
        for site in review.sites:  # the name the user gave the site
            if page.site == site.resolve() or page.site.is_relative_to(site.resolve()):
                label = labels[site]
        toc.append(_toc_html(n, page, label))
        pages.append(_page_html(n, page, review.glossary, label, worst))
    body_cls = ' class="only-problems"' if only_problems else ""
    return "".join(
        [
            head,
            f"<body{body_cls}>",
            header,
            '<div class="layout"><nav id="toc"><ul>',
            *toc,
            '</ul></nav><main id="pages">',
            *pages,
            "" if pages else "<p>No pages found.</p>",
            f"</main></div><script>{_JS}</script></body></html>\n",
        ]
    )
