"""``vien tm``: the translation memory: import aligned human pairs, TMX import and export."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import glossary
from ..errors import ConfigError, PageError
from ..page.read import read_document
from ..site.discover import site_config
from ..site.lock import MEMORY_FILE, STATE_DIR, run_lock
from ..tm.memory import Memory, Unit
from ..tm.tmx import TmxError, TmxStore
from .options import (
    CONTEXT,
    content_argument,
    error,
    exclude_option,
    format_option,
    page_pairs,
    source_option,
    target_option,
)


@click.group("tm", context_settings=CONTEXT)
def tm_cmd() -> None:
    """The translation memory (.vien/memory.sqlite): import, export, TMX.

    \b
    Examples:
      vien tm import ../shared/sites/aws-budget          # from aligned human sections
      vien tm export ../shared/sites/aws-budget --tmx memory.tmx
      vien tm import data/site --tmx from-cat-tool.tmx
    """


def _memory(content: Path) -> Memory:
    return Memory(site_config(content).root / STATE_DIR / MEMORY_FILE)


@tm_cmd.command("import", context_settings=CONTEXT)
@content_argument("tm")
@exclude_option
@click.option(
    "--tmx",
    "tmx_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Import this TMX file instead of pages.",
)
@source_option
@target_option()
@format_option("json: the counts as JSON on stdout.")
def tm_import(
    content: Path, tmx_file: Path | None, source: str | None, target: str | None, fmt: str
) -> None:
    """Fill CONTENT's memory from its aligned human sections (or from --tmx FILE)."""
    from ..align.sections import align
    from ..check.langid import detect
    from ..translate.plan import segment_pairs

    try:
        with run_lock(site_config(content).root), _memory(content) as mem:
            if tmx_file is not None:
                units = TmxStore.load(tmx_file)
                added = mem.add(units)
                _emit(
                    fmt,
                    f"imported {added} new unit(s) of {len(units)} from {tmx_file}",
                    {
                        "imported": added,
                        "read": len(units),
                        "tmx": str(tmx_file),
                        "units": mem.count(),
                        "memory": str(mem.path),
                    },
                )
                return
            pairs, src_lang, tgt_lang = page_pairs(content, source, target)
            terms = glossary.load()
            total = failed = 0
            for src_path, tgt_path in pairs:
                try:
                    a, b = read_document(src_path), read_document(tgt_path)
                except PageError as exc:
                    error(exc)
                    failed += 1
                    continue
                links = align(a, b, terms, source_lang=src_lang, target_lang=tgt_lang)
                units = [
                    Unit(
                        src_lang,
                        tgt_lang,
                        a.segments[i].text,
                        b.segments[j].text,
                        "human",
                        terms.version,
                        "",
                        str(tgt_path),
                    )
                    for i, j in segment_pairs(a, b, links)
                    if detect(b.segments[j], terms) != src_lang
                ]
                total += mem.add(units)
            _emit(
                fmt,
                f"imported {total} new unit(s) from {len(pairs)} page pair(s); "
                f"{mem.count()} in {mem.path}",
                {
                    "imported": total,
                    "pairs": len(pairs),
                    "failed": failed,
                    "units": mem.count(),
                    "memory": str(mem.path),
                },
            )
    except (TmxError, ConfigError) as exc:
        error(exc)
        sys.exit(2)


@tm_cmd.command("export", context_settings=CONTEXT)
@content_argument("tm")
@exclude_option
@click.option(
    "--tmx",
    "tmx_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write TMX 1.4b here.",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Include pseudo and identity units (test engines), not only real ones.",
)
@format_option("json: the counts as JSON on stdout.")
def tm_export(content: Path, tmx_file: Path, everything: bool, fmt: str) -> None:
    """Export CONTENT's memory to TMX 1.4b for CAT tools."""
    wanted = None if everything else ("reviewed", "human", "imported", "machine")
    with _memory(content) as mem:
        n = TmxStore.dump(mem.units(wanted), tmx_file)
    _emit(fmt, f"exported {n} unit(s) to {tmx_file}", {"exported": n, "tmx": str(tmx_file)})


def _emit(fmt: str, text: str, data: dict[str, object]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else text)
