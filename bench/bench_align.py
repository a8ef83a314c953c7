"""Section aligner benchmark: vien's align() against a position and a Gale–Church baseline.

The real EN/VI page pairs whose section structure matches (same heading levels in the same
order) are taken as aligned i ↔ i. Test cases perturb the Vietnamese page text — drop a section,
insert a foreign one, merge two neighbours, split one, swap two neighbours; one or two operations
per case, at seeded random positions — while keeping the exact ground truth. Every aligner is
scored with strict link matching: a predicted link counts only if exactly the same
(source set, target set) pair is in the gold links. Prints figures per operation, per site and
overall, the recall of gold links by the operation that made them, and vien's most common
errors; asserts nothing.

Structure-matched is not content-matched: aws-budget's 0-Createtemplate pair has the same
heading levels, but its English §3 (steps 6–10) is inside the Vietnamese §2 (steps 1–10) and
its Vietnamese §3 is a list of tips, so §i ↔ §i is wrong there. A pair whose images contradict
§i ↔ §i (an image of English §i shown only in another Vietnamese section) is left out and
named; ``--keep-mismatched`` keeps it.

``--corpus DIR`` does the same on every Hugo site of the development corpus (one folder per
repository), with 1–3 operations per page, after the shared sites (``--no-shared``: the corpus
only). Pairs whose heading skeletons differ have no structural truth: they are scored against
``bench/align_reference.tsv``, links read by hand (identifiers only: site, page key, heading
lines), and printed as such.

    python bench/bench_align.py [--seed 0] [--cases-per-op 60] [--quick] [--shared ../shared]
                                [--keep-mismatched] [--corpus DIR] [--no-shared]
                                [--reference bench/align_reference.tsv]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vien.errors import VienError
from vien.page.model import Document
from vien.page.parse import line_offsets, parse
from vien.page.read import decode
from vien.site.discover import discover

ROOT = Path(__file__).resolve().parents[1]
SITES = ("aws-budget", "dms-migration")
OPS = ("drop", "insert", "merge", "split", "swap")
#: Headings inserted by ``split`` (the level is the split section's).
SPLIT_HEADINGS = ("Các bước tiếp theo", "Lưu ý", "Chi tiết", "Kiểm tra kết quả", "Bước tiếp theo")

LinkKey = tuple[tuple[int, ...], tuple[int, ...]]  # (source sections, target sections)
Aligner = Callable[[Document, Document], set[LinkKey]]

_EOL = re.compile(r"\r\n|\r|\n")
_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]|\r?\n|\r|$)")


# -- pages -----------------------------------------------------------------------------------
@dataclass(slots=True)
class PagePair:
    """One EN/VI page pair: texts and parses."""

    site: str
    key: str
    en_text: str
    vi_text: str
    en: Document
    vi: Document

    @property
    def name(self) -> str:
        return f"{self.site}:{self.key}"


@dataclass(frozen=True, slots=True)
class Foreign:
    """A whole section (heading + body) of some VI page, to insert into another page."""

    key: str  # page it comes from
    heading: str
    level: int
    text: str  # with "\n" line ends, ending with one


def read_page(path: Path) -> tuple[str, Document]:
    text, bom = decode(path.read_bytes())
    return text, parse(text, bom=bom)


def levels(doc: Document) -> list[int]:
    return [s.level for s in doc.sections]


def structure_matched(pair: PagePair) -> bool:
    return levels(pair.en) == levels(pair.vi)


_IMAGE = re.compile(r"\]\(\s*<?([^\s)>]+)")


def images(doc: Document) -> list[set[str]]:
    """The image files each section shows (names only: the two sites' paths differ)."""
    out: list[set[str]] = []
    for section in doc.sections:
        names = set()
        for i in section.segments:
            for part in doc.segments[i].parts:
                m = _IMAGE.search(part.text) if part.kind == "image" else None
                if m:
                    names.add(m.group(1).split("?")[0].rsplit("/", 1)[-1])
        out.append(names)
    return out


def content_mismatch(pair: PagePair) -> str | None:
    """Why the gold §i ↔ §i is wrong for a structure-matched pair: an image that English §i
    shows is shown in another Vietnamese section only. Images are language-independent, so
    this is evidence about the pages, not about any aligner."""
    en, vi = images(pair.en), images(pair.vi)
    for i, names in enumerate(en):
        for name in sorted(names - vi[i]):
            j = next((j for j, other in enumerate(vi) if name in other), None)
            if j is not None:
                return f"image {name} is in English §{i} but Vietnamese §{j}"
    return None


def load_pairs(
    shared: Path, keep_mismatched: bool = False, excluded: list[str] | None = None
) -> tuple[list[PagePair], int, dict[str, list[Foreign]]]:
    """Structure-matched pairs of the shared sites (without those whose images contradict
    §i ↔ §i, unless ``keep_mismatched``), the number of pairs, and the foreign sections of
    each site."""
    return load_sites(
        [(site, shared / "sites" / site) for site in SITES], keep_mismatched, excluded
    )


def corpus_sites(corpus: Path) -> list[tuple[str, Path]]:
    """(name, root) of every Hugo site of a corpus folder (one folder per repository)."""
    from compare_align import site_roots

    out = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for root in site_roots(folder):
            rel = root.relative_to(folder).as_posix()
            out.append((folder.name + ("" if rel == "." else "/" + rel), root))
    return out


def load_sites(
    sites: list[tuple[str, Path]],
    keep_mismatched: bool = False,
    excluded: list[str] | None = None,
    everything: list[PagePair] | None = None,
) -> tuple[list[PagePair], int, dict[str, list[Foreign]]]:
    """:func:`load_pairs` over (name, root) sites; ``everything`` receives every pair that
    parses, structure-matched or not."""
    excluded = [] if excluded is None else excluded
    matched: list[PagePair] = []
    total = 0
    foreign: dict[str, list[Foreign]] = {}
    for site, root in sites:
        try:
            found = discover(root)
        except VienError as exc:
            excluded.append(f"{site}: not read: {exc}")
            continue
        pool: list[Foreign] = []
        for en_page, vi_page in sorted(found.pairs("en", "vi"), key=lambda p: p[0].key):
            if vi_page is None:
                continue
            total += 1
            try:
                en_text, en = read_page(en_page.path)
                vi_text, vi = read_page(vi_page.path)
            except (VienError, OSError, UnicodeDecodeError) as exc:
                excluded.append(f"{site}/{en_page.key}: does not parse: {exc}")
                continue
            pair = PagePair(site, en_page.key, en_text, vi_text, en, vi)
            if everything is not None:
                everything.append(pair)
            if structure_matched(pair):
                why = content_mismatch(pair)
                if why is None or keep_mismatched:
                    matched.append(pair)
                else:
                    excluded.append(f"{site}/{en_page.key}: the gold §i ↔ §i would be wrong: {why}")
            spans = section_spans(vi_text, vi)
            for sec, (a, b) in zip(vi.sections[1:], spans[1:], strict=True):
                body = _EOL.sub("\n", vi_text[a:b])
                if sec.segments and _ATX.match(body):  # translatable, heading not in a list
                    pool.append(
                        Foreign(
                            en_page.key,
                            sec.heading,
                            sec.level,
                            body if body.endswith("\n") else body + "\n",
                        )
                    )
        foreign[site] = pool
    return matched, total, foreign


# -- section text ranges and perturbation ----------------------------------------------------
def section_spans(text: str, doc: Document) -> list[tuple[int, int]]:
    """Section i's text: from the start of its heading line to the next section's heading line
    (section 0 from the start of the page)."""
    starts = line_offsets(text)
    firsts = [0] + [starts[s.line - 1] for s in doc.sections[1:]]
    return list(zip(firsts, [*firsts[1:], len(text)], strict=True))


def eol_of(text: str) -> str:
    m = _EOL.search(text)
    return m.group() if m else "\n"


@dataclass(slots=True)
class Piece:
    """One section of the target page being perturbed."""

    text: str  # heading line to the next heading, ending with a line end
    level: int
    gid: int  # the gold link this section belongs to
    splits: tuple[int, ...] = ()  # offsets in text where a heading can be put (for split)
    pristine: bool = True  # untouched by any operation (section 0 never is)


@dataclass(slots=True)
class Draft:
    """A target page as a list of sections, each tagged with the gold link it belongs to."""

    pieces: list[Piece]
    groups: dict[int, tuple[tuple[int, ...], str]]  # gid -> (source sections, operation)
    eol: str
    ops: list[str] = field(default_factory=list)
    _next_gid: int = -1

    @classmethod
    def of(cls, text: str, doc: Document) -> Draft:
        """The unperturbed page: target section i belongs to gold link i ↔ i."""
        eol = eol_of(text)
        starts = line_offsets(text)
        pieces = []
        for sec, (a, b) in zip(doc.sections, section_spans(text, doc), strict=True):
            chunk = text[a:b]
            if not chunk.endswith(("\n", "\r")):
                chunk += eol
            pieces.append(
                Piece(
                    chunk,
                    sec.level,
                    sec.index,
                    _split_points(text, starts, sec, a),
                    pristine=sec.index > 0,
                )
            )
        return cls(pieces, {s.index: ((s.index,), "keep") for s in doc.sections}, eol)

    # -- the operations; j is a target section index (>= 1) --------------------------------
    def positions(self, op: str) -> list[int]:
        """Where ``op`` can be applied (only to sections no other operation touched)."""
        p = self.pieces
        if op == "insert":
            return list(range(1, len(p) + 1))
        if op == "drop":
            return [j for j in range(1, len(p)) if p[j].pristine]
        if op == "split":
            return [j for j in range(1, len(p)) if p[j].pristine and p[j].splits]
        if op == "merge":
            return [
                j
                for j in range(1, len(p) - 1)
                if p[j].pristine and p[j + 1].pristine and _ATX.match(p[j + 1].text)
            ]
        if op == "swap":
            return [j for j in range(1, len(p) - 1) if p[j].pristine and p[j + 1].pristine]
        raise ValueError(op)

    def drop(self, j: int) -> None:
        piece = self.pieces.pop(j)
        src, _ = self.groups[piece.gid]
        self.groups[piece.gid] = (src, "drop")
        self.ops.append(f"drop {j}")

    def insert(self, j: int, section: Foreign) -> None:
        gid = self._next_gid
        self._next_gid -= 1
        self.groups[gid] = ((), "insert")
        text = section.text.replace("\n", self.eol)
        self.pieces.insert(j, Piece(text, section.level, gid, pristine=False))
        self.ops.append(f"insert {j} ({section.key} § {section.heading})")

    def merge(self, j: int) -> None:
        a, b = self.pieces[j], self.pieces[j + 1]
        m = _EOL.search(b.text)
        body = b.text[m.end() :] if m else ""
        self.pieces[j : j + 2] = [Piece(a.text + body, a.level, a.gid, pristine=False)]
        self.groups[a.gid] = (self.groups[a.gid][0] + self.groups.pop(b.gid)[0], "merge")
        self.ops.append(f"merge {j}+{j + 1}")

    def split(self, j: int, heading: str) -> None:
        p = self.pieces[j]
        mid = len(p.text) / 2
        at = min(p.splits, key=lambda s: (abs(s - mid), s))
        head = "#" * p.level + " " + heading + self.eol + self.eol
        self.pieces[j : j + 1] = [
            Piece(p.text[:at], p.level, p.gid, pristine=False),
            Piece(head + p.text[at:], p.level, p.gid, pristine=False),
        ]
        self.groups[p.gid] = (self.groups[p.gid][0], "split")
        self.ops.append(f"split {j}")

    def swap(self, j: int) -> None:
        a, b = self.pieces[j], self.pieces[j + 1]
        a.pristine = b.pristine = False
        self.pieces[j : j + 2] = [b, a]
        for g in (a.gid, b.gid):
            self.groups[g] = (self.groups[g][0], "swap")
        self.ops.append(f"swap {j}<->{j + 1}")

    # -- results -----------------------------------------------------------------------------
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    def levels(self) -> list[int]:
        return [p.level for p in self.pieces]

    def gold(self) -> dict[LinkKey, str]:
        """Gold links, each with the operation that made it ("keep" for untouched ones)."""
        targets: dict[int, list[int]] = {g: [] for g in self.groups}
        for j, p in enumerate(self.pieces):
            targets[p.gid].append(j)
        return {
            (tuple(sorted(src)), tuple(targets[g])): tag for g, (src, tag) in self.groups.items()
        }


def _split_points(text: str, starts: list[int], sec, sec_start: int) -> tuple[int, ...]:
    """Offsets (in the section's text) of top-level paragraphs that follow a blank line and
    some translatable body text of the same section: a heading can be put before them."""
    out = []
    seen_text = False
    for block in sec.blocks:
        if block.kind == "heading" or block.kind == "front_matter":
            continue
        if (
            block.kind == "paragraph"
            and not block.containers
            and block.segments
            and seen_text
            and block.line >= 2
        ):
            line = text[starts[block.line - 1] :]
            prev = text[starts[block.line - 2] : starts[block.line - 1]]
            if not prev.strip() and line[:1] not in (" ", "\t"):
                out.append(starts[block.line - 1] - sec_start)
        seen_text = seen_text or bool(block.segments)
    return tuple(out)


@dataclass(slots=True)
class Case:
    pair: PagePair
    ops: tuple[str, ...]  # operation names, in order
    steps: tuple[str, ...]  # what was done, for reports
    text: str  # perturbed VI page
    tgt: Document
    gold: dict[LinkKey, str]

    @property
    def label(self) -> str:
        return "+".join(self.ops) if self.ops else "identity"


def check(draft: Draft) -> Document | None:
    """Re-parse the perturbed text; None unless the sections are exactly the expected ones."""
    try:
        doc = parse(draft.text())
    except VienError:
        return None
    return doc if levels(doc) == draft.levels() else None


def apply(
    draft: Draft, op: str, j: int, rng: random.Random, pair: PagePair, foreign: list[Foreign]
) -> bool:
    """Apply ``op`` at ``j``, drawing what it needs from ``rng``; False if it cannot be done."""
    if op == "insert":
        own = {s.heading for s in pair.vi.sections}
        pool = [f for f in foreign if f.key != pair.key and f.heading not in own]
        if not pool:
            return False
        draft.insert(j, rng.choice(pool))
    elif op == "split":
        draft.split(j, rng.choice(SPLIT_HEADINGS))
    else:
        getattr(draft, op)(j)
    return True


def make_cases(
    pairs: list[PagePair],
    foreign: dict[str, list[Foreign]],
    *,
    seed: int = 0,
    per_op: int = 60,
    second_op: float = 0.5,
    max_ops: int = 2,
) -> tuple[list[Case], Counter[str]]:
    """``per_op`` distinct cases for each operation: the operation alone, or (with probability
    ``second_op``) followed by another one, and so on up to ``max_ops`` operations. Returns
    the cases and the discards per operation."""
    rng = random.Random(seed)
    cases: list[Case] = []
    discards: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for op in OPS:
        eligible = [p for p in pairs if Draft.of(p.vi_text, p.vi).positions(op)]
        made = tries = 0
        while made < per_op and tries < per_op * 50 and eligible:
            tries += 1
            pair = rng.choice(eligible)
            draft = Draft.of(pair.vi_text, pair.vi)
            names = [op]
            ok = apply(draft, op, rng.choice(draft.positions(op)), rng, pair, foreign[pair.site])
            while ok and len(names) < max_ops and rng.random() < second_op:
                options = [o for o in OPS if draft.positions(o)]
                if not options:
                    break
                second = rng.choice(options)
                names.append(second)
                ok = apply(
                    draft,
                    second,
                    rng.choice(draft.positions(second)),
                    rng,
                    pair,
                    foreign[pair.site],
                )
            text = draft.text()
            if not ok or (pair.name, text) in seen:
                continue
            seen.add((pair.name, text))
            doc = check(draft)
            if doc is None:
                discards[op] += 1
                continue
            cases.append(Case(pair, tuple(names), tuple(draft.ops), text, doc, draft.gold()))
            made += 1
    return cases, discards


def identity_cases(pairs: list[PagePair]) -> list[Case]:
    return [
        Case(p, (), (), p.vi_text, p.vi, {((i,), (i,)): "keep" for i in range(len(p.vi.sections))})
        for p in pairs
    ]


# -- aligners --------------------------------------------------------------------------------
def vien_aligner(glossary=None) -> Aligner:
    from vien.align.sections import align

    def run(src: Document, tgt: Document) -> set[LinkKey]:
        return {(tuple(x.source), tuple(x.target)) for x in align(src, tgt, glossary=glossary)}

    return run


def position(src: Document, tgt: Document) -> set[LinkKey]:
    n, m = len(src.sections), len(tgt.sections)
    return (
        {((i,), (i,)) for i in range(min(n, m))}
        | {((i,), ()) for i in range(m, n)}
        | {((), (j,)) for j in range(n, m)}
    )


def section_lengths(doc: Document) -> list[int]:
    """Characters of translatable text per section."""
    return [sum(len(doc.segments[i].plain) for i in s.segments) for s in doc.sections]


#: Gale & Church (1993) priors of the match types (source sections, target sections).
GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089}


