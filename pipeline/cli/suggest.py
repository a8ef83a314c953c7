"""``vien glossary suggest``: glossary candidates mined from a site (:mod:`vien.review.suggest`)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from .. import glossary
from ..errors import ConfigError, PageError
from ..glossary.entries import GlossaryError
from .options import error, exclude_option, glossary_option

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
CSV_FIELDS = ("term", "mode", "score", "count", "pages", "vi_count", "vi_pages", "kind", "example")


@click.command("suggest", context_settings=CONTEXT)
@click.argument("content", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@exclude_option
@glossary_option(
    "Glossary CSV whose terms are not proposed again "
    "(default: glossaries/aws.csv shipped with vien)."
)
@click.option(
    "--top",
    type=click.IntRange(0),
    default=50,
    show_default=True,
    help="Show this many candidates (0: all).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@click.option(
    "--min-count",
    type=click.IntRange(1),
    default=2,
    show_default=True,
    help="Ignore candidates seen fewer times than this.",
)
def suggest_cmd(
    content: tuple[Path, ...], glossary_path: Path | None, top: int, fmt: str, min_count: int
) -> None:
    """Propose glossary terms found in CONTENT: site folders or single pages (.md, .txt).

    English words and phrases kept unchanged inside Vietnamese text (Security Group,
    Blue/Green), names (CamelCase, acronyms) and Title Case phrases in English text, with
    counts, example lines and a proposed mode: keep (seen unchanged in Vietnamese text) or
    review (seen in English only). Terms the glossary has, or is part of, are left out; so
    are code, URLs, links, HTML, shortcodes, file names and identifiers.

    The csv format can be reviewed and merged into a glossary by hand.

    \b
    Examples:
      vien glossary suggest ../shared/sites/aws-budget
      vien glossary suggest ../shared/sites/* ../shared/seeds/*.txt --top 20
      vien glossary suggest data/site --format csv > candidates.csv
      vien glossary suggest data/site --format json | jq '.candidates[0]'
    """
    try:
        terms = glossary.load(glossary_path)
    except GlossaryError as exc:
        raise click.UsageError(str(exc)) from exc
    problems: list[PageError] = []
    try:
        from ..review.suggest import suggest  # imported here: start-up time

        found = suggest(content, terms, min_count=min_count, problems=problems)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    shown = found[:top] if top else found
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "glossary": str(terms.source),
                    "total": len(found),
                    "candidates": [c.as_dict() for c in shown],
                    "problems": [str(p) for p in problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for c in shown:
            example = str(c.contexts[0]) if c.contexts else ""
            writer.writerow(
                [
                    c.term,
                    c.mode,
                    f"{c.score:.2f}",
                    c.count,
                    c.pages,
                    c.vi_count,
                    c.vi_pages,
                    c.kind,
                    example,
                ]
            )
        click.echo(buf.getvalue(), nl=False)
    else:
        for i, c in enumerate(shown, 1):
            click.echo(
                f"{i:3}. {c.term}  [{c.mode}]  {c.count}× in {c.pages} page(s), "
                f"{c.vi_count}× in Vietnamese text  (score {c.score:.2f})"
            )
            for ctx in c.contexts:
                click.echo(f"       {ctx.path}:{ctx.line}: {ctx.snippet}")
        click.echo(f"{len(shown)} of {len(found)} candidate(s)")
    for problem in problems:
        error(problem)
    sys.exit(1 if problems else 0)
