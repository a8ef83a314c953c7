"""Share of ``vien translate --engine argos`` wall time spent outside CTranslate2.

On a copy of a shared site (default dms-migration, a merging site: most pages have a partial
counterpart), with the base synthetic model (random weights, the real model's shape) and the
CLI's decoding defaults, the library's ``translate.batch.run`` is timed whole while every
``translate_batch`` call of the engine's CTranslate2 translator is timed on its own. The
model is loaded before the run (its load time is printed apart). dms-migration's counterparts
are complete, so by default (#14) nothing of them is translated: the run uses
``--retranslate`` (its English text left in Vietnamese pages is the merging work;
``--no-retranslate`` for the defaults). Then the same command is run
once as a process, for its whole wall time (imports and model load included). Prints
figures; asserts nothing.

    python bench/bench_overhead.py [--site dms-migration] [--rounds 3] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from vien import glossary
from vien.mt import packages as models
from vien.mt.argos import ArgosEngine, DecodeOptions
from vien.translate.batch import run

ROOT = Path(__file__).resolve().parents[1]
MODEL = "translate-en_vi-base-synthetic.argosmodel"


class Timed:
    """A CTranslate2 translator whose translate_batch calls are timed."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.seconds, self.calls = inner, 0.0, 0

    def translate_batch(self, *args: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return self.inner.translate_batch(*args, **kw)
        finally:
            self.seconds += time.perf_counter() - t
            self.calls += 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def one_round(
    site: Path, work: Path, store: Path, terms: glossary.Glossary, retranslate: bool
) -> tuple[float, ...]:
    """(run seconds, seconds in translate_batch, model load seconds, batches) on a fresh copy."""
    copy = work / "site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy)
    engine = ArgosEngine(terms, models_dir=store, options=DecodeOptions())
    t = time.perf_counter()
    loaded = engine.load("en", "vi")
    load = time.perf_counter() - t
    timed = Timed(loaded.translator)
    loaded.translator = timed
    t = time.perf_counter()
    summary = run(copy, "vi", engine, glossary=terms, retranslate=retranslate)
    wall = time.perf_counter() - t
    if summary.failed:
        print(f"  ! {summary.count('failed')} page(s) failed", file=sys.stderr)
    return wall, timed.seconds, load, float(timed.calls)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("VIEN_SHARED", ROOT.parent / "shared"))
    )
    ap.add_argument("--site", default="dms-migration")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--retranslate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="redo English text left in the counterparts (the merging work; default on)",
    )
    args = ap.parse_args()
    site = args.shared / "sites" / args.site
    terms = glossary.load()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = work / "models"
        models.install_file(args.shared / "models" / MODEL, store)
        rounds = [one_round(site, work, store, terms, args.retranslate) for _ in range(args.rounds)]
        walls = [r[0] for r in rounds]
        inside = [r[1] for r in rounds]
        shares = [(w - i) / w for w, i in zip(walls, inside, strict=True)]
        k = shares.index(statistics.median(shares)) if len(shares) % 2 else 0
        w, i, load, calls = rounds[k]
        print(
            f"{args.site}: translate (library run, model loaded before): {w:.2f} s wall, "
            f"{i:.2f} s in CTranslate2 translate_batch ({calls:.0f} batches), "
            f"{w - i:.2f} s outside = {(w - i) / w:.1%} (median of {args.rounds}; "
            f"all: {', '.join(f'{s:.1%}' for s in shares)}; target <= 5%); model load {load:.2f} s"
        )
        copy = work / "site"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site, copy)
        vien = str(Path(sys.executable).parent / "vien")
        cmd = [
            vien,
            "translate",
            str(copy),
            "--to",
            "vi",
            "--engine",
            "argos",
            "--models-dir",
            str(store),
            "-q",
            *(["--retranslate"] if args.retranslate else []),
        ]
        t = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        whole = time.perf_counter() - t
        print(
            f"  the command as a process: {whole:.2f} s wall (imports, model load and the run); "
            f"outside translate_batch as measured above: {(w - i) / whole:.1%} of it"
        )


if __name__ == "__main__":
    main()
