"""``vien translate``: translate a site into a language, keeping every human translation."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from .. import glossary
from ..errors import ConfigError, os_message
from ..glossary.entries import GlossaryError
from ..mt import ENGINES, get_engine
from ..page.read import DEFAULT_MAX_BYTES
from ..site.settings import site_root
from ..translate.batch import Summary, plural, run
from .options import (
    CONTEXT,
    color,
    content_argument,
    decode_options,
    decoding,
    error,
    exclude_option,
    format_option,
    glossary_option,
    models_dir_option,
    parse_options,
    parse_size,
    progress,
    source_option,
    style,
    target_option,
)
from .text import one_line


@click.command(context_settings=CONTEXT)
@content_argument("translate")
@exclude_option
@target_option("Target language code, e.g. vi or en.", required=True)
@source_option
@click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    default="argos",
    show_default=True,
    help="argos: machine translation with an installed Argos package; pseudo: "
    "pseudo-localize (⟦Ţéšţ⟧); identity: copy (a round-trip check).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=(
        "Write into this folder, mirroring the site's tree, instead of next to the source "
        "pages; complete counterparts are copied there unchanged."
    ),
)
@click.option("--dry-run", is_flag=True, help="Translate and verify, but write nothing.")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="For CI: like --dry-run, and exit 1 when any page would change (each is named).",
)
@format_option("json: the --report data on stdout (progress and page lines stay on stderr).")
@glossary_option()
@click.option("--no-glossary", is_flag=True, help="Translate without glossary terms.")
@models_dir_option()
@decode_options
@click.option(
    "--front-matter-key",
    "keys",
    multiple=True,
    metavar="KEY",
    help="Front matter key to translate (repeatable; default: title, linkTitle, description).",
)
@click.option(
    "--max-size",
    default=f"{DEFAULT_MAX_BYTES // 1024**2}M",
    show_default=True,
    help="Refuse pages larger than this.",
)
@click.option(
    "--no-memory",
    is_flag=True,
    help="Do not read or write the translation memory (.vien/memory.sqlite).",
)
@click.option(
    "--retranslate/--no-retranslate",
    default=False,
    show_default=True,
    help="Also retranslate what `vien check` reports as an error inside human sections of a "
    "counterpart (text left in the source language). Off by default: no byte of a human "
    "section changes.",
)
@click.option(
    "--heading-ids",
    "heading_ids",
    type=click.Choice(["linked", "always", "never"]),
    default="linked",
    show_default=True,
    help="Keep a translated heading's Hugo ID (that of its source heading) as a {#id} "
    "attribute: when a page links to it, always, or never.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a JSON report: every page, and per segment the glossary terms "
    "applied (source, target, mode).",
)
@click.option("-q", "--quiet", is_flag=True, help="Only print problems and the summary.")
def translate(
    content: Path,
    target: str,
    source: str | None,
    engine: str,
    out: Path | None,
    dry_run: bool,
    check_only: bool,
    fmt: str,
    glossary_path: Path | None,
    no_glossary: bool,
    models_dir: Path | None,
    beam_size: int,
    threads: int,
    compute_type: str,
    max_length_ratio: float,
    keys: tuple[str, ...],
    max_size: str,
    no_memory: bool,
    retranslate: bool,
    heading_ids: str,
    report: Path | None,
    quiet: bool,
) -> None:
    """Translate CONTENT into the TARGET language, keeping every human translation.

    CONTENT is a Hugo site root (its hugo/config file gives languages and content folders)
    or a content folder. A page with no counterpart is translated whole, into a file named by
    the site's convention (X.vi.md, or content/vi/…). A page with a counterpart is aligned
    with it section by section: human sections are kept byte for byte, and source sections
    certainly absent from it are translated and inserted in place (one that may be there in
    another form is reported as an uncertain missing section, not inserted). --retranslate
    also retranslates what `vien check` reports as an error inside human sections.
    Segments already in the target language are carried over. The
    translation memory (.vien/memory.sqlite) answers exact repeats; .vien/lock.json records
    where each section came from, so a second run with nothing changed changes nothing.

    Glossary terms are enforced: keep terms stay as written, forced renderings are used.
    Every page is checked before it is written: text outside translatable segments, headings,
    block structure and protected spans (code, URLs, shortcodes, HTML…) must be unchanged.

    \b
    Examples:
      vien translate data/site --to vi                      # machine translation (argos)
      vien translate data/site --to vi --engine pseudo --dry-run
      vien translate data/site --to vi --engine pseudo --out /tmp/site-vi
      vien translate ../shared/sites/dms-migration --to vi --engine identity --out /tmp/x
      vien translate content --to vi --check              # CI: exit 1 if a page would change

    Options left out are taken from the site's vien.toml when it has one (see `vien init`).
    """
    dry_run = dry_run or check_only
    limit = parse_size(max_size)
    if report is not None and not report.parent.is_dir():  # before the work, not after
        raise click.BadParameter(f"folder {report.parent} does not exist", param_hint="'--report'")
    try:
        terms = None if no_glossary or engine == "identity" else glossary.load(glossary_path)
        opts = (  # the argos engine's (its module imported only for it)
            decoding(beam_size, threads, compute_type, max_length_ratio)
            if engine == "argos"
            else None
        )
        mt = get_engine(engine, glossary=terms, models_dir=models_dir, options=opts)
        summary = run(
            content,
            target,
            mt,
            source=source,
            out=out,
            dry_run=dry_run,
            options=parse_options(keys),
            max_bytes=limit,
            progress=progress(quiet),
            glossary=terms,
            use_memory=not no_memory,
            retranslate=retranslate,
            anchors=heading_ids,
        )
    except _needs_fixing() as exc:  # the fix, on lines of its own: no usage
        click.echo(style(f"error: {exc}", fg="red"), err=True, color=color())
        sys.exit(2)
    except (ValueError, GlossaryError) as exc:
        raise click.UsageError(str(exc)) from exc
    for problem in summary.problems:
        error(problem)
    for r in summary.results:
        if r.status == "failed":
            error(r.message)
        elif not quiet and not check_only:
            verb = {
                "written": "wrote",
                "would-write": "would write",
                "skipped": "skipped",
                "up-to-date": "up to date",
            }
            kept = f", {r.carried} already in {target} kept" if r.carried else ""
            detail = f" ({r.message})" if r.message else f" ({plural(r.segments, 'segment')}{kept})"
            click.echo(f"{verb[r.status]:>11} {one_line(r.target)}{one_line(detail)}", err=True)
            for note in r.notes:
                click.echo(f"{'':>11}   {one_line(note)}", err=True)
    failed = [r for r in summary.results if r.status == "failed"]
    if failed and not check_only:
        click.echo(skip_hint(failed[0].source, content), err=True)
    data = report_data(summary, engine, mt, terms)
    report_failed = False
    if report is not None:
        try:
            report.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        except OSError as exc:
            error(f"cannot write the report: {os_message(exc)}")
            report_failed = True
    changed = [r for r in summary.results if r.status == "would-write"]
    if check_only and fmt == "text":
        for r in changed:
            detail = "; ".join(r.notes) or r.message or plural(r.segments, "segment")
            if r.target is not None and not r.target.exists():
                detail = f"new page, {plural(r.segments, 'segment')}"
            click.echo(f"would change {one_line(r.target)} ({one_line(detail)})")
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    done = summary.count("would-write" if dry_run else "written")
    extra = ""
    stats = getattr(mt, "stats", None)
    if stats is not None:
        extra = (
            f"; MT: {stats.sentences} sentences, {stats.repairs} units repaired, "
            f"{stats.piecewise} translated in pieces, {stats.split} split to fit "
            f"the model, {stats.seconds:.1f}s"
        )
    click.echo(
        f"{'would write' if dry_run else 'wrote'} {done} page(s), {summary.segments} segments "
        f"({summary.engine_segments} by {engine}, {summary.memory_hits} from memory, "
        f"{summary.carried} already {target}), {summary.terms} glossary terms{extra}; "
        f"up to date {summary.count('up-to-date')}; failed "
        f"{summary.count('failed') + len(summary.problems)}; {summary.seconds:.2f}s",
        err=fmt == "json",
    )
    if check_only and changed:
        click.echo(
            f"{len(changed)} page(s) would change: run vien translate to update them", err=True
        )
    sys.exit(1 if summary.failed or report_failed or (check_only and changed) else 0)


def _needs_fixing() -> tuple[type[Exception], ...]:
    """The errors told as a fix to make (no usage): the configuration's, and the argos
    packages' when that module was imported (the engine's models were looked at; its error
    cannot be raised otherwise, and importing it costs start-up time)."""
    models = sys.modules.get(f"{__package__.rpartition('.')[0]}.mt.packages")
    return (ConfigError, models.ModelError) if models is not None else (ConfigError,)


def skip_hint(page: Path, content: Path) -> str:
    """What to do about pages that cannot be translated: fix them, or leave them out."""
    root = site_root(content)
    try:
        name = page.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = page.name
    return one_line(
        "the pages named above were not written and are left as they are; fix them, or leave "
        f"one out with --exclude {shlex.quote(name)} (or list it under [site] exclude in "
        "vien.toml)"
    )


def report_data(
    summary: Summary, engine: str, mt: object, terms: glossary.Glossary | None
) -> dict[str, object]:
    """The --report / --format json data: every page, the glossary terms applied, totals."""
    stats = getattr(mt, "stats", None)
    data: dict[str, object] = {
        "engine": engine,
        "glossary": {"path": str(terms.source), "version": terms.version} if terms else None,
        "pages": [
            {
                "source": str(r.source),
                "target": str(r.target) if r.target else None,
                "status": r.status,
                "message": r.message,
                "segments": r.segments,
                "notes": r.notes,
                "uncertain_missing_sections": r.uncertain,
                "applied_terms": [
                    {
                        "line": line,
                        "field": fld,
                        "terms": [{"source": a, "target": b, "mode": m} for a, b, m in used],
                    }
                    for line, fld, used in r.applied
                ],
            }
            for r in summary.results
        ],
        "summary": {
            "written": summary.count("written"),
            "would_write": summary.count("would-write"),
            "up_to_date": summary.count("up-to-date"),
            "engine_segments": summary.engine_segments,
            "memory_hits": summary.memory_hits,
            "carried": summary.carried,
            "failed": summary.count("failed") + len(summary.problems),
            "segments": summary.segments,
            "terms": summary.terms,
            "repairs": getattr(stats, "repairs", 0),
            "split": getattr(stats, "split", 0),
            "seconds": round(summary.seconds, 3),
        },
    }
    return data
