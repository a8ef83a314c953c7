"""Time per page of ``vien translate --engine identity`` and ``vien check`` from 100 to 10,000
pages, with each run's peak RSS, and the no-change re-run of each as a share of its first run.

Real page pairs (the shared sites, and with ``--corpus DIR`` the development corpus) are
replicated into one temporary Hugo site per size: pair k is ``content/p<k>/<name>.md`` and,
for every other pair, its Vietnamese counterpart ``<name>.vi.md`` (so translate both writes
new pages and merges into existing ones). Each command runs in a fresh process; its wall time
and peak RSS (``wait4``) are printed. Commands run with bytecode caching on (as an installed
package runs; this environment may forbid writing it), after one untimed warm-up of each on a
small site: otherwise every run compiles vien's source anew, a fixed cost of its own. Prints
figures; asserts nothing.

    python bench/bench_flat.py [--sizes 100,1000,10000] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vien.site.discover import languages_block

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VIEN_SHARED", ROOT.parent / "shared"))

HUGO = 'baseURL = "https://example.org/"\n' + languages_block(["en", "vi"])


def pairs(folders: list[Path]) -> list[tuple[bytes, bytes | None]]:
    """(English page, its Vietnamese counterpart or None) of every site under ``folders``."""
    from vien.errors import VienError
    from vien.site.discover import discover

    out: list[tuple[bytes, bytes | None]] = []
    for folder in folders:
        sites = sorted(
            c.parent
            for c in folder.rglob("content")
            if c.is_dir() and not {"themes", "exampleSite", "public"} & set(c.parts)
        )
        for site in sites:
            try:
                found = discover(site)
                for src, tgt in found.pairs("en", "vi"):
                    if readable(src.path):
                        vi = tgt.path.read_bytes() if tgt and readable(tgt.path) else None
                        out.append((src.path.read_bytes(), vi))
            except (VienError, OSError, ValueError):
                continue
    return out


def readable(path: Path) -> bool:
    """vien reads the page (a page it refuses, such as an empty one, is left out)."""
    from vien.errors import VienError
    from vien.page.read import read_document

    try:
        read_document(path)
    except VienError:
        return False
    return True


def build(site: Path, data: list[tuple[bytes, bytes | None]], n: int) -> None:
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO, encoding="utf-8")
    for k in range(n):
        en, vi = data[k % len(data)]
        folder = site / "content" / f"p{k}"
        folder.mkdir()
        (folder / "page.md").write_bytes(en)
        if vi is not None and k % 2 == 0:
            (folder / "page.vi.md").write_bytes(vi)


#: Installed packages have their bytecode cached; this environment may forbid writing it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, its worker processes included) and peak RSS
    (MiB) of one command in a fresh process. CPU time is the steadier figure on a machine
    other work shares."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(argv[1:4])} exited {proc.returncode}", file=sys.stderr)
    return took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def commands(vien: str, site: Path) -> tuple[list[str], list[str]]:
    """The translate and the check command timed on ``site``."""
    translate = [vien, "translate", str(site), "--to", "vi", "--engine", "identity", "-q"]
    return translate, [vien, "check", str(site), "-q"]


def warm_up(vien: str, tmp: Path, data: list[tuple[bytes, bytes | None]]) -> None:
    """Run each command twice on a small site, untimed: the bytecode of every module they
    import is written, and their files are in the page cache."""
    site = tmp / "warm-up"
    build(site, data, min(len(data), 8))
    for argv in commands(vien, site):
        timed(argv)
        timed(argv)
    shutil.rmtree(site, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100,1000,3000,10000")
    ap.add_argument("--corpus", action="append", type=Path, default=[])
    ap.add_argument("--keep", action="store_true", help="Keep the temporary sites.")
    args = ap.parse_args()
    vien = str(Path(sys.executable).parent / "vien")
    data = pairs([SHARED / "sites", *args.corpus])
    print(f"{len(data)} real page pairs ({sum(v is not None for _, v in data)} with counterpart)")
    sizes = [int(s) for s in args.sizes.split(",")]
    header = (
        f"{'pages':>6} | {'translate ms/page':>17} {'CPU':>6} {'RSS MiB':>8} {'re-run':>7} | "
        f"{'check ms/page':>13} {'CPU':>6} {'RSS MiB':>8} {'re-run':>7}"
    )
    print(header)
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="vien-flat-"))
    try:
        warm_up(vien, tmp, data)
        for n in sizes:
            site = tmp / f"site-{n}"
            build(site, data, n)
            translate, check = commands(vien, site)
            t1, u1, r1 = timed(translate)
            t2, u2, _ = timed(translate)
            c1, v1, q1 = timed(check)
            c2, v2, _ = timed(check)
            rows.append((n, t1 / n, c1 / n, u1 / n, v1 / n))
            print(
                f"{n:>6} | {1000 * t1 / n:>17.2f} {1000 * u1 / n:>6.2f} {r1:>8.0f} "
                f"{t2 / t1:>6.0%} | {1000 * c1 / n:>13.2f} {1000 * v1 / n:>6.2f} {q1:>8.0f} "
                f"{c2 / c1:>6.0%}  (re-run CPU: translate {u2 / u1:.0%}, check {v2 / v1:.0%})",
                flush=True,
            )
            if not args.keep:
                shutil.rmtree(site, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    def spread(k: int) -> float:
        return max(r[k] for r in rows) / min(r[k] for r in rows)

    print(
        f"per-page spread (max/min over sizes {rows[0][0]}..{rows[-1][0]}; target <= 1.25x): "
        f"wall: translate {spread(1):.2f}x, check {spread(2):.2f}x; CPU: translate "
        f"{spread(3):.2f}x, check {spread(4):.2f}x. re-run = no-change re-run as a share of "
        "the first run (target <= 10%), wall time; re-run CPU: the same in CPU time (the first "
        "check runs a worker process per core from 50 pairs); CPU = CPU ms/page"
    )


if __name__ == "__main__":
    main()
