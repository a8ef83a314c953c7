"""Translate pages that lack a counterpart: parse → engine → render → verify → write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .discover import Discovery, Page, discover
from .engines import Engine
from .errors import InvariantError, PageError
from .invariants import ensure_equivalent
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


@dataclass(frozen=True, slots=True)
class Job:
    """A source page and the file its translation will be written to."""

    page: Page
    target: Path


def translate_document_bytes(path: Path, engine: Engine, source: str, target: str,
                             options: ParseOptions = DEFAULT_OPTIONS, *,
                             max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, int]:
    """Translate one page; returns (new bytes, segment count). The output is verified to be
    equivalent to the source (same skeleton, structure and protected spans) before it is
    returned: :class:`InvariantError` otherwise."""
    doc = read_document(path, options, max_bytes=max_bytes)
    texts = engine.translate(doc.segments, source, target)
    translations = dict(enumerate(texts))
    ensure_equivalent(doc, render_text(doc, translations), options, ordered=engine.ordered,
                      path=path)
    return render_bytes(doc, translations), len(doc.segments)


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
        progress: Callable[[Iterator[Job]], Iterator[Job]] | None = None) -> Summary:
    """Translate every page of ``content`` that has no ``target``-language counterpart."""
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
    iterator: Iterator[Job] = iter(jobs)
    if progress is not None:
        iterator = progress(iterator)
    for job in iterator:
        try:
            data, n = translate_document_bytes(job.page.path, engine, source, target, options,
                                               max_bytes=max_bytes)
        except (PageError, InvariantError) as exc:
            summary.results.append(PageResult(job.page.path, job.target, "failed", str(exc)))
            continue
        if not dry_run:
            write_atomic(job.target, data)
        summary.results.append(PageResult(job.page.path, job.target,
                                          "would-write" if dry_run else "written", "", n))
    summary.seconds = time.perf_counter() - started
    return summary
