"""``vien check``: the CI job that flags missing, untranslated, stale and drifting sections.

Exit status: 0 nothing at the ``--fail-on`` threshold, 1 findings at it, 2 usage or input
error (a page that cannot be read, a bad baseline, an unknown git ref).
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path

import click

from .. import glossary
from ..atomic import write_atomic
from ..check.run import Finding, Report, apply_baseline, baseline_data, check, read_baseline
from ..errors import ConfigError
from ..glossary.entries import GlossaryError
from ..site import settings
from ..structured import load_json
from .options import (
    CONTEXT,
    color,
    content_argument,
    error,
    exclude_option,
    glossary_option,
    no_color,
    progress,
    source_option,
    target_option,
    warning,
)
from .text import one_line

_COLOURS = {"error": "red", "warning": "yellow", "notice": "cyan"}
#: --fail-on LEVEL: the severities that make the exit status 1.
THRESHOLDS = {
    "error": ("error",),
    "warning": ("error", "warning"),
    "notice": ("error", "warning", "notice"),
    "never": (),
}


def _escape_github(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_lines(findings: list[Finding]) -> list[str]:
    """GitHub Actions workflow commands: one annotation per finding."""
    out = []
    for f in findings:
        level = f.severity if f.severity in ("error", "warning", "notice") else "warning"
        title = f"vien {f.kind}" + (f": {f.section}" if f.section else "")
        out.append(
            f"::{level} file={_escape_github(f.file, prop=True)},line={f.line},"
            f"title={_escape_github(title, prop=True)}::{_escape_github(f.message)}"
        )
    return out


def _github_unreadable(err: str) -> str:
    """A page that could not be read as an annotation on that page: ``PATH:LINE: why``."""
    path, line, why = err, "1", err
    m = re.match(r"^(.+?):(\d+)(?::\d+)?: (.*)$", err, re.S)
    if m:
        path, line, why = m.group(1), m.group(2), m.group(3)
    else:
        head, sep, rest = err.partition(": ")
        if sep and Path(head).suffix:
            path, why = head, rest
    return (
        f"::error file={_escape_github(path, prop=True)},line={line},"
        f"title={_escape_github('vien check: unreadable page', prop=True)}::{_escape_github(why)}"
    )


def text_lines(report: Report) -> list[str]:
    """A readable table: location, severity, kind, section, message."""
    if not report.findings:
        return []
    # a site's findings name few files, sections and severities, many times over: each is
    # escaped and painted once
    files: dict[str, str] = {}
    sections: dict[str, str] = {}
    rows = []
    for f in report.findings:
        name = files.get(f.file)
        if name is None:
            name = files[f.file] = one_line(f.file)
        section = sections.get(f.section)
        if section is None:
            section = sections[f.section] = one_line(f.section or "(top)")
        rows.append((f"{name}:{f.line}", f.severity, f.kind, section, one_line(f.message)))
    w0 = min(max(len(r[0]) for r in rows), 60)
    w2 = max(len(r[2]) for r in rows)
    paint = click.style if not no_color() else (lambda text, **_: text)  # NO_COLOR read once
    levels = {
        sev: paint(f"{sev:<7}", fg=colour, bold=sev == "error") for sev, colour in _COLOURS.items()
    }
    titles = {s: paint(s[:40], bold=True) for s in dict.fromkeys(r[3] for r in rows)}
    return [
        f"{loc:<{w0}}  {levels[sev]}  {kind:<{w2}}  {titles[section]}  {msg}"
        for loc, sev, kind, section, msg in rows
    ]


def _print_conventions(report: Report, fmt: str) -> None:
    """``--conventions``: the site's conventions, as JSON or one per line with the command
    that confirms each into the glossary."""
    found = list(report.conventions.values())
    if fmt == "json":
        data = {"conventions": [c.to_json() for c in found]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no site conventions: nothing is kept in the other language on 2+ pages")
        return
    for c in found:
        shown = f"{c.text!r}" + (" (numbered template)" if c.template else "")
        click.echo(f"{shown}: kept as is on {c.pages} pages, e.g. {', '.join(c.examples)}")
        if c.glossary_command():
            click.echo(f"    confirm: {c.glossary_command()}")


def _summary_line(report: Report) -> str:
    s = report.summary()
    kinds = ", ".join(f"{n} {k}" for k, n in s["by_kind"].items()) or "none"
    extra = f"; {report.baselined} accepted by the baseline" if report.baselined else ""
    return (
        f"{report.pairs} page pair(s), {report.pages} page(s) checked in "
        f"{report.seconds:.2f} s: {s['errors']} error(s), {s['warnings']} warning(s), "
        f"{s['notices']} notice(s) "
        f"({kinds}){extra}"
    )


@click.command("check", context_settings=CONTEXT)
@content_argument("check")
@exclude_option
@source_option
@target_option("Target language (default: every other language of the site).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="text: a table (colour on a terminal; NO_COLOR respected); json: the stable "
    "schema in the README; github: workflow annotations; sarif: SARIF 2.1.0 for code "
    "scanning.",
)
@click.option(
    "--fail-on",
    type=click.Choice(list(THRESHOLDS)),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit status 1. error: prose in the wrong language, "
    "a page or a section surely missing; warning: short copied headings, titles, labels, "
    "link texts, glossary, stale, structure; notice: titles copied unchanged, site "
    "conventions.",
)
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Accept the findings recorded in this file (see "
    "--write-baseline); only new ones are reported.",
)
@click.option(
    "--write-baseline",
    is_flag=True,
    help="Record every current finding in the --baseline file and exit 0.",
)
@click.option(
    "--changed-only",
    "ref",
    default=None,
    metavar="REF",
    help="Only check page pairs with a page changed since this git ref.",
)
@glossary_option("Glossary CSV (default: the shipped one).")
@click.option(
    "--no-glossary",
    is_flag=True,
    help="No glossary: skip term checks; terms count as words for language detection.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    type=click.Choice(settings.KINDS),
    help="Only report these kinds (repeatable).",
)
@click.option(
    "--conventions",
    "show_conventions",
    is_flag=True,
    help="List what the site keeps in English on purpose (learned from its pages, stored in "
    ".vien/conventions.json), with the command that confirms each into the glossary; exit 0.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress, no summary line.")
def check_cmd(
    content: Path,
    source: str | None,
    target: str | None,
    fmt: str,
    fail_on: str,
    baseline: Path | None,
    write_baseline: bool,
    ref: str | None,
    glossary_path: Path | None,
    no_glossary: bool,
    kinds: tuple[str, ...],
    show_conventions: bool,
    quiet: bool,
) -> None:
    """Check the page pairs in CONTENT: missing pages and sections, untranslated segments
    (a segment written in the other language), stale translations (the source section
    changed since its translation was recorded in .vien/lock.json, or, without a lock, since
    the counterpart's last git commit), glossary violations and structure drift.

    \b
    Exit status: 0 nothing at --fail-on, 1 findings at it, 2 usage or input error.

    \b
    Examples:
      vien check data/site
      vien check content --format github              # annotations in a GitHub workflow
      vien check content --format json | jq '.findings[] | select(.kind == "untranslated")'
      vien check content --baseline .vien-baseline.json --write-baseline   # adopt gradually
      vien check content --baseline .vien-baseline.json                    # only new findings
      vien check content --changed-only origin/main --fail-on warning
      vien check content --conventions   # what the site keeps in English on purpose
    """
    if write_baseline and baseline is None:
        raise click.UsageError("--write-baseline needs --baseline FILE")
    accepted = None
    if baseline is not None and not write_baseline:
        try:
            accepted = read_baseline(load_json(baseline.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise click.UsageError(
                f"baseline {baseline} does not exist (create it with --write-baseline)"
            ) from None
        except (OSError, ValueError) as exc:
            raise click.UsageError(f"baseline {baseline}: {exc}") from None
    try:
        terms = None if no_glossary else glossary.load(glossary_path)
        show = not quiet and fmt == "text"
        report = check(
            content,
            source=source,
            target=target,
            glossary=terms,
            changed_since=ref,
            progress=progress(not show, "checking page pairs", "page pairs") if show else None,
        )
    except (ConfigError, GlossaryError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    if not report.pages and not report.errors and ref is None:
        raise click.UsageError(
            f"no pages found under {content}: is it the site (or its content folder)?"
        )
    for note in report.notes:  # on stderr whatever the format: the site was read all the same
        warning(note)
    if show_conventions:
        _print_conventions(report, fmt)
        sys.exit(0)
    conf = click.get_current_context().meta.get("vien.settings") or settings.Settings()
    if conf.severity:
        report.findings = [
            dataclasses.replace(f, severity=conf.severity.get(f.kind, f.severity))
            for f in report.findings
            if conf.severity.get(f.kind) != "off"
        ]
    if kinds:
        report.findings = [f for f in report.findings if f.kind in kinds]
    if write_baseline:
        assert baseline is not None
        data = json.dumps(baseline_data(report.findings, report.root), ensure_ascii=False, indent=2)
        write_atomic(baseline, (data + "\n").encode("utf-8"))
        click.echo(f"wrote {len(report.findings)} finding(s) to {baseline}", err=True)
        for err in report.errors:  # named, not recorded: the baseline is written all the same
            error(err)
        sys.exit(0)
    if accepted is not None:
        apply_baseline(report, accepted)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "findings": [f.to_json() for f in report.findings],
                    "summary": report.summary(),
                    "conventions": [c.to_json() for c in report.conventions.values()],
                    "unreadable": report.errors,
                    "notes": report.notes,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif fmt == "sarif":
        from ..check.sarif import sarif_log  # here: start-up time

        root = conf.root or settings.site_root(content)
        click.echo(json.dumps(sarif_log(report, root), ensure_ascii=False, indent=2))
    elif fmt == "github":
        for line in github_lines(report.findings):
            click.echo(line)
        for err in report.errors:
            click.echo(_github_unreadable(err))
    else:
        lines = text_lines(report)
        if lines:  # one write: a site's findings can run to thousands of lines
            click.echo("\n".join(lines), color=color())
    for err in report.errors:
        error(err)
    if not quiet:
        click.echo(_summary_line(report), err=fmt != "text", color=color())
    if report.errors:
        sys.exit(2)
    threshold = THRESHOLDS[fail_on]
    sys.exit(1 if any(f.severity in threshold for f in report.findings) else 0)
