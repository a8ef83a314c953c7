"""Untranslated-text detection for ``vien check`` (issue #5): accuracy and speed.

1. Builds the labelled set (tests/check_set.py: the real pages of ../shared and data/site,
   with untranslated text injected on purpose, plus tests/data/check_labels.json) and scores
   each detector at segment level: the heuristic ``vien.check.langid.detect``, and
   lingua-language-detector (if installed) on the same words the heuristic sees and on the
   raw segment text. Prints precision, recall, F1 and the time per 1,000 segments.
   Last, ``vien check`` itself (``check.check``), which also knows each page's language and
   its counterpart (a heading copied unchanged from the source is untranslated).
2. Times ``vien.check.run.check`` over 1,000+ page pairs (copies of the shared sites), with
   the parse-only time of the same pages as the baseline.
3. Prints where one page pair's time goes (parse, align, langid, the whole check).

Run: ``python bench/bench_check.py [--pairs 1000] [--workers N] [--details]
[--heldout DIR]``. ``--corpus DIR`` (the development corpus; repeatable) instead times
``vien check`` pair by pair on every page pair of the Hugo sites under DIR and the shared
sites (repeated up to ``--pairs``) against markdown-it-py's parse of the same pages, and
prints the worst and median pair. ``--heldout`` also scores a set labelled apart from the
rules: DIR/site/ holds one folder per site, DIR/labels.json labels in the format of
check_labels.json.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import check_set  # noqa: E402
from conftest import SHARED  # noqa: E402
from vien.check.langid import detect, detect_in, role, words  # noqa: E402
from vien.glossary.entries import Glossary  # noqa: E402
from vien.glossary.entries import load as load_glossary  # noqa: E402
from vien.page.model import Document, Segment  # noqa: E402
from vien.page.read import read_document  # noqa: E402

if TYPE_CHECKING:
    from vien.check.run import _Job
    from vien.site.discover import Discovery

Detector = Callable[[Document, Segment], str | None]
Unit = tuple[str, int]


def heuristic(glossary: Glossary) -> Detector:
    """``langid.detect`` on the segment alone."""
    return lambda doc, seg: detect(seg, glossary)


def heuristic_in(glossary: Glossary) -> Detector:
    """``langid.detect_in``: the same, knowing the segment's place (title, table field…)."""
    return lambda doc, seg: detect_in(doc, seg, glossary)


