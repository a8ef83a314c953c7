"""``vien glossary``: list, edit, lint, export and import the glossary without editing the CSV
by hand. A thin layer over :mod:`vien.glossary.entries`, :mod:`vien.glossary.lint`,
:mod:`vien.glossary.tbx` and :mod:`vien.glossary.aws_terminology`.

Every write goes through :meth:`CsvGlossaryStore.dump` (stable order, atomic). Exit status: 0
done (for ``lint``: clean), 1 lint findings, 2 usage or input error (unknown term, a duplicate,
an unreadable file).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..atomic import write_atomic
from ..errors import ConfigError
from ..glossary import lint as glossary_lint
from ..glossary.entries import (
    CASES,
    DEFAULT_PATH,
    FIELDS,
    MODES,
    STATUSES,
    CsvGlossaryStore,
    Entry,
    Glossary,
    GlossaryError,
    edit_lock,
    make_entry,
)
from ..site import settings
from .options import warning

if TYPE_CHECKING:
    from ..glossary.aws_terminology import AwsTerminologyStore
    from ..glossary.tbx import TbxStore

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
#: The exchange formats of export and import.
FORMATS = ("aws-csv", "tbx")


def _store(kind: str) -> type[TbxStore] | type[AwsTerminologyStore]:
    """The store of exchange format ``kind``, its module imported now (start-up time: the
    TBX one imports an XML parser)."""
    if kind == "tbx":
        from ..glossary.tbx import TbxStore

        return TbxStore
    from ..glossary.aws_terminology import AwsTerminologyStore

    return AwsTerminologyStore


class InputError(click.ClickException):
    """A request the glossary cannot satisfy (unknown term, duplicate, bad file): exit 2."""

    exit_code = 2


def _locked(f: Callable[..., Any]) -> Callable[..., Any]:
    """Run an editing command holding the glossary's edit lock (load, change, save as one)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with edit_lock(kwargs["path"]):
            return f(*args, **kwargs)

    return wrapper


def _glossary_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--glossary",
        "path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_PATH,
        show_default="glossaries/aws.csv",
        help="The glossary CSV to read or edit.",
    )(f)


def _load(path: Path, *, create: bool = False) -> Glossary:
    if create and not path.exists():
        return Glossary([], path)
    if not path.exists():
        raise InputError(f"{path}: no such glossary file")
    try:
        return CsvGlossaryStore.load(path)
    except GlossaryError as exc:
        raise InputError(f"{exc} (fix it by hand, then run `vien glossary lint`)") from exc


def _save(before: Glossary, after: Glossary, path: Path) -> None:
    CsvGlossaryStore.dump(after, path)
    findings = glossary_lint.lint(path)
    click.echo(
        f"{path}: {len(after)} entries, version {before.version} -> {after.version}", err=True
    )
    for f in findings:
        warning(f.format(path))


def _one(g: Glossary, term: str) -> Entry:
    found = g.lookup(term)
    if not found:
        raise InputError(f"{term!r} is not in the glossary (see `vien glossary list --grep`)")
    if len(found) > 1:
        raise InputError(
            f"{term!r} has {len(found)} entries ({', '.join(e.mode for e in found)})"
            "; run `vien glossary lint` and fix the conflict by hand"
        )
    return found[0]


def _describe(e: Entry) -> str:
    arrow = f" -> {e.vi}" if e.mode == "translate" else ""
    note = f"  # {e.note}" if e.note else ""
    return f"{e.en}{arrow}  [{e.mode}, {e.case}, {e.status}]{note}"


