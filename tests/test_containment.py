"""Reliability (issue #13): what a translate run may read and write, and what a killed run
leaves behind.

vien never reads or writes through a symlink it reports as not followed, never writes outside
the content folder (or --out), reports a folder it may not write to as that page's failure,
cleans the temporary files of killed runs, and after a kill between a page's rename and its
lock entry the next run ends exactly as an uninterrupted run (F27, F28, F30, F31, F35, F36,
F37, F38)."""

from __future__ import annotations

import errno
import hashlib
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, require_shared
from vien import atomic, glossary
from vien.mt import get_engine
from vien.mt.simple import PseudoEngine
from vien.paths import OutsideError, Resolver, contained
from vien.site.lock import LockFile, run_lock
from vien.translate import batch
from vien.translate.batch import run

SAMPLE = ROOT / "data" / "site"


def _site(tmp_path: Path, name: str = "site") -> Path:
    site = tmp_path / name
    shutil.copytree(SAMPLE, site)
    shutil.rmtree(site / ".vien", ignore_errors=True)
    return site


def _dms(tmp_path: Path, name: str = "dms") -> Path:
    site = tmp_path / name
    shutil.copytree(require_shared() / "sites" / "dms-migration", site)
    return site


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (symlinks not followed): relative path -> content hash."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            out[p.relative_to(root).as_posix()] = "-> " + str(p.readlink())
        elif p.is_file():
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _translate(site: Path, *, retranslate: bool = False) -> batch.Summary:
    """What ``vien translate SITE --to vi --engine pseudo [--retranslate]`` does (the default
    glossary)."""
    terms = glossary.load()
    engine = get_engine("pseudo", glossary=terms)
    return run(site, "vi", engine, glossary=terms, retranslate=retranslate)


def _messages(summary: batch.Summary) -> str:
    return "\n".join([r.message for r in summary.results] + [str(p) for p in summary.problems])


# -- containment ------------------------------------------------------------------------------


def test_contained_refuses_symlinks_and_escapes(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "real").mkdir(parents=True)
    outside.mkdir()
    (root / "out").symlink_to(outside, target_is_directory=True)
    (root / "in").symlink_to(root / "real", target_is_directory=True)
    (root / "real" / "f.md").symlink_to(outside / "x.md")
    assert contained(root / "real" / "new" / "g.md", root)
    assert contained(root / "in" / "g.md", root)  # a link that stays inside
    for bad in (
        root / "out" / "g.md",
        root / "real" / "f.md",
        root / ".." / "outside" / "g.md",
        tmp_path / "g.md",
    ):
        with pytest.raises(OutsideError):
            contained(bad, root)
    with pytest.raises(OutsideError):
        atomic.write_atomic(root / "out" / "sub" / "g.md", b"x", root=root)
    assert not (outside / "sub").exists()


def test_f27_symlinked_target_file_is_neither_read_nor_replaced(tmp_path: Path) -> None:
    site, private = _site(tmp_path), tmp_path / "private"
    private.mkdir()
    secret = private / "secret.md"
    secret.write_text("---\ntitle: Private file outside the site\n---\n# Private\n\nSecret text.\n")
    link = site / "content" / "3-reports" / "_index.vi.md"
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    before = secret.read_bytes()
    summary = run(site / "content", "vi", PseudoEngine())
    assert link.is_symlink() and secret.read_bytes() == before
    assert "is a symlink" in _messages(summary)
    assert not any("Secret" in p.read_text() for p in site.rglob("*.vi.md") if not p.is_symlink())


def test_f28_symlinked_target_folder_is_not_written_through(tmp_path: Path) -> None:
    site, outside = _dms(tmp_path), tmp_path / "outside"
    (site / "content" / "vi" / "1-Start").rename(outside)
    (site / "content" / "vi" / "1-Start").symlink_to(outside, target_is_directory=True)
    before = _tree(outside)
    summary = run(site, "vi", PseudoEngine())
    assert _tree(outside) == before
    assert "1-Start is a symlink" in _messages(summary)
    assert not any(k.startswith("/") for k in LockFile(site).pages)  # no outside path recorded


def test_f30_out_with_a_symlinked_subfolder_writes_nothing_outside(tmp_path: Path) -> None:
    site, out, elsewhere = _site(tmp_path), tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "content").symlink_to(elsewhere, target_is_directory=True)
    summary = run(site, "vi", PseudoEngine(), out=out)
    assert list(elsewhere.rglob("*")) == []
    assert summary.failed and "content is a symlink" in _messages(summary)


