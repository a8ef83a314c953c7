"""Parse + segment + render throughput on the real shared sites, on one core.

Measured side by side with markdown-it-py's own parse and HTML render of the same pages, so
the ratios mean something on a noisy machine. Then page by page: markdown-it's parse of a
page and vien's parse + segment + render of the same page one after the other, each page's
best of ``--rounds`` kept (noise hits both alike); with ``--corpus DIR`` (repeatable) the
pages of the development corpus are added. Prints figures; asserts nothing.

    python bench/bench_parse.py [--rounds 5] [--shared ../shared] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from vien.errors import VienError
from vien.mt import get_engine
from vien.page.invariants import problems
from vien.page.markdown import parser
from vien.page.parse import parse
from vien.page.read import decode
from vien.page.render import render_bytes, render_text

ROOT = Path(__file__).resolve().parents[1]


def pages(shared: Path) -> list[bytes]:
    files = sorted((shared / "sites").rglob("*.md"))
    return [f.read_bytes() for f in files if f.stat().st_size]


def corpus_pages(folder: Path) -> list[bytes]:
    """The pages under the content folders of the Hugo sites in ``folder`` that vien reads
    (a page it rejects, such as one that is empty, is left out)."""
    out = []
    for f in sorted(folder.rglob("*.md")):
        parts = f.relative_to(folder).parts
        if "content" not in parts or {"themes", "exampleSite", "public"} & set(parts):
            continue
        if not f.is_file():
            continue
        raw = f.read_bytes()
        try:
            text, bom = decode(raw)
            parse(text, bom=bom)
        except VienError:
            continue
        out.append(raw)
    return out


def interleaved(data: list[bytes], rounds: int) -> tuple[float, float]:
    """Seconds of markdown-it's parse and of vien's parse + segment + render of ``data``,
    page by page one after the other, each page's best of ``rounds``."""
    md = parser()
    base = [float("inf")] * len(data)
    ours = [float("inf")] * len(data)
    clock = time.perf_counter
    for _ in range(rounds):
        for k, raw in enumerate(data):
            t = clock()
            md.parse(raw.decode("utf-8"))
            took = clock() - t
            base[k] = min(base[k], took)
            t = clock()
            text, bom = decode(raw)
            render_bytes(parse(text, bom=bom), {})
            took = clock() - t
            ours[k] = min(ours[k], took)
    return sum(base), sum(ours)


def vien_roundtrip(data: list[bytes]) -> None:
    for raw in data:
        text, bom = decode(raw)
        doc = parse(text, bom=bom)
        assert render_bytes(doc, {}) == raw


def vien_pseudo_verified(data: list[bytes]) -> None:
    engine = get_engine("pseudo")
    for raw in data:
        text, bom = decode(raw)
        doc = parse(text, bom=bom)
        out = render_text(doc, dict(enumerate(engine.translate(doc.segments, "en", "vi"))))
        assert not problems(doc, out, ordered=True)


def markdown_it_parse(data: list[bytes]) -> None:
    md = parser()
    for raw in data:
        md.parse(raw.decode("utf-8"))


def markdown_it_html(data: list[bytes]) -> None:
    md = parser()
    for raw in data:
        md.render(raw.decode("utf-8"))


def best(fn: Callable[[list[bytes]], None], data: list[bytes], rounds: int) -> float:
    """Median seconds of ``rounds`` runs over all pages."""
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("VIEN_SHARED", ROOT.parent / "shared"))
    )
    ap.add_argument("--corpus", type=Path, action="append", default=[], metavar="DIR")
    args = ap.parse_args()
    if not any((args.shared / "sites").rglob("*.md")):
        ap.error(f"no pages under {args.shared / 'sites'}: give --shared DIR or set VIEN_SHARED")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    data = pages(args.shared)
    size = sum(map(len, data))
    print(
        f"{len(data)} pages, {size / 1024:.0f} KiB, from {args.shared / 'sites'}; one core; "
        f"median of {args.rounds} rounds"
    )
    vien_roundtrip(data)  # warm up (parser construction, imports)
    results = {}
    for name, fn in [
        ("markdown-it parse (baseline)", markdown_it_parse),
        ("markdown-it parse + HTML render", markdown_it_html),
        ("vien parse + segment + render", vien_roundtrip),
        ("vien + pseudo + re-parse check", vien_pseudo_verified),
    ]:
        secs = best(fn, data, args.rounds)
        results[name] = secs
        print(f"  {name:34s} {len(data) / secs:8.0f} pages/s  {secs * 1000:7.1f} ms")
    base = results["markdown-it parse (baseline)"]
    ours = results["vien parse + segment + render"]
    print(
        f"vien parse+segment+render: {len(data) / ours:.0f} pages/s (target >= 1000), "
        f"{ours / base:.2f}x the time of markdown-it's parse alone"
    )
    sets = [(f"shared sites ({len(data)} pages)", data)]
    for folder in args.corpus:
        more = corpus_pages(folder)
        sets.append((f"{folder} ({len(more)} pages)", more))
    if args.corpus:
        every = [raw for _, d in sets for raw in d]
        sets.append((f"all ({len(every)} pages)", every))
    print(f"page by page, interleaved, best of {args.rounds} per page:")
    for name, pages_ in sets:
        base, ours = interleaved(pages_, args.rounds)
        print(
            f"  {name}: markdown-it parse {base * 1000:.0f} ms, vien parse+segment+render "
            f"{ours * 1000:.0f} ms: {ours / base:.2f}x (target <= 1.25)"
        )


if __name__ == "__main__":
    main()
