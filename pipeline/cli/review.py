"""``vien review``: write one static HTML page to review a bilingual site."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from .. import glossary
from ..atomic import write_atomic
from ..errors import ConfigError
from ..glossary.entries import GlossaryError
from ..review.page import attach_scores, build_review, render_review, section_scores
from .options import (
    CONTEXT,
    content_argument,
    exclude_option,
    glossary_option,
    source_option,
    target_option,
)


@click.command("review", context_settings=CONTEXT)
@content_argument("review", nargs=-1, required=True)
@exclude_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("review.html"),
    show_default=True,
    help="The HTML file to write.",
)
@source_option
@target_option("Target language (default: every other language of the site).")
@glossary_option("Glossary CSV (default: the shipped one).")
@click.option(
    "--no-glossary", is_flag=True, help="No glossary: no term highlighting or term checks."
)
@click.option(
    "--only-problems",
    is_flag=True,
    help="Open the page with the problems filter on (a checkbox on the page).",
)
@click.option(
    "--scores",
    "scores_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="`vien score --format json` output: show each section's MT chrF, worst first.",
)
@click.option(
    "--score-engine",
    default=None,
    help="The engine of --scores to show (default: the first one other than identity).",
)
@click.option("--title", default="vien review", show_default=True, help="The page title.")
def review_cmd(
    content: tuple[Path, ...],
    output: Path,
    source: str | None,
    target: str | None,
    glossary_path: Path | None,
    no_glossary: bool,
    only_problems: bool,
    scores_file: Path | None,
    score_engine: str | None,
    title: str,
) -> None:
    """Write a static HTML review of the page pairs in CONTENT (one or more sites): each
    page side by side, section by section, coloured by provenance (human, TM, MT,
    untranslated, stale, from .vien/lock.json and `vien check`), glossary terms highlighted
    (hover for the entry), the check's findings next to the sections they concern, and a
    filter to show only problems. The file needs no server and loads nothing from the
    network; open it in any browser.

    \b
    Examples:
      vien review data/site                       # writes review.html
      vien review content -o /tmp/review.html --only-problems
      vien review site-a site-b -o review.html    # several sites on one page
      vien review content --to vi --glossary my-terms.csv
      vien score content --format json > s.json && vien review content --scores s.json
    """
    started = time.perf_counter()
    try:
        terms = None if no_glossary else glossary.load(glossary_path)
        review = build_review(list(content), source=source, target=target, glossary=terms)
        if scores_file is not None:
            data = json.loads(scores_file.read_text("utf-8"))
            attach_scores(review, section_scores(data, score_engine))
    except (ConfigError, GlossaryError, ValueError, KeyError, TypeError) as exc:
        raise click.UsageError(str(exc)) from exc
    page = render_review(review, only_problems=only_problems, title=title)
    write_atomic(output, page.encode("utf-8"))
    s = review.summary()
    unreadable = review.errors + [e for p in review.pages for e in p.errors]
    for problem in unreadable:
        click.secho(f"error: {problem}", fg="red", err=True)
    click.echo(
        f"wrote {output}: {s['pairs']} page pair(s), {s['sections']} section row(s), "
        f"{s['problem_sections']} with problems, {s['findings']} finding(s) "
        f"({time.perf_counter() - started:.2f} s)"
    )
    sys.exit(1 if unreadable else 0)
