"""Old code against new: identical parses and identical section links on real page pairs.

Loads two copies of vien in one process: the installed one (new) as ``vien`` and an older
tree as ``vien_old`` (its ``pipeline/`` folder and the glossaries it ships, extracted by
``git archive`` from ``--rev``
unless ``--old DIR`` names a folder holding it; the package only uses relative imports, so
it works under another name). For every page of the pairs it compares the parse (segments:
offsets, line, section, block, parts, style, field; sections: level, heading, line, offsets,
blocks) and the identity render; for every pair the links of ``align`` (sections, confidence,
evidence), timing old and new on the same pair one after the other (interleaved, so machine
noise hits both alike). It also checks the new search against the new exhaustive search
(``align(..., exhaustive=True)``). Prints counts, each difference, and worst/median align
time per pair (best of ``--repeat``); exits 1 on any difference.

    python bench/compare_align.py [--corpus /work/corpus] [--shared ../shared] [--rev 907b7a2]
                                  [--repeat 3] [--perturbed 60]
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
CONFIGS = tuple(f"{n}.{e}" for n in ("hugo", "config") for e in ("toml", "yaml", "yml", "json"))


def site_roots(folder: Path) -> list[Path]:
    """Hugo site roots under ``folder``: folders with a config file and a content folder,
    themes and example sites left out."""
    roots = set()
    for name in CONFIGS:
        for cfg in folder.rglob(name):
            parts = cfg.relative_to(folder).parts
            if any(p in ("themes", "node_modules", "exampleSite", "public") for p in parts):
                continue
            if (cfg.parent / "content").is_dir():
                roots.add(cfg.parent)
    return sorted(roots)


def corpus_pairs(folders: list[Path], vien: Any) -> list[tuple[str, Path, Path]]:
    """(name, EN page, VI page) of every site under ``folders``, paired by
    ``vien.site.discover``."""
    from vien.site.discover import discover

    out = []
    for folder in folders:
        for root in site_roots(folder):
            try:
                found = discover(root)
            except Exception as exc:
                print(f"  skipped {root}: {exc}", file=sys.stderr)
                continue
            for s, t in found.pairs("en", "vi"):
                if t is not None:
                    name = f"{root.relative_to(folder)}:{s.path.relative_to(root)}"
                    out.append((name, s.path, t.path))
    return out


def extract_package(rev: str, dest: Path) -> Path:
    """vien's package at git revision ``rev``, laid out under ``dest`` as the wheel installs it
    (``pipeline/`` with the shipped ``glossaries/`` inside it); its folder."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "pipeline", "glossaries"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    (dest / "glossaries").rename(dest / "pipeline" / "glossaries")
    return dest / "pipeline"


def load_old(rev: str, old: Path | None, tmp: Path) -> ModuleType:
    """The old tree's package, importable as ``vien_old``."""
    if old is None:
        (tmp / "old").mkdir()
        package = extract_package(rev, tmp / "old")
    else:
        package = old / "pipeline"
    link = tmp / "path" / "vien_old"
    link.parent.mkdir()
    link.symlink_to(package.resolve())
    sys.path.insert(0, str(link.parent))
    return importlib.import_module("vien_old")


def parse_dump(doc: Any) -> Any:
    return (
        [
            (
                s.index,
                s.start,
                s.end,
                s.line,
                s.section,
                s.block,
                s.style,
                s.field,
                [(p.kind, p.text) for p in s.parts],
            )
            for s in doc.segments
        ],
        [
            (
                s.index,
                s.level,
                s.heading,
                s.line,
                s.start,
                s.end,
                [
                    (b.kind, b.line, b.containers, b.level, b.info, b.segments, b.digest)
                    for b in s.blocks
                ],
            )
            for s in doc.sections
        ],
        doc.warnings,
        None if doc.front_matter is None else (doc.front_matter.format, doc.front_matter.start),
    )


def link_dump(links: list[Any]) -> list[Any]:
    return [(lk.source, lk.target, lk.confidence, lk.evidence) for lk in links]


