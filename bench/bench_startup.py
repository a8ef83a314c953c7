"""Start-up time of the ``vien`` command against a bare ``python -c pass``, side by side.

Each command is run ``--rounds`` times interleaved with the bare start, in fresh processes;
the best and the median of each are printed. The one-page site is written to a temporary
folder. Run with bytecode caching on (as an installed package runs), after one warm-up run of
each command. ``vien check`` is a re-check: the pair's findings come from
``.vien/check-cache.json``, as on a developer's machine; ``--cold`` adds a run with that cache
removed first (the pair parsed and checked, as in a fresh CI clone). Prints figures; asserts
nothing.

    python bench/bench_startup.py [--rounds 15] [--cold]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = """---
title: Hello
---

# Hello

A short page.
"""


def one_page_site(root: Path) -> Path:
    """A Hugo site with one English page (and its Vietnamese counterpart)."""
    site = root / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n',
        encoding="utf-8",
    )
    (site / "content" / "_index.md").write_text(PAGE, encoding="utf-8")
    (site / "content" / "_index.vi.md").write_text(
        PAGE.replace("A short page.", "Một trang ngắn."), encoding="utf-8"
    )
    return site


def timed(argv: list[str], env: dict[str, str], forget: Path | None = None) -> float:
    """Seconds ``argv`` takes; ``forget``: a site whose check cache is removed first."""
    if forget is not None:
        (forget / ".vien" / "check-cache.json").unlink(missing_ok=True)
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--cold", action="store_true", help="also time vien check without its cache")
    args = ap.parse_args()
    py = sys.executable
    script = Path(py).parent / "vien"
    vien = [str(script)] if script.exists() else [py, "-m", "vien"]
    # Installed packages have their bytecode cached; this environment may forbid writing it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        site = one_page_site(Path(tmp))
        cases = {
            "python -c pass": [py, "-c", "pass"],
            "vien --help": [*vien, "--help"],
            "vien check <one-page site>": [*vien, "check", str(site)],
            "vien glossary lint": [*vien, "glossary", "lint"],
        }
        cold = {}
        if args.cold:
            cases["vien check, no check cache"] = [*vien, "check", str(site)]
            cold["vien check, no check cache"] = site
        times: dict[str, list[float]] = {k: [] for k in cases}
        for name, argv in cases.items():  # warm up: bytecode written, files in the page cache
            timed(argv, env, cold.get(name))
        for _ in range(args.rounds):
            for name, argv in cases.items():
                times[name].append(timed(argv, env, cold.get(name)))
    bare = min(times["python -c pass"])
    print(f"{'command':32} {'best s':>8} {'median s':>9} {'best/bare':>10}")
    for name, ts in times.items():
        print(f"{name:32} {min(ts):8.3f} {statistics.median(ts):9.3f} {min(ts) / bare:9.1f}x")
    print("target: vien commands <= 0.150 s (--help, the re-check, glossary lint: issue #16)")


if __name__ == "__main__":
    main()