def gc_parameters(pairs: Iterable[PagePair]) -> tuple[float, float]:
    """c (VI characters per EN character) and s² (variance per unit length) of the sections of
    structure-matched pairs, for the symmetric length m = (l1 + l2/c) / 2 used by gale_church."""
    lens = [
        (a, b)
        for p in pairs
        for a, b in zip(section_lengths(p.en), section_lengths(p.vi), strict=True)
    ]
    c = sum(b for _, b in lens) / sum(a for a, _ in lens)
    s2 = statistics.fmean((b - c * a) ** 2 / ((a + b / c) / 2) for a, b in lens if a or b)
    return c, s2


def gale_church(c: float, s2: float) -> Aligner:
    """The classic length-based dynamic programme over sections (monotone links only)."""

    def cost(l1: int, l2: int, kind: tuple[int, int]) -> float:
        m = (l1 + l2 / c) / 2
        delta = (l2 - c * l1) / math.sqrt(s2 * m) if m else 0.0
        p = math.erfc(abs(delta) / math.sqrt(2))  # 2 (1 - Phi(|delta|))
        return -math.log(GC_PRIORS[kind]) - (math.log(p) if p > 0 else -745.0 - delta**2 / 2)

    def run(src: Document, tgt: Document) -> set[LinkKey]:
        a, b = section_lengths(src), section_lengths(tgt)
        n, m = len(a), len(b)
        best: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {(0, 0): (0.0, (0, 0))}
        for i in range(n + 1):
            for j in range(m + 1):
                if i == j == 0:
                    continue
                options = []
                for di, dj in GC_PRIORS:
                    if i >= di and j >= dj and (i - di, j - dj) in best:
                        here = cost(sum(a[i - di : i]), sum(b[j - dj : j]), (di, dj))
                        options.append((best[i - di, j - dj][0] + here, (di, dj)))
                if options:
                    best[i, j] = min(options)
        links: set[LinkKey] = set()
        i, j = n, m
        while i or j:
            di, dj = best[i, j][1]
            links.add((tuple(range(i - di, i)), tuple(range(j - dj, j))))
            i, j = i - di, j - dj
        return links

    return run


