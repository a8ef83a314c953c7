"""The ``vien`` command: a thin layer over the :mod:`vien` library.

Exit status: 0 all good, 1 something failed (a page could not be read or was refused, or the
run stopped: disk full, vien's state unusable), 2 usage or configuration error, 70 an internal
error (a bug: one line asking for a report; ``vien --debug`` or VIEN_DEBUG=1 shows the
traceback).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import click

from .. import __version__
from ..errors import ConfigError, VienError, os_message
from .options import CONTEXT, error

#: Exit status of an unexpected exception (EX_SOFTWARE, sysexits.h).
EXIT_INTERNAL = 70


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.params.get("debug")) or os.environ.get("VIEN_DEBUG", "") not in ("", "0")


def _readable_streams() -> None:
    """Never fail printing: a file name that is not UTF-8 is shown with ``\xff`` escapes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream that refuses
                reconfigure(errors="backslashreplace")


#: Each command: the module (in this package) defining it and the command's name there. A
#: command's module, and what it imports, is loaded only when the command runs or its help is
#: shown, so ``vien --help`` and one command start fast (click's lazy-group pattern).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (".init", "init_cmd"),
    "translate": (".translate", "translate"),
    "pages": (".pages", "pages"),
    "segments": (".pages", "segments"),
    "models": (".models", "models_cmd"),
    "align": (".align", "align_cmd"),
    "tm": (".tm", "tm_cmd"),
    "check": (".check", "check_cmd"),
    "glossary": (".glossary", "glossary_cmd"),
    "review": (".review", "review_cmd"),
    "score": (".score", "score_cmd"),
}

#: First lines of the commands' help, for ``vien --help`` without importing every command
#: (a test keeps them equal to the commands' own).
SHORT_HELP: dict[str, str] = {
    "init": (
        "Look at SITE (a Hugo site root), print what vien finds there (languages, naming "
        "convention, content folders, pages and pairs) and write SITE/vien.toml with "
        "every setting commented at its default, and the .gitignore lines that keep "
        ".vien/ local except .vien/lock.json."
    ),
    "translate": "Translate CONTENT into the TARGET language, keeping every human translation.",
    "pages": "List the pages of CONTENT by translation set, and those without a counterpart.",
    "segments": "Show how PAGE is split: sections, blocks, segments and protected spans.",
    "models": "Install, list and verify translation model packages (Argos Translate).",
    "align": "Align the sections of every page pair in CONTENT, with confidence and evidence.",
    "tm": "The translation memory (.vien/memory.sqlite): import, export, TMX.",
    "check": (
        "Check the page pairs in CONTENT: missing pages and sections, untranslated "
        "segments (a segment written in the other language), stale translations (the "
        "source section changed since its translation was recorded in .vien/lock.json, "
        "or, without a lock, since the counterpart's last git commit), glossary "
        "violations and structure drift."
    ),
    "glossary": (
        "Review and edit the glossary (glossaries/aws.csv, the [glossary] path of the "
        "vien.toml of the site in the working directory, or --glossary PATH)."
    ),
    "review": (
        "Write a static HTML review of the page pairs in CONTENT (one or more sites): "
        "each page side by side, section by section, coloured by provenance (human, TM, "
        "MT, untranslated, stale, from .vien/lock.json and `vien check`), glossary terms "
        "highlighted (hover for the entry), the check's findings next to the sections "
        "they concern, and a filter to show only problems."
    ),
    "score": "Score machine translation against CONTENT's own human translations.",
}


def load_command(name: str) -> click.Command:
    """The command ``name``, its module imported now."""
    module, attr = COMMANDS[name]
    command: click.Command = getattr(importlib.import_module(module, __package__), attr)
    if (
        name == "glossary"
        and isinstance(command, click.Group)
        and "suggest" not in command.commands
    ):
        from .suggest import suggest_cmd

        command.add_command(suggest_cmd)
    return command


def _is_sqlite_error(exc: Exception) -> bool:
    """Whether ``exc`` is an SQLite error; sqlite3 is not imported for it (start-up time):
    no SQLite error can be raised before something has imported it."""
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(exc, sqlite3.Error)


class VienGroup(click.Group):
    """The ``vien`` group: whatever a command raises becomes one line and an exit status.

    Errors a user or their disk can cause (a damaged state file, disk full, a read-only
    folder…) are reported as such: exit 1 (2 for ``vien check``, whose 1 means findings).
    Anything else is a bug: one line asking for a report, exit 70; ``--debug`` (or
    VIEN_DEBUG=1) shows the traceback as well.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.add_command(load_command(cmd_name), name=cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``vien --help`` from :data:`SHORT_HELP`: no command imported."""
        names = sorted(COMMANDS)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [(n, click.Command(n, help=SHORT_HELP[n]).get_short_help_str(limit)) for n in names]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        _readable_streams()
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # the one place every error ends up
            sub = ctx.invoked_subcommand or ""
            failed = 2 if sub == "check" else 1
            if _debug(ctx):
                import traceback  # here: start-up time

                traceback.print_exc()
            if isinstance(exc, ConfigError):
                error(exc)
                ctx.exit(2)
            if isinstance(exc, VienError):
                error(exc)
                ctx.exit(failed)
            if isinstance(exc, OSError):
                error(
                    f"{os_message(exc)}; the run stopped (pages written so far are "
                    "complete; run again once this is fixed)",
                )
                ctx.exit(failed)
            if _is_sqlite_error(exc):
                error(f"translation memory: {exc}; the run stopped")
                ctx.exit(failed)
            if isinstance(exc, RecursionError):
                error("input nested too deeply to process; the run stopped")
                ctx.exit(failed)
            error(
                f"internal error in `vien {sub}`: {type(exc).__name__}: {exc}. "
                f"This is a bug in vien {__version__}: please report it to the vien developers, "
                "with the output of the same command run as `vien --debug …`",
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=VienGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="vien")
@click.option(
    "--debug",
    is_flag=True,
    envvar="VIEN_DEBUG",
    help="Show the Python traceback of an internal error (also VIEN_DEBUG=1).",
)
def main(debug: bool) -> None:
    """vien: offline Vietnamese⇄English translation and alignment for Hugo sites.

    \b
    Examples:
      vien pages data/site                         # pages, languages, missing counterparts
      vien segments data/site/content/_index.md    # how a page is split
      vien translate data/site --to vi --engine pseudo --out /tmp/pseudo
      vien check data/site                         # untranslated, missing, stale sections
      vien review data/site -o review.html         # side by side, for reviewers
      vien score data/site --engine pseudo         # MT measured against the human sections
      vien glossary lint                           # the glossary's own checks
      vien models install --from translate-en_vi-1_9.argosmodel
    """
