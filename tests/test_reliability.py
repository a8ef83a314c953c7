"""Reliability (issue #13, audit reliability-2026-12): bad input, bad state and a bad disk.

One test per F-number, building the audit's reproduction in ``tmp_path``; then every
bad-input site goes through ``translate``, ``check``, ``align``, ``review`` and ``segments``:
none may print a traceback, and each exits with its documented status (0 ok, 1 a page
failed or the run stopped, 2 usage/config error, and ``check``'s 2 for unreadable input).
"""

from __future__ import annotations

import atexit
import errno
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from vien.cli.main import main
from vien.errors import PageError
from vien.page.read import read_document

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "site"
NEW = "content/9/page.md"  # a page added to the sample site (no counterpart)
PAIRED = "content/2-pipeline/_index.md"  # a page the sample site already pairs


def vien(*args: object, env: dict[str, str] | None = None) -> Result:
    """Run the real ``vien`` command in-process; exceptions are the test's failure."""
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def site(tmp_path: Path, name: str = "site") -> Path:
    s = tmp_path / name
    shutil.copytree(SAMPLE, s)
    shutil.rmtree(s / ".vien", ignore_errors=True)
    return s


def add_page(s: Path, data: str | bytes, rel: str = NEW) -> Path:
    p = s / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def translate(s: Path, *extra: object) -> Result:
    return vien("translate", s, "--to", "vi", "--engine", "pseudo", "-q", *extra)


_TRANSLATED: list[Path] = []  # the sample site after one run, made once per session


def translated(s: Path) -> Path:
    """``s`` (a copy of the sample site) as after one clean run: with a lock and a memory."""
    if not _TRANSLATED:
        keep = Path(tempfile.mkdtemp(prefix="vien-reliability-"))
        atexit.register(shutil.rmtree, keep, True)
        done = keep / "site"
        shutil.copytree(s, done)
        assert translate(done).exit_code == 0
        _TRANSLATED.append(done)
    shutil.rmtree(s)
    shutil.copytree(_TRANSLATED[0], s)
    return s


def alias_bomb(levels: int = 30) -> list[str]:
    return ['a0: &a0 {x: "lol", y: "lol"}'] + [
        f"a{i}: &a{i} {{x: *a{i - 1}, y: *a{i - 1}}}" for i in range(1, levels)
    ]


# --- the bad inputs, as sites -----------------------------------------------------------


def f01(s: Path) -> None:
    add_page(s, "\n".join(["---", "title: Bomb", *alias_bomb(), "---", "# H", "", "Text."]) + "\n")


def f02(s: Path) -> None:
    add_page(s, '{"title": "x", "a": ' + "[" * 1000 + "]" * 1000 + "}\n# H\n\nText.\n")


def f03(s: Path) -> None:
    add_page(s, '+++\ntitle = "x"\na = ' + "[" * 5000 + "]" * 5000 + "\n+++\n# H\n\nText.\n")


def f08_list(s: Path) -> None:
    translated(s)
    (s / ".vien/lock.json").write_text("[]\n")


def f08_key(s: Path) -> None:
    translated(s)
    record = {"source": "x", "target_hash": "y", "sections": [{"foo": 1}]}
    data = {"version": 1, "pages": {"content/2-pipeline/_index.vi.md": record}}
    (s / ".vien/lock.json").write_text(json.dumps(data))


def f09(s: Path) -> None:
    translated(s)
    with (s / PAIRED).open("a", encoding="utf-8") as fh:
        fh.write("\nOne more paragraph added for the rerun.\n")
    (s / ".vien/lock.json").write_text("garbage {\n")


def f10(s: Path) -> None:
    translated(s)
    (s / ".vien/lock.json").write_bytes(b"\xfa\xde" + bytes(range(256)))


def f11(s: Path) -> None:
    translated(s)
    for p in (s / ".vien").glob("memory.sqlite-*"):
        p.unlink()
    (s / ".vien/memory.sqlite").write_bytes(os.urandom(8192))
    with (s / PAIRED).open("a", encoding="utf-8") as fh:
        fh.write("\nOne more paragraph.\n")


