"""Changing one glossary term retranslates only the segments that contain it."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner
from vien.cli.main import main
from vien.glossary.entries import DEFAULT_PATH, CsvGlossaryStore, load, make_entry
from vien.mt.simple import PseudoEngine
from vien.page.model import Segment
from vien.page.read import read_document
from vien.translate.batch import run

SITE = Path(__file__).resolve().parents[1] / "data" / "site"
TERM = "event-driven"  # a keep term in the shipped glossary; made a translate term here
OLD, NEW = "hướng sự kiện", "điều khiển bởi sự kiện"


class CountingPseudo(PseudoEngine):
    """The pseudo engine, remembering every segment text it was asked to translate."""

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.sent: list[str] = []

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        self.sent.extend(seg.text for seg in segments)
        return super().translate(segments, source, target)


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".vien" not in p.parts
    }


def _translate(site: Path, glossary: Path) -> list[str]:
    engine = CountingPseudo(load(glossary))
    summary = run(site, "vi", engine, glossary=engine.glossary)
    assert not summary.failed, [r.message for r in summary.results if r.status == "failed"]
    return engine.sent


def test_changing_one_term_retranslates_only_its_segments(tmp_path: Path) -> None:
    site, gpath = tmp_path / "site", tmp_path / "glossary.csv"
    shutil.copytree(SITE, site)
    shutil.copy(DEFAULT_PATH, gpath)
    g = CsvGlossaryStore.load(gpath)
    (old,) = g.lookup(TERM)
    CsvGlossaryStore.dump(g.replace(old, make_entry(TERM, OLD, "translate", old.case)), gpath)

    first = _translate(site, gpath)
    before = _files(site)
    lock_before = json.loads((site / ".vien" / "lock.json").read_text(encoding="utf-8"))
    has_term = re.compile(rf"(?i)(?<!\w){re.escape(TERM)}(?!\w)")
    expected = {t for t in first if has_term.search(t)}
    assert len(expected) >= 2 and len(first) > 10 * len(expected)  # the test means something
    assert OLD in "".join(b.decode("utf-8") for b in before.values()).lower()
    front_matter = [
        s.text
        for p in site.rglob("*.md")
        for s in read_document(p).segments
        if s.style.startswith(("yaml", "toml"))
    ]
    assert not any(has_term.search(t) for t in front_matter)  # (not retranslated: see README)

    assert _translate(site, gpath) == []  # nothing changed: nothing translated
    assert _files(site) == before

    result = CliRunner().invoke(
        main, ["glossary", "set", TERM, "--vi", NEW, "--glossary", str(gpath)]
    )
    assert result.exit_code == 0, result.output
    again = _translate(site, gpath)

    assert sorted(again) == sorted(expected)  # each segment with the term, once; no other
    after = _files(site)
    changed = [name for name in after if after[name] != before[name]]
    assert changed and after.keys() == before.keys()
    for name in after:
        text = after[name].decode("utf-8")
        undone = text.replace(NEW, OLD).replace(NEW.capitalize(), OLD.capitalize())
        assert undone == before[name].decode("utf-8"), name  # no other byte changed
    for name in changed:
        assert NEW in after[name].decode("utf-8").lower()

    lock = json.loads((site / ".vien" / "lock.json").read_text(encoding="utf-8"))
    version = load(gpath).version
    stamps = {
        (page, s["index"]): s["glossary"]
        for page, rec in lock["pages"].items()
        for s in rec["sections"]
    }
    olds = {
        (page, s["index"]): s["glossary"]
        for page, rec in lock_before["pages"].items()
        for s in rec["sections"]
    }
    redone = {k for k in stamps if stamps[k] != olds.get(k)}
    assert redone and all(stamps[k].startswith(version + ":") for k in redone)
    assert all(page.endswith(tuple(changed)) for page, _ in redone)
