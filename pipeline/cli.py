"""The ``vien`` command: a thin layer over the :mod:`pipeline` library.

Exit status: 0 all good, 1 something failed (a page could not be read or was refused),
2 usage or configuration error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from . import __version__
from .discover import discover
from .engines import ENGINES, get_engine
from .errors import ConfigError, PageError
from .model import Document
from .pageio import DEFAULT_MAX_BYTES, read_document
from .parse import DEFAULT_FRONT_MATTER_KEYS, ParseOptions
from .translate import Job, run

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
    """


@main.command(context_settings=CONTEXT)
@click.argument("content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--to", "target", required=True, help="Target language code, e.g. vi or en.")
@click.option("--from", "source", default=None,
              help="Source language (default: the site's default language, or the other one).")
@click.option("--engine", type=click.Choice(sorted(ENGINES)), required=True,
              help="identity: copy (a round-trip check); pseudo: pseudo-localize (⟦Ţéšţ⟧).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write into this folder, mirroring CONTENT's tree, instead of next to the "
                   "source pages.")
@click.option("--dry-run", is_flag=True, help="Translate and verify, but write nothing.")
@click.option("--front-matter-key", "keys", multiple=True, metavar="KEY",
              help="Front matter key to translate (repeatable; default: title, linkTitle, "
                   "description).")
@click.option("--max-size", default=f"{DEFAULT_MAX_BYTES // 1024**2}M", show_default=True,
              help="Refuse pages larger than this.")
@click.option("-q", "--quiet", is_flag=True, help="Only print problems and the summary.")
def translate(content: Path, target: str, source: str | None, engine: str, out: Path | None,
              dry_run: bool, keys: tuple[str, ...], max_size: str, quiet: bool) -> None:
    """Write the TARGET-language file of every page in CONTENT that lacks one.

    CONTENT is a Hugo site root (its hugo/config file gives languages and content folders)
    or a content folder. New files are named by the site's convention (X.vi.md, or
    content/vi/…). Existing files are never overwritten. Every page is checked before it is
    written: text outside translatable segments, headings, block structure and protected
    spans (code, URLs, shortcodes, HTML…) must be unchanged, or the page is refused.

    \b
    Examples:
      vien translate data/site --to vi --engine pseudo --dry-run
      vien translate data/site --to vi --engine pseudo --out /tmp/site-vi
      vien translate ../shared/sites/dms-migration --to vi --engine identity --out /tmp/x
    """
    limit = _size(max_size)

    def progress(jobs: Iterator[Job]) -> Iterator[Job]:
        items = list(jobs)
        if quiet or not items or not sys.stderr.isatty():
            yield from items
            return
        with click.progressbar(items, label="translating", file=sys.stderr,
                               item_show_func=lambda j: j.page.key if j else "") as bar:
            yield from bar

    try:
        summary = run(content, target, get_engine(engine), source=source, out=out,
                      dry_run=dry_run, options=_options(keys), max_bytes=limit,
                      progress=progress)
    except (ConfigError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    for problem in summary.problems:
        click.secho(f"error: {problem}", fg="red", err=True)
    for r in summary.results:
        if r.status == "failed":
            click.secho(f"error: {r.message}", fg="red", err=True)
        elif not quiet:
            verb = {"written": "wrote", "would-write": "would write", "skipped": "skipped"}
            detail = f" ({r.message})" if r.message else f" ({r.segments} segments)"
            click.echo(f"{verb[r.status]:>11} {r.target}{detail}", err=True)
    done = summary.count("would-write" if dry_run else "written")
    click.echo(
        f"{'would write' if dry_run else 'wrote'} {done} page(s), {summary.segments} segments "
        f"({engine}); skipped {summary.count('skipped')}; failed "
        f"{summary.count('failed') + len(summary.problems)}; {summary.seconds:.2f}s"
    )
    sys.exit(1 if summary.failed else 0)


@main.command(context_settings=CONTEXT)
@click.argument("content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
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
        click.echo(json.dumps({
            "root": str(cfg.root), "default_language": cfg.default_language,
            "languages": list(cfg.languages),
            "content_dirs": {k: str(v) for k, v in cfg.content_dirs.items()},
            "sets": [{lang: str(p.path) for lang, p in sorted(g.items())}
                     for _, g in sorted(groups.items())],
            "problems": [str(p) for p in found.problems],
        }, ensure_ascii=False, indent=2))
    else:
        mode = "one folder per language" if cfg.by_directory else "language in file names"
        click.echo(f"{cfg.root}: languages {', '.join(cfg.languages)} (default "
                   f"{cfg.default_language}; {mode})")
        for gid, g in sorted(groups.items()):
            langs = " ".join(lang if lang in g else "-" * len(lang) for lang in cfg.languages)
            click.echo(f"  [{langs}] {gid}")
        for lang in cfg.languages:
            for other in cfg.languages:
                if other != lang:
                    n = len(found.orphans(lang, other))
                    click.echo(f"{n} {lang} page(s) without a {other} counterpart")
        for problem in found.problems:
            click.secho(f"error: {problem}", fg="red", err=True)
    sys.exit(1 if found.problems else 0)


def _describe(doc: Document, color: bool) -> Iterator[str]:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    fm = doc.front_matter
    yield (f"front matter: {fm.format}, lines 1-{doc.text.count(chr(10), 0, fm.end)}"
           if fm else "front matter: none")
    for section in doc.sections:
        head = "#" * section.level + " " + section.heading if section.level else "(before the "\
            "first heading)"
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
                    for p in seg.parts)
                yield f"    {label} {body}"
    for w in doc.warnings:
        yield style(f"warning: {w}", fg="yellow")


@main.command(context_settings=CONTEXT)
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--front-matter-key", "keys", multiple=True, metavar="KEY",
              help="Front matter key to translate (repeatable).")
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
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps({
            "page": str(page),
            "front_matter": doc.front_matter.format if doc.front_matter else None,
            "sections": [{"index": s.index, "level": s.level, "heading": s.heading,
                          "line": s.line,
                          "blocks": [{"kind": b.kind, "line": b.line, "info": b.info,
                                      "containers": list(b.containers),
                                      "segments": b.segments} for b in s.blocks]}
                         for s in doc.sections],
            "segments": [{"index": g.index, "line": g.line, "section": g.section,
                          "field": g.field, "style": g.style,
                          "parts": [{"kind": p.kind, "text": p.text} for p in g.parts]}
                         for g in doc.segments],
            "warnings": doc.warnings,
        }, ensure_ascii=False, indent=2))
        return
    color = sys.stdout.isatty() and "NO_COLOR" not in __import__("os").environ
    for line in _describe(doc, color):
        click.echo(line)
    click.echo(f"{len(doc.sections)} sections, {len(doc.blocks())} blocks, "
               f"{len(doc.segments)} segments, "
               f"{sum(len(s.protected) for s in doc.segments)} protected spans")
