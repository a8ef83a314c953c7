"""Time ``vien review`` on the shared sites: gathering (check + alignment) and rendering.

Usage: python bench/bench_review.py [SITE ...]   (default: every site in ../shared/sites)

Wall time depends on a free second core (check runs in a forked process while this one
aligns and renders); the CPU split shows the critical path on a busy machine.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from vien import glossary
from vien.review.page import build_review, render_review

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished children (the forked check)."""
    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> None:
    sites = [Path(a) for a in sys.argv[1:]] or sorted(
        p for p in (ROOT.parent / "shared" / "sites").iterdir() if p.is_dir()
    )
    terms = glossary.load()
    for parallel in (True, False):
        best = None
        for _ in range(3):
            c0 = _cpu()
            t0 = time.perf_counter()
            review = build_review(sites, glossary=terms, parallel=parallel)
            t1 = time.perf_counter()
            page = render_review(review)
            t2 = time.perf_counter()
            c1 = _cpu()
            cpu = (c1[0] - c0[0], c1[1] - c0[1])
            if best is None or t2 - t0 < best[0] + best[1]:
                best = (t1 - t0, t2 - t1, len(page), cpu)
        assert best is not None
        s = review.summary()
        mode = "check in a forked process" if parallel else "sequential"
        print(
            f"{mode}: {len(sites)} site(s), {s['pairs']} pairs, {s['sections']} section "
            f"rows, {s['findings']} findings; best of 3: gather {best[0]:.2f} s + render "
            f"{best[1]:.2f} s = {best[0] + best[1]:.2f} s wall; CPU {best[3][0]:.2f} s here + "
            f"{best[3][1]:.2f} s in the forked check; {best[2] / 1e6:.1f} MB of HTML"
        )


if __name__ == "__main__":
    main()
