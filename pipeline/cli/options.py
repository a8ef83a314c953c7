"""Options, parsing settings and progress shared by the commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import ConfigError
from .text import one_line

if TYPE_CHECKING:
    from ..mt.argos import DecodeOptions
    from ..page.options import ParseOptions

#: The environment variable naming the models folder (:data:`vien.mt.packages.ENV_DIR`).
MODELS_ENV = "VIEN_MODELS_DIR"

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def no_color() -> bool:
    """NO_COLOR (https://no-color.org) set to a non-empty value: no ANSI colour anywhere."""
    return bool(os.environ.get("NO_COLOR"))


def color() -> bool | None:
    """For ``click.echo(color=…)``: None lets click decide (colour on a terminal only), False
    strips colour when NO_COLOR is set."""
    return False if no_color() else None


def style(text: str, **kw: Any) -> str:
    """``click.style``, or the plain text under NO_COLOR. Coloured output goes here (a long
    listing may test :func:`no_color` once and call ``click.style`` itself)."""
    return text if no_color() else click.style(text, **kw)


def error(message: object) -> None:
    """``error: message`` on stderr, red on a terminal; one line whatever the message holds
    (file names with line breaks cannot forge more lines, nor CI workflow commands)."""
    click.echo(style(f"error: {one_line(message)}", fg="red"), err=True, color=color())


def warning(message: object) -> None:
    """``warning: message`` on stderr, yellow on a terminal; one line, like :func:`error`."""
    click.echo(style(f"warning: {one_line(message)}", fg="yellow"), err=True, color=color())


class SettingsError(click.ClickException):
    """A ``vien.toml`` that cannot be used: exit status 2, like any configuration error."""

    exit_code = 2


def site_settings(
    command: str,
) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A callback for a command's CONTENT (or PAGE) argument: it finds the site's
    ``vien.toml`` (see :func:`vien.site.settings.find`) and makes its values the defaults of
    the command's options through click's ``default_map``, so an option given on the command
    line still wins. CONTENT is always on the command line, so click processes it before
    any option left to its default. The settings are kept in ``ctx.meta["vien.settings"]``.
    """

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        first = value[0] if isinstance(value, tuple) and value else value
        if first is None or first == ():
            return value
        from ..site import settings

        try:
            conf = settings.for_path(Path(first))
        except ConfigError as exc:
            raise SettingsError(str(exc)) from exc
        ctx.meta["vien.settings"] = conf
        defaults = conf.defaults(command)
        if defaults:
            ctx.default_map = {**defaults, **(ctx.default_map or {})}
        return value

    return callback


def content_argument(command: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The CONTENT argument (a site root or content folder) with the site's settings."""
    kw.setdefault("type", click.Path(exists=True, file_okay=False, path_type=Path))
    return click.argument(kw.pop("name", "content"), callback=site_settings(command), **kw)


def exclude_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--exclude GLOB`` (repeatable): pages left out of the run, with the site's own
    ``[site] exclude`` of vien.toml. Set for the command's run (:data:`discovery.EXCLUDE`)."""

    def callback(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
        from ..site import discover as discovery

        token = discovery.EXCLUDE.set(tuple(value))
        ctx.call_on_close(lambda: discovery.EXCLUDE.reset(token))

    return click.option(
        "--exclude",
        multiple=True,
        metavar="GLOB",
        expose_value=False,
        callback=callback,
        help="Leave out pages matching GLOB (repeatable; relative to the content folder or "
        "the site root: '5-Workshop/5.3-*/**', 'content/vi/drafts'). Adds to [site] exclude.",
    )(f)


def parse_options(keys: tuple[str, ...]) -> ParseOptions:
    from ..page.options import DEFAULT_FRONT_MATTER_KEYS, ParseOptions

    return ParseOptions(front_matter_keys=frozenset(keys) if keys else DEFAULT_FRONT_MATTER_KEYS)


def parse_size(value: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    v = value.strip().lower().rstrip("b")
    try:
        n = int(float(v[:-1]) * units[v[-1]]) if v and v[-1] in units else int(v)
    except (ValueError, KeyError, OverflowError):
        raise click.BadParameter(
            f"{value!r} is not a size such as 2M or 500k", param_hint="'--max-size'"
        ) from None
    if n < 1:
        raise click.BadParameter(
            f"{value!r}: the size must be positive, such as 2M or 500k", param_hint="'--max-size'"
        )
    return n


def progress(
    quiet: bool, label: str = "translating segments", unit: str = "segments"
) -> Callable[[int], Callable[[int], None]]:
    """A progress bar on a terminal; otherwise a line every tenth of a long run. The
    returned function takes the total; what it returns takes how many more are done."""

    def start(total: int) -> Callable[[int], None]:
        if quiet or total == 0:
            return lambda n: None
        if sys.stderr.isatty():
            bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
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
                click.echo(f"  {marks['done']}/{total} {unit}", err=True)
                marks["next"] = marks["done"] + total // 10

        return log

    return start


def page_pairs(
    content: Path, source: str | None, target: str | None
) -> tuple[list[tuple[Path, Path]], str, str]:
    """The page pairs of CONTENT with a counterpart, and the two languages (the first
    target when the site has several)."""
    from ..site.discover import discover

    found = discover(content)
    if note := found.config.assumed():
        warning(note)
    try:
        src, targets = found.config.direction(source, target)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    tgt = targets[0]
    return [(p.path, c.path) for p, c in found.pairs(src, tgt) if c is not None], src, tgt


SOURCE_HELP = (
    "Source language (default: the site's default language, or the other one when --to names it)."
)


def source_option(f: Callable[..., None]) -> Callable[..., None]:
    """``--from LANG`` (into the parameter ``source``)."""
    return click.option("--from", "source", default=None, help=SOURCE_HELP)(f)


def target_option(
    help: str = "Target language (default: the other).", required: bool = False
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--to LANG`` (into the parameter ``target``). A required one has no default at all:
    click 8.3 and later take an explicit ``default=None`` as a value, and do not ask."""
    if required:
        return click.option("--to", "target", required=True, help=help)
    return click.option("--to", "target", default=None, help=help)


def glossary_option(
    help: str = "Glossary CSV (default: glossaries/aws.csv shipped with vien).",
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--glossary FILE`` (into the parameter ``glossary_path``); None means the shipped one."""
    return click.option(
        "--glossary",
        "glossary_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help=help,
    )


def format_option(
    help: str | None = None, choices: tuple[str, ...] = ("text", "json")
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--format`` (into the parameter ``fmt``), text by default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default="text",
        show_default=True,
        help=help,
    )


def models_dir_option(
    help: str = "Argos package folder (default: argostranslate's).",
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--models-dir DIR`` (into the parameter ``models_dir``; also $VIEN_MODELS_DIR)."""
    return click.option(
        "--models-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        envvar=MODELS_ENV,
        show_envvar=True,
        help=help,
    )


def decode_options(f: Callable[..., None]) -> Callable[..., None]:
    """The argos engine's decoding options (into ``beam_size``, ``threads``, ``compute_type``
    and ``max_length_ratio``; see :func:`decoding`)."""
    for option in reversed(
        [
            click.option("--beam-size", type=click.IntRange(1, 16), default=2, show_default=True),
            click.option(
                "--threads",
                type=click.IntRange(0, 256),
                default=0,
                show_default=True,
                help="CPU threads for the model (0: all cores).",
            ),
            click.option(
                "--compute-type",
                default="int8",
                show_default=True,
                type=click.Choice(["int8", "int8_float32", "float32", "default", "auto"]),
            ),
            click.option(
                "--max-length-ratio",
                type=click.FloatRange(0.5, 10),
                default=2.0,
                show_default=True,
                help="Cap output tokens at this times the input tokens (+5): stops runaway output.",
            ),
        ]
    ):
        f = option(f)
    return f


def decoding(
    beam_size: int, threads: int, compute_type: str, max_length_ratio: float
) -> DecodeOptions:
    """The :class:`~vien.mt.DecodeOptions` of :func:`decode_options`' values."""
    from ..mt.argos import DecodeOptions

    return DecodeOptions(
        beam_size=beam_size,
        threads=threads,
        compute_type=compute_type,
        length_ratio=max_length_ratio,
    )