# -- scoring ---------------------------------------------------------------------------------
@dataclass(slots=True)
class Tally:
    """Strict link matching counts, over all links and over links with two non-empty sides."""

    tp: int = 0
    pred: int = 0
    gold: int = 0
    tp_ne: int = 0
    pred_ne: int = 0
    gold_ne: int = 0

    def add(self, pred: set[LinkKey], gold: Iterable[LinkKey]) -> None:
        gold = set(gold)

        def ne(links: set[LinkKey]) -> set[LinkKey]:
            return {x for x in links if x[0] and x[1]}

        self.tp += len(pred & gold)
        self.pred += len(pred)
        self.gold += len(gold)
        self.tp_ne += len(ne(pred) & ne(gold))
        self.pred_ne += len(ne(pred))
        self.gold_ne += len(ne(gold))

    @staticmethod
    def _prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 1.0
        r = tp / gold if gold else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def prf(self) -> tuple[float, float, float]:
        return self._prf(self.tp, self.pred, self.gold)

    def prf_ne(self) -> tuple[float, float, float]:
        return self._prf(self.tp_ne, self.pred_ne, self.gold_ne)


def contract_problem(pred: set[LinkKey], n_src: int, n_tgt: int) -> str | None:
    """Why a prediction breaks the contract (each section in exactly one link), or None."""
    srcs = [i for s, _ in pred for i in s]
    tgts = [j for _, t in pred for j in t]
    if sorted(srcs) != list(range(n_src)) or sorted(tgts) != list(range(n_tgt)):
        return f"sections covered: source {sorted(srcs)}, target {sorted(tgts)}"
    if any(not s and not t for s, t in pred):
        return "a link with two empty sides"
    return None


