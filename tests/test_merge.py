"""Translating pages that already have a counterpart: keep human sections, fill the gaps."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, hugo_config, require_shared
from vien import glossary
from vien.align.sections import DIFFERENT
from vien.align.site import SiteEvidence
from vien.cli.main import main
from vien.mt.simple import PseudoEngine
from vien.page.model import Segment
from vien.page.parse import parse
from vien.page.render import render_range
from vien.site.discover import discover
from vien.tm.memory import Memory, Unit
from vien.tm.tmx import TmxStore
from vien.translate.batch import PageResult, _keep_ids, keep_heading_ids, run
from vien.translate.plan import plan


class Counting(PseudoEngine):
    """The pseudo engine, counting how many segments it is asked to translate."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        self.asked += len(segments)
        return super().translate(segments, source, target)


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.md"))
    }


def victims(site: Path) -> list[list[tuple[Path, int, int]]]:
    """Sections to delete, in rounds of at most one per page: (VI page, EN section, VI
    section). Every section qualifies that the merge would keep as a human translation of
    one source section: on a page whose counterpart the tool finds complete (nothing to
    translate, not refused), linked one to one to a source section other than section 0, with
    the confidence the merge counts as the same content, with real content (3+ segments),
    and whose heading and the next one are not inside a list (so that cutting its text cuts
    exactly that section). Round r deletes each page's r-th such section."""
    terms = glossary.load()
    per_page = []
    for page, other in sorted(discover(site).pairs("en", "vi"), key=lambda p: p[0].key):
        if other is None:
            continue
        a = parse(page.path.read_text(encoding="utf-8"))
        b = parse(other.path.read_text(encoding="utf-8"))
        p = plan(a, b, terms, "en", "vi", retranslate=False)
        if p.refused or not p.unchanged:
            continue
        lines = b.text.splitlines()
        flat = {s.line for s in b.sections[1:] if not lines[s.line - 1].startswith(" ")}
        found = []
        for lk in p.links:
            if (
                len(lk.source) != 1
                or len(lk.target) != 1
                or lk.source[0] == 0
                or lk.confidence < DIFFERENT
            ):
                continue
            j = lk.target[0]
            if (
                b.sections[j].line in flat
                and len(b.sections[j].segments) > 2
                and (j + 1 == len(b.sections) or b.sections[j + 1].line in flat)
            ):
                found.append((other.path, lk.source[0], j))
        per_page.append(found)
    return [
        [found[r] for found in per_page if r < len(found)]
        for r in range(max(map(len, per_page), default=0))
    ]


def _en_page(site: Path, vi: Path) -> Path:
    return next(
        page.path
        for page, other in discover(site).pairs("en", "vi")
        if other is not None and other.path == vi
    )


