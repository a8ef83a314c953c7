"""``vien score``: how good machine translation is on a site's own content, measured against
its human-translated sections (sacrebleu BLEU, chrF, TER; glossary accuracy).

Exit status: 0 scored, 1 a page could not be read (the others are scored), 2 usage or
configuration error (a language the site does not have, a bad glossary, no page pair, no model
for the direction asked for with --to).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from .. import glossary
from ..errors import ConfigError
from ..glossary.entries import GlossaryError
from ..mt import ENGINES
from ..mt import packages as models
from ..score.metrics import Metrics
from ..score.run import (
    MIN_CONFIDENCE,
    MIN_WORDS,
    PARALLEL_RATIO,
    SKIPS,
    TER_MAX_WORDS,
    DirectionScore,
    EngineScore,
    Plan,
    ScoreResult,
    Settings,
    engine_for,
    plans,
    score_engine,
)
from .options import (
    CONTEXT,
    content_argument,
    decode_options,
    decoding,
    error,
    exclude_option,
    format_option,
    glossary_option,
    models_dir_option,
    target_option,
)
from .text import one_line

SCORE_ENGINES = sorted([*ENGINES, "tm"])


def _argos_note(models_dir: Path | None) -> Callable[[str, str], str]:
    """What an installed package's figures are worth: an official one's, or nothing."""

    def note(source: str, target: str) -> str:
        m = models.find(source, target, models_dir)
        if m.official:
            return f"official package {m.path.name}"
        return f"{m.path.name}: NOT an official package, nonsense weights: the figures say nothing"

    return note


def _fmt(v: float | None, width: int = 6) -> str:
    return f"{v:{width}.1f}" if v is not None else f"{'—':>{width}}"


def _share(v: object) -> str:
    return f"{100 * v:5.1f}%" if isinstance(v, float | int) else f"{'—':>6}"


def _relative(path: Path, site: Path) -> str:
    """PATH as the user knows it: relative to the scored folder where it lies inside."""
    try:
        return path.resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return str(path)


def text_report(result: ScoreResult, worst: int) -> list[str]:
    """The site table (engines side by side, per direction), then the worst sections."""
    out = [
        f"{result.site}: {result.pairs} page pair(s); sections with confidence ≥ "
        f"{result.settings.min_confidence}, ≥ {result.settings.min_words} reference words, "
        f"length ratio within ×{result.settings.parallel_ratio} of the site's"
    ]
    directions: dict[tuple[str, str], list[tuple[EngineScore, DirectionScore]]] = {}
    for e in result.engines:
        for d in e.directions:
            directions.setdefault((d.source_lang, d.target_lang), []).append((e, d))
    for (s, t), rows in directions.items():
        d0 = next((d for _, d in rows if not d.error), rows[0][1])
        skipped = ", ".join(f"{d0.skipped.get(k, 0)} {k}" for k in SKIPS)
        out.append("")
        out.append(
            f"{s} → {t}: {len(d0.sections)} section pair(s), {d0.words} reference words "
            f"(left out: {skipped}; TER on the {d0.ter_sections} of ≤ "
            f"{result.settings.ter_max_words or '∞'} words)"
        )
        out.append(
            f"  {'engine':<10} {'BLEU':>6} {'chrF':>6} {'TER':>6} {'keep':>6} {'forced':>6}"
            f" {'covered':>7} {'s/section':>9}  model"
        )
        for e, d in rows:
            if d.error:
                why = one_line(" ".join(d.error.split()))
                out.append(f"  {e.engine:<10} not scored: {why}")
                continue
            g = d.terms.to_json()
            cov = d.coverage["share"] if d.coverage else None
            per = d.seconds / len(d.sections) if d.sections else 0.0
            out.append(
                f"  {e.engine:<10} {_fmt(d.site.bleu)} {_fmt(d.site.chrf)} {_fmt(d.site.ter)} "
                f"{_share(g['keep']['share'])} {_share(g['translate']['share'])} "  # type: ignore[index]
                f"{_share(cov) if d.coverage else '':>7} {per:9.4f}  {d.model or ''}"
            )
        r = d0.reference_terms.to_json()
        out.append(
            f"  {'(human)':<10} {'':>6} {'':>6} {'':>6} {_share(r['keep']['share'])} "  # type: ignore[index]
            f"{_share(r['translate']['share'])}"  # type: ignore[index]
        )
    if worst:
        for e in result.engines:
            if e.engine == "identity":
                continue
            for d in e.directions:
                if not d.sections:
                    continue
                out.append("")
                out.append(f"worst sections by chrF: {e.engine}, {d.source_lang} → {d.target_lang}")
                for sc in d.worst(worst):
                    it = sc.item
                    where = _relative(it.source_path, result.site)
                    out.append(
                        f"  chrF {_fmt(sc.scores.chrf, 5)}  BLEU {_fmt(sc.scores.bleu, 5)}  "
                        f"{where}:{it.lines[0]} {it.headings[0] or '(top)'!r}"
                    )
    for e in result.engines:
        for d in e.directions:
            if d.failed_segments:
                out.append(
                    f"{e.engine}, {d.source_lang} → {d.target_lang}: {d.failed_segments} "
                    f"segment(s) the engine could not translate, scored as empty "
                    f"({one_line(d.failure)})"
                )
    return out


def dump(result: ScoreResult, plans_: list[Plan], folder: Path) -> None:
    """Write, per engine and direction, the scored texts one section a line: ENGINE.S-T.hyp,
    S-T.ref and S-T.src (what sacrebleu's command line needs to check the figures)."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in plans_:
        stem = f"{p.source_lang}-{p.target_lang}"
        (folder / f"{stem}.ref").write_text("".join(it.reference + "\n" for it in p.items), "utf-8")
        (folder / f"{stem}.src").write_text("".join(it.source + "\n" for it in p.items), "utf-8")
    for e in result.engines:
        for d in e.directions:
            if not d.error:
                stem = f"{e.engine}.{d.source_lang}-{d.target_lang}"
                (folder / f"{stem}.hyp").write_text(
                    "".join(s.hypothesis + "\n" for s in d.sections), "utf-8"
                )


@click.command("score", context_settings=CONTEXT)
@content_argument("score")
@exclude_option
@click.option(
    "--engine",
    "engines",
    multiple=True,
    type=click.Choice(SCORE_ENGINES),
    help="Engine to score (repeatable; default: argos). tm: the site's own memory, built "
    "from every other page (exact matches only).",
)
@click.option("--from", "source", default=None, help="Source language (default: both directions).")
@target_option("Target language (default: both directions).")
@format_option("json: the stable format described in the README.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=MIN_CONFIDENCE,
    show_default=True,
    help="Score only section links at least this confident.",
)
@click.option(
    "--min-words",
    type=click.IntRange(0),
    default=MIN_WORDS,
    show_default=True,
    help="Leave out sections whose human text has fewer words.",
)
@click.option(
    "--parallel-ratio",
    type=click.FloatRange(1.0),
    default=PARALLEL_RATIO,
    show_default=True,
    help="Leave out pairs whose length ratio differs from the site's by more than this factor.",
)
@click.option(
    "--ter-max-words",
    type=click.IntRange(0),
    default=TER_MAX_WORDS,
    show_default=True,
    help="No TER for sections whose human text is longer (TER's cost grows steeply; 0: all).",
)
@glossary_option("Glossary CSV (default: the shipped one).")
@click.option("--no-glossary", is_flag=True, help="No glossary: engines and accuracy without it.")
@models_dir_option()
@decode_options
@click.option(
    "--worst", type=click.IntRange(0), default=5, show_default=True, help="Worst sections listed."
)
@click.option(
    "--dump",
    "dump_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the scored texts here, one section a line, for sacrebleu's command line.",
)
def score_cmd(
    content: Path,
    engines: tuple[str, ...],
    source: str | None,
    target: str | None,
    fmt: str,
    min_confidence: float,
    min_words: int,
    parallel_ratio: float,
    ter_max_words: int,
    glossary_path: Path | None,
    no_glossary: bool,
    models_dir: Path | None,
    beam_size: int,
    threads: int,
    compute_type: str,
    max_length_ratio: float,
    worst: int,
    dump_dir: Path | None,
) -> None:
    """Score machine translation against CONTENT's own human translations.

    Every aligned pair of human sections (confident, long and parallel enough) is translated
    with the engine, writing nothing, and scored against the human section with sacrebleu:
    BLEU, chrF and TER with their signatures, for the site, per page and per section, in
    both directions; plus glossary accuracy (keep terms verbatim, forced renderings used,
    as shares of occurrences). Sections left out are counted by reason. The JSON format is
    stable (see the README); `vien review --scores FILE` shows its per-section chrF.

    \b
    Examples:
      vien score ../shared/sites/aws-budget --engine identity --engine pseudo --engine tm
      vien score content --to vi                              # argos, English → Vietnamese
      vien score content --engine tm --format json > scores.json
      vien score content --engine argos --dump /tmp/scored    # then: sacrebleu REF -i HYP
    """
    started = time.perf_counter()
    engines = engines or ("argos",)
    settings = Settings(min_confidence, min_words, parallel_ratio, ter_max_words)
    try:
        terms = None if no_glossary else glossary.load(glossary_path)
        todo, errors = plans(content, terms, settings, source=source, target=target)
    except (ConfigError, GlossaryError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    if not todo[0].pages:
        raise click.UsageError(f"{content}: no page has a counterpart to score against")
    metrics = Metrics()
    a = todo[0]
    langs = (a.target_lang, a.source_lang) if a.reverse else (a.source_lang, a.target_lang)
    result = ScoreResult(
        content.resolve(), langs, settings, metrics.signatures(), errors=errors, pairs=len(a.pages)
    )
    opts = decoding(beam_size, threads, compute_type, max_length_ratio)
    for name in dict.fromkeys(engines):
        engine = engine_for(name, terms, models_dir, opts)
        note = _argos_note(models_dir) if name == "argos" else None
        done = score_engine(name, engine, todo, terms, metrics, note=note, settings=settings)
        if len(todo) == 1 and done.directions[0].error:  # the one direction asked for
            error(done.directions[0].error)
            sys.exit(2)
        result.engines.append(done)
    if dump_dir is not None:
        dump(result, todo, dump_dir)
    for problem in result.errors:
        error(problem)
    if fmt == "json":
        data = result.to_json()
        data["seconds"] = round(time.perf_counter() - started, 3)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for line in text_report(result, worst):
            click.echo(line)
        click.echo(f"\n{time.perf_counter() - started:.2f} s")
    sys.exit(1 if result.errors else 0)