@dataclass(slots=True)
class Run:
    """One aligner's predictions over a case list."""

    preds: list[set[LinkKey]]
    seconds: list[float]
    broken: int  # predictions that break the link contract


def run_aligner(aligner: Aligner, cases: list[Case]) -> Run:
    preds, secs, broken = [], [], 0
    for case in cases:
        t = time.perf_counter()
        pred = aligner(case.pair.en, case.tgt)
        secs.append(time.perf_counter() - t)
        preds.append(pred)
        problem = contract_problem(pred, len(case.pair.en.sections), len(case.tgt.sections))
        broken += problem is not None
    return Run(preds, secs, broken)


def tally(
    cases: list[Case], preds: list[set[LinkKey]], keep: Callable[[Case], bool] = lambda c: True
) -> Tally:
    t = Tally()
    for case, pred in zip(cases, preds, strict=True):
        if keep(case):
            t.add(pred, case.gold)
    return t


def subsets(sites: Iterable[str] = SITES) -> list[tuple[str, Callable[[Case], bool]]]:
    """Rows of the report: each operation (cases containing it), each operation alone, one/two
    operations, each site, all."""
    rows: list[tuple[str, Callable[[Case], bool]]] = [
        (op, lambda c, op=op: op in c.ops) for op in OPS
    ]
    rows += [(f"{op} alone", lambda c, op=op: c.ops == (op,)) for op in OPS]
    rows += [(f"{k} op{'s' * (k > 1)}", lambda c, k=k: len(c.ops) == k) for k in (1, 2, 3)]
    rows += [(site, lambda c, site=site: c.pair.site == site) for site in sites]
    rows += [("all perturbed", lambda c: True)]
    return rows


