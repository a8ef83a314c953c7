"""Score machine translation against a site's own human translations.

Every bilingual page pair is aligned section by section (:func:`vien.align.sections.align`).
Each aligned link between human sections, confident enough, long enough and parallel enough,
becomes an :class:`Item`: the source sections' segments and the reference text (the human
sections). An engine translates the source segments (nothing is written anywhere); the
translation and the reference are scored with sacrebleu at section level (the segment texts
of the sections joined, protected spans left out as they are on both sides), per page and
for the site, in both directions, with glossary accuracy on the same sections.

The ``tm`` engine is the site's own memory, leave-one-page-out: the aligned human segment
pairs of every *other* page, exact matches on the source segment text. A segment it does not
cover is left empty, so its scores are coverage times quality; ``coverage`` and the scores of
the covered segments alone say which is which.

Stages, usable on their own (the tests use them): :func:`collect` pairs sections,
:func:`translate` runs an engine over them, :func:`score` turns hypotheses into a
:class:`DirectionScore`; :func:`score_site` does it all for several engines.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..align.sections import Link, align
from ..check.langid import detect
from ..errors import PageError
from ..glossary.entries import Glossary, matching_once
from ..mt.argos import DecodeOptions
from ..mt.engine import Engine, get_engine
from ..mt.packages import ModelError
from ..page.model import Document, Segment
from ..page.read import read_document
from ..site.discover import base_language, discover
from ..translate.plan import segment_pairs
from .metrics import Metrics, Scores, TermTally, term_tally, wanted_terms

#: Defaults: links below this confidence are not trusted to be translations of each other.
MIN_CONFIDENCE = 0.5
#: Sections whose reference has fewer words say little (a heading alone) and are left out.
MIN_WORDS = 3
#: A pair whose length ratio differs from the site's by more than this factor (either way)
#: is not parallel enough: one side holds text the other does not.
PARALLEL_RATIO = 2.0
#: TER (its shift search) takes seconds on a section of a few hundred words: longer
#: references get no TER and count in no page or site TER.
TER_MAX_WORDS = 150
#: Why an aligned section is left out, in the order they are checked.
SKIPS = ("unaligned", "low-confidence", "too-short", "not-parallel")

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


# -- texts ------------------------------------------------------------------------------------


def _shown(kind: str, text: str) -> str:
    """What a protected span contributes to the scored text: an escaped character itself,
    anything else (code, URLs, link syntax, markup, HTML…) a space."""
    return text[1:] if kind == "escape" else " "


def segment_plain(seg: Segment) -> str:
    """A segment's translatable text as scored: protected spans left out, spaces normalised."""
    return " ".join(
        "".join(p.text if not p.protected else _shown(p.kind, p.text) for p in seg.parts).split()
    )


def output_plain(seg: Segment, out: str) -> str:
    """A translation of ``seg`` as scored: the protected spans of ``seg``, which every engine
    carries over verbatim, left out as :func:`segment_plain` leaves them out of the
    reference; markdown escapes undone."""
    pieces, pos = [], 0
    for part in seg.parts:
        if part.protected and part.text:
            k = out.find(part.text, pos)
            if k >= 0:
                pieces += [out[pos:k], _shown(part.kind, part.text)]
                pos = k + len(part.text)
    pieces.append(out[pos:])
    return " ".join(_ESCAPED.sub(r"\1", "".join(pieces)).split())


# -- pairing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PagePair:
    source: Path  # the page in the site's default language
    target: Path
    src: Document
    tgt: Document
    links: list[Link]


@dataclass(slots=True)
class Item:
    """One aligned section pair to score in one direction."""

    page: int  # index into Plan.pages
    source_path: Path
    target_path: Path
    source_sections: tuple[int, ...]
    target_sections: tuple[int, ...]
    headings: tuple[str, str]  # first source and reference heading
    lines: tuple[int, int]
    confidence: float
    segments: list[Segment]  # the source segments, in order
    source: str  # their text as scored
    reference: str  # the human sections' text as scored

    @property
    def words(self) -> int:
        return len(self.reference.split())


@dataclass(slots=True)
class Plan:
    """What is scored in one direction, and what was left out."""

    source_lang: str
    target_lang: str
    pages: list[PagePair]
    items: list[Item] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    reverse: bool = False  # the source language is the page pairs' target side
    ratio: float = 1.0  # reference characters per source character over the confident links