def f12_runlock(s: Path) -> None:
    translated(s)
    (s / ".vien/run.lock").unlink()
    (s / ".vien/run.lock").mkdir()


def f12_state_file(s: Path) -> None:
    (s / ".vien").write_text("x\n")


def f12_lock_dir(s: Path) -> None:
    translated(s)
    (s / ".vien/lock.json").unlink()
    (s / ".vien/lock.json").mkdir()


def f23(s: Path) -> None:
    add_page(s, "---\ntitle: x\n\n# H\n")


def f26(text: str, name: str = "hugo.toml") -> Callable[[Path], None]:
    def build(s: Path) -> None:
        (s / "hugo.toml").unlink()
        (s / name).write_text(text + "\n", encoding="utf-8")

    return build


def f33(s: Path) -> None:
    add_page(
        s, "---\ntitle: Fine\n---\n# H\n\nText.\n", os.fsdecode(b"content/9/bad\xff\xfename.md")
    )


def f34(s: Path) -> None:
    add_page(s, "---\ntitle: Fine\n---\n# H\n\nText.\n", "content/9/" + "n" * 250 + ".md")


@dataclass(frozen=True, slots=True)
class Case:
    """A bad site and the exit status of translate, check, align, review and segments."""

    build: Callable[[Path], None]
    exits: tuple[int, int, int, int, int]
    words: str  # in the message of the command that reports it (translate, or check for F26)
    page: str = NEW  # the page ``segments`` is given