def shape(link: LinkKey) -> str:
    return f"{len(link[0])}-{len(link[1])}"


def link_recall(cases: list[Case], preds: list[set[LinkKey]]) -> dict[str, tuple[int, int]]:
    """Gold links found / gold links, by the operation that made the link ("keep" for
    untouched ones)."""
    out: dict[str, tuple[int, int]] = {}
    for case, pred in zip(cases, preds, strict=True):
        for link, tag in case.gold.items():
            found, total = out.get(tag, (0, 0))
            out[tag] = (found + (link in pred), total + 1)
    return out


def errors(cases: list[Case], preds: list[set[LinkKey]]) -> Counter[str]:
    """Missed gold links, by kind: "<op that made it> <gold shape> → <predicted links that
    touch its sections>" (shapes; "1-1 crossed" is a 1-1 link to a section the gold pairs
    elsewhere)."""
    out: Counter[str] = Counter()
    for case, pred in zip(cases, preds, strict=True):
        for link, tag in case.gold.items():
            if link not in pred:
                out[error_kind(link, tag, pred)] += 1
    return out


def touching(link: LinkKey, pred: set[LinkKey]) -> list[LinkKey]:
    return sorted(p for p in pred if set(p[0]) & set(link[0]) or set(p[1]) & set(link[1]))


