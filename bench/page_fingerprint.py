"""A stable fingerprint of everything vien's page model produces for every page it can find.

Parses each ``.md`` page under the given folders and writes one line per page: its path and
a hash of the full result (segments with parts, sections, blocks, front matter, warnings,
render_text with the identity and with a pseudo translation, or the error). Used to show that
a change to the page model (an optimisation) leaves its behaviour unchanged, byte for byte:
record before, compare after.

    python bench/page_fingerprint.py --out before.txt [DIR ...]
    python bench/page_fingerprint.py --compare before.txt [DIR ...]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from vien.errors import VienError
from vien.page.parse import parse
from vien.page.read import decode
from vien.page.render import render_bytes, render_text

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = ["/work/corpus", "/work/shared/sites", "/work/shared/seeds", str(ROOT / "data")]


def fingerprint(raw: bytes) -> str:
    """A repr of the whole parse result of ``raw`` (or of the error it raises)."""
    out: list[str] = []
    try:
        text, bom = decode(raw)
        doc = parse(text, bom=bom)
    except VienError as exc:
        return "ERROR " + type(exc).__name__ + " " + repr(str(exc))
    out.append(repr(("bom", doc.bom)))
    fm = doc.front_matter
    out.append(
        repr(("fm", fm and (fm.format, fm.start, fm.end, sorted(map(repr, fm.data.items())))))
    )
    for s in doc.segments:
        out.append(
            repr(
                (
                    "seg",
                    s.index,
                    s.start,
                    s.end,
                    s.line,
                    s.section,
                    s.block,
                    s.text,
                    s.plain,
                    s.style,
                    s.field,
                    s.in_front_matter,
                    [(p.kind, p.text, p.protected) for p in s.parts],
                )
            )
        )
    for sec in doc.sections:
        out.append(
            repr(
                (
                    "sec",
                    sec.index,
                    sec.level,
                    sec.heading,
                    sec.line,
                    sec.start,
                    sec.end,
                    sec.segments,
                )
            )
        )
        for b in sec.blocks:
            out.append(
                repr(
                    (
                        "blk",
                        b.kind,
                        b.line,
                        b.containers,
                        b.level,
                        b.info,
                        b.segments,
                        b.digest,
                        b.signature,
                    )
                )
            )
    out.append(repr(("warn", doc.warnings)))
    out.append(repr(("skel", doc.skeleton(), doc.section_spans(), doc.section_hashes())))
    out.append(repr(("id", render_text(doc, {}) == doc.text, render_bytes(doc, {}) == raw)))
    same = {s.index: s.text for s in doc.segments}
    out.append(repr(("id2", render_text(doc, same) == doc.text)))
    pseudo = {s.index: "«" + s.text[::-1] + '"`\\ ü' for s in doc.segments}
    out.append(repr(("pseudo", render_text(doc, pseudo))))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", default=DEFAULT_DIRS)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    args = ap.parse_args(argv)
    lines = []
    for d in args.dirs:
        for f in sorted(Path(d).rglob("*.md")):
            if not f.is_file():
                continue
            h = hashlib.sha256(fingerprint(f.read_bytes()).encode("utf-8", "surrogatepass"))
            lines.append(f"{f}\t{h.hexdigest()}")
    body = "\n".join(lines) + "\n"
    total = hashlib.sha256(body.encode()).hexdigest()
    print(f"{len(lines)} pages, fingerprint {total}")
    if args.out:
        args.out.write_text(body)
    if args.compare:
        old = dict(x.split("\t") for x in args.compare.read_text().splitlines())
        new = dict(x.split("\t") for x in lines)
        diff = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        for k in diff[:20]:
            print("DIFFERS", k)
        print("IDENTICAL" if not diff else f"{len(diff)} pages differ")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
