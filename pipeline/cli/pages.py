"""``vien pages`` and ``vien segments``: a site's pages and counterparts; how a page is split."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ..errors import ConfigError, PageError
from ..page.model import Document
from ..page.read import read_document
from ..site.discover import discover
from .options import (
    CONTEXT,
    color,
    content_argument,
    error,
    exclude_option,
    format_option,
    parse_options,
    style,
    warning,
)
from .text import one_line


@click.command(context_settings=CONTEXT)
@content_argument("pages")
@exclude_option
@format_option()
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
    if note := cfg.assumed():
        warning(note)
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
            error(problem)
    sys.exit(1 if found.problems else 0)


def _describe(doc: Document) -> Iterator[str]:
    paint = style  # click strips the colour when stdout is not a terminal

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
        yield paint(f"§{section.index} L{section.line} {head}", bold=True)
        for b in section.blocks:
            where = "/".join(b.containers)
            extra = f" {b.info}" if b.info else ""
            yield f"  {b.kind}{extra} L{b.line}" + (f"  in {where}" if where else "")
            for i in b.segments:
                seg = doc.segments[i]
                label = f"[{seg.index}] L{seg.line}" + (f" {seg.field}=" if seg.field else "")
                body = "".join(
                    paint(f"⟨{p.kind}:{p.text}⟩", fg="cyan") if p.protected else p.text
                    for p in seg.parts
                )
                yield f"    {label} {body}"
    for w in doc.warnings:
        yield paint(f"warning: {one_line(w)}", fg="yellow")


@click.command(context_settings=CONTEXT)
@content_argument(
    "segments", name="page", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@format_option()
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
        doc = read_document(page, parse_options(keys))
    except PageError as exc:
        error(exc)
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
    for line in _describe(doc):
        click.echo(line, color=color())
    click.echo(
        f"{len(doc.sections)} sections, {len(doc.blocks())} blocks, "
        f"{len(doc.segments)} segments, "
        f"{sum(len(s.protected) for s in doc.segments)} protected spans"
    )
