"""The labelled set for ``vien check``'s untranslated-text detection (issue #5).

:func:`materialise` copies the real pages (../shared/sites, ../shared/seeds, data/site) into a
folder, byte for byte, then injects untranslated text on purpose, deterministically, taking
the injected text from the page's counterpart so it is realistic:

* ``en-section-in-vi``: a whole VI section (heading and body) replaced by its EN section;
* ``en-paragraph-in-vi``: one VI paragraph replaced by its EN counterpart;
* ``en-bullet-in-vi``: one bullet of a Vietnamese list left in English;
* ``en-cell-in-vi``: one prose table cell of a VI table left in English;
* ``vi-bullet-in-en`` / ``vi-paragraph-in-en``: Vietnamese text in an English page.

The injector records what it injected. The real findings (text already in the wrong
language in the original pages) and the borderline decisions are in
``tests/data/check_labels.json``; :func:`labels` resolves both to segment indexes. Every
segment of every page is a unit: positive when labelled untranslated, negative otherwise.

Layout: each site in its own folder (``aws-budget/``, ``dms-migration/``, ``sample/``) and
the seeds in ``seeds/`` as lone pages, ``NAME.md`` (English) or ``NAME.vi.md`` (Vietnamese).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from vien.align.sections import align
from vien.glossary.entries import Glossary
from vien.glossary.entries import load as load_glossary
from vien.page.model import Document, Segment
from vien.page.read import read_document
from vien.site.discover import discover

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "check_labels.json"
#: The language each seed page is written in (read, not guessed).
SEED_LANGS = {
    "000_ed75592dc8e26c5e": "vi",
    "001_3114b66d738cead2": "en",
    "002_699b23be76cc9b7d": "vi",
    "003_cfaa6ebb5b22897c": "en",
    "004_35be92e913856f9f": "en",
}
SITES = ("aws-budget", "dms-migration", "sample")
KINDS = (
    "en-section-in-vi",
    "en-paragraph-in-vi",
    "en-bullet-in-vi",
    "en-cell-in-vi",
    "vi-bullet-in-en",
    "vi-paragraph-in-en",
)
#: Injections per kind (fewer when there are not enough candidates).
PER_KIND = {
    "en-section-in-vi": 10,
    "en-paragraph-in-vi": 16,
    "en-bullet-in-vi": 16,
    "en-cell-in-vi": 8,
    "vi-bullet-in-en": 16,
    "vi-paragraph-in-en": 16,
}
SEED = 5

_LATIN_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(slots=True)
class Label:
    """One labelled segment of the set."""

    file: str  # relative to the set root
    line: int
    text: str
    label: str  # "untranslated" or "ok"
    note: str = ""
    kind: str = "real"  # an injection kind, or "real"


@dataclass(slots=True)
class LabelledSet:
    """A materialised set: where it is, its page files and their languages, its labels."""

    root: Path
    pages: dict[str, str] = field(default_factory=dict)  # relative path -> language
    injected: list[Label] = field(default_factory=list)
    #: file -> (first replaced line, last replaced line, lines added) of each injection
    shifts: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    sites: tuple[str, ...] = (*SITES, "seeds")  # the folders below root, each checked alone

    def site_roots(self) -> list[Path]:
        return [self.root / name for name in self.sites]


def has_marks(text: str) -> bool:
    """Whether ``text`` has Vietnamese letters or tone marks (a script fact, not a guess)."""
    if any(c in "đĐăĂâÂêÊôÔơƠưƯ" for c in text):
        return True
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


def short(text: str, n: int = 60) -> str:
    """How a label quotes a segment: its plain text, spaces squeezed, first ``n`` chars."""
    return " ".join(text.split())[:n]


def _prose_words(seg: Segment) -> int:
    return len(_LATIN_WORD.findall(seg.plain))


def _kind(doc: Document, seg: Segment) -> str:
    if seg.field is not None:
        return "front_matter"
    return doc.sections[seg.section].blocks[seg.block].kind


def _single_line(doc: Document, seg: Segment) -> bool:
    return "\n" not in doc.text[seg.start : seg.end]


def _copy_sources(shared: Path, dest: Path, data_site: Path) -> dict[str, str]:
    pages: dict[str, str] = {}
    for name, src in (
        ("aws-budget", shared / "sites" / "aws-budget"),
        ("dms-migration", shared / "sites" / "dms-migration"),
        ("sample", data_site),
    ):
        shutil.copytree(src, dest / name)
    (dest / "seeds").mkdir()
    for stem, lang in SEED_LANGS.items():
        name = f"{stem}.md" if lang == "en" else f"{stem}.{lang}.md"
        shutil.copyfile(shared / "seeds" / f"{stem}.txt", dest / "seeds" / name)
    for site in (*SITES, "seeds"):
        for page in discover(dest / site).pages:
            pages[page.path.relative_to(dest).as_posix()] = page.lang
    return pages


@dataclass(slots=True)
class _Candidate:
    kind: str
    file: str  # the page to edit
    start: int  # span replaced in its text
    end: int
    new: str  # the text put there (newlines as in the target file)


def _candidates(dest: Path, glossary: Glossary) -> list[_Candidate]:
    out: list[_Candidate] = []
    for site in SITES:
        found = discover(dest / site)
        for en_page, vi_page in found.pairs("en", "vi"):
            if vi_page is None:
                continue
            en, vi = read_document(en_page.path), read_document(vi_page.path)
            en_rel = en_page.path.relative_to(dest).as_posix()
            vi_rel = vi_page.path.relative_to(dest).as_posix()
            crlf = "\r\n" in vi.text
            for lk in align(en, vi, glossary):
                if len(lk.source) != 1 or len(lk.target) != 1 or not lk.source[0]:
                    continue
                es, vs = en.sections[lk.source[0]], vi.sections[lk.target[0]]
                e_segs = [en.segments[i] for i in es.segments]
                v_segs = [vi.segments[i] for i in vs.segments]
                if not v_segs or sum(has_marks(s.plain) for s in v_segs) * 2 < len(v_segs):
                    continue  # the VI section is not really translated: nothing to undo
                out += _section_candidate(en, vi, es.index, vs.index, vi_rel, crlf)
                for kind, block in (
                    ("paragraph", "paragraph"),
                    ("bullet", "list_item"),
                    ("cell", "table_cell"),
                ):
                    ek = [s for s in e_segs if _kind(en, s) == block]
                    vk = [s for s in v_segs if _kind(vi, s) == block]
                    if len(ek) != len(vk):
                        continue
                    for a, b in zip(ek, vk, strict=True):
                        if not (_single_line(en, a) and _single_line(vi, b)):
                            continue
                        if has_marks(a.plain) or not has_marks(b.plain):
                            continue  # the pair must really be EN ↔ VI
                        if _prose_words(a) >= 5:
                            out.append(
                                _Candidate(
                                    f"en-{kind}-in-vi",
                                    vi_rel,
                                    b.start,
                                    b.end,
                                    en.text[a.start : a.end],
                                )
                            )
                        if kind != "cell" and _prose_words(b) >= 5:
                            out.append(
                                _Candidate(
                                    f"vi-{kind}-in-en",
                                    en_rel,
                                    a.start,
                                    a.end,
                                    vi.text[b.start : b.end],
                                )
                            )
    return out


def _section_candidate(
    en: Document, vi: Document, i: int, j: int, vi_rel: str, crlf: bool
) -> list[_Candidate]:
    def span(doc: Document, k: int) -> tuple[int, int]:
        starts = [m.start() for m in re.finditer(r"^", doc.text, re.M)]
        sec = doc.sections[k]
        a = starts[sec.line - 1]
        b = starts[doc.sections[k + 1].line - 1] if k + 1 < len(doc.sections) else len(doc.text)
        return a, b

    ea, eb = span(en, i)
    va, vb = span(vi, j)
    new = en.text[ea:eb].replace("\r\n", "\n")
    if not new.endswith("\n"):
        new += "\n"
    if crlf:
        new = new.replace("\n", "\r\n")
    if len(en.sections[i].segments) < 2 or len(new) > 4000:
        return []
    return [_Candidate("en-section-in-vi", vi_rel, va, vb, new)]


def _inject(dest: Path, chosen: list[_Candidate], labelled: LabelledSet) -> None:
    by_file: dict[str, list[_Candidate]] = {}
    for c in chosen:
        by_file.setdefault(c.file, []).append(c)
    for file, cands in sorted(by_file.items()):
        path = dest / file
        before = read_document(path)
        original = {" ".join(s.text.split()) for s in before.segments}
        bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
        cands.sort(key=lambda c: c.start)
        text, pos, moved = "", 0, 0
        spans: list[tuple[int, int, _Candidate]] = []  # new offsets of each injection
        for c in cands:
            text += before.text[pos : c.start]
            spans.append((c.start + moved, c.start + moved + len(c.new), c))
            text += c.new
            pos = c.end
            moved += len(c.new) - (c.end - c.start)
            first = before.text.count("\n", 0, c.start) + 1
            last = before.text.count("\n", 0, max(c.start, c.end - 1)) + 1
            delta = c.new.count("\n") - before.text.count("\n", c.start, c.end)
            labelled.shifts.setdefault(file, []).append((first, last, delta))
        text += before.text[pos:]
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        after = read_document(path)
        for seg in after.segments:
            c = next((c for a, b, c in spans if a <= seg.start < b), None)
            if c is None or " ".join(seg.text.split()) in original:
                continue  # not injected, or kept as is by the translators (a name, a label)
            own = [
                p
                for k, p in enumerate(seg.parts)
                if not p.protected
                and not (k and seg.parts[k - 1].kind == "image" and seg.parts[k - 1].text == "![")
            ]
            if not _LATIN_WORD.search("".join(p.text for p in own)):
                continue  # only code, links, alt text: no words of its own
            labelled.injected.append(
                Label(
                    file, seg.line, short(seg.plain), "untranslated", f"injected {c.kind}", c.kind
                )
            )


def _choose(cands: list[_Candidate]) -> list[_Candidate]:
    """PER_KIND injections of each kind: at most two per kind per page, never overlapping."""
    rng = random.Random(SEED)
    chosen: list[_Candidate] = []
    for kind in KINDS:
        pool = [c for c in cands if c.kind == kind]
        rng.shuffle(pool)
        n = 0
        for c in pool:
            if n >= PER_KIND[kind]:
                break
            mine = [x for x in chosen if x.file == c.file]
            if sum(x.kind == kind for x in mine) >= 2 or any(
                x.start < c.end and c.start < x.end for x in mine
            ):
                continue
            chosen.append(c)
            n += 1
    return chosen


def materialise(
    dest: Path,
    shared: Path,
    data_site: Path = ROOT / "data" / "site",
    *,
    inject: bool = True,
    glossary: Glossary | None = None,
) -> LabelledSet:
    """Build the labelled set in ``dest`` (created; must not exist or be empty)."""
    dest.mkdir(parents=True, exist_ok=True)
    labelled = LabelledSet(dest.resolve())
    labelled.pages = _copy_sources(shared, labelled.root, data_site)
    if inject:
        cands = _candidates(labelled.root, glossary or load_glossary(None))
        _inject(labelled.root, _choose(cands), labelled)
    return labelled


def external(root: Path) -> LabelledSet:
    """A set labelled elsewhere, as it is (nothing injected): every folder below ``root`` is
    a site of its own; its labels file names pages relative to ``root``."""
    root = root.resolve()
    labelled = LabelledSet(root, sites=tuple(sorted(d.name for d in root.iterdir() if d.is_dir())))
    for site in labelled.sites:
        for page in discover(root / site).pages:
            labelled.pages[page.path.relative_to(root).as_posix()] = page.lang
    return labelled


def real_labels(path: Path = LABELS) -> list[Label]:
    """The labels of real findings and borderline decisions (original pages, original lines)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Label(d["file"], d["line"], d["text"], d["label"], d.get("note", ""))
        for d in data["labels"]
    ]