def test_f36_content_dir_outside_the_site_is_not_written(tmp_path: Path) -> None:
    site, outside = _site(tmp_path), tmp_path / "out36"
    (site / "hugo.toml").write_text(
        '[languages.en]\nweight = 1\ncontentDir = "content"\n'
        f'[languages.vi]\nweight = 2\ncontentDir = "{outside}"\n'
    )
    summary = run(site, "vi", PseudoEngine())
    assert not outside.exists()
    assert summary.failed and "is outside the site" in _messages(summary)
    (site / "hugo.toml").write_text(
        '[languages.en]\nweight = 1\ncontentDir = "content"\n'
        '[languages.vi]\nweight = 2\ncontentDir = "../out36b"\n'
    )
    run(site, "vi", PseudoEngine())
    assert not (tmp_path / "out36b").exists()


# -- F35: a folder vien may not write to ------------------------------------------------------


def test_f35_unwritable_folder_fails_that_page_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    locked = site / "content" / "2-pipeline"
    real = tempfile.mkstemp

    def mkstemp(*args: object, **kw: object) -> tuple[int, str]:
        if Path(str(kw.get("dir"))) == locked:  # what chmod 555 does to a non-root user
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    summary = run(site, "vi", PseudoEngine())
    failed = [r for r in summary.results if r.status == "failed"]
    assert failed and all("cannot write: Permission denied" in r.message for r in failed)
    assert all(r.target.parent == locked for r in failed)
    assert (site / "content" / "3-reports" / "_index.vi.md").exists()  # the batch went on
    assert not LockFile(site).pending


# -- F31: temp files of killed runs -----------------------------------------------------------


def test_f31_stale_temp_files_are_removed_by_the_next_run(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run(site, "vi", PseudoEngine())
    stale = [
        site / "content" / "2-pipeline" / "._index.vi.md.ab3_x9zq.tmp",
        site / ".vien" / ".lock.json.k2m_07aa.tmp",
    ]
    keep = [
        site / "content" / ".notes.txt.ab3_x9zq.tmp",  # not a page's temp file
        site / "content" / "2-pipeline" / "draft.tmp",
    ]
    for p in stale + keep:
        p.write_bytes(b"half")
    run(site, "vi", PseudoEngine(), dry_run=True)  # no lock held: touches nothing
    assert all(p.exists() for p in stale)
    run(site, "vi", PseudoEngine())
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in keep)


# -- F37/F38: a kill between a page's rename and its lock entry -------------------------------


def test_f37_f38_kill_after_rename_before_lock_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill right after a page is renamed into place: the re-run must take the page as
    its own output (lock entry as recorded by the killed run), ending byte-identical."""
    # dms-migration is complete: by default nothing is written; --retranslate writes pages
    reference = _dms(tmp_path, "reference")
    assert _translate(reference, retranslate=True).count("written") >= 3
    site = _dms(tmp_path)

    class Killed(BaseException):
        pass

    real, count = atomic.write_atomic, [0]

    def write_then_die(path: Path, data: bytes, **kw: object) -> None:
        real(path, data, **kw)  # type: ignore[arg-type]
        count[0] += 1
        if count[0] == 3:
            raise Killed  # the state a SIGKILL leaves: the page renamed, its entry not saved

    monkeypatch.setattr(batch, "write_atomic", write_then_die)
    with pytest.raises(Killed):
        _translate(site, retranslate=True)
    monkeypatch.setattr(batch, "write_atomic", real)
    summary = _translate(site, retranslate=True)
    assert not summary.failed
    assert _tree(site / "content") == _tree(reference / "content")
    assert (site / ".vien" / "lock.json").read_bytes() == (
        reference / ".vien" / "lock.json"
    ).read_bytes()


def test_f38_resumed_run_records_engine_origins_not_tm(tmp_path: Path) -> None:
    """Segments the killed run's engine translated into the memory are recorded by the
    re-run with the engine's origin, as the uninterrupted run records them."""
    reference = _site(tmp_path, "reference")
    _translate(reference)
    site = _site(tmp_path)
    (site / ".vien").mkdir()
    shutil.copy(reference / ".vien" / "memory.sqlite", site / ".vien")  # the killed run's
    _translate(site)
    assert _tree(site / "content") == _tree(reference / "content")
    assert (site / ".vien" / "lock.json").read_bytes() == (
        reference / ".vien" / "lock.json"
    ).read_bytes()


# -- the run lock ----------------------------------------------------------------------------


