"""Translate pages that lack a counterpart: parse → engine → render → verify → write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .discover import Discovery, Page, discover
from .engines import Engine
from .errors import InvariantError, PageError
from .invariants import ensure_equivalent
from .model import Document
from .pageio import DEFAULT_MAX_BYTES, read_document, write_atomic
from .parse import DEFAULT_OPTIONS, ParseOptions
from .render import render_bytes, render_text


@dataclass(slots=True)
class PageResult:
    """What happened to one source page."""

    source: Path
    target: Path | None
    status: str  # written, would-write, skipped, failed
    message: str = ""
    segments: int = 0
    terms: int = 0  # glossary terms applied
    #: per segment with terms: (line, field or None, [(source, target, mode)…])
    applied: list[tuple[int, str | None, list[tuple[str, str, str]]]] = field(
        default_factory=list)


@dataclass(slots=True)
class Summary:
    """Totals of a run."""

    results: list[PageResult] = field(default_factory=list)
    problems: list[PageError] = field(default_factory=list)  # found while walking the site
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.count("failed") > 0

    @property
    def segments(self) -> int:
        return sum(r.segments for r in self.results if r.status in ("written", "would-write"))

    @property
    def terms(self) -> int:
        return sum(r.terms for r in self.results if r.status in ("written", "would-write"))


@dataclass(frozen=True, slots=True)
class Job:
    """A source page and the file its translation will be written to."""

    page: Page
    target: Path


def render_checked(doc: Document, texts: dict[int, str], engine: Engine,
                   options: ParseOptions = DEFAULT_OPTIONS, path: Path | None = None) -> bytes:
    """The page's new bytes, after checking the output is equivalent to the source (same
    skeleton, structure and protected spans): :class:`InvariantError` otherwise."""
    ensure_equivalent(doc, render_text(doc, texts), options, ordered=engine.ordered, path=path)
    return render_bytes(doc, texts)


def translate_page(path: Path, engine: Engine, source: str, target: str,
                   options: ParseOptions = DEFAULT_OPTIONS, *,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Translate one page file and return its verified new bytes."""
    doc = read_document(path, options, max_bytes=max_bytes)
    texts = dict(enumerate(engine.translate(doc.segments, source, target)))
    return render_checked(doc, texts, engine, options, path)


def plan(found: Discovery, source: str, target: str,
         out: Path | None = None) -> tuple[list[Job], list[PageResult]]:
    """Which pages need a translation, and which are skipped (and why)."""
    jobs: list[Job] = []
    skipped: list[PageResult] = []
    for page, counterpart in found.pairs(source, target):
        dest = found.target_path(page, target)
        if out is not None:
            dest = out / dest.relative_to(found.config.root)
        if counterpart is not None:
            skipped.append(PageResult(page.path, counterpart.path, "skipped",
                                      "has a counterpart (kept as written)"))
        elif dest.exists() or dest.is_symlink():
            skipped.append(PageResult(page.path, dest, "skipped",
                                      "target file exists (never overwritten)"))
        else:
            jobs.append(Job(page, dest))
    return jobs, skipped


def run(content: Path, target: str, engine: Engine, *, source: str | None = None,
        out: Path | None = None, dry_run: bool = False,
        options: ParseOptions = DEFAULT_OPTIONS, max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Callable[[int], Callable[[int], None]] | None = None,
        chunk: int = 1024) -> Summary:
    """Translate every page of ``content`` that has no ``target``-language counterpart.

    All pages are read first; their segments then go to the engine in chunks of ``chunk``
    segments across pages (an MT engine batches each chunk), and each page is rendered,
    verified and written. ``progress(total)`` returns a callback told how many segments are
    done after each chunk.
    """
    started = time.perf_counter()
    found = discover(content)
    cfg = found.config
    if target not in cfg.languages:
        raise ValueError(f"language {target!r} is not one of the site's languages "
                         f"({', '.join(cfg.languages)})")
    if source is None:
        others = [lang for lang in cfg.languages if lang != target]
        source = cfg.default_language if cfg.default_language != target else others[0]
    if source == target:
        raise ValueError("source and target language are the same")
    summary = Summary(problems=list(found.problems))
    jobs, skipped = plan(found, source, target, out.resolve() if out else None)
    summary.results.extend(skipped)
    if jobs and hasattr(engine, "load"):
        engine.load(source, target)  # fail early, naming the install command
    docs = []
    for job in jobs:
        try:
            docs.append((job, read_document(job.page.path, options, max_bytes=max_bytes)))
        except PageError as exc:
            summary.results.append(PageResult(job.page.path, job.target, "failed", str(exc)))
    segs = [(k, seg) for k, (_, doc) in enumerate(docs) for seg in doc.segments]
    texts: list[dict[int, str]] = [{} for _ in docs]
    applied: list[list[tuple[int, str | None, list[tuple[str, str, str]]]]] = [
        [] for _ in docs]
    tick = progress(len(segs)) if progress else None
    for at in range(0, len(segs), chunk):
        part = segs[at : at + chunk]
        outs = engine.translate([seg for _, seg in part], source, target)
        used_terms = getattr(engine, "last_applied", None) or [[] for _ in part]
        for (k, seg), text, used in zip(part, outs, used_terms, strict=True):
            texts[k][seg.index] = text
            if used:
                applied[k].append((seg.line, seg.field,
                                   [(a.source, a.target, a.mode) for a in used]))
        if tick:
            tick(len(part))
    for k, (job, doc) in enumerate(docs):
        try:
            data = render_checked(doc, texts[k], engine, options, job.page.path)
        except InvariantError as exc:
            summary.results.append(PageResult(job.page.path, job.target, "failed", str(exc)))
            continue
        if not dry_run:
            write_atomic(job.target, data)
        summary.results.append(PageResult(
            job.page.path, job.target, "would-write" if dry_run else "written", "",
            len(doc.segments), sum(len(t) for _, _, t in applied[k]), applied[k]))
    summary.seconds = time.perf_counter() - started
    return summary