@pytest.mark.parametrize("name", ["dms-migration", "aws-budget"])
def test_deleted_sections_come_back_and_nothing_else_changes(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every qualifying section of both sites is deleted once (one per page and run); each
    comes back as the pseudo translation of its source section, and every other byte is what
    a run on the untouched site writes: the page unchanged where its counterpart is complete
    (aws-budget's 5-clean-up and _index lack source sections, which the run translates).
    Site-wide evidence is left out (``tests/test_site_evidence.py`` tests it): with it, a
    page's merge reads how the other pages pair their headings, which the cuts change (on
    aws-budget, "Overview" and "Tổng quan" are paired on two pages, one of them cut)."""
    monkeypatch.setattr(SiteEvidence, "of", classmethod(lambda cls, *a, **k: cls()))
    shared = require_shared() / "sites" / name
    untouched = tmp_path / "untouched"
    shutil.copytree(shared, untouched)
    args = ["translate", "--to", "vi", "--engine", "pseudo", "--no-retranslate"]
    result = CliRunner().invoke(main, [args[0], str(untouched), *args[1:]])
    assert result.exit_code == 0, result.output
    expected = digest(untouched)
    rounds = victims(shared)
    assert sum(map(len, rounds)) >= (10 if name == "dms-migration" else 5)
    engine = PseudoEngine(glossary.load())
    for k, chosen in enumerate(rounds):
        site = tmp_path / f"round{k}"
        shutil.copytree(shared, site)
        cut: dict[Path, tuple[str, int, int, Path, int]] = {}
        for vi, i, j in chosen:
            vi = site / vi.relative_to(shared)
            text = vi.read_bytes().decode("utf-8")
            a, b = parse(text).section_spans()[j]
            vi.write_bytes((text[:a] + text[b:]).encode("utf-8"))
            cut[vi] = (text, a, b, _en_page(site, vi), i)
        result = CliRunner().invoke(main, [args[0], str(site), *args[1:]])
        assert result.exit_code == 0, result.output
        after = digest(site)
        for rel, sha in expected.items():
            path = site / rel
            if path not in cut:
                assert after[rel] == sha, f"round {k}: {rel} changed"
                continue
            original, a, b, en, i = cut[path]
            new = path.read_bytes().decode("utf-8")
            head, tail = original[:a], original[b:]
            assert new.startswith(head) and new.endswith(tail), f"{rel}: other bytes changed"
            restored = new[len(head) : len(new) - len(tail)]
            src = parse(en.read_text(encoding="utf-8"))
            segs = [src.segments[x] for x in src.sections[i].segments]
            tr = dict(zip([x.index for x in segs], engine.translate(segs, "en", "vi"), strict=True))
            keep = _keep_ids(discover(site), "linked", 1 << 30)  # linked headings keep their ID
            assert keep is not None
            keep_heading_ids(src, tr, *keep)
            assert restored.strip() == render_range(src, tr, *src.section_spans()[i]).strip(), (
                f"round {k}: {rel}"
            )
            assert "⟦" in restored
            assert f"translated 1 missing section: “{src.sections[i].heading}”" in result.output, (
                rel
            )


def test_second_run_asks_the_engine_nothing_and_changes_no_byte(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "site", site)
    engine = Counting()
    first = run(site, "vi", engine)
    assert not first.failed and engine.asked > 0
    state = digest(site)
    lock = (site / ".vien" / "lock.json").read_bytes()
    again = Counting()
    second = run(site, "vi", again)
    assert again.asked == 0
    assert second.count("written") == 0 and second.count("up-to-date") == len(
        [r for r in second.results]
    )
    assert digest(site) == state
    assert (site / ".vien" / "lock.json").read_bytes() == lock
    record = json.loads(lock)["pages"]["content/3-reports/3.1-community-day-report.vi.md"]
    assert {s["origin"] for s in record["sections"]} <= {"pseudo", "carried", "copied"}


def test_after_translate_check_finds_nothing_untranslated_in_the_counterparts(
    tmp_path: Path,
) -> None:
    """Merging with --retranslate retranslates what `vien check` reports as errors: English
    prose left in the Vietnamese pages of dms-migration. Titles and labels it only warns
    about (table headers like "Parameter", a site convention) are the writer's choice and
    stay (#14, #15)."""
    from vien.check.run import check

    site = tmp_path / "dms-migration"
    shutil.copytree(require_shared() / "sites" / "dms-migration", site)
    terms = glossary.load()

    def left(*levels: str) -> list[str]:
        return [
            f"{f.file}:{f.line}: {f.message}"
            for f in check(site, glossary=terms).findings
            if f.kind == "untranslated" and "/content/vi/" in f.file and f.severity in levels
        ]

    before = left("error", "warning", "notice")
    assert len(left("error")) > 10  # the site as it is
    assert not run(site, "vi", PseudoEngine(), glossary=terms).failed
    # by default, human sections are kept as they are (#14)
    assert left("error", "warning", "notice") == before
    assert not run(site, "vi", PseudoEngine(), glossary=terms, retranslate=True).failed
    assert left("error") == []
    assert left("warning", "notice")  # titles and labels are the writer's to change


def test_the_memory_answers_repeats_before_the_engine(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "site", site)
    run(site, "vi", Counting())
    for page in site.rglob("*.vi.md"):  # lose every translation, keep the memory
        if page.name in ("_index.vi.md",) and page.parent.name in ("2-pipeline", "3-reports"):
            page.unlink()
    (site / ".vien" / "lock.json").unlink()
    engine = Counting()
    summary = run(site, "vi", engine)
    assert engine.asked == 0 and summary.memory_hits > 0


def test_stale_machine_sections_are_redone_and_human_ones_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "site", site)
    run(site, "vi", Counting())
    en = site / "content/2-pipeline/_index.md"
    text = en.read_text(encoding="utf-8")
    en.write_text(text.replace("Chapter 2", "Chapter Two"), encoding="utf-8")
    engine = Counting()
    summary = run(site, "vi", engine)
    assert engine.asked >= 1
    vi = (site / "content/2-pipeline/_index.vi.md").read_text(encoding="utf-8")
    assert "Ţŵö" in vi
    assert summary.count("written") == 1


def _refused(site: Path, en: str, vi: str) -> PageResult:
    """Translate page ``en`` into its counterpart ``vi`` (p.md, p.vi.md): the one result,
    which must be a refusal that left the counterpart as it was."""
    (site / "p.md").write_text(en, encoding="utf-8")
    (site / "p.vi.md").write_text(vi, encoding="utf-8")
    (result,) = run(site, "vi", Counting()).results
    assert result.status == "failed", result
    assert (site / "p.vi.md").read_text(encoding="utf-8") == vi
    return result


def test_same_headings_different_content_is_reported_not_merged(tmp_path: Path) -> None:
    site = hugo_config(tmp_path / "site", content_dir=".")
    en = (
        "# Start\n\n## Alpha\n\n![a](/img/a1.png) Run `alpha-cmd` on 10.0.0.1 now.\n\n"
        "## Beta\n\n![b](/img/b1.png) Run `beta-cmd` with **Console** 443.\n\n"
        "## Gamma\n\n![c](/img/c1.png) Open https://example.org/gamma and **Save** 8080.\n"
    )
    vi = (
        "# Bắt đầu\n\n## Một\n\n![x](/img/z9.png) Chạy `khac` trên **Bảng** 77.\n\n"
        "## Hai\n\n![y](/img/y8.png) Mở https://example.net/khac, nhấn **Lưu** 55.\n\n"
        "## Ba\n\n![z](/img/x7.png) Gõ `lenh-khac` với số 99 trong **Hộp**.\n"
    )
    result = _refused(site, en, vi)
    assert "different content" in result.message


def test_a_counterpart_about_something_else_is_not_merged(tmp_path: Path) -> None:
    """A page kept at the counterpart's path that is another page (different headings, no
    section in common on either side: a different blog post, a lab of another service) is
    refused with what to do, not filled with translated sections; check reports it once
    instead of a missing section per source section."""
    site = hugo_config(tmp_path / "site", content_dir=".")
    en = (
        "# Static website\n\n## Create a bucket\n\n![a](/img/bucket.png) Open the S3 console "
        "and choose **Create bucket**; name it `site-2024`.\n\n## Upload the files\n\n"
        "![b](/img/upload.png) Upload `index.html` and `error.html` to the bucket.\n\n"
        "## Turn on hosting\n\n![c](/img/hosting.png) In **Properties**, enable static "
        "website hosting.\n"
    )
    vi = (
        "# Giám sát chi phí\n\n### Tạo ngân sách\n\n![x](/img/budget.png) Mở trang **Billing** "
        "và chọn **Budgets**.\n\n### Đặt cảnh báo\n\n![y](/img/alert.png) Nhập email nhận "
        "cảnh báo khi chi phí vượt 80%.\n\n### Xem báo cáo\n\n![z](/img/report.png) Báo cáo "
        "hiển thị chi phí theo từng dịch vụ.\n\n### Dọn dẹp\n\nXóa ngân sách khi không cần.\n"
    )
    result = _refused(site, en, vi)
    assert "about something else" in result.message and "translationKey" in result.message
    found = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
    kinds = [(f["kind"], f["severity"]) for f in json.loads(found.stdout)["findings"]]
    assert ("structure", "error") in kinds and "missing-section" not in [k for k, _ in kinds]


def test_tm_import_export_and_tmx_round_trip(tmp_path: Path) -> None:
    site = tmp_path / "budget"
    shutil.copytree(require_shared() / "sites" / "aws-budget", site)
    runner = CliRunner()
    result = runner.invoke(main, ["tm", "import", str(site)])
    assert result.exit_code == 0, result.output
    with Memory(site / ".vien" / "memory.sqlite") as mem:
        units = list(mem.units())
    assert len(units) > 30 and {u.provenance for u in units} == {"human"}
    assert any(u.src_text == "Overview" and u.tgt_text == "Tổng quan" for u in units)
    tmx = tmp_path / "m.tmx"
    assert runner.invoke(main, ["tm", "export", str(site), "--tmx", str(tmx)]).exit_code == 0
    back = TmxStore.load(tmx)
    assert [(u.src_text, u.tgt_text, u.provenance, u.glossary_version, u.page) for u in back] == [
        (u.src_text, u.tgt_text, u.provenance, u.glossary_version, u.page) for u in units
    ]
    other = tmp_path / "other"
    other.mkdir()
    result = runner.invoke(main, ["tm", "import", str(other), "--tmx", str(tmx)])
    assert result.exit_code == 0 and f"imported {len(units)} new" in result.output


def test_tmx_reader_refuses_entity_expansion(tmp_path: Path) -> None:
    from vien.tm.tmx import TmxError

    bomb = tmp_path / "bomb.tmx"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa">'
        '<!ENTITY b "&a;&a;&a;">]><tmx><body><tu><tuv xml:lang="en"><seg>&b;'
        "</seg></tuv></tu></body></tmx>"
    )
    with pytest.raises(TmxError):
        TmxStore.load(bomb)