def error_kind(link: LinkKey, tag: str, pred: set[LinkKey]) -> str:
    got = " + ".join(sorted(shape(p) for p in touching(link, pred)))
    return f"{tag:6s} gold {shape(link)} -> predicted {got}"


def examples(cases: list[Case], preds: list[set[LinkKey]], kind: str, limit: int = 2) -> list[str]:
    out = []
    for case, pred in zip(cases, preds, strict=True):
        for link, tag in sorted(case.gold.items()):
            if link not in pred and error_kind(link, tag, pred) == kind:
                got = ", ".join(_fmt(p) for p in touching(link, pred))
                out.append(
                    f"{case.pair.name} [{'; '.join(case.steps)}]: gold {_fmt(link)}, "
                    f"predicted {got}"
                )
                if len(out) >= limit:
                    return out
    return out


def _fmt(link: LinkKey) -> str:
    def side(s: tuple[int, ...]) -> str:
        return "{" + ",".join(map(str, s)) + "}"

    return f"{side(link[0])}↔{side(link[1])}"


# -- report ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cases-per-op", type=int, default=60)
    ap.add_argument("--quick", action="store_true", help="8 cases per operation")
    ap.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("VIEN_SHARED") or ROOT.parent / "shared")
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        help="development corpus (one folder per repository): reported after the shared sites",
    )
    ap.add_argument("--no-shared", action="store_true", help="the corpus only")
    ap.add_argument(
        "--reference",
        type=Path,
        default=ROOT / "bench" / "align_reference.tsv",
        help="hand-checked links of corpus pairs whose heading skeletons differ",
    )
    ap.add_argument("--errors", type=int, default=12, help="kinds of vien error to show")
    ap.add_argument(
        "--keep-mismatched",
        action="store_true",
        help="keep structure-matched pairs whose images contradict §i ↔ §i",
    )
    args = ap.parse_args(argv)
    per_op = 8 if args.quick else args.cases_per_op

    from vien import glossary

    gloss = glossary.load()
    if not args.no_shared:
        print("== shared sites (structural truth: same heading skeleton, §i ↔ §i) ==")
        excluded: list[str] = []
        pairs, total, foreign = load_pairs(args.shared, args.keep_mismatched, excluded)
        report(pairs, total, foreign, excluded, SITES, per_op, 2, args, gloss)
        short_split_report(pairs, args.seed)
    if args.corpus is not None:
        print(f"\n== development corpus {args.corpus} ==")
        sites = corpus_sites(args.corpus)
        excluded = []
        everything: list[PagePair] = []
        pairs, total, foreign = load_sites(sites, args.keep_mismatched, excluded, everything)
        print(
            "truth: structure-matched pairs (same heading levels in the same order, images "
            "not contradicting) are aligned §i ↔ §i; perturbed with 1–3 operations per page"
        )
        report(pairs, total, foreign, excluded, [], per_op, 3, args, gloss, quiet=True)
        short_split_report(pairs, args.seed)
        reference_report(everything, args.reference, gloss)


