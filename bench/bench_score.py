"""Time ``vien score`` per scored section, and the engine's share of it.

Usage: python bench/bench_score.py [--models-dir DIR] [SITE ...]
(default: every site in ../shared/sites)

For each site: reading and aligning the pages once (shared by every engine), then for each
engine the time per section split into the engine (translating) and the rest (sacrebleu and
glossary accuracy). identity is the baseline: an engine that costs nothing. argos runs when
a package is installed in --models-dir (or VIEN_MODELS_DIR); without one, the random-weight
base package of ../shared/models is installed into a temporary folder (its output is
nonsense, its cost is the real model's), and vi→en uses the tiny one. Decoding is capped at
1.3 × input tokens + 5, since the random models never stop by themselves.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from vien import glossary
from vien.mt import DecodeOptions
from vien.mt import packages as models
from vien.score import Metrics, Settings, engine_for, plans, score_engine

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VIEN_SHARED", ROOT.parent / "shared"))


def _models(explicit: Path | None, tmp: Path) -> Path:
    if explicit is not None:
        return explicit
    for name in ("translate-en_vi-base-synthetic", "translate-vi_en-tiny-synthetic"):
        models.install_file(SHARED / "models" / f"{name}.argosmodel", tmp)
    return tmp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sites", nargs="*", type=Path)
    ap.add_argument("--models-dir", type=Path, default=os.environ.get(models.ENV_DIR))
    args = ap.parse_args()
    sites = args.sites or sorted(p for p in (SHARED / "sites").iterdir() if p.is_dir())
    terms = glossary.load()
    with tempfile.TemporaryDirectory() as tmp:
        mdir = _models(Path(args.models_dir) if args.models_dir else None, Path(tmp))
        opts = DecodeOptions(length_ratio=1.3)
        for site in sites:
            t0 = time.perf_counter()
            todo, _ = plans(site, terms, Settings())
            pairing = time.perf_counter() - t0
            n = sum(len(p.items) for p in todo)
            print(
                f"{site.name}: {n} section pair(s) in {len(todo)} direction(s); reading and "
                f"aligning {pairing:.2f} s ({1000 * pairing / max(n, 1):.1f} ms/section)"
            )
            print(f"  {'engine':<9} {'ms/section':>10} {'engine':>8} {'share':>6}  total")
            for name in ("identity", "pseudo", "tm", "argos"):
                engine = engine_for(name, terms, mdir, opts)
                t1 = time.perf_counter()
                done = score_engine(name, engine, todo, terms, Metrics())
                total = time.perf_counter() - t1
                eng = sum(d.engine_seconds for d in done.directions)
                scored = sum(len(d.sections) for d in done.directions) or 1
                skipped = [d.source_lang + "→" + d.target_lang for d in done.directions if d.error]
                print(
                    f"  {name:<9} {1000 * (total + pairing) / scored:10.1f} "
                    f"{1000 * eng / scored:8.1f} {eng / (total + pairing):6.1%}  "
                    f"{total + pairing:.2f} s"
                    + (f"  (no model for {', '.join(skipped)})" if skipped else "")
                )


if __name__ == "__main__":
    main()
