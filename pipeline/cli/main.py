"""The ``vien`` command: a thin layer over the :mod:`vien` library.

Exit status: 0 all good, 1 something failed (a page could not be read or was refused),
2 usage or configuration error.
"""

from __future__ import annotations

import click

from .. import __version__
from .align import align_cmd
from .check import check_cmd
from .glossary import glossary_cmd
from .init import init_cmd
from .models import models_cmd
from .options import CONTEXT
from .pages import pages, segments
from .review import review_cmd
from .suggest import suggest_cmd
from .tm import tm_cmd
from .translate import translate


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="vien")
def main() -> None:
    """vien: offline Vietnamese⇄English translation and alignment for Hugo sites.

    \b
    Examples:
      vien init data/site                          # what vien sees; writes vien.toml
      vien pages data/site                         # pages, languages, missing counterparts
      vien segments data/site/content/_index.md    # how a page is split
      vien translate data/site --to vi --engine pseudo --out /tmp/pseudo
      vien check data/site                         # untranslated, missing, stale sections
      vien review data/site -o review.html         # side by side, for reviewers
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
):
    main.add_command(command, name=name)