@dataclass(slots=True)
class Settings:
    min_confidence: float = MIN_CONFIDENCE
    min_words: int = MIN_WORDS
    parallel_ratio: float = PARALLEL_RATIO
    ter_max_words: int = TER_MAX_WORDS  # 0: no limit

    def to_json(self) -> dict[str, float]:
        return {
            "min_confidence": self.min_confidence,
            "min_words": self.min_words,
            "parallel_ratio": self.parallel_ratio,
            "ter_max_words": self.ter_max_words,
        }


def page_pairs(
    content: Path, glossary: Glossary | None, source: str | None = None
) -> tuple[list[PagePair], str, str, list[str]]:
    """The aligned page pairs of a bilingual site (in the direction from ``source``, default the
    site's default language), its two languages and the pages that could not be read."""
    found = discover(content)
    src_lang, targets = found.config.direction(source, None)
    tgt_lang = targets[0]
    out, errors = [], [str(p) for p in found.problems]
    # scored in the languages of the text ("en" for a site's "en-us")
    sl, tl = base_language(src_lang), base_language(tgt_lang)
    with matching_once(glossary):
        for sp, tp in found.pairs(src_lang, tgt_lang):
            if tp is None:
                continue
            try:
                a, b = read_document(sp.path), read_document(tp.path)
            except PageError as exc:
                errors.append(str(exc))
                continue
            links = align(a, b, glossary, source_lang=sl, target_lang=tl)
            out.append(PagePair(sp.path, tp.path, a, b, links))
    return out, sl, tl, errors


def collect(
    pages: list[PagePair], source_lang: str, target_lang: str, reverse: bool, settings: Settings
) -> Plan:
    """The section pairs to score, translating the pages' source side (``reverse``: their
    target side, into the source language)."""
    plan = Plan(source_lang, target_lang, pages, reverse=reverse)
    candidates = []
    for k, pp in enumerate(pages):
        src, ref = (pp.tgt, pp.src) if reverse else (pp.src, pp.tgt)
        spath, rpath = (pp.target, pp.source) if reverse else (pp.source, pp.target)
        for lk in pp.links:
            si, ri = (lk.target, lk.source) if reverse else (lk.source, lk.target)
            if not si or not ri:
                plan.skipped["unaligned"] += len(si) + len(ri)
                continue
            segs = [src.segments[i] for s in si for i in src.sections[s].segments]
            refs = [ref.segments[j] for r in ri for j in ref.sections[r].segments]
            item = Item(
                k,
                spath,
                rpath,
                si,
                ri,
                (src.sections[si[0]].heading, ref.sections[ri[0]].heading),
                (src.sections[si[0]].line, ref.sections[ri[0]].line),
                lk.confidence,
                segs,
                " ".join(t for t in map(segment_plain, segs) if t),
                " ".join(t for t in map(segment_plain, refs) if t),
            )
            if lk.confidence < settings.min_confidence:
                plan.skipped["low-confidence"] += 1
            elif item.words < settings.min_words:
                plan.skipped["too-short"] += 1
            else:
                candidates.append(item)
    a = sum(len(it.source) for it in candidates)
    b = sum(len(it.reference) for it in candidates)
    plan.ratio = b / a if a and b else 1.0
    for it in candidates:
        r = len(it.reference) / max(len(it.source), 1) / plan.ratio
        if not it.source or not 1 / settings.parallel_ratio <= r <= settings.parallel_ratio:
            plan.skipped["not-parallel"] += 1
        else:
            plan.items.append(it)
    return plan


# -- translating ------------------------------------------------------------------------------


class MemoryIndex:
    """Exact-match translation memory of a site's aligned human segment pairs, per page, for
    leave-one-page-out lookups."""

    def __init__(
        self, pages: list[PagePair], glossary: Glossary | None, src_lang: str, tgt_lang: str
    ) -> None:
        #: (source language, source segment text) -> [(page, target text)]
        self.units: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        for k, pp in enumerate(pages):
            for i, j in segment_pairs(pp.src, pp.tgt, pp.links):
                a, b = pp.src.segments[i], pp.tgt.segments[j]
                if not a.text.strip() or not b.text.strip():
                    continue
                if detect(b, glossary) == src_lang:  # an untranslated counterpart: no unit
                    continue
                self.units[src_lang, a.text].append((k, b.text))
                self.units[tgt_lang, b.text].append((k, a.text))

    def lookup(self, lang: str, text: str, page: int) -> str | None:
        """The most common translation of ``text`` on pages other than ``page``."""
        found = Counter(t for k, t in self.units.get((lang, text), ()) if k != page)
        return found.most_common(1)[0][0] if found else None