def lingua_detectors(glossary: Glossary) -> dict[str, Detector]:
    """lingua on the heuristic's words, and on the raw text; {} when it is not installed."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return {}
    det = (
        LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.VIETNAMESE)
        .with_preloaded_language_models()
        .build()
    )
    codes = {Language.ENGLISH: "en", Language.VIETNAMESE: "vi"}

    def on_words(doc: Document, seg: Segment) -> str | None:
        ws = words(seg, glossary)
        if len(ws) < 2:
            return None
        got = det.detect_language_of(" ".join(ws))
        return codes.get(got) if got else None

    def on_text(doc: Document, seg: Segment) -> str | None:
        text = seg.plain
        if not text.strip():
            return None
        got = det.detect_language_of(text)
        return codes.get(got) if got else None

    return {"lingua (same words)": on_words, "lingua (raw text)": on_text}


def score(predicted: set[Unit], positive: set[Unit]) -> tuple[float, float, float]:
    tp = len(predicted & positive)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(positive) if positive else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(set_dir: Path, details: bool) -> None:
    """The labelled set of tests/: real pages, injections, tests/data/check_labels.json."""
    glossary = load_glossary(None)
    labelled = check_set.materialise(set_dir, SHARED, glossary=glossary)
    print("labelled set (tests/check_set.py; the detector's rules were written on it):")
    score_set(labelled, check_set.LABELS, glossary, details)


def evaluate_heldout(folder: Path, details: bool) -> None:
    """A held-out set: ``folder/site/<site>/…`` pages and ``folder/labels.json``."""
    glossary = load_glossary(None)
    labelled = check_set.external(folder / "site")
    print(f"held-out set ({folder}):")
    score_set(labelled, folder / "labels.json", glossary, details)


def score_set(
    labelled: check_set.LabelledSet, labels_path: Path, glossary: Glossary, details: bool
) -> None:
    """Precision, recall and F1 of each detector and of ``vien check`` on ``labelled``."""
    labels, problems = check_set.labels(labelled, labels_path)
    units = check_set.units(labelled)
    positive = {u for u, lab in labels.items() if lab.label == "untranslated"}
    by_kind: dict[str, int] = {}
    for u in positive:
        by_kind[labels[u].kind] = by_kind.get(labels[u].kind, 0) + 1
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items()))
    print(
        f"  {len(labelled.pages)} pages, {len(units)} segments, "
        f"{len(positive)} untranslated ({kinds}), "
        f"{sum(lab.label == 'ok' for lab in labels.values())} borderline labelled ok"
    )
    for p in problems:
        print("  unresolved label:", p)
    detectors = {
        "heuristic, in page (detect_in)": heuristic_in(glossary),
        "heuristic, segment (detect)": heuristic(glossary),
        **lingua_detectors(glossary),
    }
    if len(detectors) == 2:
        print("lingua-language-detector: not installed (pip install lingua-language-detector)")
    print(
        f"{'detector':28s} {'P':>6s} {'R':>6s} {'F1':>6s} {'TP':>5s} {'FP':>5s} {'FN':>5s} "
        f"{'ms/1k seg':>10s}"
    )
    segs = list(units.items())
    docs = {f: read_document(labelled.root / f) for f in labelled.pages}
    for name, fn in detectors.items():
        started = time.perf_counter()
        got = {u: fn(docs[u[0]], seg) for u, (_, seg) in segs}
        took = time.perf_counter() - started
        predicted = {u for u, (lang, _) in segs if got[u] is not None and got[u] != lang}
        p, r, f = score(predicted, positive)
        print(
            f"{name:32s} {p:6.3f} {r:6.3f} {f:6.3f} {len(predicted & positive):5d} "
            f"{len(predicted - positive):5d} {len(positive - predicted):5d} "
            f"{took / len(segs) * 1e6:10.1f}"
        )
        _print_details(details, predicted, positive, units, labels)
    started = time.perf_counter()
    predicted = set(check_set.checked(labelled, glossary))
    took = time.perf_counter() - started
    p, r, f = score(predicted, positive)
    print(
        f"{'vien check (page + pair)':32s} {p:6.3f} {r:6.3f} {f:6.3f} "
        f"{len(predicted & positive):5d} {len(predicted - positive):5d} "
        f"{len(positive - predicted):5d} {took / len(units) * 1e6:10.1f}  (incl. parsing)"
    )
    _print_details(details, predicted, positive, units, labels)


def _print_details(
    details: bool,
    predicted: set[Unit],
    positive: set[Unit],
    units: dict[Unit, tuple[str, Segment]],
    labels: dict[Unit, check_set.Label],
) -> None:
    if details:
        print(
            "\n".join(
                "  " + line for line in check_set.describe(predicted, positive, units, labels)
            )
        )


def _pair_folder(shared: Path, dest: Path, want: int) -> int:
    """One content folder (``X.md`` + ``X.vi.md``) holding copies of the shared sites' page
    pairs, ``copy-000/`` … , until there are ``want`` pairs; returns the pairs made."""
    from vien.site.discover import discover

    pairs: list[tuple[Path, Path]] = []
    for site in ("aws-budget", "dms-migration"):
        found = discover(shared / "sites" / site)
        pairs += [(s.path, t.path) for s, t in found.pairs("en", "vi") if t is not None]
    made = 0
    k = 0
    while made < want:
        for n, (en, vi) in enumerate(pairs):
            folder = dest / f"copy-{k:03d}" / f"{n:03d}-{en.parent.name}"
            folder.mkdir(parents=True)
            shutil.copyfile(en, folder / "index.md")
            shutil.copyfile(vi, folder / "index.vi.md")
            made += 1
        k += 1
    return made


def _pair_jobs(found: Discovery) -> list[_Job]:
    """``vien check``'s jobs for the EN/VI page pairs of a discovered site (with a
    counterpart), as check makes them."""
    from vien.check import run as check_mod
    from vien.site.lock import LockFile
    from vien.site.markup import config_root, heading_ids

    cfg = found.config
    ids = heading_ids(config_root(cfg.config_file, cfg.root))
    jobs = check_mod._jobs(found, "en", ["vi"], LockFile(cfg.root), None, None, ids)
    return [j for j in jobs if j.tgt is not None]


def stages(rounds: int = 3) -> None:
    """Where the time of one page pair goes: each stage over the shared sites' pairs, one
    process, best of ``rounds``."""
    from vien.align.sections import align
    from vien.check import run as check_mod
    from vien.check.untranslated import untranslated_segments
    from vien.site.discover import discover

    glossary = load_glossary(None)
    check_mod._init_worker(glossary)
    jobs = []
    for site in ("aws-budget", "dms-migration"):
        found = discover(SHARED / "sites" / site)
        jobs += _pair_jobs(found)
    paths = [(j.src.path, j.tgt.path) for j in jobs]
    docs = [(read_document(a), read_document(b)) for a, b in paths]

    def parse() -> None:
        for a, b in paths:
            read_document(a), read_document(b)

    def aligned() -> None:
        for a, b in docs:
            with glossary.memo():
                align(a, b, glossary)

    def langid() -> None:
        for a, b in docs:
            with glossary.memo():
                untranslated_segments(a, "en", glossary)
                untranslated_segments(b, "vi", glossary, a)

    def whole() -> None:
        for job in jobs:
            check_mod._check_job(job)

    def best(fn: Callable[[], None]) -> float:
        took = []
        for _ in range(rounds):
            started = time.perf_counter()
            fn()
            took.append(time.perf_counter() - started)
        return min(took) / len(jobs) * 1000

    figures = {
        name: best(fn)
        for name, fn in (
            ("parse (2 pages)", parse),
            ("align", aligned),
            ("langid", langid),
            ("whole check", whole),
        )
    }
    print(
        f"per page pair ({len(jobs)} pairs of the shared sites, 1 process, best of "
        f"{rounds}): " + ", ".join(f"{k} {v:.2f} ms" for k, v in figures.items())
    )


def timing(tmp: Path, want: int, workers: int | None) -> None:
    from vien.check import run as check_mod
    from vien.page.read import read_document
    from vien.site.discover import discover

    glossary = load_glossary(None)
    folder = tmp / "pairs"
    made = _pair_folder(SHARED, folder, want)
    started = time.perf_counter()
    pages = [read_document(page.path) for page in discover(folder).pages]
    parse = time.perf_counter() - started
    fn = getattr(check_mod, "check", None)
    if fn is None:
        print("vien.check.run.check is missing: no timing")
        return
    started = time.perf_counter()
    report = fn(folder, glossary=glossary, workers=workers)
    took = time.perf_counter() - started
    print(
        f"check {made} page pairs: {report.pages} pages, {report.pairs} pairs, {took:.2f} s, "
        f"{report.pairs / took:.0f} pairs/s, {len(report.findings)} findings "
        f"(workers: {workers or 'default'})"
    )
    print(
        f"parse only (discover + read_document, 1 process): {len(pages)} pages, {parse:.2f} s;"
        f" check/parse = {took / parse:.2f}x"
    )


def corpus_jobs(folders: list[Path]) -> list[object]:
    """Check jobs (EN source, VI target) of every page pair of the Hugo sites under
    ``folders`` (the development corpus, the shared sites); no git history is consulted."""
    from compare_align import site_roots
    from vien.site.discover import discover

    jobs = []
    for folder in folders:
        for root in site_roots(folder):
            try:
                found = discover(root)
            except Exception as exc:
                print(f"  skipped {root}: {exc}")
                continue
            jobs += _pair_jobs(found)
    return jobs


def corpus_timing(folders: list[Path], want: int) -> None:
    """``vien check`` of each page pair (one process, one core) against markdown-it-py's
    parse of the same two pages, measured pair by pair one after the other; all pairs of
    ``folders``, repeated until there are ``want``."""
    import os
    import statistics

    from vien.check import run as check_mod
    from vien.page.markdown import parser

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    glossary = load_glossary(None)
    check_mod._init_worker(glossary)
    md = parser()
    if True:
        distinct = corpus_jobs(folders)
        readable = []
        for job in distinct:  # warm up; pairs check cannot read are left out
            _, unreadable, *_ = check_mod._check_job(job)
            if not unreadable:
                readable.append(job)
        jobs = (readable * (want // max(1, len(readable)) + 1))[: max(want, len(readable))]
        checked: dict[str, list[float]] = {}
        parsed: dict[str, list[float]] = {}
        for job in jobs:
            texts = [job.src.path.read_text("utf-8"), job.tgt.path.read_text("utf-8")]
            t = time.perf_counter()
            for text in texts:
                md.parse(text)
            parsed.setdefault(str(job.src.path), []).append(time.perf_counter() - t)
            t = time.perf_counter()
            check_mod._check_job(job)
            checked.setdefault(str(job.src.path), []).append(time.perf_counter() - t)
        best = {k: min(v) for k, v in checked.items()}  # per distinct pair, best of repeats
        total_check = sum(sum(v) for v in checked.values())
        total_parse = sum(sum(v) for v in parsed.values())
        median = statistics.median(best.values())
        worst = max(best, key=best.__getitem__)
        print(
            f"check {len(jobs)} page pairs ({len(readable)} distinct pairs of "
            f"{', '.join(map(str, folders))}"
            + (", repeated" if len(jobs) > len(readable) else "")
            + f"; {len(distinct) - len(readable)} unreadable left out), 1 process, 1 core:"
        )
        print(
            f"  check {total_check:.2f} s, markdown-it parse of the same pages "
            f"{total_parse:.2f} s: check/parse = {total_check / total_parse:.2f}x (target <= 2)"
        )
        print(
            f"  per pair: median {median * 1000:.2f} ms, worst {best[worst] * 1000:.1f} ms "
            f"({worst}): worst/median = {best[worst] / median:.0f}x (target <= 20)"
        )
        # the pages' own size, as markdown-it's parse sees it: how much of that ratio is scale
        pbest = {k: min(v) for k, v in parsed.items()}
        pmedian = statistics.median(pbest.values())
        ratio = {k: best[k] / pbest[k] for k in best}
        print(
            f"  markdown-it parse per pair: median {pmedian * 1000:.2f} ms, of the worst pair "
            f"{pbest[worst] * 1000:.1f} ms ({pbest[worst] / pmedian:.0f}x the median); check/parse "
            f"of the worst pair {ratio[worst]:.1f}x, of the median pair "
            f"{statistics.median(ratio.values()):.1f}x"
        )
        high = max(ratio, key=ratio.__getitem__)
        print(f"  highest check/parse: {ratio[high]:.1f}x ({best[high] * 1000:.1f} ms, {high})")


# -- the blind labels of bench/labels/ --------------------------------------------------------

LEVELS = ("error", "warning", "notice")


def _units(files: list[Path]) -> list[dict[str, object]]:
    out = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                unit = json.loads(line)
                unit["set"] = f.name
                out.append(unit)
    return out


def _site_findings(site: Path, glossary: Glossary) -> tuple[dict[str, list[object]], int]:
    """Findings of ``vien check`` on one corpus site, by page relative to the site folder."""
    from compare_align import site_roots
    from vien.check.run import check

    by_page: dict[str, list[object]] = {}
    unreadable = 0
    for root in site_roots(site) or [site]:
        try:
            report = check(root, glossary=glossary, workers=1, remember=False)
        except Exception as exc:  # a site check cannot take is reported, not fatal
            print(f"  {site.name}: {type(exc).__name__}: {exc}")
            continue
        unreadable += len(report.errors)
        for f in report.findings:
            rel = Path(f.file).resolve().relative_to(site.resolve()).as_posix()
            by_page.setdefault(rel, []).append(f)
    return by_page, unreadable


def _rel(site: Path, file: str) -> str:
    return Path(file).resolve().relative_to(site.resolve()).as_posix()


def _section_line(site: Path, page: str, line: int) -> int:
    """Line of the heading of the target section holding ``line`` (glossary findings are
    located at their section unless the term was altered in place)."""
    doc = read_document(site / page)
    start = 1
    for s in doc.sections:
        if s.line <= line:
            start = s.line
    return start


def match(
    unit: dict[str, object], site: Path, findings: list[object], reverse: list[object]
) -> object | None:
    """The finding of ``findings`` (on the unit's page) that is about ``unit``, if any:
    wrong-language by the segment's line, missing-section by the source heading it names,
    glossary by the segment's line or its section's."""
    kind, line = unit["kind"], unit["line"]
    if kind == "wrong-language":
        index = _segment_index(site / str(unit["page"]), int(line), str(unit["sha1"]))  # type: ignore[arg-type]
        got = [
            f
            for f in findings
            if f.kind == "untranslated"
            and f.line == line
            and (index is None or f.segment in (index, None))
        ]
    elif kind == "missing-section":
        # the source section named by the finding; in the other direction (the check's source
        # is the unit's target), the unit's heading is an extra section of the check's
        # target; a pair whose content differs altogether flags all its sections
        want = f"{unit['source_page']}:{line}"
        got = [
            f
            for f in findings
            if (f.kind == "missing-section" and f.ref and _ref(site, f.ref) == want)
            or (f.kind == "structure" and f.text == "different-content")
        ]
        got += [
            f
            for f in reverse
            if f.kind == "missing-section" and f.line == line and f.text.startswith("extra:")
        ]
    else:
        sec = _section_line(site, str(unit["page"]), int(line))  # type: ignore[arg-type]
        got = [f for f in findings if f.kind == "glossary" and f.line in (line, sec)]
    if not got:
        return None
    return min(got, key=lambda f: LEVELS.index(f.severity) if f.severity in LEVELS else 9)


@functools.cache
def _segment_spans(path: Path) -> dict[tuple[int, str], int]:
    doc = read_document(path)
    return {
        (seg.line, hashlib.sha1(doc.text[seg.start : seg.end].encode()).hexdigest()): seg.index
        for seg in doc.segments
    }


def _segment_index(path: Path, line: int, sha1: str) -> int | None:
    """The index of the unit's segment (table cells share a line: the sha1 tells them apart)."""
    return _segment_spans(path).get((line, sha1))


def _ref(site: Path, ref: str) -> str:
    path, _, line = ref.rpartition(":")
    try:
        return f"{_rel(site, path)}:{line}"
    except ValueError:
        return ref


def evaluate_labels(files: list[Path], corpus: Path, details: bool) -> None:
    """Precision and recall of ``vien check`` on blind-labelled units of the development
    corpus (bench/labels/): each unit (site, page, line) is matched to the finding about the
    same segment (missing-section: the finding naming the same source heading)."""
    glossary = load_glossary(None)
    units = _units(files)
    sites = sorted({str(u["site"]) for u in units})
    findings: dict[str, dict[str, list[object]]] = {}
    started = time.perf_counter()
    for name in sites:
        findings[name], _ = _site_findings(corpus / name, glossary)
    took = time.perf_counter() - started
    rows = []  # (unit, finding or None)
    for u in units:
        site = corpus / str(u["site"])
        page_findings = findings[str(u["site"])].get(str(u["page"]), [])
        reverse = findings[str(u["site"])].get(str(u["source_page"]), [])
        rows.append((u, match(u, site, page_findings, reverse)))
    names = ", ".join(f.name for f in files)
    print(
        f"blind labels ({names}): {len(units)} units, {len(sites)} sites; "
        f"check of the sites {took:.1f} s"
    )
    _label_table(rows, details)


def _label_table(rows: list[tuple[dict[str, object], object | None]], details: bool) -> None:
    """Per kind and level: units flagged, how they were labelled, precision and recall."""
    kinds = sorted({str(u["kind"]) for u, _ in rows})
    print(
        f"  {'kind':16s} {'level':8s} {'flagged':>7s} {'change':>6s} {'minor':>5s} {'keep':>5s}"
        f" {'P':>6s} {'P strict':>8s} {'R change':>8s}"
    )
    for kind in [*kinds, "all"]:
        sub = [(u, f) for u, f in rows if kind == "all" or u["kind"] == kind]
        positives = sum(u["label"] == "change" for u, _ in sub)
        for level, allowed in (
            ("error", ("error",)),
            ("warning+", ("error", "warning")),
            ("all", LEVELS),
        ):
            flagged = [u for u, f in sub if f is not None and f.severity in allowed]
            c = sum(u["label"] == "change" for u in flagged)
            m = sum(u["label"] == "minor" for u in flagged)
            k = sum(u["label"] == "keep" for u in flagged)
            # P: minor counts as right below error (it could go either way) and is left out
            # at error; P strict: only change counts as right
            if level == "error":
                prec = c / (c + k) if c + k else 1.0
            else:
                prec = (c + m) / len(flagged) if flagged else 1.0
            strict = c / len(flagged) if flagged else 1.0
            rec = c / positives if positives else 1.0
            print(
                f"  {kind:16s} {level:8s} {len(flagged):7d} {c:6d} {m:5d} {k:5d} {prec:6.3f}"
                f" {strict:8.3f} {rec:8.3f}"
            )
    if details:
        for u, f in rows:
            wrong = (
                (f is not None and u["label"] == "keep")
                or (u["label"] == "change" and (f is None or f.severity != "error"))
                or (f is not None and f.severity == "error" and u["label"] == "minor")
            )
            if wrong:
                got = f"{f.severity}: {f.message}" if f is not None else "(no finding)"
                print(
                    f"    [{u['label']}] {u['kind']} {u['site']}/{u['page']}:{u['line']}"
                    f" {u.get('segment_kind') or ''} -> {got[:160]}"
                )


# -- injected untranslated blocks on the development corpus -----------------------------------

INJECT_KINDS = (
    "en-section-in-vi",
    "en-paragraph-in-vi",
    "en-bullet-in-vi",
    "en-cell-in-vi",
    "en-link-in-vi",
    "vi-bullet-in-en",
)
_HEAVY = ("public", "themes", "node_modules", "static", "resources", "assets", ".git", "layouts")


def _copy_corpus(corpus: Path, dest: Path) -> list[Path]:
    """The Hugo sites of ``corpus`` (config and content, not themes or built output)."""
    from compare_align import site_roots

    roots = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for root in site_roots(folder):
            to = dest / root.relative_to(corpus)
            shutil.copytree(root, to, ignore=shutil.ignore_patterns(*_HEAVY))
            roots.append(to)
    return roots


def _link_text(seg: Segment) -> tuple[int, int] | None:
    """Offsets (in the segment's text) of the text of a segment that is one link."""
    text = seg.text
    m = re.fullmatch(r"\s*\[([^\]]+)\]\([^)]*\)\s*", text)
    return (m.start(1), m.end(1)) if m else None


def _corpus_candidates(roots: list[Path], glossary: Glossary) -> list[object]:
    """Where an untranslated block can be put back: the EN counterpart of a VI section, a
    paragraph, a bullet, a cell or a link text of an aligned section; a VI bullet into the
    EN page."""
    from vien.align.sections import align
    from vien.site.discover import discover

    C = check_set._Candidate
    out = []
    for root in roots:
        try:
            found = discover(root)
        except Exception:
            continue
        for en_page, vi_page in found.pairs("en", "vi"):
            if vi_page is None:
                continue
            try:
                en, vi = read_document(en_page.path), read_document(vi_page.path)
                links = align(en, vi, glossary)
            except Exception:
                continue
            vi_rel, en_rel = str(vi_page.path), str(en_page.path)
            crlf = "\r\n" in vi.text
            for lk in links:
                if len(lk.source) != 1 or len(lk.target) != 1:
                    continue
                es, vs = en.sections[lk.source[0]], vi.sections[lk.target[0]]
                e_segs = [en.segments[i] for i in es.segments if en.segments[i].field is None]
                v_segs = [vi.segments[i] for i in vs.segments if vi.segments[i].field is None]
                if not v_segs or sum(check_set.has_marks(s.plain) for s in v_segs) * 2 < len(
                    v_segs
                ):
                    continue
                if lk.source[0]:
                    out += check_set._section_candidate(en, vi, es.index, vs.index, vi_rel, crlf)
                for kind, block in (
                    ("paragraph", "paragraph"),
                    ("bullet", "list_item"),
                    ("cell", "table_cell"),
                ):
                    ek = [s for s in e_segs if check_set._kind(en, s) == block]
                    vk = [s for s in v_segs if check_set._kind(vi, s) == block]
                    if len(ek) != len(vk):
                        continue
                    for a, b in zip(ek, vk, strict=True):
                        if not (check_set._single_line(en, a) and check_set._single_line(vi, b)):
                            continue
                        if check_set.has_marks(a.plain) or not check_set.has_marks(b.plain):
                            continue
                        la, lb = _link_text(a), _link_text(b)
                        if la and lb and kind == "bullet":
                            if check_set._LATIN_WORD.findall(a.text[la[0] : la[1]]):
                                # the whole item, its link text swapped (the injector
                                # labels the segments that start inside what it replaced)
                                item = vi.text[b.start : b.end]
                                at = item.index("[") + 1
                                close = item.index("](", at)
                                new = item[:at] + a.text[la[0] : la[1]] + item[close:]
                                out.append(C("en-link-in-vi", vi_rel, b.start, b.end, new))
                            continue
                        if check_set._prose_words(a) >= 5:
                            out.append(
                                C(
                                    f"en-{kind}-in-vi",
                                    vi_rel,
                                    b.start,
                                    b.end,
                                    en.text[a.start : a.end],
                                )
                            )
                        if kind == "bullet" and check_set._prose_words(b) >= 5:
                            out.append(
                                C(
                                    "vi-bullet-in-en",
                                    en_rel,
                                    a.start,
                                    a.end,
                                    vi.text[b.start : b.end],
                                )
                            )
    return out


def _choose_injections(cands: list[object], per_kind: int, seed: int) -> list[object]:
    """``per_kind`` injections of each kind, one per kind and page, never overlapping."""
    import random

    rng = random.Random(seed)
    chosen: list[object] = []
    for kind in INJECT_KINDS:
        pool = [c for c in cands if c.kind == kind]
        rng.shuffle(pool)
        n = 0
        for c in pool:
            if n >= per_kind:
                break
            mine = [x for x in chosen if x.file == c.file]
            if any(x.kind == kind for x in mine) or any(
                x.start < c.end and c.start < x.end for x in mine
            ):
                continue
            chosen.append(c)
            n += 1
    return chosen


def _error_findings(roots: list[Path], glossary: Glossary) -> dict[tuple[str, int], object]:
    from vien.check.run import check

    out = {}
    for root in roots:
        try:
            report = check(root, glossary=glossary, workers=1, remember=False)
        except Exception:
            continue
        for f in report.findings:
            if f.kind == "untranslated" and f.segment is not None:
                out[(str(Path(f.file).resolve()), f.segment)] = f
    return out


def _injected_spans(chosen: list[object]) -> dict[str, list[tuple[int, int]]]:
    """Where each injected block sits in its page after the injection (offsets in the
    page's text), by file as ``_inject`` writes them."""
    out: dict[str, list[tuple[int, int]]] = {}
    moved: dict[str, int] = {}
    for c in sorted(chosen, key=lambda c: (c.file, c.start)):
        at = c.start + moved.get(c.file, 0)
        out.setdefault(c.file, []).append((at, at + len(c.new)))
        moved[c.file] = moved.get(c.file, 0) + len(c.new) - (c.end - c.start)
    return out


def _injected_key(dest: Path, file: str, doc: Document, seg: Segment) -> tuple[str, str, str]:
    """(site, page, sha1 of the segment's exact text): how a blind label names an injected
    segment, whatever the seed that put it there."""
    site, _, page = file.partition("/")
    exact = doc.text[seg.start : seg.end]
    return site, page, hashlib.sha1(exact.encode()).hexdigest()


def _dump_injected(
    dest: Path, seed: int, positives: dict[tuple[str, int], object], out: Path
) -> None:
    """Append the injected segments to ``out`` for blind labelling (text and a few lines of
    context; no detector output): one JSON object per line, appended across seeds."""
    have = set()
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            u = json.loads(line)
            have.add((u["site"], u["page"], u["sha1"]))
    n = 0
    with out.open("a", encoding="utf-8") as fh:
        for (path, index), lab in sorted(positives.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            doc = read_document(Path(path))
            seg = doc.segments[index]
            key = _injected_key(dest, lab.file, doc, seg)
            if key in have:
                continue
            have.add(key)
            lines = doc.text.splitlines()
            lo, hi = max(0, seg.line - 5), min(len(lines), seg.line + 4)
            context = [
                f"{'>>' if k + 1 == seg.line else '  '} {k + 1}: {lines[k][:300]}"
                for k in range(lo, hi)
            ]
            rec = {
                "site": key[0],
                "page": key[1],
                "sha1": key[2],
                "seed": seed,
                "line": seg.line,
                "target_lang": "en" if lab.kind.endswith("-in-en") else "vi",
                "segment_kind": check_set._kind(doc, seg),
                "text": doc.text[seg.start : seg.end],
                "context": context,
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    print(f"  {n} new injected segments appended to {out} ({len(have)} in all)")


def _injected_labels(files: list[Path]) -> dict[tuple[str, str, str], str]:
    """Blind policy labels of injected segments: (site, page, sha1) -> change/minor/keep."""
    out = {}
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                u = json.loads(line)
                out[(u["site"], u["page"], u["sha1"])] = u["label"]
    return out


def evaluate_injected(
    corpus: Path,
    per_kind: int,
    seed: int,
    details: bool,
    dump: Path | None = None,
    label_files: list[Path] | None = None,
) -> None:
    """Recall and precision of ``vien check`` at level error on untranslated blocks put
    back into real page pairs of ``corpus`` (each block taken from the counterpart page).
    ``dump`` writes the injected segments for blind labelling instead; ``label_files``
    (bench/labels/injected*.jsonl) also scores recall on the segments labelled by policy."""
    glossary = load_glossary(None)
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp).resolve()
        roots = _copy_corpus(corpus, dest)
        cands = _corpus_candidates(roots, glossary)
        chosen = _choose_injections(cands, per_kind, seed)
        edited = {c.file for c in chosen}
        before = (
            {}
            if dump
            else {k: f for k, f in _error_findings(roots, glossary).items() if k[0] in edited}
        )
        labelled = check_set.LabelledSet(dest)
        for c in chosen:  # _inject wants paths relative to the set root
            c.file = str(Path(c.file).relative_to(dest))
        check_set._inject(dest, chosen, labelled)
        # segments inside an injected block that the translators had kept as they are (the
        # same text was in the page before: "High" in a table): neither injected nor
        # wrongly flagged, since the block around them is untranslated; left out
        inside: set[tuple[str, int]] = set()
        for file, spans in _injected_spans(chosen).items():
            doc = read_document(dest / file)
            inside |= {
                (str((dest / file).resolve()), seg.index)
                for seg in doc.segments
                if any(a <= seg.start < b for a, b in spans)
            }
        positives: dict[tuple[str, int], check_set.Label] = {}
        prose: set[tuple[str, int]] = set()  # running text: what level error is for
        keys: dict[tuple[str, int], tuple[str, str, str]] = {}
        for lab in labelled.injected:
            doc = read_document(dest / lab.file)
            index = check_set.resolve(doc, lab, lab.line)
            if index is not None:
                u = (str((dest / lab.file).resolve()), index)
                positives[u] = lab
                keys[u] = _injected_key(dest, lab.file, doc, doc.segments[index])
                if (
                    role(doc, doc.segments[index]) == "text"
                    and _link_text(doc.segments[index]) is None
                ):
                    prose.add(u)
        if dump:
            _dump_injected(dest, seed, positives, dump)
            return
        after = _error_findings(roots, glossary)
        texts_before = {(file, " ".join(f.text.split())) for (file, _), f in before.items()}
        print(
            f"injected set ({corpus}, seed {seed}): {len(roots)} sites, {len(cands)} candidates, "
            f"{len(chosen)} injections in {len(edited)} pages, {len(positives)} injected segments"
        )
        print(
            "  prose: running text (paragraphs, list items, cells); titles: headings and link "
            "texts, which are warnings by design"
        )
        print(f"  {'kind':22s} {'prose':>5s} {'R error':>7s} {'titles':>6s} {'R any level':>11s}")
        for kind in (*INJECT_KINDS, "all"):
            units = [u for u, lab in positives.items() if kind in ("all", lab.kind)]
            if not units:
                print(f"  {kind:22s} (no candidates)")
                continue
            ps = [u for u in units if u in prose]
            err = sum(u in after and after[u].severity == "error" for u in ps)
            anyl = sum(u in after for u in units)
            r_err = f"{err / len(ps):7.3f}" if ps else f"{'-':>7s}"
            print(
                f"  {kind:22s} {len(ps):5d} {r_err} {len(units) - len(ps):6d}"
                f" {anyl / len(units):11.3f}"
            )
        if label_files:
            _policy_recall(positives, keys, after, _injected_labels(label_files), details)
        # precision: new error findings on the edited pages that are not injected segments
        # (findings already there before the injection, by text, are left out)
        new_err = {
            u: f
            for u, f in after.items()
            if u[0] in {str(Path(dest / e)) for e in {c.file for c in chosen}}
            and f.severity == "error"
            and (u[0], " ".join(f.text.split())) not in texts_before
        }
        kept_inside = {u for u in new_err if u in inside and u not in positives}
        for u in kept_inside:
            del new_err[u]
        tp = sum(u in positives for u in new_err)
        prec = tp / len(new_err) if new_err else 1.0
        print(
            f"  precision at error {prec:.3f} ({tp} of {len(new_err)} new error findings on the"
            f" edited pages are injected segments; {len(before)} untranslated findings were "
            f"there before and {len(kept_inside)} inside injected blocks with text the page "
            "had before are left out)"
        )
        if details:
            for u, lab in sorted(positives.items()):
                f = after.get(u)
                if u in prose and (f is None or f.severity != "error"):
                    got = f.severity if f else "(none)"
                    print(f"    FN {lab.kind} {lab.file}:{lab.line} {got} {lab.text!r}")
            for u, f in sorted(new_err.items()):
                if u not in positives:
                    print(f"    FP {f.file}:{f.line} {f.message[:120]}")


def _policy_recall(
    positives: dict[tuple[str, int], object],
    keys: dict[tuple[str, int], tuple[str, str, str]],
    after: dict[tuple[str, int], object],
    labels: dict[tuple[str, str, str], str],
    details: bool,
) -> None:
    """Recall on the injected segments as the blind labels class them by policy: "change"
    (wrong-language prose: level error), "minor" (any level), "keep" (an error is wrong)."""
    by: dict[str, list[tuple[str, int]]] = {"change": [], "minor": [], "keep": []}
    unlabelled = 0
    for u in positives:
        label = labels.get(keys[u])
        if label is None:
            unlabelled += 1
        else:
            by[label].append(u)
    print(
        f"  by blind policy labels: {sum(map(len, by.values()))} injected segments labelled, "
        f"{unlabelled} not labelled"
    )

    def level(u: tuple[str, int]) -> str | None:
        f = after.get(u)
        return f.severity if f is not None else None

    change = by["change"]
    if change:
        err = sum(level(u) == "error" for u in change)
        print(f"    change {len(change):4d}: recall at error {err / len(change):.3f} (target 0.97)")
        # precision by policy among the injected segments flagged at error: a `minor` one is
        # neither right nor wrong (as for bench/labels/set*.jsonl), a `keep` one is wrong
        wrong = sum(level(u) == "error" for u in by["keep"])
        if err + wrong:
            print(
                f"    precision at error by policy on injected segments {err / (err + wrong):.3f}"
                f" ({wrong} `keep` flagged at error; `minor` counted neither way)"
            )
    for name in ("minor", "keep"):
        units = by[name]
        if units:
            err = sum(level(u) == "error" for u in units)
            anyl = sum(level(u) is not None for u in units)
            print(
                f"    {name:6s} {len(units):4d}: at error {err / len(units):.3f}, "
                f"at any level {anyl / len(units):.3f}"
            )
    if details:
        for u in sorted(change):
            if level(u) != "error":
                lab = positives[u]
                print(f"    FN(change) {lab.kind} {lab.file}:{lab.line} {level(u)} {lab.text!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--details", action="store_true", help="list false positives/negatives")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument(
        "--heldout",
        type=Path,
        metavar="DIR",
        help="also score a held-out set: DIR/site/<site>/… and DIR/labels.json",
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        action="append",
        metavar="DIR",
        help="only time check on the page pairs of the Hugo sites under DIR (repeatable; "
        "the shared sites are added) against markdown-it's parse of the same pages",
    )
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument(
        "--labels",
        type=Path,
        action="append",
        metavar="FILE",
        help="score vien check on blind labels (bench/labels/set*.jsonl; repeatable) of the "
        "sites under --corpus (default /work/corpus)",
    )
    ap.add_argument(
        "--injected",
        action="store_true",
        help="score vien check at level error on untranslated blocks injected into the page "
        "pairs of --corpus (default /work/corpus)",
    )
    ap.add_argument("--per-kind", type=int, default=40, help="injections per kind (--injected)")
    ap.add_argument(
        "--seed", type=int, action="append", help="injection seed (--injected; repeatable)"
    )
    ap.add_argument(
        "--dump-injected",
        type=Path,
        metavar="FILE",
        help="with --injected: append the injected segments (text, context) to FILE for blind "
        "labelling, and check nothing",
    )
    ap.add_argument(
        "--injected-labels",
        type=Path,
        action="append",
        metavar="FILE",
        help="with --injected: also score recall on injected segments as blind-labelled by the "
        "policy (bench/labels/injected*.jsonl; repeatable)",
    )
    args = ap.parse_args()
    if args.injected:
        corpus = args.corpus[0] if args.corpus else Path("/work/corpus")
        for seed in args.seed or [15]:
            evaluate_injected(
                corpus,
                args.per_kind,
                seed,
                args.details,
                dump=args.dump_injected,
                label_files=args.injected_labels,
            )
        return
    if args.labels:
        corpus = args.corpus[0] if args.corpus else Path("/work/corpus")
        for f in args.labels:
            evaluate_labels([f], corpus, args.details)
        if len(args.labels) > 1:
            evaluate_labels(args.labels, corpus, False)
        return
    if args.corpus:
        corpus_timing([*args.corpus, args.shared / "sites"], args.pairs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        evaluate(Path(tmp) / "set", args.details)
        if args.heldout:
            evaluate_heldout(args.heldout, args.details)
        if not args.no_timing:
            stages()
            timing(Path(tmp), args.pairs, args.workers)


if __name__ == "__main__":
    main()
