"""Merge benchmark: `vien translate` into perturbed real counterparts, with known truth (#14).

Real page pairs whose counterpart is complete (same heading levels, and `vien translate` finds
nothing to insert) are perturbed on the counterpart side with 1–3 seeded operations: drop a
section, insert a foreign section (from another page of the same site), merge two neighbours
(the second heading removed; a heading with no body below it counts as dropped), split one
(a heading put before one of its paragraphs). A copy of each site (config and pages only)
then goes through `vien translate` in place with the default options (engine pseudo, the
shipped glossary), and each perturbed page is compared with what went in:

- **human lines changed or removed**: non-blank lines of the perturbed page not found, in
  order, in the output (target 0);
- **exact pages**: pages whose inserted source sections are exactly the dropped ones
  (target ≥ 98%);
- **inserted where content existed**: inserted source sections that were not dropped (their
  content was on the page, possibly merged or split; target 0); **missed**: dropped sections
  not inserted; **uncertain**: sections reported as uncertain missing sections;
- **refused**: pages the run failed.

The same run with ``--retranslate`` counts human lines changed outside the segments `vien
check` reports as errors on the perturbed page (target 0), and those changed inside them.
Figures are printed side by side for the development corpus and for the shared sites.

    python bench/bench_merge.py --corpus /work/corpus [--shared ../shared] [--seed 0]
                                [--max-pages 0] [--examples] [--dump DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from vien import glossary as glossaries
from vien.check.run import untranslated
from vien.errors import VienError
from vien.mt.simple import PseudoEngine
from vien.page.model import Document
from vien.page.parse import parse
from vien.page.read import read_document
from vien.site.discover import discover
from vien.translate.batch import run
from vien.translate.plan import plan

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from compare_align import site_roots  # noqa: E402

OPS = ("drop", "insert", "merge", "split")
SPLIT = {
    "vi": ("Các bước tiếp theo", "Lưu ý", "Chi tiết", "Kiểm tra kết quả"),
    "en": ("Next steps", "Notes", "Details", "Check the result"),
}
KEEP = {".md", ".markdown", ".toml", ".yaml", ".yml", ".json"}
SKIP_DIRS = {"themes", "public", "resources", "node_modules", "static", "assets", ".git"}
_ATX = re.compile(r" {0,3}(#{1,6})[ \t]")


@dataclass(slots=True)
class Piece:
    text: str  # a section of the counterpart, heading line included, ending with "\n"
    source: tuple[int, ...]  # source sections whose content it holds (foreign: none)
    level: int
    pristine: bool = True


@dataclass(slots=True)
class Case:
    site: Path
    src_path: Path  # the source page, relative to the site
    tgt_path: Path  # the counterpart, relative to the site
    text: str  # the perturbed counterpart
    ops: list[str]
    dropped: set[int]


@dataclass(slots=True)
class Tally:
    pages: int = 0
    ops: Counter[str] = field(default_factory=Counter)
    human_lines: int = 0
    exact: int = 0
    inserted: int = 0
    wrong_inserts: int = 0
    dropped: int = 0
    missed: int = 0
    uncertain: int = 0
    refused: int = 0
    outside_errors: int = 0  # --retranslate: human lines changed outside check errors
    inside_errors: int = 0
    retranslate_refused: int = 0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)


def pieces_of(text: str, doc: Document) -> list[Piece] | None:
    spans = doc.section_spans()
    out = []
    body = doc.front_matter.end if doc.front_matter else 0
    for k, (s, (a, b)) in enumerate(zip(doc.sections, spans, strict=True)):
        chunk = text[body if k == 0 else a : b]
        if k and not _ATX.match(chunk):
            return None  # setext or indented headings: keep the bench simple
        if not chunk.endswith("\n"):
            chunk += "\n"
        out.append(Piece(chunk, (k,), s.level, pristine=k > 0))
    out[0].text = text[:body] + out[0].text
    return out


def foreign_sections(doc: Document, text: str) -> list[str]:
    out = []
    for s, (a, b) in zip(doc.sections[1:], doc.section_spans()[1:], strict=True):
        chunk = text[a:b]
        if s.segments and _ATX.match(chunk):
            out.append(chunk if chunk.endswith("\n") else chunk + "\n")
    return out


def perturb(
    pieces: list[Piece], rng: random.Random, foreign: list[str], lang: str
) -> tuple[list[Piece], list[str], set[int]] | None:
    """1–3 operations on a copy of ``pieces``: the new pieces, what was done, the source
    sections dropped."""
    pieces = [Piece(p.text, p.source, p.level, p.pristine) for p in pieces]
    done: list[str] = []
    dropped: set[int] = set()
    for _ in range(rng.choice((1, 1, 2, 3))):
        op = rng.choice(OPS)
        free = [j for j in range(1, len(pieces)) if pieces[j].pristine]
        if op == "drop" and free:
            j = rng.choice(free)
            dropped.update(pieces.pop(j).source)
        elif op == "insert" and foreign:
            j = rng.randrange(1, len(pieces) + 1)
            text = rng.choice(foreign)
            m = _ATX.match(text)
            pieces.insert(j, Piece(text, (), len(m.group(1)) if m else 0, pristine=False))
        elif op == "merge":
            pairs = [j for j in free if j + 1 < len(pieces) and pieces[j + 1].pristine]
            if not pairs:
                continue
            j = rng.choice(pairs)
            a, b = pieces[j], pieces[j + 1]
            body = b.text.split("\n", 1)[1]
            pieces[j : j + 2] = [Piece(a.text + body, a.source + b.source, a.level, False)]
            if not body.strip():  # a heading with nothing below it: merging drops it
                dropped.update(b.source)
        elif op == "split" and free:
            j = rng.choice(free)
            p = pieces[j]
            lines = p.text.split("\n")
            points = [
                k
                for k in range(3, len(lines) - 1)
                if not lines[k - 1].strip()
                and lines[k][:1].isalpha()
                and any(x.strip() for x in lines[1 : k - 1])
            ]
            if not points:
                continue
            k = points[len(points) // 2]
            head = "#" * p.level + " " + rng.choice(SPLIT[lang])
            first = "\n".join(lines[:k])
            pieces[j : j + 1] = [
                Piece(first + "\n", p.source, p.level, False),
                Piece(head + "\n\n" + "\n".join(lines[k:]), (), p.level, False),
            ]
        else:
            continue
        done.append(op)
    if not done:
        return None
    return pieces, done, dropped


def copy_site(root: Path, to: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        out = set()
        for n in names:
            path = Path(folder) / n
            if path.is_dir():
                if n in SKIP_DIRS:
                    out.add(n)
            elif path.suffix.lower() not in KEEP:
                out.add(n)
        return out

    shutil.copytree(root, to, ignore=ignore, symlinks=False)


def make_cases(root: Path, rng: random.Random, terms: glossaries.Glossary) -> list[Case]:
    found = discover(root)
    cfg = found.config
    source = cfg.default_language if cfg.default_language in ("en", "vi") else "en"
    target = "vi" if source == "en" else "en"
    pairs = []
    for s, t in sorted(found.pairs(source, target), key=lambda p: str(p[0].path)):
        if t is None:
            continue
        try:
            a, b = read_document(s.path), read_document(t.path)
        except VienError:
            continue
        if [x.level for x in a.sections] != [x.level for x in b.sections] or len(a.sections) < 3:
            continue
        p = plan(a, b, terms, source, target)
        if p.refused or p.missing or p.uncertain:
            continue  # the truth of a perturbation is only known on a complete pair
        pieces = pieces_of(b.text, b)
        if pieces is not None and not b.bom:
            pairs.append((s.path, t.path, b, pieces))
    cases = []
    for src_path, tgt_path, _doc, pieces in pairs:
        foreign = [
            f for _, other, d, _ in pairs if other != tgt_path for f in foreign_sections(d, d.text)
        ]
        for _ in range(5):
            got = perturb(pieces, rng, foreign, target)
            if got is None:
                continue
            new, ops, dropped = got
            text = "".join(p.text for p in new)
            try:
                doc = parse(text)
            except VienError:
                continue
            if [s.level for s in doc.sections] != [p.level for p in new]:
                continue
            cases.append(
                Case(
                    root,
                    src_path.relative_to(root),
                    tgt_path.relative_to(root),
                    text,
                    ops,
                    dropped,
                )
            )
            break
    return cases


def human_changes(before: str, after: str, allowed: set[int] | None = None) -> tuple[int, int]:
    """Non-blank lines of ``before`` missing from ``after`` (in order): (outside ``allowed``
    line numbers, inside them)."""
    a, b = before.splitlines(), after.splitlines()
    kept = set()
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        kept.update(range(block.a, block.a + block.size))
    lost = [k + 1 for k, line in enumerate(a) if line.strip() and k not in kept]
    inside = sum(1 for n in lost if allowed and n in allowed)
    return len(lost) - inside, inside


def error_lines(case: Case, terms: glossaries.Glossary, source: str, target: str) -> set[int]:
    """Lines of the segments `vien check` reports as untranslated errors on the page."""
    src = read_document(case.site / case.src_path)
    tgt = parse(case.text)
    lines: set[int] = set()
    for f in untranslated(tgt, "", target, source, terms, src, ""):
        if f.severity == "error" and f.segment is not None:
            seg = tgt.segments[f.segment]
            lines.update(range(seg.line, seg.line + tgt.text.count("\n", seg.start, seg.end) + 1))
    return lines


def dump_case(dump: Path, root: Path, case: Case, after: str, note: str) -> None:
    """Write the source page, the perturbed counterpart and the output of a failed case."""
    name = f"{root.name}__{str(case.tgt_path).replace('/', '__')}"
    folder = dump / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.md").write_text(
        (root / case.src_path).read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "perturbed.md").write_text(case.text, encoding="utf-8")
    (folder / "output.md").write_text(after, encoding="utf-8")
    (folder / "note.txt").write_text(note + "\n", encoding="utf-8")


def bench_site(
    root: Path,
    seed: int,
    terms: glossaries.Glossary,
    tally: Tally,
    cap: int,
    dump: Path | None = None,
) -> None:
    rng = random.Random(f"{seed}:{root.name}")
    try:
        cases = make_cases(root, rng, terms)
    except VienError as exc:
        print(f"  skipped {root}: {exc}", file=sys.stderr)
        return
    if cap:
        cases = cases[:cap]
    if not cases:
        return
    cfg = discover(root).config
    source = cfg.default_language if cfg.default_language in ("en", "vi") else "en"
    target = "vi" if source == "en" else "en"
    for retranslate in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            copy_site(root, site)
            for case in cases:
                (site / case.tgt_path).write_text(case.text, encoding="utf-8")
            started = time.perf_counter()
            summary = run(
                site, target, PseudoEngine(terms), glossary=terms, retranslate=retranslate
            )
            tally.seconds += time.perf_counter() - started
            results = {r.target.resolve(): r for r in summary.results if r.target is not None}
            for case in cases:
                path = (site / case.tgt_path).resolve()
                r = results.get(path)
                after = path.read_text(encoding="utf-8")
                if retranslate:
                    if r is not None and r.status == "failed":
                        tally.retranslate_refused += 1
                    out, inside = human_changes(
                        case.text, after, error_lines(case, terms, source, target)
                    )
                    tally.outside_errors += out
                    tally.inside_errors += inside
                    continue
                tally.pages += 1
                tally.ops.update(case.ops)
                tally.dropped += len(case.dropped)
                if r is not None and r.status == "failed":
                    tally.refused += 1
                    tally.missed += len(case.dropped)
                    if len(tally.examples) < 12:
                        tally.examples.append(f"refused {case.tgt_path}: {r.message[:160]}")
                    continue
                inserted = set(r.inserted) if r is not None else set()
                lost, _ = human_changes(case.text, after)
                tally.human_lines += lost
                tally.inserted += len(inserted)
                tally.exact += inserted == case.dropped
                tally.wrong_inserts += len(inserted - case.dropped)
                tally.missed += len(case.dropped - inserted)
                tally.uncertain += r.uncertain if r is not None else 0
                if inserted != case.dropped:
                    note = (
                        f"{root.name}/{case.tgt_path} {'+'.join(case.ops)}: dropped "
                        f"{sorted(case.dropped)}, inserted {sorted(inserted)}"
                    )
                    if len(tally.examples) < 12:
                        tally.examples.append(note)
                    if dump is not None:
                        dump_case(dump, root, case, after, note)


def figures(t: Tally) -> list[tuple[str, str]]:
    share = f"{t.exact / t.pages:.1%}" if t.pages else "-"
    return [
        ("pages (perturbed pairs)", str(t.pages)),
        ("operations", ", ".join(f"{o} {t.ops[o]}" for o in OPS)),
        ("human lines changed or removed (target 0)", str(t.human_lines)),
        ("pages inserted == dropped (target >= 98%)", f"{t.exact}/{t.pages} = {share}"),
        ("sections inserted where content existed (0)", str(t.wrong_inserts)),
        ("dropped sections / missed", f"{t.dropped} / {t.missed}"),
        ("uncertain missing sections reported", str(t.uncertain)),
        ("pages refused", str(t.refused)),
        ("--retranslate: human lines changed outside check errors (0)", str(t.outside_errors)),
        ("--retranslate: lines changed inside check errors", str(t.inside_errors)),
        ("--retranslate: pages refused", str(t.retranslate_refused)),
        ("translate seconds (both runs)", f"{t.seconds:.1f}"),
    ]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="development corpus folder")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-pages", type=int, default=0, help="cases per site (0: all)")
    ap.add_argument("--examples", action="store_true", help="print the pages that went wrong")
    ap.add_argument(
        "--dump",
        type=Path,
        help="write source, perturbed counterpart and output of each wrong page here",
    )
    args = ap.parse_args(argv)
    terms = glossaries.load()
    groups = {
        "corpus": sorted(
            r for f in sorted(args.corpus.iterdir()) if f.is_dir() for r in site_roots(f)
        ),
        "shared": sorted(p for p in (args.shared / "sites").iterdir() if p.is_dir()),
    }
    tallies = {}
    for name, roots in groups.items():
        tally = tallies[name] = Tally()
        for root in roots:
            bench_site(root, args.seed, terms, tally, args.max_pages, args.dump)
    rows = {name: figures(t) for name, t in tallies.items()}
    width = max(len(label) for label, _ in rows["corpus"])
    print(f"{'':<{width}}  {'corpus':>28}  {'shared':>28}")
    for (label, a), (_, b) in zip(rows["corpus"], rows["shared"], strict=True):
        print(f"{label:<{width}}  {a:>28}  {b:>28}")
    if args.examples:
        for name, t in tallies.items():
            for line in t.examples:
                print(f"[{name}] {line}")


if __name__ == "__main__":
    main()
