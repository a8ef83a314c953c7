"""Up to date without parsing (issue #16): a page whose bytes, its counterpart's bytes, the
glossary version and the engine are unchanged since its lock entry is skipped on the hashes
alone; any of them changed, and it is parsed again."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from vien import glossary
from vien.glossary.entries import Glossary, make_entry
from vien.mt.simple import IdentityEngine, PseudoEngine
from vien.page import read
from vien.site.lock import JOURNAL_FILE, LockFile, _json
from vien.translate import batch
from vien.translate.batch import run

VI_PAGE = "content/2-pipeline/2.1-prepare-bucket.vi.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "site", out)
    return out


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The pages translate parses, in order."""
    seen: list[Path] = []

    def document_of(path: Path, *args: object, **kw: object) -> object:
        seen.append(path)
        return read.document_of(path, *args, **kw)  # type: ignore[arg-type]

    def read_document(path: Path, *args: object, **kw: object) -> object:
        seen.append(path)
        return read.read_document(path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "document_of", document_of)
    monkeypatch.setattr(batch, "read_document", read_document)
    yield seen


def _terms(extra: str = "") -> Glossary:
    terms = glossary.load()
    if extra:
        terms = Glossary([*terms.entries, make_entry(extra, extra)])
    return terms


def test_no_change_rerun_parses_no_page_and_changes_nothing(site: Path, parsed: list[Path]) -> None:
    first = run(site, "vi", PseudoEngine(), glossary=_terms())
    assert not first.failed and parsed
    lock = (site / ".vien" / "lock.json").read_bytes()
    assert not (site / ".vien" / JOURNAL_FILE).exists()  # folded into lock.json at the end
    parsed.clear()
    second = run(site, "vi", PseudoEngine(), glossary=_terms())
    assert parsed == []
    assert second.count("up-to-date") == len(second.results) > 0
    assert (site / ".vien" / "lock.json").read_bytes() == lock


def test_a_changed_counterpart_is_parsed_again(site: Path, parsed: list[Path]) -> None:
    run(site, "vi", PseudoEngine(), glossary=_terms())
    vi = site / VI_PAGE
    vi.write_bytes(vi.read_bytes() + "\nMột đoạn mới do người viết.\n".encode())
    parsed.clear()
    second = run(site, "vi", PseudoEngine(), glossary=_terms())
    assert not second.failed
    assert vi in parsed and len(parsed) == 2  # the pair, and no other page
    parsed.clear()
    run(site, "vi", PseudoEngine(), glossary=_terms())
    assert parsed == []  # recorded again: skipped from now on


def test_a_changed_glossary_or_engine_parses_every_pair_again(
    site: Path, parsed: list[Path]
) -> None:
    run(site, "vi", PseudoEngine(), glossary=_terms())
    parsed.clear()
    run(site, "vi", PseudoEngine(), glossary=_terms("zebra-crossing-term"))
    assert VI_PAGE in {p.relative_to(site).as_posix() for p in parsed}
    parsed.clear()
    run(site, "vi", IdentityEngine(), glossary=_terms("zebra-crossing-term"))
    assert VI_PAGE in {p.relative_to(site).as_posix() for p in parsed}


def test_a_record_from_before_page_hashes_is_upgraded_then_skipped(
    site: Path, parsed: list[Path]
) -> None:
    run(site, "vi", PseudoEngine())
    path = site / ".vien" / "lock.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for record in data["pages"].values():
        record.pop("source_page_hash", None)
        record.pop("stamp", None)
    path.write_text(json.dumps(data), encoding="utf-8")
    parsed.clear()
    run(site, "vi", PseudoEngine())
    assert parsed  # the old entries cannot vouch for the bytes
    parsed.clear()
    run(site, "vi", PseudoEngine())
    assert parsed == []