def test_waiting_run_says_whom_it_waits_for(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from vien.site.lock import run_lock\n"
            "with run_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(2.5)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    with run_lock(tmp_path):
        waited = time.monotonic() - started
    holder.wait()
    assert waited > 1.0
    err = capfd.readouterr().err
    assert f"waiting for another vien run (pid {holder.pid}) on {tmp_path}" in err


# -- F29: workflow-command injection through file names ---------------------------------------


def test_f29_file_names_cannot_inject_workflow_commands(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from vien.cli.main import main

    site = _site(tmp_path)
    bad = site / "content" / "9" / "y\n::error::INJECTED-ANNOTATION\r\n.md"
    bad.parent.mkdir()
    bad.write_text("---\ntitle: [x\n---\n# H\n")
    runner = CliRunner()
    for args in (
        ["check", str(site), "--format", "github"],
        ["check", str(site)],
        ["translate", str(site), "--to", "vi", "--engine", "pseudo"],
    ):
        result = runner.invoke(main, args)
        assert "INJECTED" in result.stdout + result.stderr, args
        for line in (result.stdout + result.stderr).splitlines():
            assert not line.startswith("::error::INJECTED"), (args, line)
            assert "\r" not in line, (args, line)
    github = runner.invoke(main, ["check", str(site), "--format", "github"]).stdout
    assert "y%0A%3A%3Aerror%3A%3AINJECTED-ANNOTATION%0D%0A.md" in github  # file= property


# -- F32: concurrent glossary edits ----------------------------------------------------------

SLOW_ADD = """
import sys, time
from vien.glossary.entries import CsvGlossaryStore
from vien.cli.main import main
real = CsvGlossaryStore.load.__func__
def slow_load(cls, path):
    g = real(cls, path)
    time.sleep(0.4)  # widen the read-modify-write window
    return g
CsvGlossaryStore.load = classmethod(slow_load)
main(["glossary", "add", sys.argv[1], "--glossary", sys.argv[2]])
"""


def test_f32_concurrent_glossary_adds_lose_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    csv = tmp_path / "g" / "aws.csv"
    csv.parent.mkdir()
    shutil.copy(ROOT / "glossaries" / "aws.csv", csv)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SLOW_ADD, f"zz concurrent term {i}", str(csv)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    text = csv.read_text()
    assert all(f"zz concurrent term {i}" in text for i in range(4))
    assert sorted(p.name for p in csv.parent.iterdir()) == ["aws.csv"]  # no lock file left


def test_f31_f36_temp_cleanup_stays_inside_the_site(tmp_path: Path) -> None:
    site, outside = _site(tmp_path), tmp_path / "out36"
    outside.mkdir()
    theirs = outside / ".page.md.ab3_x9zq.tmp"  # someone else's file that looks like ours
    theirs.write_bytes(b"not vien's")
    (site / "hugo.toml").write_text(
        '[languages.en]\nweight = 1\ncontentDir = "content"\n'
        f'[languages.vi]\nweight = 2\ncontentDir = "{outside}"\n'
    )
    run(site, "vi", PseudoEngine())
    assert theirs.exists()


def test_resolver_resolves_as_path_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The resolver of a run gives what ``Path.resolve()`` gives: through a linked folder, for
    a file that is a link, for ".." after a link (which leads into the link target's parent),
    for a relative path and for a file that does not exist."""
    real = tmp_path / "real" / "deep"
    real.mkdir(parents=True)
    (real / "page.md").write_text("x")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "folder").symlink_to(real)
    (tmp_path / "site" / "page.md").symlink_to(real / "page.md")
    (tmp_path / "site" / "plain.md").write_text("y")
    (real / "sub").mkdir()
    (real / "sub" / "x.md").write_text("z")
    (tmp_path / "alias").symlink_to(tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    paths = [
        tmp_path / "site" / "folder" / "page.md",
        tmp_path / "site" / "page.md",
        tmp_path / "site" / "folder" / ".." / "deep" / "page.md",
        tmp_path / "site" / "plain.md",
        tmp_path / "site" / "missing" / "new.md",
        tmp_path / "site" / "folder" / "sub" / "x.md",  # below a linked folder
        tmp_path / "alias" / "folder" / "sub" / "x.md",
        tmp_path / "alias" / "plain.md",
        Path("/"),
        Path("folder/page.md"),
        Path("./plain.md"),
        Path("plain.md"),
    ]
    resolved = Resolver()
    for path in paths * 2:  # the second time from what it has seen
        assert resolved(path) == path.resolve(), path
    site = tmp_path / "site"
    assert resolved.relative(site / "plain.md", site) == "plain.md"
    with pytest.raises(ValueError):
        resolved.relative(site / "folder" / "page.md", site)  # leads out of the site