def resolve(doc: Document, label: Label, line: int) -> int | None:
    """The index of the segment ``label`` names in ``doc`` (nearest ``line`` on a tie)."""
    want = short(label.text)
    hits = [s for s in doc.segments if short(s.plain).startswith(want)]
    if not hits:  # a label that quotes a line break as a space ("Prompt Amazon Q…")
        bare = "".join(want.split())
        hits = [s for s in doc.segments if "".join(s.plain.split()).startswith(bare)]
    if not hits:
        return None
    return min(hits, key=lambda s: abs(s.line - line)).index


def labels(
    labelled: LabelledSet, path: Path = LABELS
) -> tuple[dict[tuple[str, int], Label], list[str]]:
    """Every label resolved to (file, segment index), and the labels that did not resolve.

    A real label in a file changed by an injection is shifted by the lines the injection
    added; one whose segment an injection replaced stands if its text is still there.
    """
    out: dict[tuple[str, int], Label] = {}
    problems: list[str] = []
    docs: dict[str, Document] = {}

    def doc(file: str) -> Document:
        if file not in docs:
            docs[file] = read_document(labelled.root / file)
        return docs[file]

    for lab in real_labels(path):
        shifts = labelled.shifts.get(lab.file, [])
        line = lab.line + sum(delta for _, last, delta in shifts if last < lab.line)
        inside = next((first for first, last, _ in shifts if first <= lab.line <= last), None)
        if inside is not None:  # replaced by an injection: kept if its text is still there
            line = inside + sum(delta for _, last, delta in shifts if last < inside)
            index = resolve(doc(lab.file), lab, line)
            if index is not None and lab.label == "untranslated":
                out[(lab.file, index)] = lab
            continue
        if lab.file not in labelled.pages:
            problems.append(f"{lab.file}: no such page in the set")
            continue
        index = resolve(doc(lab.file), lab, line)
        if index is None:
            problems.append(f"{lab.file}:{lab.line}: no segment starts with {lab.text!r}")
            continue
        out[(lab.file, index)] = lab
    for lab in labelled.injected:
        index = resolve(doc(lab.file), lab, lab.line)
        if index is None:
            problems.append(f"{lab.file}:{lab.line}: injected {lab.text!r} not found")
            continue
        out[(lab.file, index)] = lab
    return out, problems