def test_the_journal_is_replayed_and_a_torn_last_line_ignored(site: Path) -> None:
    run(site, "vi", PseudoEngine())
    lock = LockFile(site)
    key, record = next(iter(lock.pages.items()))
    journal = site / ".vien" / JOURNAL_FILE
    journal.write_text(
        json.dumps({"op": "intend", "key": key, "record": _json(record)})
        + "\n"
        + '{"op": "set", "key": "torn',
        encoding="utf-8",
    )
    again = LockFile(site)
    assert key in again.pending and again.dirty
    assert again.recover() == [key]  # the page holds exactly the intended bytes
    assert not journal.exists() and not LockFile(site).pending


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The pages check parses, in order (the pairs' checks and the site-wide anchor check)."""
    seen: list[Path] = []
    real = read.read_document

    def read_document(path: Path, *args: object, **kw: object) -> object:
        seen.append(path)
        return real(path, *args, **kw)  # type: ignore[arg-type]

    # where check reads pages (it imports the function where it parses one)
    monkeypatch.setattr(read, "read_document", read_document)
    yield seen


def _report(site: Path, terms: Glossary | None = None) -> list[dict[str, object]]:
    from vien.check.run import check

    report = check(site, glossary=terms, workers=1)
    return [f.to_json() for f in report.findings] + [{"pages": report.pages}]


def test_check_reuses_findings_of_unchanged_pairs(site: Path, checked: list[Path]) -> None:
    first = _report(site, _terms())
    assert checked and (site / ".vien" / "check-cache.json").exists()
    checked.clear()
    assert _report(site, _terms()) == first
    assert checked == []


def test_check_without_memory_neither_reads_nor_writes_the_cache(
    site: Path, checked: list[Path]
) -> None:
    """``remember=False`` (benchmarks, the labelled sets): every pair is checked anew and
    nothing is written into the site."""
    from vien.check.run import check

    first = _report(site, _terms())
    checked.clear()
    cache = site / ".vien" / "check-cache.json"
    before = cache.read_bytes()
    cache.unlink()
    again = check(site, glossary=_terms(), workers=1, remember=False)
    assert [f.to_json() for f in again.findings] + [{"pages": again.pages}] == first
    assert checked and not cache.exists()
    cache.write_bytes(before)
    checked.clear()
    check(site, glossary=_terms(), workers=1, remember=False)
    assert checked  # the stored findings are not read either


def test_check_parses_each_page_once(site: Path, checked: list[Path]) -> None:
    """The anchor check takes the anchors of the pages the pairs parsed: no page is parsed
    a second time for it (it once parsed the whole site again)."""
    _report(site, _terms())
    counts = Counter(checked)
    assert counts and set(counts.values()) == {1}


def test_check_cache_invalidated_by_counterpart_glossary_and_lock(
    site: Path, checked: list[Path]
) -> None:
    first = _report(site, _terms())
    vi = site / VI_PAGE
    vi.write_bytes(vi.read_bytes() + b"\nAn English paragraph left in the Vietnamese page.\n")
    checked.clear()
    changed = _report(site, _terms())
    assert vi in checked and len(checked) == 2  # that pair only
    assert changed != first  # the new paragraph is found untranslated
    checked.clear()
    _report(site, _terms("zebra-crossing-term"))
    assert len(checked) > 2  # every pair: the glossary changed
    checked.clear()
    run(site, "vi", PseudoEngine())  # writes lock entries: staleness depends on them
    checked.clear()
    _report(site, _terms("zebra-crossing-term"))
    assert checked


def test_a_lock_of_ten_thousand_pages_loads(tmp_path: Path) -> None:
    """JSON has no aliases: a big lock file is not refused as an alias bomb (it was at
    about 3,000 pages, > 100,000 values)."""
    from vien.site.lock import PageRecord, SectionRecord

    lock = LockFile(tmp_path)
    sections = [SectionRecord(k, f"Heading {k}", f"{k:016x}", "pseudo") for k in range(3)]
    for k in range(10_000):
        lock.pages[f"content/p{k}/page.vi.md"] = PageRecord(f"p{k}", "0" * 16, sections)
    lock.save()
    assert len(LockFile(tmp_path).pages) == 10_000


def test_code_stamp_hashes_the_files_rglob_finds_in_path_order(tmp_path: Path) -> None:
    """The stamp is the hash of every ``*.py`` that ``Path.rglob`` finds, sorted as paths
    (by their parts: ``a/b.py`` before ``a.b/c.py``), each named relative to the package."""
    import hashlib
    import os

    from vien.check.cache import stamp_of

    pkg = tmp_path / "pkg"
    for rel in ("a/b.py", "a.b/c.py", "a-c.py", "a/__pycache__/b.cpython-311.pyc", "z/y/x.py"):
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(f"NAME = {rel!r}\n", encoding="utf-8")
    (pkg / "notes.txt").write_text("not code\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.py").write_text("O = 1\n", encoding="utf-8")
    os.symlink(tmp_path / "outside", pkg / "linked")  # rglob does not follow it
    h = hashlib.sha256()
    for f in sorted(pkg.rglob("*.py")):
        data = f.read_bytes()
        h.update(f"{f.relative_to(pkg).as_posix()}\0{len(data)}\0".encode() + data)
    assert stamp_of(pkg) == h.hexdigest()[:16]


def test_code_stamp_follows_the_code_not_its_file_times(tmp_path: Path) -> None:
    """Another version of a file, of the same size and modification time (a wheel's files
    carry the times recorded in it), changes the stamp that check-cache keys hold."""
    import os

    from vien.check.cache import stamp_of

    f = tmp_path / "pkg" / "mod.py"
    f.parent.mkdir()
    f.write_text("LIMIT = 1\n", encoding="utf-8")
    os.utime(f, ns=(1_000_000_000, 1_000_000_000))
    before = stamp_of(f.parent)
    assert stamp_of(f.parent) == before
    f.write_text("LIMIT = 2\n", encoding="utf-8")
    os.utime(f, ns=(1_000_000_000, 1_000_000_000))
    assert stamp_of(f.parent) != before


def test_the_lock_is_read_without_a_second_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock's entries are checked field by field as they are read: its values are not
    walked once more for their depth (a 10,000-page lock holds millions), and a lock nested
    past the parser's limit is still a damaged lock, not a crash."""
    from vien import structured
    from vien.errors import StateError
    from vien.site.lock import PageRecord, SectionRecord

    lock = LockFile(tmp_path)
    lock.set(tmp_path / "a.vi.md", PageRecord("a.md", "h", [SectionRecord(0, "", "s", "human")]))
    lock.save()

    def walked(*_: object, **__: object) -> None:
        raise AssertionError("walked")

    monkeypatch.setattr(structured, "check_shape", walked)
    assert LockFile(tmp_path).get(tmp_path / "a.vi.md") == lock.get(tmp_path / "a.vi.md")
    monkeypatch.undo()
    (tmp_path / ".vien" / "lock.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(StateError, match="damaged vien lock file"):
        LockFile(tmp_path)


_LIGHTHOUSES = """---
title: Lighthouses
---

## Towers

Lighthouses stand on rocky coasts and guide ships at night. The tallest one in France is
82 metres high and was finished in 1902.

## Lamps

Old lamps burned whale oil; new ones use LEDs and solar panels.

```bash
echo lamp
```

## Keepers

Keepers lived in small houses beside the tower.

- They cleaned the lens.
- They wound the clockwork.
- They logged the weather.

## Today

Most lighthouses now run on their own.
"""

#: Not a translation of _LIGHTHOUSES: another page at its counterpart's path.
_PHO = """---
title: Nấu phở
---

# Nước dùng

Hầm xương bò trong tám tiếng với gừng và hành nướng.

#### Bánh phở

Trụng bánh phở qua nước sôi rồi cho vào tô, thêm thịt bò tái thái mỏng và hành lá, rồi chan
nước dùng thật nóng lên trên cho chín thịt.

| Món | Giá |
| --- | --- |
| Phở tái | 50.000 |
| Phở chín | 45.000 |

# Rau thơm

Thêm húng quế, ngò gai.
"""


def test_a_refused_pair_does_not_read_the_site_again(site: Path, parsed: list[Path]) -> None:
    """A pair refused as being about something else is never up to date, so every run plans
    it again; it reads only its own two pages, not the site's other pairs (site evidence is
    for pairs that correspond)."""
    folder = site / "content" / "9-other"
    folder.mkdir()
    (folder / "page.md").write_text(_LIGHTHOUSES, encoding="utf-8")
    (folder / "page.vi.md").write_text(_PHO, encoding="utf-8")
    first = run(site, "vi", PseudoEngine(), glossary=_terms())
    refused = [r for r in first.results if r.status == "failed"]
    assert [r.source for r in refused] == [folder / "page.md"]
    assert "about something else" in refused[0].message
    parsed.clear()
    run(site, "vi", PseudoEngine(), glossary=_terms())
    assert sorted(parsed) == [folder / "page.md", folder / "page.vi.md"]
