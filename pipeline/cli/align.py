"""``vien align``: section alignment of every page pair, as text or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import glossary
from ..errors import ConfigError, PageError
from ..glossary.entries import GlossaryError
from ..page.model import Document
from ..page.read import read_document
from .options import (
    CONTEXT,
    content_argument,
    error,
    exclude_option,
    format_option,
    glossary_option,
    page_pairs,
    source_option,
    target_option,
)


@click.command("align", context_settings=CONTEXT)
@content_argument("align")
@exclude_option
@format_option()
@source_option
@target_option()
@glossary_option("Glossary CSV (default: the shipped one).")
def align_cmd(
    content: Path, fmt: str, source: str | None, target: str | None, glossary_path: Path | None
) -> None:
    """Align the sections of every page pair in CONTENT, with confidence and evidence.

    Links may be 1-1, 1-0 (no counterpart), 0-1, or many-to-many. The JSON format is stable
    (see the README).

    \b
    Examples:
      vien align ../shared/sites/aws-budget
      vien align data/site --format json | jq '.pairs[0].links'
    """
    from ..align.sections import align

    try:
        pairs, src_lang, tgt_lang = page_pairs(content, source, target)
        terms = glossary.load(glossary_path)
    except (ConfigError, GlossaryError, StopIteration) as exc:
        raise click.UsageError(str(exc) or "the site has only one language") from exc
    out: list[dict[str, Any]] = []
    failed = 0
    for src_path, tgt_path in pairs:
        try:
            a, b = read_document(src_path), read_document(tgt_path)
        except PageError as exc:
            error(exc)
            failed += 1
            continue

        def ref(doc: Document, i: int) -> dict[str, object]:
            s = doc.sections[i]
            return {"index": i, "line": s.line, "level": s.level, "heading": s.heading}

        links = align(a, b, terms, source_lang=src_lang, target_lang=tgt_lang)
        out.append(
            {
                "source": str(src_path),
                "target": str(tgt_path),
                "source_lang": src_lang,
                "target_lang": tgt_lang,
                "links": [
                    {
                        "source": [ref(a, i) for i in lk.source],
                        "target": [ref(b, j) for j in lk.target],
                        "confidence": lk.confidence,
                        "evidence": lk.evidence,
                    }
                    for lk in links
                ],
            }
        )
    if fmt == "json":
        click.echo(json.dumps({"pairs": out}, ensure_ascii=False, indent=2))
    else:
        for pair in out:
            click.echo(f"{pair['source']} ⇄ {pair['target']}")
            for lk in pair["links"]:

                def heads(side: list[dict[str, object]]) -> str:
                    return (
                        " + ".join(f"§{s['index']} {s['heading'] or '(top)'}" for s in side) or "—"
                    )

                click.echo(
                    f"  {lk['confidence']:.2f}  {heads(lk['source'])}  ⇄  {heads(lk['target'])}"
                )
    sys.exit(1 if failed else 0)