def units(labelled: LabelledSet) -> dict[tuple[str, int], tuple[str, Segment]]:
    """Every segment of every page: (file, index) -> (page language, segment)."""
    out = {}
    for file, lang in labelled.pages.items():
        for seg in read_document(labelled.root / file).segments:
            out[(file, seg.index)] = (lang, seg)
    return out


def describe(
    predicted: set[tuple[str, int]],
    positive: set[tuple[str, int]],
    units: dict[tuple[str, int], tuple[str, Segment]],
    labels: dict[tuple[str, int], Label],
) -> list[str]:
    """The false positives and false negatives, one line each: file:line [kind] text."""
    out = []
    for tag, wrong in (("FP", predicted - positive), ("FN", positive - predicted)):
        for u in sorted(wrong):
            kind = labels[u].kind if u in labels else "-"
            out.append(
                f"  {tag} {u[0]}:{units[u][1].line} [{kind}] {short(units[u][1].plain, 90)!r}"
            )
    return out


def checked(labelled: LabelledSet, glossary: Glossary) -> dict[tuple[str, int], int]:
    """What ``vien check`` reports as untranslated in the set: unit -> reported line."""
    return {u: line for u, (line, _) in checked_levels(labelled, glossary).items()}


def checked_levels(
    labelled: LabelledSet, glossary: Glossary
) -> dict[tuple[str, int], tuple[int, str]]:
    """Like :func:`checked`, with each finding's level: unit -> (reported line, level)."""
    from vien.check.run import check

    found: dict[tuple[str, int], tuple[int, str]] = {}
    for site in labelled.site_roots():
        for f in check(site, glossary=glossary, workers=1, remember=False).findings:
            if f.kind == "untranslated":
                assert f.segment is not None
                rel = Path(f.file).resolve().relative_to(labelled.root).as_posix()
                found[(rel, f.segment)] = (f.line, f.severity)
    return found


def prose(labelled: LabelledSet, unit: tuple[str, int]) -> bool:
    """Whether ``unit`` is running text (not a heading, title, table header or link text):
    what level error is for (#15)."""
    from vien.check.langid import role

    doc = read_document(labelled.root / unit[0])
    seg = doc.segments[unit[1]]
    text = seg.text.strip().rstrip(".:")
    link = text.startswith("[") and text.endswith(")") and text.count("](") == 1
    return role(doc, seg) == "text" and not link