def _emit(entries: list[Entry], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([e.row() for e in entries], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(CsvGlossaryStore.dumps(entries).decode("utf-8"), nl=False)
    else:
        for e in entries:
            click.echo(_describe(e))


@click.group("glossary", context_settings=CONTEXT)
@click.pass_context
def glossary_cmd(ctx: click.Context) -> None:
    """Review and edit the glossary (glossaries/aws.csv, the [glossary] path of the vien.toml
    of the site in the working directory, or --glossary PATH).

    Edits keep the CSV sorted (term ignoring case, then term) and are written atomically, so a
    change is a one-line diff. `vien translate` then retranslates only the segments that
    contain a changed term.

    \b
    Examples:
      vien glossary list --mode translate --grep deploy
      vien glossary show "deployment strategy"
      vien glossary add "feature flag" --note "kept in English in the vi pages"
      vien glossary add "access control" --vi "kiểm soát truy cập" --case insensitive
      vien glossary set "access control" --vi "kiểm soát quyền truy cập" --status approved
      vien glossary remove "feature flag"
      vien glossary lint                  # exit 1 when there are findings
      vien glossary fmt                   # sort and trim a hand-edited file
      vien glossary export --format tbx aws.tbx
      vien glossary import --format aws-csv terminology.csv --dry-run
    """
    try:
        conf = settings.for_path(Path.cwd())
    except ConfigError as exc:
        raise InputError(str(exc)) from exc
    if conf.glossary is not None:
        ctx.default_map = {
            name: {
                "path": conf.glossary,
                "glossary_path": conf.glossary,  # suggest's
                **(ctx.default_map or {}).get(name, {}),
            }
            for name in glossary_cmd.commands
        }


@glossary_cmd.command("list", context_settings=CONTEXT)
@_glossary_option
@click.option("--mode", type=click.Choice(MODES), default=None, help="Only this mode.")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only this status.")
@click.option(
    "--grep",
    "pattern",
    default=None,
    metavar="PATTERN",
    help="Only entries whose term, rendering or note matches this regular "
    "expression (case ignored).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
def list_cmd(
    path: Path, mode: str | None, status: str | None, pattern: str | None, fmt: str
) -> None:
    """List the entries, in the file's order.

    \b
    Examples:
      vien glossary list --mode translate
      vien glossary list --grep '^aws code' --format json
      vien glossary list --status proposed --format csv > to-review.csv
    """
    g = _load(path)
    try:
        rx = re.compile(pattern, re.IGNORECASE) if pattern else None
    except re.error as exc:
        raise click.BadParameter(f"{pattern!r}: {exc}", param_hint="--grep") from None
    shown = [
        e
        for e in g.entries
        if (mode is None or e.mode == mode)
        and (status is None or e.status == status)
        and (rx is None or any(rx.search(t) for t in (e.en, e.vi, e.note)))
    ]
    _emit(shown, fmt)
    if fmt == "text":
        click.echo(f"{len(shown)} of {len(g)} entries", err=True)


@glossary_cmd.command("show", context_settings=CONTEXT)
@click.argument("term")
@_glossary_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
def show_cmd(term: str, path: Path, fmt: str) -> None:
    """Show the entry for TERM (exact, else ignoring case) and the longer terms containing it.

    \b
    Example:
      vien glossary show ECS
    """
    g = _load(path)
    found = g.lookup(term)
    if not found:
        raise InputError(f"{term!r} is not in the glossary (see `vien glossary list --grep`)")
    _emit(found, fmt)
    if fmt == "text":
        inside = [
            e.en
            for e in g.entries
            if e not in found and any(m.entry in found for m in Glossary(found).find(e.en, "en"))
        ]
        if inside:
            click.echo(f"also inside (longer terms win): {', '.join(inside)}")


@glossary_cmd.command("add", context_settings=CONTEXT)
@click.argument("term")
@click.option("--vi", default="", help="The Vietnamese rendering (makes it a translate term).")
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default=None,
    help="keep (never translated) or translate. [default: translate with --vi, else keep]",
)
@click.option(
    "--case",
    type=click.Choice(CASES),
    default=None,
    help="[default: insensitive for an all-lowercase term, else sensitive]",
)
@click.option("--note", default="", help="A note for reviewers.")
@click.option("--status", type=click.Choice(STATUSES), default="proposed", show_default=True)
@_glossary_option
@_locked
def add_cmd(
    term: str, vi: str, mode: str | None, case: str | None, note: str, status: str, path: Path
) -> None:
    """Add TERM; a term already present (in any case or mode) is refused.

    \b
    Examples:
      vien glossary add "AWS Amplify" --note "web app hosting service"
      vien glossary add "rollback plan" --vi "kế hoạch khôi phục"
    """
    g = _load(path, create=True)
    try:
        entry = make_entry(term, vi, mode, case, note, status)
        _save(g, g.add(entry), path)
    except GlossaryError as exc:
        raise InputError(str(exc)) from exc
    click.echo(f"added: {_describe(entry)}")


@glossary_cmd.command("set", context_settings=CONTEXT)
@click.argument("term")
@click.option("--vi", default=None, help="A new Vietnamese rendering.")
@click.option("--mode", type=click.Choice(MODES), default=None)
@click.option("--case", type=click.Choice(CASES), default=None)
@click.option("--note", default=None)
@click.option("--status", type=click.Choice(STATUSES), default=None)
@click.option("--rename", default=None, metavar="NEW", help="Change the English term itself.")
@_glossary_option
@_locked
def set_cmd(
    term: str,
    vi: str | None,
    mode: str | None,
    case: str | None,
    note: str | None,
    status: str | None,
    rename: str | None,
    path: Path,
) -> None:
    """Change fields of TERM's entry.

    \b
    Examples:
      vien glossary set "access control" --vi "kiểm soát quyền truy cập"
      vien glossary set alerting --status approved --note "kept in English"
      vien glossary set "container image" --mode translate --vi "ảnh container"
    """
    if all(v is None for v in (vi, mode, case, note, status, rename)):
        raise click.UsageError(
            "nothing to change: give --vi, --mode, --case, --note, --status or --rename"
        )
    g = _load(path)
    old = _one(g, term)
    new_mode = mode or ("translate" if vi and old.mode == "keep" and vi != old.en else old.mode)
    new_vi = (
        vi
        if vi is not None
        else (old.vi if new_mode == "translate" and old.mode == "translate" else "")
    )
    try:
        new = make_entry(
            rename or old.en,
            new_vi,
            new_mode,
            case or old.case,
            old.note if note is None else note,
            status or old.status,
        )
        if new == old:
            click.echo(f"unchanged: {_describe(old)}")
            return
        _save(g, g.replace(old, new), path)
    except GlossaryError as exc:
        raise InputError(str(exc)) from exc
    click.echo(f"was: {_describe(old)}\nnow: {_describe(new)}")


@glossary_cmd.command("remove", context_settings=CONTEXT)
@click.argument("term")
@_glossary_option
@_locked
def remove_cmd(term: str, path: Path) -> None:
    """Remove TERM's entry.

    \b
    Example:
      vien glossary remove "Amazon Lambda"
    """
    g = _load(path)
    old = _one(g, term)
    _save(g, g.remove(old), path)
    click.echo(f"removed: {_describe(old)}")


@glossary_cmd.command("lint", context_settings=CONTEXT)
@_glossary_option
@click.option(
    "--select",
    "selected",
    default=None,
    metavar="CHECK[,CHECK…]",
    help=f"Run only these checks ({', '.join(glossary_lint.CHECKS)}).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also run the advisory checks (overlap: the end of one term is the start of another).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def lint_cmd(path: Path, selected: str | None, everything: bool, fmt: str) -> None:
    """Check the glossary CSV: exit 0 clean, 1 findings, 2 unreadable.

    \b
    Checks (each finding names its CSV line):
      header      the header is en,vi,mode,case,note,status
      whitespace  leading, trailing or doubled spaces, tabs, line breaks, no-break spaces
      unicode     a field not in NFC
      value       an empty term; mode, case or status not an allowed value
      rendering   a translate term without a Vietnamese rendering; a keep term with one
      duplicate   the same term twice with the same rendering, mode and case
      conflict    the same term twice with another rendering, mode or case
      case        two terms that differ only in case
      ambiguous   two translate terms with the same rendering (vi->en cannot choose)
      order       a row out of the stable order (`vien glossary fmt` sorts)
      overlap     (advisory, --all) the end of one term is the start of another, so in a
                  text containing both only the first applies; a term *inside* another is
                  fine: the longest match wins

    \b
    Examples:
      vien glossary lint
      vien glossary lint --glossary my.csv --select whitespace,duplicate
      vien glossary lint --all --format json
    """
    checks: tuple[str, ...] = tuple(glossary_lint.CHECKS) if everything else glossary_lint.DEFAULT
    if selected:
        checks = tuple(c.strip() for c in selected.split(",") if c.strip())
        unknown = [c for c in checks if c not in glossary_lint.CHECKS]
        if unknown:
            raise click.BadParameter(
                f"unknown check(s) {', '.join(unknown)}; known: {', '.join(glossary_lint.CHECKS)}",
                param_hint="--select",
            )
    if not path.exists():
        raise InputError(f"{path}: no such glossary file")
    try:
        findings = glossary_lint.lint(path, checks)
    except GlossaryError as exc:
        raise InputError(str(exc)) from exc
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "path": str(path),
                    "findings": [
                        {"line": f.line, "check": f.check, "message": f.message} for f in findings
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for f in findings:
            click.echo(f.format(path))
        click.echo(f"{path}: {len(findings)} finding(s)", err=True)
    sys.exit(1 if findings else 0)


@glossary_cmd.command("fmt", context_settings=CONTEXT)
@_glossary_option
@click.option("--check", is_flag=True, help="Only report (exit 1) if the file would change.")
@_locked
def fmt_cmd(path: Path, check: bool) -> None:
    """Rewrite the CSV in the stable order, fields trimmed and in NFC.

    \b
    Examples:
      vien glossary fmt
      vien glossary fmt --check     # in CI
    """
    g = _load(path)
    new = CsvGlossaryStore.dumps(g.entries)
    if new == path.read_bytes():
        click.echo(f"{path}: already formatted", err=True)
        return
    if check:
        click.echo(f"{path}: would be reformatted", err=True)
        sys.exit(1)
    write_atomic(path, new)
    click.echo(f"{path}: reformatted", err=True)


def _format_of(file: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    guess = {".tbx": "tbx", ".csv": "aws-csv"}.get(file.suffix.lower())
    if guess is None:
        raise click.UsageError(f"cannot tell the format of {file}: give --format tbx|aws-csv")
    return guess


_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default=None,
    help="tbx: TBX-Basic (CAT tools); aws-csv: Amazon Translate custom "
    "terminology. [default: from the file extension]",
)


@glossary_cmd.command("export", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_FORMAT
@_glossary_option
def export_cmd(file: Path, fmt: str | None, path: Path) -> None:
    """Write the glossary to FILE as TBX or Amazon Translate terminology.

    aws-csv holds only the term, the rendering and (equal texts) the mode; notes, case and
    status are not exported.

    \b
    Examples:
      vien glossary export aws.tbx
      vien glossary export --format aws-csv terminology.csv
    """
    kind = _format_of(file, fmt)
    g = _load(path)
    _store(kind).dump(g.entries, file)
    click.echo(f"exported {len(g)} entries to {file} ({kind})", err=True)


@glossary_cmd.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_FORMAT
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@_glossary_option
@_locked
def import_cmd(file: Path, fmt: str | None, dry_run: bool, path: Path) -> None:
    """Merge FILE (TBX or Amazon Translate terminology) into the glossary.

    New terms are added; for a term already present, the fields the format holds replace the
    glossary's (aws-csv: rendering and mode only; notes, case and status stay).

    \b
    Examples:
      vien glossary import reviewed.tbx --dry-run
      vien glossary import --format aws-csv terminology.csv
    """
    kind = _format_of(file, fmt)
    g = _load(path, create=True)
    try:
        incoming, warnings = _store(kind).load(file)
    except GlossaryError as exc:
        raise InputError(str(exc)) from exc
    for w in warnings:
        warning(w)
    from ..glossary.aws_terminology import FIELDS as AWS_FIELDS

    merged, added, changed = g.merge(incoming, AWS_FIELDS if kind == "aws-csv" else FIELDS)
    for e in added:
        click.echo(f"added: {_describe(e)}")
    for old, new in changed:
        click.echo(f"changed: {_describe(old)}\n     to: {_describe(new)}")
    click.echo(
        f"{'would add' if dry_run else 'added'} {len(added)}, "
        f"{'would change' if dry_run else 'changed'} {len(changed)}, "
        f"{len(incoming) - len(added) - len(changed)} unchanged, of {len(incoming)} "
        f"in {file}",
        err=True,
    )
    if not dry_run and (added or changed or not path.exists()):
        _save(g, merged, path)
