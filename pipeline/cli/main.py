"""The ``vien`` command: a thin layer over the :mod:`vien` library.

Exit status: 0 all good, 1 something failed (a page could not be read or was refused),
2 usage or configuration error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from .. import __version__, glossary
from ..errors import ConfigError, PageError
from ..glossary.entries import GlossaryError
from ..mt import ENGINES, DecodeOptions, get_engine
from ..mt import packages as models
from ..page.model import Document
from ..page.parse import DEFAULT_FRONT_MATTER_KEYS, ParseOptions
from ..page.read import DEFAULT_MAX_BYTES, read_document
from ..site.discover import discover, site_config
from ..site.lock import MEMORY_FILE, STATE_DIR, run_lock
from ..tm.memory import Memory, Unit
from ..tm.tmx import TmxError, TmxStore
from ..translate.batch import Summary, run
from .text import one_line

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _options(keys: tuple[str, ...]) -> ParseOptions:
    return ParseOptions(front_matter_keys=frozenset(keys) if keys else DEFAULT_FRONT_MATTER_KEYS)


def _size(value: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    v = value.strip().lower().rstrip("b")
    try:
        return int(float(v[:-1]) * units[v[-1]]) if v and v[-1] in units else int(v)
    except (ValueError, KeyError):
        raise click.BadParameter(f"{value!r} is not a size such as 2M or 500k") from None


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="vien")
def main() -> None:
    """vien: offline Vietnamese⇄English translation and alignment for Hugo sites.

    \b
    Examples:
      vien pages data/site                         # pages, languages, missing counterparts
      vien segments data/site/content/_index.md    # how a page is split
      vien translate data/site --to vi --engine pseudo --out /tmp/pseudo
      vien check data/site                         # untranslated, missing, stale sections
      vien review data/site -o review.html         # side by side, for reviewers
      vien glossary lint                           # the glossary's own checks
      vien models install --from translate-en_vi-1_9.argosmodel
    """


def _progress(quiet: bool) -> Callable[[int], Callable[[int], None]]:
    """A progress bar on a terminal; otherwise a line every tenth of a long run."""

    def start(total: int) -> Callable[[int], None]:
        if quiet or total == 0:
            return lambda n: None
        if sys.stderr.isatty():
            bar = click.progressbar(
                length=total, label="translating segments", file=sys.stderr, show_pos=True
            )
            bar.__enter__()
            state = {"done": 0}

            def update(n: int) -> None:
                bar.update(n)
                state["done"] += n
                if state["done"] >= total:
                    bar.__exit__(None, None, None)

            return update
        marks = {"done": 0, "next": total // 10}

        def log(n: int) -> None:
            marks["done"] += n
            if total >= 2000 and (marks["done"] >= marks["next"] or marks["done"] == total):
                click.echo(f"  {marks['done']}/{total} segments", err=True)
                marks["next"] = marks["done"] + total // 10

        return log

    return start


@main.command(context_settings=CONTEXT)
@click.argument("content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--to", "target", required=True, help="Target language code, e.g. vi or en.")
@click.option(
    "--from",
    "source",
    default=None,
    help="Source language (default: the site's default language, or the other one).",
)
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
    help="Write into this folder, mirroring CONTENT's tree, instead of next to the source pages.",
)
@click.option("--dry-run", is_flag=True, help="Translate and verify, but write nothing.")
@click.option(
    "--glossary",
    "glossary_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Glossary CSV (default: glossaries/aws.csv shipped with vien).",
)
@click.option("--no-glossary", is_flag=True, help="Translate without glossary terms.")
@click.option(
    "--models-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar=models.ENV_DIR,
    show_envvar=True,
    help="Argos package folder (default: argostranslate's).",
)
@click.option("--beam-size", type=click.IntRange(1, 16), default=2, show_default=True)
@click.option(
    "--threads",
    type=click.IntRange(0, 256),
    default=0,
    show_default=True,
    help="CPU threads for the model (0: all cores).",
)
@click.option(
    "--compute-type",
    default="int8",
    show_default=True,
    type=click.Choice(["int8", "int8_float32", "float32", "default", "auto"]),
)
@click.option(
    "--max-length-ratio",
    type=click.FloatRange(0.5, 10),
    default=2.0,
    show_default=True,
    help="Cap output tokens at this times the input tokens (+5): stops runaway output.",
)
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
    "--no-retranslate",
    is_flag=True,
    help="Keep counterpart segments that are still in the source language.",
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
    no_retranslate: bool,
    report: Path | None,
    quiet: bool,
) -> None:
    """Translate CONTENT into the TARGET language, keeping every human translation.

    CONTENT is a Hugo site root (its hugo/config file gives languages and content folders)
    or a content folder. A page with no counterpart is translated whole, into a file named by
    the site's convention (X.vi.md, or content/vi/…). A page with a counterpart is aligned
    with it section by section: human sections are kept byte for byte, missing sections are
    translated and inserted in place, and counterpart segments still in the source language
    are retranslated. Segments already in the target language are carried over. The
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
    """
    limit = _size(max_size)
    try:
        terms = None if no_glossary or engine == "identity" else glossary.load(glossary_path)
        opts = DecodeOptions(
            beam_size=beam_size,
            threads=threads,
            compute_type=compute_type,
            length_ratio=max_length_ratio,
        )
        mt = get_engine(engine, glossary=terms, models_dir=models_dir, options=opts)
        summary = run(
            content,
            target,
            mt,
            source=source,
            out=out,
            dry_run=dry_run,
            options=_options(keys),
            max_bytes=limit,
            progress=_progress(quiet),
            glossary=terms,
            use_memory=not no_memory,
            retranslate=not no_retranslate,
        )
    except (ConfigError, ValueError, GlossaryError) as exc:
        raise click.UsageError(str(exc)) from exc
    except models.ModelError as exc:
        click.secho(f"error: {one_line(exc)}", fg="red", err=True)
        sys.exit(2)
    for problem in summary.problems:
        click.secho(f"error: {one_line(problem)}", fg="red", err=True)
    for r in summary.results:
        if r.status == "failed":
            click.secho(f"error: {one_line(r.message)}", fg="red", err=True)
        elif not quiet:
            verb = {
                "written": "wrote",
                "would-write": "would write",
                "skipped": "skipped",
                "up-to-date": "up to date",
            }
            detail = f" ({r.message})" if r.message else f" ({r.segments} segments)"
            click.echo(f"{verb[r.status]:>11} {one_line(r.target)}{one_line(detail)}", err=True)
            for note in r.notes:
                click.echo(f"{'':>11}   {one_line(note)}", err=True)
    if report is not None:
        _write_report(report, summary, engine, mt, terms)
    done = summary.count("would-write" if dry_run else "written")
    extra = ""
    stats = getattr(mt, "stats", None)
    if stats is not None:
        extra = (
            f"; MT: {stats.sentences} sentences, {stats.repairs} units repaired, "
            f"{stats.piecewise} translated in pieces, {stats.seconds:.1f}s"
        )
    click.echo(
        f"{'would write' if dry_run else 'wrote'} {done} page(s), {summary.segments} segments "
        f"({summary.engine_segments} by {engine}, {summary.memory_hits} from memory, "
        f"{summary.carried} already {target}), {summary.terms} glossary terms{extra}; "
        f"up to date {summary.count('up-to-date')}; failed "
        f"{summary.count('failed') + len(summary.problems)}; {summary.seconds:.2f}s"
    )
    sys.exit(1 if summary.failed else 0)


def _write_report(
    path: Path, summary: Summary, engine: str, mt: object, terms: glossary.Glossary | None
) -> None:
    stats = getattr(mt, "stats", None)
    data = {
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
            "seconds": round(summary.seconds, 3),
        },
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@main.command(context_settings=CONTEXT)
@click.argument("content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def pages(content: Path, fmt: str) -> None:
    """List the pages of CONTENT by translation set, and those without a counterpart.

    \b
    Example:
      vien pages ../shared/sites/dms-migration
    """
    try:
        found = discover(content)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    cfg = found.config
    groups = found.groups()
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "root": str(cfg.root),
                    "default_language": cfg.default_language,
                    "languages": list(cfg.languages),
                    "content_dirs": {k: str(v) for k, v in cfg.content_dirs.items()},
                    "sets": [
                        {lang: str(p.path) for lang, p in sorted(g.items())}
                        for _, g in sorted(groups.items())
                    ],
                    "problems": [str(p) for p in found.problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        mode = "one folder per language" if cfg.by_directory else "language in file names"
        click.echo(
            f"{cfg.root}: languages {', '.join(cfg.languages)} (default "
            f"{cfg.default_language}; {mode})"
        )
        for gid, g in sorted(groups.items()):
            langs = " ".join(lang if lang in g else "-" * len(lang) for lang in cfg.languages)
            click.echo(f"  [{langs}] {gid}")
        for lang in cfg.languages:
            for other in cfg.languages:
                if other != lang:
                    n = len(found.orphans(lang, other))
                    click.echo(f"{n} {lang} page(s) without a {other} counterpart")
        for problem in found.problems:
            click.secho(f"error: {one_line(problem)}", fg="red", err=True)
    sys.exit(1 if found.problems else 0)


def _describe(doc: Document, color: bool) -> Iterator[str]:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    fm = doc.front_matter
    yield (
        f"front matter: {fm.format}, lines 1-{doc.text.count(chr(10), 0, fm.end)}"
        if fm
        else "front matter: none"
    )
    for section in doc.sections:
        head = (
            "#" * section.level + " " + section.heading
            if section.level
            else "(before the first heading)"
        )
        yield style(f"§{section.index} L{section.line} {head}", bold=True)
        for b in section.blocks:
            where = "/".join(b.containers)
            extra = f" {b.info}" if b.info else ""
            yield f"  {b.kind}{extra} L{b.line}" + (f"  in {where}" if where else "")
            for i in b.segments:
                seg = doc.segments[i]
                label = f"[{seg.index}] L{seg.line}" + (f" {seg.field}=" if seg.field else "")
                body = "".join(
                    style(f"⟨{p.kind}:{p.text}⟩", fg="cyan") if p.protected else p.text
                    for p in seg.parts
                )
                yield f"    {label} {body}"
    for w in doc.warnings:
        yield style(f"warning: {one_line(w)}", fg="yellow")


@main.command(context_settings=CONTEXT)
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--front-matter-key",
    "keys",
    multiple=True,
    metavar="KEY",
    help="Front matter key to translate (repeatable).",
)
def segments(page: Path, fmt: str, keys: tuple[str, ...]) -> None:
    """Show how PAGE is split: sections, blocks, segments and protected spans.

    Protected spans are shown as ⟨kind:text⟩; everything else in a segment is translatable.

    \b
    Examples:
      vien segments data/site/content/2-pipeline/2.1-prepare-bucket.md
      vien segments page.md --format json | jq '.segments | length'
    """
    try:
        doc = read_document(page, _options(keys))
    except PageError as exc:
        click.secho(f"error: {one_line(exc)}", fg="red", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "page": str(page),
                    "front_matter": doc.front_matter.format if doc.front_matter else None,
                    "sections": [
                        {
                            "index": s.index,
                            "level": s.level,
                            "heading": s.heading,
                            "line": s.line,
                            "blocks": [
                                {
                                    "kind": b.kind,
                                    "line": b.line,
                                    "info": b.info,
                                    "containers": list(b.containers),
                                    "segments": b.segments,
                                }
                                for b in s.blocks
                            ],
                        }
                        for s in doc.sections
                    ],
                    "segments": [
                        {
                            "index": g.index,
                            "line": g.line,
                            "section": g.section,
                            "field": g.field,
                            "style": g.style,
                            "parts": [{"kind": p.kind, "text": p.text} for p in g.parts],
                        }
                        for g in doc.segments
                    ],
                    "warnings": doc.warnings,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    color = sys.stdout.isatty() and "NO_COLOR" not in __import__("os").environ
    for line in _describe(doc, color):
        click.echo(line)
    click.echo(
        f"{len(doc.sections)} sections, {len(doc.blocks())} blocks, "
        f"{len(doc.segments)} segments, "
        f"{sum(len(s.protected) for s in doc.segments)} protected spans"
    )


@main.group(context_settings=CONTEXT)
def models_cmd() -> None:
    """Install, list and verify translation model packages (Argos Translate).

    Packages live in argostranslate's package folder unless --models-dir (or
    VIEN_MODELS_DIR) names another one.

    \b
    Examples:
      vien models install en-vi                                  # online
      vien models install --from translate-en_vi-1_9.argosmodel  # offline
      vien models list
      vien models verify
    """


main.add_command(models_cmd, name="models")
_models_dir = click.option(
    "--models-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar=models.ENV_DIR,
    show_envvar=True,
    help="Package folder (default: argostranslate's).",
)


@models_cmd.command("list", context_settings=CONTEXT)
@_models_dir
def models_list(models_dir: Path | None) -> None:
    """List installed translate packages."""
    found = models.installed(models_dir)
    click.echo(f"{models.models_dir(models_dir)}: {len(found)} package(s)")
    for m in found:
        origin = (
            "official"
            if m.official
            else ("unknown origin" if m.sha256 is None else "not an official package")
        )
        click.echo(f"  {m.pair:6s} {m.version:16s} {m.path.name}  ({origin})")


@models_cmd.command("install", context_settings=CONTEXT)
@click.argument("pair", required=False, type=click.Choice(sorted(models.PAIRS)))
@click.option(
    "--from",
    "archive",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Install this .argosmodel file (offline).",
)
@click.option("--sha256", default=None, help="Refuse the file unless its SHA-256 is this.")
@click.option("--replace", is_flag=True, help="Replace an installed package for the pair.")
@_models_dir
def models_install(
    pair: str | None,
    archive: Path | None,
    sha256: str | None,
    replace: bool,
    models_dir: Path | None,
) -> None:
    """Install a package: PAIR (en-vi, vi-en) from the Argos index, or --from FILE.

    \b
    Examples:
      vien models install en-vi
      vien models install --from ~/Downloads/translate-en_vi-1_9.argosmodel
    """
    if (pair is None) == (archive is None):
        raise click.UsageError("give either a PAIR (online) or --from FILE (offline)")
    try:
        if archive is not None:
            model = models.install_file(
                archive, models_dir, replace=replace, expected_sha256=sha256
            )
        else:
            with click.progressbar(
                length=1, label=f"downloading {pair}", file=sys.stderr, show_percent=True
            ) as bar:

                def tick(done: int, total: int) -> None:
                    bar.length = max(total, 1)
                    bar.update(done - bar.pos)

                model = models.install_online(str(pair), models_dir, replace=replace, progress=tick)
    except models.ModelError as exc:
        click.secho(f"error: {one_line(exc)}", fg="red", err=True)
        sys.exit(1)
    origin = (
        "official package " + str(models.official_name(model.sha256 or ""))
        if model.official
        else "NOT an official Argos package (unknown checksum)"
    )
    click.echo(f"installed {model.pair} into {model.path}\n  sha256 {model.sha256}: {origin}")


@models_cmd.command("verify", context_settings=CONTEXT)
@click.argument("archives", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_models_dir
def models_verify(archives: tuple[Path, ...], models_dir: Path | None) -> None:
    """Check installed packages (or ARCHIVES) against the official checksums.

    Exit 0 when every package is intact and official, 1 otherwise.
    """
    bad = 0
    for path in archives:
        digest = models.sha256_file(path)
        name = models.official_name(digest)
        bad += name is None
        click.echo(
            f"{path}: sha256 {digest} "
            + (f"= official {name}" if name else "is not an official package")
        )
    if not archives:
        found = models.installed(models_dir)
        if not found:
            click.echo(f"no packages in {models.models_dir(models_dir)}")
        for m in found:
            problems = models.verify(m)
            if not m.official:
                problems.append("archive checksum is not an official package's")
            bad += bool(problems)
            state = "ok (official)" if not problems else "; ".join(problems)
            click.echo(f"{m.pair} {m.path.name}: {state}")
    sys.exit(1 if bad else 0)


def _pairs_for(
    content: Path, source: str | None, target: str | None
) -> tuple[list[tuple[Path, Path]], str, str]:
    """The page pairs of CONTENT with a counterpart, and the two languages (the first
    target when the site has several)."""
    found = discover(content)
    try:
        src, targets = found.config.direction(source, target)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    tgt = targets[0]
    return [(p.path, c.path) for p, c in found.pairs(src, tgt) if c is not None], src, tgt


@main.command("align", context_settings=CONTEXT)
@click.argument("content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--from",
    "source",
    default=None,
    help="Source language (default: the site's default language, or the other one "
    "when --to names it).",
)
@click.option("--to", "target", default=None, help="Target language (default: the other).")
@click.option(
    "--glossary",
    "glossary_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Glossary CSV (default: the shipped one).",
)
def align_cmd(
    content: Path, fmt: str, source: str | None, target: str | None, glossary_path: Path | None
) -> None:
    """Align the sections of every page pair in CONTENT, with confidence and evidence.

    Links may be 1-1, 1-0 (no counterpart), 0-1, or many-to-many. The JSON format is stable
    (see the README).

    \b
    Examples:
      vien align ../shared/sites/aws-budget
      vien align data/site --format json | jq '.pairs[0].links'
    """
    from ..align.sections import align

    try:
        pairs, src_lang, tgt_lang = _pairs_for(content, source, target)
        terms = glossary.load(glossary_path)
    except (ConfigError, GlossaryError, StopIteration) as exc:
        raise click.UsageError(str(exc) or "the site has only one language") from exc
    out, failed = [], 0
    for src_path, tgt_path in pairs:
        try:
            a, b = read_document(src_path), read_document(tgt_path)
        except PageError as exc:
            click.secho(f"error: {one_line(exc)}", fg="red", err=True)
            failed += 1
            continue

        def ref(doc: Document, i: int) -> dict[str, object]:
            s = doc.sections[i]
            return {"index": i, "line": s.line, "level": s.level, "heading": s.heading}

        links = align(a, b, terms, source_lang=src_lang, target_lang=tgt_lang)
        out.append(
            {
                "source": str(src_path),
                "target": str(tgt_path),
                "source_lang": src_lang,
                "target_lang": tgt_lang,
                "links": [
                    {
                        "source": [ref(a, i) for i in lk.source],
                        "target": [ref(b, j) for j in lk.target],
                        "confidence": lk.confidence,
                        "evidence": lk.evidence,
                    }
                    for lk in links
                ],
            }
        )
    if fmt == "json":
        click.echo(json.dumps({"pairs": out}, ensure_ascii=False, indent=2))
    else:
        for pair in out:
            click.echo(f"{pair['source']} ⇄ {pair['target']}")
            for lk in pair["links"]:

                def heads(side: list[dict[str, object]]) -> str:
                    return (
                        " + ".join(f"§{s['index']} {s['heading'] or '(top)'}" for s in side) or "—"
                    )

                click.echo(
                    f"  {lk['confidence']:.2f}  {heads(lk['source'])}  ⇄  {heads(lk['target'])}"
                )
    sys.exit(1 if failed else 0)


@main.group("tm", context_settings=CONTEXT)
def tm_cmd() -> None:
    """The translation memory (.vien/memory.sqlite): import, export, TMX.

    \b
    Examples:
      vien tm import ../shared/sites/aws-budget          # from aligned human sections
      vien tm export ../shared/sites/aws-budget --tmx memory.tmx
      vien tm import data/site --tmx from-cat-tool.tmx
    """


def _memory(content: Path) -> Memory:
    return Memory(site_config(content).root / STATE_DIR / MEMORY_FILE)


@tm_cmd.command("import", context_settings=CONTEXT)
@click.argument("content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--tmx",
    "tmx_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Import this TMX file instead of pages.",
)
@click.option(
    "--from",
    "source",
    default=None,
    help="Source language (default: the site's default language, or the other one "
    "when --to names it).",
)
@click.option("--to", "target", default=None, help="Target language (default: the other).")
def tm_import(content: Path, tmx_file: Path | None, source: str | None, target: str | None) -> None:
    """Fill CONTENT's memory from its aligned human sections (or from --tmx FILE)."""
    from ..align.sections import align
    from ..check.langid import detect
    from ..translate.plan import segment_pairs

    try:
        with run_lock(site_config(content).root), _memory(content) as mem:
            if tmx_file is not None:
                units = TmxStore.load(tmx_file)
                added = mem.add(units)
                click.echo(f"imported {added} new unit(s) of {len(units)} from {tmx_file}")
                return
            pairs, src_lang, tgt_lang = _pairs_for(content, source, target)
            terms = glossary.load()
            total = 0
            for src_path, tgt_path in pairs:
                try:
                    a, b = read_document(src_path), read_document(tgt_path)
                except PageError as exc:
                    click.secho(f"error: {one_line(exc)}", fg="red", err=True)
                    continue
                links = align(a, b, terms, source_lang=src_lang, target_lang=tgt_lang)
                units = [
                    Unit(
                        src_lang,
                        tgt_lang,
                        a.segments[i].text,
                        b.segments[j].text,
                        "human",
                        terms.version,
                        "",
                        str(tgt_path),
                    )
                    for i, j in segment_pairs(a, b, links)
                    if detect(b.segments[j], terms) != src_lang
                ]
                total += mem.add(units)
            click.echo(
                f"imported {total} new unit(s) from {len(pairs)} page pair(s); "
                f"{mem.count()} in {mem.path}"
            )
    except (TmxError, ConfigError) as exc:
        click.secho(f"error: {one_line(exc)}", fg="red", err=True)
        sys.exit(2)


@tm_cmd.command("export", context_settings=CONTEXT)
@click.argument("content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--tmx",
    "tmx_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write TMX 1.4b here.",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Include pseudo and identity units (test engines), not only real ones.",
)
def tm_export(content: Path, tmx_file: Path, everything: bool) -> None:
    """Export CONTENT's memory to TMX 1.4b for CAT tools."""
    wanted = None if everything else ("reviewed", "human", "imported", "machine")
    with _memory(content) as mem:
        n = TmxStore.dump(mem.units(wanted), tmx_file)
    click.echo(f"exported {n} unit(s) to {tmx_file}")


from .check import check_cmd  # noqa: E402  (commands in their own modules)

main.add_command(check_cmd)

from .glossary import glossary_cmd  # noqa: E402
from .suggest import suggest_cmd  # noqa: E402

glossary_cmd.add_command(suggest_cmd)
main.add_command(glossary_cmd)

from .review import review_cmd  # noqa: E402

main.add_command(review_cmd)
