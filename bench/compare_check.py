"""Old code against new: identical ``vien check`` JSON on every site of the corpus.

Runs ``vien.check.run.check`` (one process, nothing remembered in ``.vien/``) on every Hugo
site under ``--corpus`` and the shared sites, twice: with the code of git revision ``--rev``
(its ``pipeline/`` and glossaries extracted by ``git archive`` and imported as ``vien``
ahead of the installed one) and with the installed code. Compares the JSON ``vien check
--format json`` prints (findings, summary, conventions, unreadable pages, notes) site by
site; prints each site that differs with its first differing lines and exits 1 on any
difference.

    python bench/compare_check.py [--rev HEAD] [--corpus /work/corpus] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def dump(folders: list[Path], out: Path) -> None:
    """One JSON file per site under ``folders``: what ``vien check --format json`` prints."""
    import vien
    from compare_align import site_roots
    from vien.check.run import check
    from vien.glossary.entries import load

    print(f"  vien from {Path(vien.__file__).parent}", file=sys.stderr)
    glossary = load(None)
    for folder in folders:
        for root in site_roots(folder):
            name = str(root).strip("/").replace("/", "+")
            try:
                report = check(root, glossary=glossary, workers=1, remember=False)
            except Exception as exc:  # the same failure both ways is no difference
                data: object = {"failed": f"{type(exc).__name__}: {exc}"}
            else:
                data = {
                    "findings": [f.to_json() for f in report.findings],
                    "summary": report.summary(),
                    "conventions": [c.to_json() for c in report.conventions.values()],
                    "unreadable": report.errors,
                    "notes": report.notes,
                }
            text = json.dumps(data, ensure_ascii=False, indent=2)
            (out / f"{name}.json").write_text(text + "\n", encoding="utf-8")


def run_dump(folders: list[Path], out: Path, pythonpath: Path | None) -> None:
    """``dump`` in a fresh process, with ``pythonpath`` ahead of the installed vien."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = f"{pythonpath}{os.pathsep}{env.get('PYTHONPATH', '')}"
    args = [sys.executable, __file__, "--dump", str(out), *(f"--folder={f}" for f in folders)]
    subprocess.run(args, check=True, env=env)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev", default="HEAD", help="git revision of the old code")
    ap.add_argument("--corpus", type=Path, default=Path("/work/corpus"))
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("VIEN_SHARED", "../shared")))
    ap.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--folder", type=Path, action="append", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.dump:
        dump(args.folder, args.dump)
        return
    folders = [args.corpus, args.shared / "sites"]
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        old, new, code = t / "old", t / "new", t / "code"
        for d in (old, new, code):
            d.mkdir(parents=True)
        from compare_align import extract_package  # imports no vien

        (code / "vien").symlink_to(extract_package(args.rev, t))
        print(f"old: {args.rev}", file=sys.stderr)
        run_dump(folders, old, code)
        print("new: installed", file=sys.stderr)
        run_dump(folders, new, None)
        differ = 0
        names = sorted({p.name for p in old.iterdir()} | {p.name for p in new.iterdir()})
        for name in names:
            a = (old / name).read_text("utf-8").splitlines() if (old / name).exists() else []
            b = (new / name).read_text("utf-8").splitlines() if (new / name).exists() else []
            if a != b:
                differ += 1
                print(f"DIFFERS {name}")
                print("\n".join(list(difflib.unified_diff(a, b, "old", "new", lineterm=""))[:40]))
        findings = sum(
            len(json.loads((new / n).read_text("utf-8")).get("findings", [])) for n in names
        )
        print(f"{len(names)} sites, {findings} findings (new): {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
