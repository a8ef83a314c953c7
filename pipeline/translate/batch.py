"""The translate batch: plan every page, translate all needed segments together, then render,
verify and write each page.

A page without a counterpart is translated whole. A page with one is merged into it (see
:mod:`vien.translate.plan`): human sections are kept, missing ones translated and inserted,
leftover source-language segments retranslated. Segments already written in the target
language are carried over as they are; the translation memory answers exact repeats before the
engine is asked. ``.vien/lock.json`` records where each target section came from, so a run
with nothing changed does no work and changes no byte.

Glossary changes are tracked per segment, not per glossary: a segment's *glossary signature*
is a hash of the entries found in its translatable text ('' when none). Machine translations
in the memory are keyed by it, and the lock records, for each generated section,
``<glossary version>:<section signature>``. Changing one term therefore makes a machine section
stale only where that term occurs, and only the segments containing it go to the engine again
(the others are memory hits). Front matter values are not retranslated for a glossary change,
and a section recorded before signatures existed (no ``:``) is not either.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from ..align.site import SiteEvidence
from ..atomic import remove_stale_temps, write_atomic
from ..errors import ConfigError, InvariantError, PageError, naming, os_message, stops_run
from ..glossary.entries import Glossary
from ..mt.engine import Engine, TranslateOnly, complete
from ..page.anchors import HeadingIds, fragments, heading_text, sanitize, section_ids
from ..page.model import Document, Segment
from ..page.options import DEFAULT_OPTIONS, ParseOptions
from ..page.read import (
    DEFAULT_MAX_BYTES,
    _mib,
    document_of,
    empty_page,
    read_document,
    read_page_bytes,
)
from ..page.render import render_bytes, render_text
from ..paths import OutsideError, contained
from ..site.discover import Discovery, Page, base_language, discover, site_config
from ..site.lock import (
    MEMORY_FILE,
    STATE_DIR,
    LockFile,
    PageRecord,
    SectionRecord,
    page_hash,
    run_lock,
)
from ..site.markup import config_root, heading_ids

# Parsing, merging, verifying, language detection and the memory are imported where a page
# needs them: a run with every page up to date imports none of them (start-up time).
if TYPE_CHECKING:
    from ..align.sections import Link
    from ..tm.memory import Memory
    from . import plan as merge

Side = Literal["src", "tgt"]
#: How a segment's text was obtained: already in the target language (carried), from the
#: memory (tm; memo: the engine's own earlier output), from the engine, or not at all.
How = Literal["carried", "tm", "memo", "engine", "failed"]
Status = Literal["written", "would-write", "skipped", "up-to-date", "failed"]


def plural(n: int, noun: str) -> str:
    """``1 segment``, ``2 segments``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def quoted(items: list[str], most: int = 5) -> str:
    """Names for a report line: quoted, comma-separated, the rest counted."""
    shown = ", ".join(f"“{x}”" for x in items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


class SegmentRef(NamedTuple):
    """A segment of the batch: its page's place in the work list, the side, its index."""

    page: int
    side: Side
    segment: int


class Translated(NamedTuple):
    """A segment's new text, how it was obtained, and the glossary terms applied as (source,
    target, mode). For ``failed``, the text says why."""

    text: str
    how: How
    applied: list[tuple[str, str, str]]


@dataclass(slots=True)
class PageResult:
    """What happened to one source page."""

    source: Path
    target: Path | None
    status: Status
    message: str = ""
    segments: int = 0  # segments translated (by the engine or the memory): engine + memory
    engine: int = 0  # of them, by the engine
    memory: int = 0  # of them, from the translation memory
    carried: int = 0  # segments already in the target language, kept as they are
    terms: int = 0  # glossary terms applied
    #: per segment with terms: (line, field or None, [(source, target, mode)…])
    applied: list[tuple[int, str | None, list[tuple[str, str, str]]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    uncertain: int = 0  # source sections with no counterpart whose content may be there
    inserted: list[int] = field(default_factory=list)  # source sections inserted (merges)


@dataclass(slots=True)
class Summary:
    """Totals of a run."""

    results: list[PageResult] = field(default_factory=list)
    problems: list[PageError] = field(default_factory=list)  # found while walking the site
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    def _written(self) -> list[PageResult]:
        return [r for r in self.results if r.status in ("written", "would-write")]

    # the totals count the pages written (or that would be), like ``segments``: a failed
    # page's translations are not in the figures, so the parts add up to the whole
    @property
    def engine_segments(self) -> int:
        """Segments of the pages written that the engine translated."""
        return sum(r.engine for r in self._written())

    @property
    def memory_hits(self) -> int:
        return sum(r.memory for r in self._written())

    @property
    def carried(self) -> int:
        """Segments already in the target language, kept."""
        return sum(r.carried for r in self._written())

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
    """A source page, the file its translation goes to, and the existing text to merge into
    (the target file itself, or with --out the site's counterpart). ``root`` is the folder
    the target must stay in (the target language's content folder, or its place under
    --out); ``refused`` says why the target may not be read or written, if so."""

    page: Page
    target: Path
    base: Path | None
    root: Path | None = None
    refused: str = ""


def render_checked(
    doc: Document,
    texts: dict[int, str],
    engine: Engine | TranslateOnly,
    options: ParseOptions = DEFAULT_OPTIONS,
    path: Path | None = None,
) -> bytes:
    """The page's new bytes, after checking the output is equivalent to the source (same
    skeleton, structure and protected spans): :class:`InvariantError` otherwise."""
    from ..page.invariants import ensure_equivalent

    ensure_equivalent(doc, render_text(doc, texts), options, ordered=engine.ordered, path=path)
    return render_bytes(doc, texts)


def translate_page(
    path: Path,
    engine: Engine | TranslateOnly,
    source: str,
    target: str,
    options: ParseOptions = DEFAULT_OPTIONS,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> bytes:
    """Translate one page file and return its verified new bytes."""
    doc = read_document(path, options, max_bytes=max_bytes)
    texts = dict(enumerate(engine.translate(doc.segments, source, target)))
    return render_checked(doc, texts, engine, options, path)


def _exists(path: Path) -> bool:
    """``path.exists()``, False for a name the system refuses (too long…): writing it then
    fails as that page's failure."""
    try:
        return path.exists()
    except OSError:
        return False


def plan(found: Discovery, source: str, target: str, out: Path | None = None) -> list[Job]:
    """Every source page with its destination and the text to merge into, if any.

    A destination is only read or written when it stays inside the target language's content
    folder (or ``out``), itself inside the site: see
    :func:`vien.paths.contained`. Otherwise the job is ``refused``."""
    cfg = found.config
    jobs = []
    for page, counterpart in found.pairs(source, target):
        # with --out too, the counterpart's own path: on a translationKey site it is not the
        # source's (content/vi/1-gioi-thieu/ for content/en/1-introduction/)
        dest = counterpart.path if counterpart else found.target_path(page, target)
        folder = counterpart.content_dir if counterpart and out is None else None
        folder = folder or cfg.content_dirs[target]
        root = out if out is not None else folder
        refused = ""
        if not Path(os.path.normpath(folder)).is_relative_to(cfg.root):
            refused = f"the {target} content folder {folder} is outside the site {cfg.root}"
        elif out is not None:
            dest = out / dest.relative_to(cfg.root)
        if not refused:
            try:
                contained(dest, root)
            except OutsideError as exc:
                refused = exc.message
            except OSError as exc:  # a name the system refuses (too long…): that page's failure
                refused = exc.strerror or str(exc)
        if refused:
            jobs.append(Job(page, dest, None, root, refused))
            continue
        base = dest if _exists(dest) else (counterpart.path if counterpart else None)
        jobs.append(Job(page, dest, base, root))
    return jobs


def _language(seg: Segment, glossary: Glossary | None) -> str | None:
    """:func:`vien.check.langid.detect`, imported on first use (start-up time)."""
    from ..check.langid import detect

    return detect(seg, glossary)


class SegmentTranslator:
    """Carry-over, then the translation memory, then the engine (each distinct text once).

    Results of the engine are stored in the memory, so an interrupted run does not pay for
    them twice and a re-run asks the engine nothing.
    """

    def __init__(
        self,
        engine: Engine | TranslateOnly,
        source: str,
        target: str,
        *,
        memory: Memory | None = None,
        glossary: Glossary | None = None,
        carry: bool = True,
        store: bool = True,
    ) -> None:
        self.engine, self.source, self.target = complete(engine), source, target
        self.memory, self.glossary, self.carry, self.store = memory, glossary, carry, store
        self.glossary_version = glossary.version if glossary else ""
        self.model_id = self.engine.model_id(source, target)
        self.provenance = "machine" if engine.name == "argos" else engine.name
        self.calls = 0

    def signature(self, seg: Segment) -> str:
        """The glossary signature of ``seg`` (what its machine translation depends on)."""
        return segment_signature(seg, self.glossary, self.source)

    def origin(self, how: str) -> str:
        return {
            "engine": f"machine:{self.model_id}"
            if self.provenance == "machine"
            else self.provenance
        }.get(how, how)

    def translate(
        self,
        segs: list[Segment],
        page: str = "",
        tick: Callable[[int], None] | None = None,
        chunk: int = 1024,
    ) -> list[Translated]:
        """Each segment's text, how it was obtained and the terms applied.

        A segment the engine could not translate comes back as ``failed``, its text the
        reason."""
        out: list[str | None] = [None] * len(segs)
        how: list[How] = ["failed"] * len(segs)
        applied: list[list[tuple[str, str, str]]] = [[] for _ in segs]
        todo: dict[str, list[int]] = {}
        sigs: dict[int, str] = {}
        for k, seg in enumerate(segs):
            if self.carry and _language(seg, self.glossary) == self.target:
                out[k], how[k] = seg.text, "carried"
                continue
            sigs[k] = self.signature(seg)
            hit = (
                self.memory.lookup(
                    seg.text,
                    self.source,
                    self.target,
                    model_id=self.model_id,
                    glossary_version=sigs[k],
                )
                if self.memory
                else None
            )
            if hit is not None:
                # the engine's own earlier output (same model, same glossary signature) is
                # what it would say again: a resumed run records the sections it fills like an
                # uninterrupted run does ("memo" counts as a memory hit)
                own = hit.provenance == self.provenance and hit.model_id == self.model_id
                out[k], how[k] = hit.tgt_text, "memo" if own else "tm"
            else:
                todo.setdefault(seg.text, []).append(k)
        firsts = [ks[0] for ks in todo.values()]
        if tick:
            tick(len(segs) - len(firsts))
        for at in range(0, len(firsts), chunk):
            from ..tm.memory import Unit

            part = firsts[at : at + chunk]
            done = self.engine.translate_each([segs[k] for k in part], self.source, self.target)
            self.calls += 1
            units = []
            for k, got in zip(part, done, strict=True):
                # a segment the engine could not translate (argos: too long for the model
                # even when split): its page fails, the run goes on; nothing goes to the memory
                if got.failed is not None:
                    for same in todo[segs[k].text]:
                        out[same], how[same] = f"cannot translate: {got.failed}", "failed"
                    continue
                for same in todo[segs[k].text]:
                    out[same], how[same] = got.text, "engine"
                    applied[same] = [(a.source, a.target, a.mode) for a in got.applied]
                units.append(
                    Unit(
                        self.source,
                        self.target,
                        segs[k].text,
                        got.text,
                        self.provenance,
                        sigs[k],
                        self.model_id,
                        page,
                    )
                )
            if self.memory is not None and self.store:
                self.memory.add(units)
            if tick:
                tick(sum(len(todo[segs[k].text]) for k in part))
        return [Translated(str(t), h, a) for t, h, a in zip(out, how, applied, strict=True)]


@dataclass(slots=True)
class _Work:
    job: Job
    src: Document
    tgt: Document | None = None
    merge: merge.MergePlan | None = None
    requests: list[tuple[Side, int]] = field(default_factory=list)  # segments to translate
    src_hash: str = ""  # the hash of the source page's bytes that ``src`` was parsed from


_sha = page_hash


def segment_signature(seg: Segment, glossary: Glossary | None, lang: str) -> str:
    """A hash of the glossary entries found in the translatable parts of ``seg`` (where
    :func:`vien.glossary.masking.pieces` looks for them); '' when none or without a glossary."""
    if glossary is None:
        return ""
    return glossary.signature([p.text for p in seg.parts if not p.protected], lang)


def section_signatures(doc: Document, glossary: Glossary | None, lang: str) -> list[str]:
    """The glossary signature of each section: of the entries found in its segments, front
    matter values excluded (a merge does not retranslate them)."""
    if glossary is None:
        return [""] * len(doc.sections)
    return [
        glossary.signature(
            [
                p.text
                for i in section.segments
                if not doc.segments[i].in_front_matter
                for p in doc.segments[i].parts
                if not p.protected
            ],
            lang,
        )
        for section in doc.sections
    ]


def run_stamp(
    seg_tr: SegmentTranslator, options: ParseOptions, retranslate: bool, anchors: str = "linked"
) -> str:
    """What a page's translation depends on besides the two pages' bytes: the glossary's
    version, the engine and its model, how pages are parsed, whether human text in the
    source language is retranslated and which heading IDs are kept. A lock entry with the
    same stamp, source page hash and target hash is up to date without parsing either
    page."""
    parts = (
        seg_tr.glossary_version,
        seg_tr.origin("engine"),
        seg_tr.source,
        seg_tr.target,
        ",".join(sorted(options.front_matter_keys)),
        ";".join(
            f"{name}={','.join(sorted(map(str, params)))}"
            for name, params in sorted(options.shortcode_params.items())
        ),
        str(retranslate),
        anchors,
    )
    return _sha("\x1f".join(parts).encode("utf-8"))


def _glossary_stale(record: PageRecord, signatures: list[str]) -> set[int]:
    """Generated sections whose glossary entries changed since they were recorded."""
    stale = set()
    for s in record.sections:
        _, sep, signature = s.glossary.partition(":")
        if (
            sep
            and s.origin not in ("human", "carried")
            and s.index < len(signatures)
            and signature != signatures[s.index]
        ):
            stale.add(s.index)
    return stale


#: Pages planned, translated and written together (their documents are held in memory).
PAGES_PER_BATCH = 500


def run(
    content: Path,
    target: str,
    engine: Engine | TranslateOnly,
    *,
    source: str | None = None,
    out: Path | None = None,
    dry_run: bool = False,
    options: ParseOptions = DEFAULT_OPTIONS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int], Callable[[int], None]] | None = None,
    glossary: Glossary | None = None,
    use_memory: bool = True,
    retranslate: bool = False,
    chunk: int = 1024,
    anchors: str = "linked",
) -> Summary:
    """Translate ``content`` into ``target``: new pages, and merges into counterparts.

    All pages are planned first; every segment that needs translating then goes through
    :class:`SegmentTranslator` together (an MT engine batches them), and each page is
    rendered, verified and written. ``progress(total)`` returns a callback told how many
    segments are done. Two runs on one site wait for each other (``.vien/run.lock``).
    ``anchors``: when a translated heading keeps its source heading's ID as ``{#id}``:
    ``linked`` (when a page of the site links to it), ``always`` or ``never``.
    """
    if anchors not in ANCHOR_MODES:
        raise ValueError(f"anchors must be one of {', '.join(ANCHOR_MODES)}")
    started = time.perf_counter()
    cfg = site_config(content)
    unusable = cfg.unusable(source, target)
    if unusable:  # know the site before writing anything, even a dry run's plan
        raise ConfigError(unusable)
    source, _ = cfg.direction(source, target)
    # the languages of the text ("en" for a site's "en-us"): what engines and glossary know
    text_source, text_target = base_language(source), base_language(target)
    # before any state is touched: names what to install
    complete(engine).check(text_source, text_target)
    root = out.resolve() if out else cfg.root
    state = root / STATE_DIR
    # the lock comes before discovery: a waiting run must see the first one's work; a dry
    # run creates no state at all (it reads the memory if there is one)
    with contextlib.nullcontext() if dry_run else run_lock(root):
        found = discover(content)
        summary = Summary(problems=list(found.problems))
        jobs = plan(found, source, target, root if out else None)
        lock = LockFile(root)
        lock.recover(save=not dry_run)  # a killed run's last page
        if not dry_run:
            _remove_temps(found, root, out is not None)
        memory = None
        from ..tm.memory import Memory

        if use_memory and not dry_run:
            memory = Memory(state / MEMORY_FILE)
        elif use_memory and (state / MEMORY_FILE).exists():
            memory = Memory(state / MEMORY_FILE, readonly=True)
        try:
            seg_tr = SegmentTranslator(
                engine,
                text_source,
                text_target,
                memory=memory,
                glossary=glossary,
                store=not dry_run,
            )
            batch = _Batch(
                seg_tr, lock, summary, glossary, options, max_bytes, retranslate, dry_run
            )
            batch.stamp = run_stamp(seg_tr, options, retranslate, anchors)
            batch.jobs = jobs
            # pages go through in batches: memory stays bounded on a site of 10,000 pages
            ids_known = False
            for first in range(0, len(jobs), PAGES_PER_BATCH):
                work = batch.plan_work(jobs[first : first + PAGES_PER_BATCH])
                if lock.dirty and not dry_run:
                    lock.save()  # once per batch: entries of the pages done and up to date
                if not ids_known and any(side == "src" for w in work for side, _ in w.requests):
                    batch.keep_ids = _keep_ids(found, anchors, max_bytes)  # only when needed
                    ids_known = True
                texts = batch.translate_all(work, progress, chunk)
                for k, w in enumerate(work):
                    batch.finish(k, w, texts)
                _write_ready(batch)
                del work, texts
            if lock.dirty and not dry_run:
                lock.save()  # once per run: the pages' entries were journaled as they went
        finally:
            lock.close()
            if memory is not None:
                memory.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _remove_temps(found: Discovery, root: Path, to_out: bool) -> None:
    """Delete the temporary files killed runs left where this run writes (run lock held)."""
    cfg = found.config
    inside = [
        Path(os.path.normpath(d))
        for d in cfg.content_dirs.values()
        if Path(os.path.normpath(d)).is_relative_to(cfg.root)  # never outside the site
    ]
    folders = {root / d.relative_to(cfg.root) if to_out else d for d in inside}
    for folder in sorted(folders):
        remove_stale_temps(folder, suffixes=(".md", ".markdown"))
    remove_stale_temps(root / STATE_DIR, suffixes=(".json",), recursive=False)


@dataclass(slots=True)
class _Batch:
    """One translate run's pages: planned, translated together, then finished one by one."""

    seg_tr: SegmentTranslator
    lock: LockFile
    summary: Summary
    glossary: Glossary | None
    options: ParseOptions
    max_bytes: int
    retranslate: bool
    dry_run: bool
    stamp: str = ""  # see run_stamp
    #: Pages rendered and verified, to write: (job, lock entry, bytes, result).
    ready: list[tuple[Job, PageRecord, bytes, PageResult]] = field(default_factory=list)
    #: heading IDs to keep on translated headings: the site's settings, and the IDs
    #: linked to (None: all of them); None when none are kept
    keep_ids: tuple[HeadingIds, set[str] | None] | None = None
    #: the run's jobs, whose page pairs give site-wide evidence (read at the first merge)
    jobs: list[Job] = field(default_factory=list)
    site: SiteEvidence | None = None

    def site_evidence(self) -> SiteEvidence:
        """How the site's page pairs pair their sections (:mod:`vien.align.site`), read
        once, when a first counterpart is merged."""
        if self.site is None:
            from ..align.sections import align  # imported here: start-up time

            source, target = self.seg_tr.source, self.seg_tr.target
            glossary = self.glossary
            with_base = [j for j in self.jobs if not j.refused and j.base is not None]

            def aligner(src: Document, tgt: Document) -> list[Link]:
                return align(src, tgt, glossary, source_lang=source, target_lang=target)

            self.site = SiteEvidence.of(
                _site_pairs(with_base, self.options, self.max_bytes),
                (j.base for j in with_base),
                aligner,
            )
        return self.site

    def plan_work(self, jobs: list[Job]) -> list[_Work]:
        return _plan_work(self, jobs)

    def plan_job(self, job: Job) -> _Work | None:
        return _plan_job(self, job)

    def translate_all(
        self, work: list[_Work], progress: Callable[[int], Callable[[int], None]] | None, chunk: int
    ) -> dict[SegmentRef, Translated]:
        return _translate_all(work, self.seg_tr, self.summary, progress, chunk)

    def finish(self, k: int, w: _Work, texts: dict[SegmentRef, Translated]) -> None:
        _finish(self, k, w, texts)


def _site_pairs(
    jobs: list[Job], options: ParseOptions, max_bytes: int
) -> Iterator[tuple[Document, Document]]:
    """Each job's source page and existing counterpart, parsed; a pair that cannot be read
    is an empty one (its own job reports it)."""
    from ..page.parse import parse  # imported here: start-up time

    for job in jobs:
        assert job.base is not None
        try:
            src = read_document(job.page.path, options, max_bytes=max_bytes)
            tgt = read_document(job.base, options, max_bytes=max_bytes)
        except (PageError, OSError):
            src = tgt = parse("")
        yield src, tgt


def _plan_work(b: _Batch, jobs: list[Job]) -> list[_Work]:
    """Read every job's pages and decide what each needs: up to date, refused, or work."""
    summary = b.summary
    work = []
    # lock entries of unchanged counterparts are saved with the lock at the end of the run
    # (a killed run loses them, and the next run records them the same)
    for job in jobs:
        if job.refused:
            summary.results.append(
                PageResult(job.page.path, job.target, "failed", f"{job.target}: {job.refused}")
            )
            continue
        try:
            w = b.plan_job(job)
        except PageError as exc:
            summary.results.append(PageResult(job.page.path, job.target, "failed", str(exc)))
            continue
        except OSError as exc:
            if stops_run(exc):
                raise
            summary.results.append(PageResult(job.page.path, job.target, "failed", os_message(exc)))
            continue
        if w is not None:
            work.append(w)
    return work


def _plan_job(b: _Batch, job: Job) -> _Work | None:
    """What one job needs: its work, or None when its result is already in ``summary``.
    A page's own failure is raised (PageError, OSError)."""
    lock, summary, glossary, options, max_bytes = (
        b.lock,
        b.summary,
        b.glossary,
        b.options,
        b.max_bytes,
    )
    source, target = b.seg_tr.source, b.seg_tr.target
    if empty_page(job.page.path):  # Hugo builds an empty page; there is nothing to translate
        summary.results.append(
            PageResult(job.page.path, job.target, "skipped", "empty page: nothing to translate")
        )
        return None
    src_bytes = read_page_bytes(job.page.path, max_bytes=max_bytes)
    src_hash = _sha(src_bytes)
    record = lock.get(job.target) if job.base == job.target else None
    if (
        record is not None
        and record.stamp == b.stamp
        and record.source_page_hash == src_hash
        and record.target_hash == _sha(job.target.read_bytes())
    ):  # both pages as the last run left them, same settings: no need to parse them
        summary.results.append(
            PageResult(
                job.page.path, job.target, "up-to-date", "nothing changed since the last run"
            )
        )
        return None
    src = document_of(job.page.path, src_bytes, options, max_bytes)
    if job.base is None or empty_page(job.base):  # an empty counterpart holds no human text
        return _Work(job, src, requests=[("src", s.index) for s in src.segments], src_hash=src_hash)
    tgt = read_document(job.base, options, max_bytes=max_bytes)
    hashes = src.section_hashes()
    stale = (
        _glossary_stale(record, section_signatures(src, glossary, source))
        if record and glossary is not None
        else set()
    )
    if (
        record
        and not stale
        and not b.retranslate  # opt-in: the last run may not have looked inside human sections
        and record.target_hash == _sha(job.target.read_bytes())
        and [s.source_hash for s in record.sections] == hashes
    ):
        if not b.dry_run and (record.source_page_hash, record.stamp) != (src_hash, b.stamp):
            # recorded before page hashes were: the next run skips it without parsing
            lock.set(
                job.target, replace(record, source_page_hash=src_hash, stamp=b.stamp), save=False
            )
        summary.results.append(
            PageResult(
                job.page.path, job.target, "up-to-date", "nothing changed since the last run"
            )
        )
        return None
    redo = frozenset(
        stale
        | {
            s.index
            for s in (record.sections if record else [])
            if s.origin not in ("human", "carried")
            and s.index < len(hashes)
            and s.source_hash != hashes[s.index]
        }
    )
    from . import plan as merge

    mp = merge.plan(src, tgt, glossary, source, target, retranslate=b.retranslate, redo=redo)
    # only then are the site's other pairs read; a refused pair (about something else) is
    # not (it would read the whole site again on every run, as it is never up to date)
    if not mp.refused and merge.uncertain_links(mp.links):
        mp = merge.plan(
            src,
            tgt,
            glossary,
            source,
            target,
            retranslate=b.retranslate,
            redo=redo,
            site=b.site_evidence().without(job.base),
        )
    if mp.refused:
        summary.results.append(
            PageResult(job.page.path, job.target, "failed", f"{job.base}: {mp.refused}")
        )
        return None
    if mp.unchanged:
        if not b.dry_run and job.base == job.target:
            record = _record(
                lock, job, src, mp, {}, job.target.read_bytes(), save=False, page=src_hash
            )
            record.stamp = b.stamp
            if lock.get(job.target) != record:
                lock.set(job.target, record, save=False)  # saved with the lock at the end
        done = PageResult(
            job.page.path, job.target, "up-to-date", "counterpart complete; nothing to translate"
        )
        if mp.uncertain:
            done.message = "nothing inserted"
            done.notes = [n for n in mp.reports if n.startswith("uncertain missing section")]
            done.uncertain = len(mp.uncertain)
        summary.results.append(done)
        if not b.dry_run and job.base != job.target:
            # --out mirrors the site: the complete counterpart goes there as it is, byte for
            # byte, so the folder holds every page of the target language this run covers
            data = job.base.read_bytes()
            record = _record(lock, job, src, mp, {}, data, save=False, page=src_hash)
            record.stamp = b.stamp
            done.message += "; copied unchanged"
            b.ready.append((job, record, data, done))
        return None
    return _Work(
        job,
        src,
        tgt,
        mp,
        [("src", i) for i in mp.src_needed] + [("tgt", i) for i in mp.tgt_needed],
        src_hash,
    )


def _translate_all(
    work: list[_Work],
    seg_tr: SegmentTranslator,
    summary: Summary,
    progress: Callable[[int], Callable[[int], None]] | None,
    chunk: int,
) -> dict[SegmentRef, Translated]:
    """Every requested segment of every page, translated together."""
    refs: list[SegmentRef] = []
    segs: list[Segment] = []
    for k, w in enumerate(work):
        for side, i in w.requests:
            doc = w.src if side == "src" else w.tgt
            assert doc is not None
            refs.append(SegmentRef(k, side, i))
            segs.append(doc.segments[i])
    tick = progress(len(segs)) if progress else None
    done = seg_tr.translate(segs, tick=tick, chunk=chunk)
    return dict(zip(refs, done, strict=True))


def _origin(hows: list[str], seg_tr: SegmentTranslator) -> str:
    """The origin of a generated section: the engine if it translated any of its segments,
    else the memory, else carried over (already in the target language)."""
    if "memo" in hows:
        return seg_tr.origin("engine")
    for how in ("engine", "tm", "carried"):
        if how in hows:
            return seg_tr.origin(how)
    return "copied"  # no translatable text (code, images only)


def _finish(b: _Batch, k: int, w: _Work, texts: dict[SegmentRef, Translated]) -> None:
    """Render, verify and write page ``k`` of the work list, and record it in the lock."""
    job, seg_tr, lock, summary = w.job, b.seg_tr, b.lock, b.summary
    engine, options, dry_run, max_bytes = seg_tr.engine, b.options, b.dry_run, b.max_bytes
    got = {(side, i): texts[SegmentRef(k, side, i)] for side, i in w.requests}
    src_tr = {i: t.text for (side, i), t in got.items() if side == "src"}
    if b.keep_ids is not None:
        keep_heading_ids(w.src, src_tr, *b.keep_ids)
    tgt_tr = {i: t.text for (side, i), t in got.items() if side == "tgt"}
    result = PageResult(
        job.page.path,
        job.target,
        "would-write" if dry_run else "written",
        engine=sum(t.how == "engine" for t in got.values()),
        memory=sum(t.how in ("tm", "memo") for t in got.values()),
        carried=sum(t.how == "carried" for t in got.values()),
    )
    result.segments = result.engine + result.memory
    for (side, i), t in got.items():
        if t.applied:
            seg = (w.src if side == "src" else w.tgt).segments[i]  # type: ignore[union-attr]
            result.applied.append((seg.line, seg.field, t.applied))
    result.terms = sum(len(t) for _, _, t in result.applied)
    for (side, i), t in got.items():
        if t.how == "failed":  # the engine could not translate one of its segments
            seg = (w.src if side == "src" else w.tgt).segments[i]  # type: ignore[union-attr]
            doc_path = job.page.path if side == "src" else job.base
            result.status = "failed"
            result.message = str(PageError(t.text, path=doc_path, line=seg.line))
            summary.results.append(result)
            return
    try:
        if w.merge is None:
            data = render_checked(w.src, src_tr, engine, options, job.page.path)
        else:
            assert w.tgt is not None
            from ..page.invariants import merged_problems
            from .plan import build

            text, origins = build(w.merge, src_tr, tgt_tr)
            docs = [(w.src if side == "src" else w.tgt, i) for side, i in origins]
            found = merged_problems(text, docs, ordered=engine.ordered, bom=w.tgt.bom)
            if found:
                raise InvariantError(found, job.target)
            data = (("\ufeff" if w.tgt.bom else "") + text).encode("utf-8")
            result.notes = list(w.merge.reports)
            result.uncertain = len(w.merge.uncertain)
            result.inserted = list(w.merge.missing)
            if w.merge.missing:
                heads = [w.src.sections[i].heading or "(top)" for i in w.merge.missing]
                result.notes.append(
                    f"translated {plural(len(heads), 'missing section')}: {quoted(heads)}"
                )
            redone = [t for (side, _), t in got.items() if side == "tgt" and t.how != "carried"]
            if redone:
                result.notes.append(
                    f"retranslated {plural(len(redone), 'segment')} left in {seg_tr.source}"
                )
    except InvariantError as exc:
        result.status, result.message = "failed", str(exc)
        summary.results.append(result)
        return
    if dry_run and _unchanged(job.target, data):
        result.status, result.message = "up-to-date", "the output equals the page as it is"
    summary.results.append(result)
    if len(data) > max_bytes:  # the next run would refuse to read it
        result.status = "failed"
        result.message = (
            f"{job.target}: not written: the translation is {_mib(len(data))}, over the "
            f"{_mib(max_bytes)} limit on pages (--max-size), so no later run could read it; "
            "raise --max-size or split the page"
        )
        return
    if dry_run:
        return
    hows = {i: t.how for (side, i), t in got.items() if side == "src"}
    record = _record(lock, job, w.src, w.merge, hows, data, seg_tr, save=False, page=w.src_hash)
    record.stamp = b.stamp
    b.ready.append((job, record, data, result))  # written by _write_ready


def _write_ready(b: _Batch) -> None:
    """Write the pages rendered by :func:`_finish` and record them in the lock.

    Every page's lock entry is journaled as an intent before any page is renamed into place
    (one flush to disk for them all): after a kill, the next run recognises each page that
    holds its intended bytes as this run's own output, and drops the other intents."""
    ready, b.ready = b.ready, []
    lock = b.lock
    for job, record, _, _ in ready:
        lock.intend(job.target, record, durable=False)
    lock.sync()
    for job, record, data, result in ready:
        try:
            write_atomic(job.target, data, root=job.root)
        except OutsideError as exc:
            lock.forget(job.target)
            result.status, result.message = "failed", str(exc)
            continue
        except OSError as exc:
            lock.forget(job.target)
            if stops_run(exc):
                raise naming(exc, job.target) from None
            # name the page, not the temporary file the error may name
            result.status = "failed"
            result.message = f"{job.target}: cannot write: {exc.strerror or exc}"
            continue
        lock.set(job.target, record)


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _record(
    lock: LockFile,
    job: Job,
    src: Document,
    mp: merge.MergePlan | None,
    hows: Mapping[int, str],
    data: bytes,
    seg_tr: SegmentTranslator | None = None,
    *,
    save: bool = True,
    page: str = "",
) -> PageRecord:
    """The lock entry of ``job.target``, whose bytes are ``data`` (keeping earlier origins of
    unchanged sections); stored in the lock when ``save``."""
    previous = lock.get(job.target)
    before = {s.index: s for s in previous.sections} if previous else {}
    missing = set(mp.missing) if mp else set(range(len(src.sections)))
    gversion = seg_tr.glossary_version if seg_tr else ""
    signatures = section_signatures(
        src, seg_tr.glossary if seg_tr else None, seg_tr.source if seg_tr else ""
    )
    sections = []
    for section, h in zip(src.sections, src.section_hashes(), strict=True):
        old = before.get(section.index)
        if section.index in missing and seg_tr is not None:
            origin = _origin([hows.get(i, "") for i in section.segments], seg_tr)
            stamp = f"{gversion}:{signatures[section.index]}" if seg_tr.glossary else ""
            sections.append(SectionRecord(section.index, section.heading, h, origin, stamp))
            continue
        if old is not None and old.source_hash == h:  # as recorded before
            sections.append(
                SectionRecord(section.index, section.heading, h, old.origin, old.glossary)
            )
        else:
            sections.append(SectionRecord(section.index, section.heading, h, "human", gversion))
    record = PageRecord(lock.key(job.page.path), _sha(data), sections, page)
    if save:
        lock.set(job.target, record)
    return record


ANCHOR_MODES = ("linked", "always", "never")


def _keep_ids(
    found: Discovery, mode: str, max_bytes: int
) -> tuple[HeadingIds, set[str] | None] | None:
    """What :func:`keep_heading_ids` needs for this site, or None when no ID is kept
    (``never``, or a site whose headings take no ``{#id}`` attribute)."""
    cfg = found.config
    ids = heading_ids(config_root(cfg.config_file, cfg.root))
    if mode == "never" or not ids.attributes or not ids.auto:
        return None  # without auto IDs, only explicit ones exist, and those are carried
    if mode == "always":
        return ids, None
    linked: set[str] = set()
    for page in found.pages:
        try:
            if page.path.stat().st_size <= max_bytes:
                linked |= fragments(page.path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue  # the page's own failure is reported when it is read
    return ids, linked


def keep_heading_ids(
    src: Document, texts: dict[int, str], ids: HeadingIds, linked: set[str] | None
) -> None:
    """Append ``{#id}`` to each translated heading in ``texts`` whose source heading's ID
    (as Hugo gives it) is linked to (``linked`` None: any), unless the translation gets the
    same ID anyway or the source heading carries its own."""
    wanted = section_ids(src, ids)
    for section, want in zip(src.sections, wanted, strict=True):
        if want is None or (linked is not None and want not in linked):
            continue
        for block in section.blocks:
            if block.kind != "heading":
                continue
            for i in block.segments:
                seg = src.segments[i]
                if i not in texts or any(p.kind == "attr" for p in seg.parts):
                    continue
                new = texts[i]
                if sanitize(new.strip(), ids.kind) == want or heading_text(seg) == new.strip():
                    continue
                texts[i] = new.rstrip() + " {#" + want + "}"