@dataclass(slots=True)
class Hypotheses:
    """An engine's output for a plan: one hypothesis text per item, and what it cost."""

    hypotheses: list[str]
    seconds: float = 0.0
    segments: int = 0
    covered: list[list[bool]] | None = None  # tm: per item, per segment, whether it hit
    outputs: list[list[str]] = field(default_factory=list)  # raw output per item and segment
    #: segments the engine could not translate (scored as empty), and the first reason
    failed: int = 0
    failure: str | None = None


def translate(plan: Plan, engine: Engine | None, index: MemoryIndex | None = None) -> Hypotheses:
    """Translate every item's source segments with ``engine``, or, with ``index``, look them
    up in the memory of the other pages. A segment the engine cannot translate (too long for
    the model, say) comes back empty and is counted."""
    started = time.perf_counter()
    flat = [seg for it in plan.items for seg in it.segments]
    covered = None
    failed, failure = 0, None
    outs: list[str]
    if index is not None:
        outs, covered = [], []
        for it in plan.items:
            row = []
            for seg in it.segments:
                hit = index.lookup(plan.source_lang, seg.text, it.page)
                row.append(hit is not None)
                outs.append(hit or "")
            covered.append(row)
    elif engine is None:
        raise ValueError("an engine, or a memory index, is needed")
    else:
        done = engine.translate_each(flat, plan.source_lang, plan.target_lang) if flat else []
        outs = [t.text if t.failed is None else "" for t in done]
        reasons = [t.failed for t in done if t.failed is not None]
        failed, failure = len(reasons), (reasons[0] if reasons else None)
    seconds = time.perf_counter() - started
    hyps, raw, pos = [], [], 0
    for it in plan.items:
        mine = outs[pos : pos + len(it.segments)]
        pos += len(it.segments)
        raw.append(list(mine))
        texts = [output_plain(seg, o) for seg, o in zip(it.segments, mine, strict=True)]
        hyps.append(" ".join(t for t in texts if t))
    return Hypotheses(hyps, seconds, len(flat), covered, raw, failed, failure)


# -- scoring ----------------------------------------------------------------------------------


@dataclass(slots=True)
class SectionScore:
    item: Item
    hypothesis: str
    scores: Scores
    terms: TermTally

    def to_json(self) -> dict[str, object]:
        it = self.item
        return {
            "source": str(it.source_path),
            "target": str(it.target_path),
            "source_sections": list(it.source_sections),
            "target_sections": list(it.target_sections),
            "heading": it.headings[0],
            "line": it.lines[0],
            "reference_heading": it.headings[1],
            "reference_line": it.lines[1],
            "confidence": it.confidence,
            "words": it.words,
            **self.scores.to_json(),
            "glossary": self.terms.to_json(),
        }


@dataclass(slots=True)
class PageScore:
    source: Path
    target: Path
    sections: int
    scores: Scores
    terms: TermTally

    def to_json(self) -> dict[str, object]:
        return {
            "source": str(self.source),
            "target": str(self.target),
            "sections": self.sections,
            **self.scores.to_json(),
            "glossary": self.terms.to_json(),
        }


