"""Check that every blind label still points at its segment in the development corpus.

    python bench/labels/verify.py --corpus /work/corpus [FILE.jsonl ...]

A unit is identified by site, page, line and the sha1 of its exact text as vien's parser spans it
(for missing-section: the source page's heading line). Prints, per file, the units whose line and
sha1 no longer match (a corpus rebuilt from newer commits, or a parser change) and exits 1 if any.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from functools import cache
from pathlib import Path

from vien.page.parse import parse

HERE = Path(__file__).resolve().parent


@cache
def spans(path: Path) -> frozenset[tuple[int, str]]:
    """(line, sha1) of every segment of PATH and of every heading line."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    bom = raw.startswith("\ufeff")
    text = raw[1:] if bom else raw
    out = set()
    for seg in parse(text, bom=bom).segments:
        exact = text[seg.start : seg.end]
        out.add((seg.line, hashlib.sha1(exact.encode()).hexdigest()))
    for n, line in enumerate(text.splitlines(), 1):
        out.add((n, hashlib.sha1(line.encode()).hexdigest()))
    return frozenset(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    files = args.files or sorted(HERE.glob("set*.jsonl"))
    bad = 0
    for f in files:
        units = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line]
        missing = 0
        for u in units:
            page = u["source_page"] if u["kind"] == "missing-section" else u["page"]
            path = args.corpus / u["site"] / page
            if not path.is_file() or (u["line"], u["sha1"]) not in spans(path):
                missing += 1
                where = f"{u['site']}/{page}:{u['line']}"
                print(f"  {f.name}: {where} no longer matches", file=sys.stderr)
        print(f"{f.name}: {len(units)} units, {missing} not found")
        bad += missing
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