def report(
    pairs: list[PagePair],
    total: int,
    foreign: dict[str, list[Foreign]],
    excluded: list[str],
    sites: Iterable[str],
    per_op: int,
    max_ops: int,
    args: argparse.Namespace,
    gloss: object,
    quiet: bool = False,
) -> None:
    """Build the cases of one set of pairs, run every aligner and print the figures."""
    for why in excluded[:10] if quiet else excluded:
        print(f"excluded: {why}")
    if quiet and len(excluded) > 10:
        print(f"excluded: {len(excluded) - 10} more")
    if not pairs:
        print("no structure-matched pair: nothing to measure")
        return
    sites = list(sites)
    bysite = Counter(p.site for p in pairs)
    print(
        f"structure-matched pairs: {len(pairs)} of {total} EN/VI page pairs "
        f"({len(bysite)} sites"
        + (f": {', '.join(f'{s} {bysite[s]}' for s in sites)}" if sites else "")
        + f"); {sum(len(p.en.sections) for p in pairs)} sections, "
        f"{sum(len(p.en.sections) > 1 for p in pairs)} pairs with a heading"
    )
    cases, discards = make_cases(pairs, foreign, seed=args.seed, per_op=per_op, max_ops=max_ops)
    print(
        f"perturbed cases: {len(cases)} (seed {args.seed}, {per_op} per operation; "
        + ", ".join(f"{sum(len(c.ops) == k for c in cases)} with {k}" for k in (1, 2, 3))
        + f" operations); gold links: {sum(len(c.gold) for c in cases)}"
    )
    print(
        "  cases per operation: "
        + ", ".join(f"{op} {sum(op in c.ops for c in cases)}" for op in OPS)
        + f"; discarded (re-parse mismatch): {sum(discards.values())}"
        + (f" ({', '.join(f'{k} {v}' for k, v in sorted(discards.items()))})" if discards else "")
    )
    c, s2 = gc_parameters(pairs)
    print(f"Gale–Church: c = {c:.3f} VI chars per EN char, s² = {s2:.2f}")

    aligners: list[tuple[str, Aligner]] = [
        ("vien", vien_aligner()),
        ("vien+gloss", vien_aligner(gloss)),
        ("position", position),
        ("gale-church", gale_church(c, s2)),
    ]
    ident = identity_cases(pairs)
    runs = {name: run_aligner(fn, cases) for name, fn in aligners}
    ident_runs = {name: run_aligner(fn, ident) for name, fn in aligners}

    names = [n for n, _ in aligners]
    print("\nstrict F1, all links / links with both sides non-empty")
    print(f"  {'cases':14s} {'n':>4s} " + " ".join(f"{n:>13s}" for n in names))
    rows = [("identity", ident, ident_runs, lambda c: True)]
    rows += [(label, cases, runs, keep) for label, keep in subsets(sites)]
    for label, cs, rs, keep in rows:
        n = sum(map(keep, cs))
        if not n:
            if not label.endswith("ops"):
                print(f"  {label:14s} {n:4d}   (no case)")
            continue
        cells = []
        for name in names:
            t = tally(cs, rs[name].preds, keep)
            cells.append(f"{t.prf()[2]:.3f} / {t.prf_ne()[2]:.3f}")
        print(f"  {label:14s} {n:4d} " + " ".join(f"{x:>13s}" for x in cells))

    print("\nall perturbed cases, micro-averaged")
    print(
        f"  {'aligner':12s} {'P':>6s} {'R':>6s} {'F1':>6s}   {'P ne':>6s} {'R ne':>6s} "
        f"{'F1 ne':>6s}   {'ms/pair':>7s} {'max ms':>7s} {'broken':>6s}"
    )
    for name in names:
        r = runs[name]
        t = tally(cases, r.preds)
        ms = [s * 1000 for s in r.seconds + ident_runs[name].seconds]
        print(
            f"  {name:12s} "
            + " ".join(f"{x:6.3f}" for x in t.prf())
            + "   "
            + " ".join(f"{x:6.3f}" for x in t.prf_ne())
            + f"   {statistics.fmean(ms):7.2f} {max(ms):7.2f} "
            f"{r.broken + ident_runs[name].broken:6d}"
        )

    print("\ngold links found, by the operation that made them (recall)")
    recalls = {name: link_recall(cases, runs[name].preds) for name in names}
    print(f"  {'gold link':14s} {'n':>4s} " + " ".join(f"{n:>13s}" for n in names))
    for tag in ("keep", *OPS):
        total = recalls["vien"].get(tag, (0, 0))[1]
        print(
            f"  {tag:14s} {total:4d} "
            + " ".join(f"{recalls[n].get(tag, (0, 1))[0] / max(total, 1):13.3f}" for n in names)
        )

    for name in ("vien", "vien+gloss"):
        errs = errors(cases, runs[name].preds) + errors(ident, ident_runs[name].preds)
        print(
            f"\n{name}: {sum(errs.values())} missed gold links; most common kinds "
            "(operation that made the gold link, keep = untouched; shapes of the predicted "
            "links touching its sections):"
        )
        for kind, k in errs.most_common(args.errors):
            print(f"  {k:4d}  {kind}")
            if name == "vien":
                for ex in (
                    examples(ident, ident_runs[name].preds, kind, 1)
                    + examples(cases, runs[name].preds, kind, 2)
                )[:2]:
                    print(f"          e.g. {ex}")