BOMB_YAML = "\n".join(["defaultContentLanguage: en", *alias_bomb(28)])
CASES: dict[str, Case] = {
    "F01-yaml-alias-bomb": Case(f01, (1, 2, 0, 1, 1), "alias"),
    "F02-json-nested": Case(f02, (1, 2, 0, 1, 1), "nested more than 100"),
    "F03-toml-nested": Case(f03, (1, 2, 0, 1, 1), "nested more than 100"),
    "F08-lock-list": Case(f08_list, (1, 2, 0, 1, 0), "lock.json", PAIRED),
    "F08-lock-unknown-key": Case(f08_key, (1, 2, 0, 1, 0), "lock.json", PAIRED),
    "F09-lock-not-json": Case(f09, (1, 2, 0, 1, 0), "lock.json", PAIRED),
    "F10-lock-not-utf8": Case(f10, (1, 2, 0, 1, 0), "lock.json", PAIRED),
    # the sample site has findings: ``check`` exits 1 where its input is fine
    "F11-memory-garbage": Case(f11, (1, 1, 0, 0, 0), "memory.sqlite", PAIRED),
    "F12-run-lock-folder": Case(f12_runlock, (1, 1, 0, 0, 0), "run.lock", PAIRED),
    "F12-state-is-file": Case(f12_state_file, (1, 2, 0, 1, 0), ".vien", PAIRED),
    "F12-lock-json-folder": Case(f12_lock_dir, (1, 2, 0, 1, 0), "lock.json", PAIRED),
    "F23-unclosed-front-matter": Case(f23, (1, 2, 0, 1, 1), "unclosed front matter"),
    "F26-languages-string": Case(f26('languages = "vi"'), (2, 2, 2, 2, 0), "hugo.toml", PAIRED),
    "F26-languages-list": Case(
        f26('languages = ["en", "vi"]'), (2, 2, 2, 2, 0), "hugo.toml", PAIRED
    ),
    "F26-weight-string": Case(
        f26('[languages.en]\nweight = "1"\n[languages.vi]\nweight = 2'),
        (2, 2, 2, 2, 0),
        "weight",
        PAIRED,
    ),
    "F26-toml-nested": Case(
        f26("x = " + "[" * 5000 + "]" * 5000), (2, 2, 2, 2, 0), "nested", PAIRED
    ),
    "F26-json-nested": Case(
        f26('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "hugo.json"),
        (2, 2, 2, 2, 0),
        "nested",
        PAIRED,
    ),
    "F26-yaml-alias-bomb": Case(f26(BOMB_YAML, "hugo.yaml"), (2, 2, 2, 2, 0), "alias", PAIRED),
    "F33-name-not-utf8": Case(f33, (1, 2, 0, 1, 0), r"bad\xff\xfename.md", PAIRED),
    "F34-name-too-long": Case(f34, (1, 1, 0, 0, 0), "File name too long", PAIRED),
}
COMMANDS = ("translate", "check", "align", "review", "segments")


def run_command(command: str, s: Path, page: str, tmp_path: Path) -> Result:
    if command == "translate":
        return translate(s)
    if command == "review":
        return vien("review", s, "-o", tmp_path / "review.html")
    if command == "segments":
        return vien("segments", s / page)
    return vien(command, s)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_no_traceback_and_documented_exit(
    name: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES[name]
    s = site(tmp_path)
    case.build(s)
    monkeypatch.chdir(tmp_path)
    result = run_command(command, s, case.page, tmp_path)
    assert "Traceback" not in result.output
    assert result.exit_code == case.exits[COMMANDS.index(command)], result.output
    if command == "translate":
        assert case.words in result.output


# --- one test per F-number ------------------------------------------------------------


def test_f01_yaml_alias_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    s = site(tmp_path)
    f01(s)
    with pytest.raises(PageError, match="alias") as err:
        read_document(s / NEW)
    assert err.value.path == s / NEW
    r = translate(s)
    assert r.exit_code == 1 and f"{s / NEW}:1:" in r.output
    assert (s / "content/3-reports/_index.vi.md").is_file()  # the batch went on


@pytest.mark.parametrize("build", [f02, f03], ids=["F02-json", "F03-toml"])
def test_f02_f03_deep_front_matter_is_that_pages_failure(
    build: Callable[[Path], None], tmp_path: Path
) -> None:
    s = site(tmp_path)
    build(s)
    r = translate(s)
    assert r.exit_code == 1
    assert f"{s / NEW}:1:" in r.output and "nested more than 100 levels" in r.output
    assert (s / "content/3-reports/_index.vi.md").is_file()
    assert vien("pages", s).exit_code == 0  # discovery itself is fine


def test_f04_never_writes_a_page_over_the_size_limit(tmp_path: Path) -> None:
    s = site(tmp_path)
    add_page(s, "# Big\n\n" + "Para text line number here with words.\n\n" * 90)
    r = translate(s, "--max-size", "4k")
    assert r.exit_code == 1 and "--max-size" in r.output and "not written" in r.output
    assert not (s / "content/9/page.vi.md").exists()
    assert (s / "content/3-reports/_index.vi.md").is_file()


def _failing_write(
    monkeypatch: pytest.MonkeyPatch, code: int, where: str, *, name: bool = True
) -> None:
    from vien.translate import batch

    real = batch.write_atomic

    def write(path: Path, data: bytes, **kw: Any) -> None:
        if where in str(path):
            if name:
                raise OSError(code, os.strerror(code), str(path))
            raise OSError(code, os.strerror(code))  # as a failed write() or fsync() does
        real(path, data, **kw)

    monkeypatch.setattr(batch, "write_atomic", write)


def test_f05_read_only_folder_fails_its_pages_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = site(tmp_path)
    _failing_write(monkeypatch, errno.EROFS, "2-pipeline")
    r = translate(s)
    assert r.exit_code == 1
    assert "Read-only file system" in r.output and "2-pipeline" in r.output
    assert (s / "content/3-reports/_index.vi.md").is_file()


def test_f06_disk_full_stops_the_run_with_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = site(tmp_path)
    _failing_write(monkeypatch, errno.ENOSPC, "content", name=False)
    r = translate(s)
    assert r.exit_code == 1
    lines = [x for x in r.output.splitlines() if "No space left" in x]
    assert len(lines) == 1 and "the run stopped" in lines[0] and ".vi.md" in lines[0]


def test_f06_memory_disk_full_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vien.tm import memory

    def full(self: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(memory._Tx, "__enter__", full)
    s = site(tmp_path)
    r = translate(s)
    assert r.exit_code == 1 and "disk is full" in r.output and "memory.sqlite" in r.output


def test_f07_counterpart_vanishing_mid_run_is_that_pages_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vien.translate import batch

    s = translated(site(tmp_path))
    gone = s / "content/2-pipeline/2.1-prepare-bucket.vi.md"
    real = batch.read_document
    # entries without page hashes (as older runs wrote them): the pages are parsed, not
    # skipped on their hashes, so the counterpart is read before it is hashed
    lock = s / ".vien" / "lock.json"
    data = json.loads(lock.read_text(encoding="utf-8"))
    for record in data["pages"].values():
        record.pop("source_page_hash", None)
    lock.write_text(json.dumps(data), encoding="utf-8")

    def read_then_vanish(path: Path, *args: object, **kw: object) -> object:
        doc = real(path, *args, **kw)
        if path == gone:
            path.unlink()  # renamed away between reading it and hashing it
        return doc

    monkeypatch.setattr(batch, "read_document", read_then_vanish)
    r = translate(s)
    assert r.exit_code == 1 and str(gone) in r.output
    assert "up to date" in r.output  # the other pages were done


@pytest.mark.parametrize("build", [f08_list, f08_key], ids=["list", "unknown-key"])
def test_f08_lock_of_the_wrong_shape_is_named(build: Callable[[Path], None], tmp_path) -> None:
    s = site(tmp_path)
    build(s)
    for args in (["translate", s, "--to", "vi", "--engine", "pseudo"], ["check", s]):
        r = vien(*args)
        assert r.exit_code in (1, 2) and str(s / ".vien/lock.json") in r.output


def test_f09_unreadable_lock_is_never_read_as_all_human(tmp_path: Path) -> None:
    s = site(tmp_path)
    f09(s)
    target = s / "content/2-pipeline/_index.vi.md"
    before = target.read_bytes()
    r = translate(s)
    assert r.exit_code == 1
    assert "lock.json" in r.output and "move it aside" in r.output
    assert target.read_bytes() == before  # stopped, not "up to date"
    r = vien("check", s, "--kind", "stale")
    assert r.exit_code == 2 and "lock.json" in r.output


def test_f10_lock_not_utf8_names_the_file(tmp_path: Path) -> None:
    s = site(tmp_path)
    f10(s)
    r = translate(s)
    assert r.exit_code == 1 and str(s / ".vien/lock.json") in r.output


@pytest.mark.parametrize("kind", ["garbage", "truncated", "foreign", "folder"])
def test_f11_corrupt_memory_is_named_with_a_way_out(kind: str, tmp_path: Path) -> None:
    s = translated(site(tmp_path))
    mem = s / ".vien/memory.sqlite"
    for p in (s / ".vien").glob("memory.sqlite-*"):
        p.unlink()
    if kind == "garbage":
        mem.write_bytes(os.urandom(8192))
    elif kind == "truncated":
        mem.write_bytes(mem.read_bytes()[:1000])
    elif kind == "foreign":
        mem.unlink()
        db = sqlite3.connect(mem)
        db.execute("CREATE TABLE units (id INTEGER PRIMARY KEY, name TEXT)")
        db.commit()
        db.close()
    else:
        mem.unlink()
        mem.mkdir()
    add_page(s, "# H\n\nOne more page.\n")
    r = translate(s)
    assert r.exit_code == 1 and str(mem) in r.output and "--no-memory" in r.output
    assert translate(s, "--no-memory").exit_code == 0


@pytest.mark.parametrize("build", [f12_runlock, f12_state_file, f12_lock_dir])
def test_f12_state_paths_of_the_wrong_type(build: Callable[[Path], None], tmp_path) -> None:
    s = site(tmp_path)
    build(s)
    r = translate(s)
    assert r.exit_code == 1 and str(s / ".vien") in r.output


def test_f20_deeply_nested_baseline_is_a_bad_baseline(tmp_path: Path) -> None:
    s = site(tmp_path)
    baseline = tmp_path / "b.json"
    baseline.write_text('{"findings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    r = vien("check", s, "--baseline", baseline)
    assert r.exit_code == 2 and str(baseline) in r.output and "nested" in r.output


def test_f21_report_to_a_missing_folder_fails_before_the_work(tmp_path: Path) -> None:
    s = site(tmp_path)
    r = translate(s, "--report", tmp_path / "no" / "such" / "r.json")
    assert r.exit_code == 2 and "--report" in r.output
    assert not (s / "content/3-reports/_index.vi.md").exists()


@pytest.mark.parametrize("size", ["0", "-1", "-5M"])
def test_f22_max_size_must_be_positive(size: str, tmp_path: Path) -> None:
    r = translate(site(tmp_path), "--max-size", size)
    assert r.exit_code == 2 and "--max-size" in r.output


def test_f23_review_exits_1_when_a_page_is_unreadable(tmp_path: Path) -> None:
    s = site(tmp_path)
    f23(s)
    r = vien("review", s, "-o", tmp_path / "r.html")
    assert r.exit_code == 1 and f"{s / NEW}:1: unclosed front matter" in r.stderr
    assert (tmp_path / "r.html").is_file()


def test_f24_glossary_csv_with_a_bom_is_read(tmp_path: Path) -> None:
    g = tmp_path / "g.csv"
    g.write_bytes(b"\xef\xbb\xbf" + (ROOT / "glossaries/aws.csv").read_bytes())
    r = vien("glossary", "lint", "--glossary", g)
    assert r.exit_code == 0 and "no en column" not in r.output


def test_f25_lint_flags_control_characters(tmp_path: Path) -> None:
    g = tmp_path / "g.csv"
    g.write_bytes(b"en,vi,mode,case,note,status\nab\x00cd,ab\x00cd,keep,sensitive,n,approved\n")
    r = vien("glossary", "lint", "--glossary", g)
    assert r.exit_code == 1 and f"{g}:2: control" in r.output and "U+0000" in r.output


@pytest.mark.parametrize(
    "name", [n for n in sorted(CASES) if n.startswith("F26")], ids=lambda n: n[4:]
)
def test_f26_bad_hugo_config_is_a_config_error_naming_the_file(name: str, tmp_path) -> None:
    s = site(tmp_path)
    CASES[name].build(s)
    r = vien("pages", s)
    assert r.exit_code == 2 and str(s / "hugo.") in r.output and CASES[name].words in r.output


def test_f33_file_name_not_utf8_is_reported_not_a_crash(tmp_path: Path) -> None:
    s = site(tmp_path)
    f33(s)
    r = translate(s)
    assert r.exit_code == 1 and r"bad\xff\xfename.md" in r.output and "failed 1" in r.output
    assert (s / "content/3-reports/_index.vi.md").is_file()
    r = vien("review", s, "-o", tmp_path / "r.html")
    assert r.exit_code == 1 and r"bad\xff\xfename.md" in r.output


def test_f34_target_name_too_long_is_that_pages_failure(tmp_path: Path) -> None:
    s = site(tmp_path)
    f34(s)
    r = translate(s)
    assert r.exit_code == 1 and "File name too long" in r.output and "failed 1" in r.output
    assert (s / "content/3-reports/_index.vi.md").is_file()


# --- unexpected exceptions -----------------------------------------------------------


def test_internal_error_is_one_line_exit_70_and_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vien.translate import batch

    def boom(*args: object, **kw: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(batch, "discover", boom)
    s = site(tmp_path)
    r = CliRunner().invoke(main, ["translate", str(s), "--to", "vi", "--engine", "pseudo"])
    assert r.exit_code == 70 and "Traceback" not in r.output
    assert "internal error" in r.output and "KeyError" in r.output and "--debug" in r.output
    for args, env in (
        (["--debug", "translate"], None),
        (["translate"], {"VIEN_DEBUG": "1"}),
    ):
        r = CliRunner().invoke(main, [*args, str(s), "--to", "vi", "--engine", "pseudo"], env=env)
        assert r.exit_code == 70 and "Traceback" in r.output and "internal error" in r.output