@dataclass(slots=True)
class DirectionScore:
    """One engine in one direction: site, page and section scores."""

    source_lang: str
    target_lang: str
    site: Scores
    terms: TermTally  # the engine's output
    reference_terms: TermTally  # the human translation, for comparison
    pages: list[PageScore]
    sections: list[SectionScore]
    skipped: Counter[str]
    words: int = 0
    ter_sections: int = 0  # sections short enough for TER (Settings.ter_max_words)
    seconds: float = 0.0  # everything: translating, and scoring
    engine_seconds: float = 0.0
    segments: int = 0
    coverage: dict[str, object] | None = None  # tm only
    model: str | None = None
    error: str | None = None  # the direction could not be scored (no model)
    failed_segments: int = 0  # the engine could not translate them: scored as empty
    failure: str | None = None  # why, for the first of them

    def worst(self, n: int) -> list[SectionScore]:
        return sorted(self.sections, key=lambda s: (s.scores.chrf or 0.0, s.item.words))[:n]

    def to_json(self) -> dict[str, object]:
        return {
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "model": self.model,
            "error": self.error,
            "sections_scored": len(self.sections),
            "words": self.words,
            "skipped": {k: self.skipped.get(k, 0) for k in SKIPS},
            **self.site.to_json(),
            "ter_sections": self.ter_sections,
            "glossary": self.terms.to_json(),
            "reference_glossary": self.reference_terms.to_json(),
            "coverage": self.coverage,
            "seconds": round(self.seconds, 3),
            "engine_seconds": round(self.engine_seconds, 3),
            "segments": self.segments,
            "failed_segments": self.failed_segments,
            "failure": self.failure,
            "pages": [p.to_json() for p in self.pages],
            "sections": [s.to_json() for s in self.sections],
        }


def score(
    plan: Plan,
    hypotheses: Sequence[str],
    glossary: Glossary | None = None,
    metrics: Metrics | None = None,
    translation: Hypotheses | None = None,
    settings: Settings | None = None,
) -> DirectionScore:
    """Score one hypothesis per item of ``plan`` against the human sections."""
    settings = settings or Settings()
    started = time.perf_counter()
    metrics = metrics or Metrics()
    refs = [it.reference for it in plan.items]
    table = metrics.table(hypotheses, refs, ter_max_words=settings.ter_max_words)
    sections, total, ref_total = [], TermTally(), TermTally()
    by_page: dict[int, list[int]] = defaultdict(list)
    for k, (it, hyp) in enumerate(zip(plan.items, hypotheses, strict=True)):
        tally = TermTally()
        if glossary is not None:
            want = wanted_terms(
                [segment_plain(s) for s in it.segments],
                glossary,
                plan.source_lang,
                plan.target_lang,
            )
            tally = term_tally(want, hyp)
            ref_total.add(term_tally(want, it.reference))
        total.add(tally)
        sections.append(SectionScore(it, hyp, table.sentence(k), tally))
        by_page[it.page].append(k)
    pages = []
    for page, ks in sorted(by_page.items()):
        t = TermTally()
        for k in ks:
            t.add(sections[k].terms)
        pp = plan.pages[page]
        pages.append(
            PageScore(
                pp.source,
                pp.target,
                len(ks),
                table.corpus(ks),
                t,
            )
        )
    out = DirectionScore(
        plan.source_lang,
        plan.target_lang,
        table.corpus(),
        total,
        ref_total,
        pages,
        sections,
        plan.skipped,
        sum(it.words for it in plan.items),
        table.ter_count(),
    )
    if translation is not None:
        out.engine_seconds = translation.seconds
        out.segments = translation.segments
        out.failed_segments, out.failure = translation.failed, translation.failure
        if translation.covered is not None:
            out.coverage = _coverage(plan, translation, metrics)
    out.seconds = time.perf_counter() - started + out.engine_seconds
    return out


def _coverage(plan: Plan, tr: Hypotheses, metrics: Metrics) -> dict[str, object]:
    """How much of the scored text the memory covers, and the scores of the covered segments
    against their own aligned human segments."""
    assert tr.covered is not None
    segs = hits = words = hit_words = 0
    hyps, refs = [], []
    pairs: dict[int, dict[int, Segment]] = {}
    for k, pp in enumerate(plan.pages):
        ref = pp.src if plan.reverse else pp.tgt
        m = {}
        for i, j in segment_pairs(pp.src, pp.tgt, pp.links):
            a, b = (j, i) if plan.reverse else (i, j)
            m[a] = ref.segments[b]
        pairs[k] = m
    for it, row, outs in zip(plan.items, tr.covered, tr.outputs, strict=True):
        for seg, hit, out in zip(it.segments, row, outs, strict=True):
            n = len(segment_plain(seg).split())
            segs += 1
            words += n
            if hit:
                hits += 1
                hit_words += n
                r = pairs[it.page].get(seg.index)
                if r is not None:
                    hyps.append(output_plain(seg, out))
                    refs.append(segment_plain(r))
    return {
        "segments": segs,
        "covered_segments": hits,
        "words": words,
        "covered_words": hit_words,
        "share": round(hit_words / words, 4) if words else None,
        "covered_pairs": len(hyps),
        "covered_scores": metrics.corpus(hyps, refs).to_json(),
    }