def short_split_report(pairs: list[PagePair], seed: int) -> None:
    """Each structure-matched pair with a section that can be split, split once right after
    its first paragraph (a short first part, as translators who add a sub-heading after an
    intro write it): how many of the 1-2 links vien finds, against the split in the middle
    that ``make_cases`` uses."""
    rng = random.Random(seed)
    align_vien = vien_aligner()
    found = {"short first part": [0, 0], "middle": [0, 0]}
    for pair in pairs:
        j = None
        for label in found:
            draft = Draft.of(pair.vi_text, pair.vi)
            positions = draft.positions("split")
            if not positions:
                break
            j = rng.choice(positions) if j is None else j
            piece = draft.pieces[j]
            if label == "middle":
                draft.split(j, SPLIT_HEADINGS[0])
            else:
                at = min(piece.splits)
                head = "#" * piece.level + " " + SPLIT_HEADINGS[0] + draft.eol + draft.eol
                draft.pieces[j : j + 1] = [
                    Piece(piece.text[:at], piece.level, piece.gid, pristine=False),
                    Piece(head + piece.text[at:], piece.level, piece.gid, pristine=False),
                ]
                draft.groups[piece.gid] = (draft.groups[piece.gid][0], "split")
            doc = check(draft)
            if doc is None:
                continue
            pred = align_vien(pair.en, doc)
            for link, tag in draft.gold().items():
                if tag == "split":
                    found[label][0] += link in pred
                    found[label][1] += 1
    print(
        "\nsplit once, vien (structural truth): "
        + "; ".join(f"{k}: {a}/{b} split links found" for k, (a, b) in found.items())
    )


def reference_report(pairs: list[PagePair], reference: Path, gloss: object) -> None:
    """Strict F1 on the hand-checked reference links (pairs whose skeletons differ)."""
    if not reference.exists():
        print(f"\nno hand-checked reference ({reference})")
        return
    gold = load_reference(reference)
    byname = {p.name: p for p in pairs}
    found = []
    for name, lines in gold.items():
        if name in byname:
            pair = byname[name]
            en = {s.line if s.index else 1: s.index for s in pair.en.sections}
            vi = {s.line if s.index else 1: s.index for s in pair.vi.sections}
            links = {
                (tuple(en[x] for x in a), tuple(vi[y] for y in b))
                for a, b in lines
                if all(x in en for x in a) and all(y in vi for y in b)
            }
            if len(links) == len(lines):  # the pages have not changed since
                found.append((pair, links))
    missing = sorted(set(gold) - set(byname))
    print(
        f"\nhand-checked reference {reference.name}: {len(found)} pairs whose heading "
        f"skeletons differ, {sum(len(v) for _, v in found)} links"
        + (f" ({len(missing)} pairs not found: {', '.join(missing[:3])})" if missing else "")
    )
    for name, aligner in (("vien", vien_aligner()), ("vien+gloss", vien_aligner(gloss))):
        t = Tally()
        wrong = []
        for pair, links in found:
            pred = aligner(pair.en, pair.vi)
            t.add(pred, links)
            if pred != links:
                wrong.append(
                    f"{pair.name}: missed {sorted(links - pred)}, got {sorted(pred - links)}"
                )
        print(f"  {name:12s} strict F1 {t.prf()[2]:.3f} (P {t.prf()[0]:.3f}, R {t.prf()[1]:.3f})")
        if name == "vien":
            for w in wrong[:8]:
                print(f"    {w}")


def load_reference(path: Path) -> dict[str, set[LinkKey]]:  # heading lines, not indices
    """Hand-checked links: ``site<TAB>page<TAB>EN heading lines<TAB>VI heading lines`` per
    link (lines comma-separated, ``-`` for none, 1 for section 0); identifiers only."""
    out: dict[str, set[LinkKey]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        site, page, en, vi = raw.split("\t")

        def side(x: str) -> tuple[int, ...]:
            return () if x == "-" else tuple(int(v) for v in x.split(","))

        out.setdefault(f"{site}:{page}", set()).add((side(en), side(vi)))
    return out


if __name__ == "__main__":
    main()