def diff_links(a: list[Any], b: list[Any]) -> str:
    """Why two link lists differ, briefly."""
    if [x[:2] for x in a] != [x[:2] for x in b]:
        return f"sections differ: {[x[:2] for x in a]} vs {[x[:2] for x in b]}"
    for x, y in zip(a, b, strict=True):
        if x != y:
            return f"link {x[:2]}: confidence/evidence {x[2:]} vs {y[2:]}"
    return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, action="append", default=[], metavar="DIR")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--no-shared", action="store_true")
    ap.add_argument("--rev", default="907b7a2", help="the old code (default: %(default)s)")
    ap.add_argument("--old", type=Path, help="a folder holding the old pipeline/ instead")
    ap.add_argument("--top", type=int, default=5, help="slowest pairs to name")
    ap.add_argument(
        "--perturbed",
        type=int,
        default=0,
        metavar="N",
        help="also compare on bench_align's perturbed shared pairs, N per operation",
    )
    ap.add_argument("--repeat", type=int, default=1, help="time each align N times, keep the best")
    args = ap.parse_args()

    import vien
    from vien.align.sections import align
    from vien.glossary.entries import load as load_glossary
    from vien.page.parse import parse
    from vien.page.read import decode
    from vien.page.render import render_text

    with tempfile.TemporaryDirectory() as tmp:
        old = load_old(args.rev, args.old, Path(tmp))
        old_align = importlib.import_module("vien_old.align.sections").align
        old_parse = importlib.import_module("vien_old.page.parse").parse
        old_render = importlib.import_module("vien_old.page.render").render_text
        old_glossary = importlib.import_module("vien_old.glossary.entries").load(None)
        glossary = load_glossary(None)
        print(f"old: {old.__file__} ({args.rev if args.old is None else args.old})")
        print(f"new: {vien.__file__}")

        folders = list(args.corpus)
        if not args.no_shared:
            folders.append(args.shared / "sites")
        pairs = corpus_pairs(folders, vien)
        print(f"{len(pairs)} page pairs from {', '.join(map(str, folders))}")

        parsed_same = parsed_diff = unreadable = 0
        same = different = exhaustive_diff = 0
        times_old: list[tuple[float, str]] = []
        times_new: list[tuple[float, str]] = []
        docs: dict[Path, tuple[Any, Any]] = {}
        for name, en, vi in pairs:
            for path in (en, vi):
                if path in docs:
                    continue
                try:
                    text, bom = decode(path.read_bytes())
                except Exception:
                    unreadable += 1
                    docs[path] = (None, None)
                    continue
                try:
                    new_doc = parse(text, bom=bom)
                except Exception as exc:
                    new_doc = exc
                try:
                    old_doc = old_parse(text, bom=bom)
                except Exception as exc:
                    old_doc = exc
                if isinstance(new_doc, Exception) or isinstance(old_doc, Exception):
                    if (
                        str(new_doc) != str(old_doc)
                        or type(new_doc).__name__ != type(old_doc).__name__
                    ):
                        parsed_diff += 1
                        print(f"PARSE DIFFERS {path}: {old_doc!r} vs {new_doc!r}")
                    else:
                        parsed_same += 1
                    unreadable += 1
                    docs[path] = (None, None)
                    continue
                if parse_dump(old_doc) == parse_dump(new_doc) and old_render(
                    old_doc, {}
                ) == render_text(new_doc, {}):
                    parsed_same += 1
                else:
                    parsed_diff += 1
                    print(f"PARSE DIFFERS {path}")
                docs[path] = (old_doc, new_doc)
            (oa, na), (ob, nb) = docs[en], docs[vi]
            if oa is None or ob is None:
                continue
            took_old, took_new = [], []
            for _ in range(args.repeat):  # old and new in turn: noise hits both alike
                t = time.perf_counter()
                with old_glossary.memo():
                    old_links = link_dump(old_align(oa, ob, old_glossary))
                took_old.append(time.perf_counter() - t)
                t = time.perf_counter()
                with glossary.memo():
                    new_links = link_dump(align(na, nb, glossary))
                took_new.append(time.perf_counter() - t)
            times_old.append((min(took_old), name))
            times_new.append((min(took_new), name))
            if old_links == new_links:
                same += 1
            else:
                different += 1
                print(
                    f"LINKS DIFFER {name} ({len(oa.sections)}x{len(ob.sections)} sections): "
                    f"{diff_links(old_links, new_links)}"
                )
            with glossary.memo():
                full = link_dump(align(na, nb, glossary, exhaustive=True))
            if full != new_links:
                exhaustive_diff += 1
                print(f"NEW != NEW EXHAUSTIVE {name}: {diff_links(full, new_links)}")

        if args.perturbed:
            import bench_align as ba

            bp, _, foreign = ba.load_pairs(args.shared)
            cases, _ = ba.make_cases(bp, foreign, seed=0, per_op=args.perturbed)
            same_p = 0
            for case in cases:
                old_tgt = old_parse(case.text)
                with old_glossary.memo():
                    old_links = link_dump(
                        old_align(old_parse(case.pair.en_text), old_tgt, old_glossary)
                    )
                with glossary.memo():
                    new_links = link_dump(align(case.pair.en, case.tgt, glossary))
                if old_links == new_links:
                    same_p += 1
                else:
                    print(
                        f"LINKS DIFFER perturbed {case.pair.name} {case.steps}: "
                        f"{diff_links(old_links, new_links)}"
                    )
            different += len(cases) - same_p
            print(
                f"perturbed pairs of bench_align (seed 0, {args.perturbed} per operation): "
                f"{len(cases)}, identical links {same_p}, different {len(cases) - same_p}"
            )
        print(
            f"pages parsed: {len(docs)} ({unreadable} unreadable by both), identical parse "
            f"{parsed_same}, different {parsed_diff}"
        )
        print(
            f"pairs aligned: {same + different}, identical links {same}, different {different};"
            f" new search vs new exhaustive search: {exhaustive_diff} different"
        )
        for label, times in (("old", times_old), ("new", times_new)) if times_old else ():
            ms = sorted(times, reverse=True)
            med = statistics.median(x for x, _ in ms)
            total = sum(x for x, _ in ms)
            print(
                f"  align {label}: total {total:.2f} s, median {med * 1000:.2f} ms, worst "
                f"{ms[0][0] * 1000:.1f} ms ({ms[0][1]}), worst/median {ms[0][0] / med:.0f}x"
            )
        print("  slowest pairs (old ms -> new ms):")
        new_by = {n: x for x, n in times_new}
        for x, n in sorted(times_old, reverse=True)[: args.top]:
            sizes = f"{len(docs[pairs_by(pairs, n)[0]][1].sections)}x"
            sizes += f"{len(docs[pairs_by(pairs, n)[1]][1].sections)}"
            print(f"    {n} ({sizes}): {x * 1000:.1f} -> {new_by[n] * 1000:.1f}")
    sys.exit(1 if parsed_diff or different or exhaustive_diff else 0)


def pairs_by(pairs: list[tuple[str, Path, Path]], name: str) -> tuple[Path, Path]:
    for n, a, b in pairs:
        if n == name:
            return a, b
    raise KeyError(name)


if __name__ == "__main__":
    main()