# -- the whole run ----------------------------------------------------------------------------


@dataclass(slots=True)
class EngineScore:
    engine: str
    directions: list[DirectionScore]

    def to_json(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "directions": [d.to_json() for d in self.directions],
        }


@dataclass(slots=True)
class ScoreResult:
    site: Path
    languages: tuple[str, str]
    settings: Settings
    signatures: dict[str, str]
    engines: list[EngineScore] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pairs: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "site": str(self.site),
            "languages": list(self.languages),
            "page_pairs": self.pairs,
            "settings": self.settings.to_json(),
            "signatures": self.signatures,
            "engines": [e.to_json() for e in self.engines],
            "errors": self.errors,
        }


def plans(
    content: Path,
    glossary: Glossary | None,
    settings: Settings,
    *,
    source: str | None = None,
    target: str | None = None,
) -> tuple[list[Plan], list[str]]:
    """The plans of both directions of a bilingual site (only into ``target`` when given;
    ``source`` is the other language)."""
    found = discover(content)
    first, _ = found.config.direction(None, None)
    if source is not None or target is not None:
        src, targets = found.config.direction(source, target)
        wanted = [(base_language(src), base_language(targets[0]))]
    else:
        wanted = []
    pages, a, b, errors = page_pairs(content, glossary, first)
    directions = wanted or [(a, b), (b, a)]
    out = []
    for s, t in directions:
        if {s, t} != {a, b}:
            raise ValueError(f"the site pairs {a} and {b}, not {s} and {t}")
        out.append(collect(pages, s, t, s != a, settings))
    return out, errors


def engine_for(
    name: str,
    glossary: Glossary | None,
    models_dir: Path | None = None,
    options: DecodeOptions | None = None,
) -> Engine | None:
    """The engine called ``name`` as :func:`score_engine` takes it: None for ``tm``, identity
    without the glossary (it copies the source), the others with it."""
    if name == "tm":
        return None
    return get_engine(
        name,
        glossary=None if name == "identity" else glossary,
        models_dir=models_dir,
        options=options,
    )


def score_engine(
    name: str,
    engine: Engine | None,
    plans: list[Plan],
    glossary: Glossary | None,
    metrics: Metrics,
    *,
    note: Callable[[str, str], str] | None = None,
    settings: Settings | None = None,
) -> EngineScore:
    """Score one engine in every direction of ``plans``. ``name`` "tm" uses the memory of the
    other pages (``engine`` None). A direction the engine cannot serve (no package installed)
    is reported with its error. The model is the engine's model id (when it is not the
    engine's name), followed by ``note(source, target)`` when given."""
    out = EngineScore(name, [])
    for plan in plans:
        label = None
        try:
            index = None
            if engine is None:
                index = MemoryIndex(plan.pages, glossary, *_page_langs(plan))
            else:
                engine.check(plan.source_lang, plan.target_lang)
                label = engine.model_id(plan.source_lang, plan.target_lang)
                label = None if label == engine.name else label
                if note is not None:
                    label = f"{label} ({note(plan.source_lang, plan.target_lang)})"
            tr = translate(plan, engine, index)
        except ModelError as exc:  # no package for this direction, or one that cannot load
            out.directions.append(
                DirectionScore(
                    plan.source_lang,
                    plan.target_lang,
                    Scores(),
                    TermTally(),
                    TermTally(),
                    [],
                    [],
                    plan.skipped,
                    error=str(exc),
                )
            )
            continue
        d = score(plan, tr.hypotheses, glossary, metrics, tr, settings)
        d.model = label
        out.directions.append(d)
    return out


def _page_langs(plan: Plan) -> tuple[str, str]:
    """The page pairs' own languages (source side, target side)."""
    return (
        (plan.target_lang, plan.source_lang)
        if plan.reverse
        else (plan.source_lang, plan.target_lang)
    )