def test_memory_prefers_trusted_units_and_filters_machine_by_model(tmp_path: Path) -> None:
    with Memory(tmp_path / "m.sqlite") as mem:
        mem.add(
            [
                Unit("en", "vi", "Hello", "máy", "machine", "g1", "m1"),
                Unit("en", "vi", "Hello", "người", "human"),
            ]
        )
        assert mem.lookup("Hello", "en", "vi", model_id="m2").tgt_text == "người"
        mem.add([Unit("en", "vi", "Bye", "máy", "machine", "g1", "m1")])
        assert mem.lookup("Bye", "en", "vi", model_id="m2") is None
        assert mem.lookup("Bye", "en", "vi", model_id="m1", glossary_version="g2") is None
        assert mem.lookup("Bye", "en", "vi", model_id="m1", glossary_version="g1") is not None


def test_align_json_schema() -> None:
    result = CliRunner().invoke(
        main, ["align", str(require_shared() / "sites/aws-budget"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    pair = data["pairs"][0]
    assert set(pair) == {"source", "target", "source_lang", "target_lang", "links"}
    link = pair["links"][0]
    assert set(link) >= {"source", "target", "confidence"}
    assert set(link["source"][0]) == {"index", "line", "level", "heading"}
    assert link["source"][0]["line"] == 1 and link["source"][0]["level"] == 0
    for pair in data["pairs"]:  # every section of both pages is in exactly one link
        for side in ("source", "target"):
            seen = [s["index"] for lk in pair["links"] for s in lk[side]]
            assert sorted(seen) == list(range(len(seen)))


SLOW_RUN = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import vien.translate.batch as t
    from vien.mt.simple import PseudoEngine
    real = t.write_atomic
    def slow(path, data, **kw):
        real(path, data, **kw)
        print("wrote", path, flush=True)
        time.sleep(float(sys.argv[2]))
    t.write_atomic = slow
    summary = t.run(Path(sys.argv[1]), "vi", PseudoEngine())
    print("done", summary.count("written"), flush=True)
""")


def _start(site: Path, delay: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_RUN, str(site), str(delay)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _check_consistent(site: Path) -> None:
    assert not list(site.rglob("*.tmp"))
    for page in site.rglob("*.md"):
        parse(page.read_text(encoding="utf-8"))  # every page whole and valid
    json.loads((site / ".vien" / "lock.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(site / ".vien" / "memory.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_sigkill_mid_run_leaves_a_consistent_site_and_the_next_run_finishes(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "site", reference)
    run(reference, "vi", PseudoEngine())
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "site", site)
    proc = _start(site, 5.0)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the first page is written, the run sleeps
    assert line.startswith("wrote"), line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _check_consistent(site)
    original, final, now = digest(ROOT / "data" / "site"), digest(reference), digest(site)
    for name, sha in now.items():  # each page is as it was, or as it will be: never between
        assert sha in (original.get(name), final.get(name)), name
    assert sum(now[n] == final[n] != original.get(n) for n in now) == 1  # one page finished
    summary = run(site, "vi", PseudoEngine())
    assert not summary.failed
    assert digest(site) == digest(reference)


def test_two_runs_at_once_wait_for_each_other(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "site", reference)
    run(reference, "vi", PseudoEngine())
    site = tmp_path / "site"
    shutil.copytree(ROOT / "data" / "site", site)
    first, second = _start(site, 0.3), _start(site, 0.3)
    outs = [p.communicate(timeout=120)[0] for p in (first, second)]
    assert first.returncode == second.returncode == 0, outs
    done = sorted(int(o.strip().splitlines()[-1].split()[1]) for o in outs)
    assert done[0] == 0 and done[1] > 0  # one run did the work; the other found it done
    _check_consistent(site)
    assert digest(site) == digest(reference)
