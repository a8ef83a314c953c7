"""The ``vien`` command: a thin layer over the :mod:`vien` library.

Exit status: 0 all good, 1 something failed (a page could not be read or was refused, or the
run stopped: disk full, vien's state unusable), 2 usage or configuration error, 70 an internal
error (a bug: one line asking for a report; ``vien --debug`` or VIEN_DEBUG=1 shows the
traceback).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import traceback

import click

from .. import __version__
from ..errors import ConfigError, VienError, os_message
from .align import align_cmd
from .check import check_cmd
from .glossary import glossary_cmd
from .init import init_cmd
from .models import models_cmd
from .options import CONTEXT, error
from .pages import pages, segments
from .review import review_cmd
from .score import score_cmd
from .suggest import suggest_cmd
from .tm import tm_cmd
from .translate import translate

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


class VienGroup(click.Group):
    """The ``vien`` group: whatever a command raises becomes one line and an exit status.

    Errors a user or their disk can cause (a damaged state file, disk full, a read-only
    folder…) are reported as such: exit 1 (2 for ``vien check``, whose 1 means findings).
    Anything else is a bug: one line asking for a report, exit 70; ``--debug`` (or
    VIEN_DEBUG=1) shows the traceback as well.
    """

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
            if isinstance(exc, sqlite3.Error):
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


glossary_cmd.add_command(suggest_cmd)
for command, name in (
    (init_cmd, None),
    (translate, None),
    (pages, None),
    (segments, None),
    (models_cmd, "models"),
    (align_cmd, "align"),
    (tm_cmd, "tm"),
    (check_cmd, None),
    (glossary_cmd, None),
    (review_cmd, None),
    (score_cmd, None),
):
    main.add_command(command, name=name)
