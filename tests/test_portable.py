"""Portable and talkative: no fcntl needed, NO_COLOR everywhere, a waiting run says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA_SITE, ROOT
from vien.cli.main import main
from vien.site.lock import RUN_PID, STATE_DIR, run_lock

NO_FCNTL = """
import sys
sys.modules["fcntl"] = None  # as on Windows: `import fcntl` raises ImportError
from vien.cli.main import main
assert sys.modules.get("fcntl") is None
sys.argv = ["vien", *sys.argv[1:]]
main()
"""


def no_fcntl(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_FCNTL, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_the_cli_imports_and_runs_without_fcntl(tmp_path: Path) -> None:
    done = no_fcntl("check", "data/site", "--baseline", "data/check-baseline.json")
    assert done.returncode == 0, done.stderr
    assert "page pair(s)" in done.stdout
    done = no_fcntl("check", "data/site")
    assert done.returncode == 1 and "untranslated" in done.stdout, done.stderr
    # the run lock works too (filelock falls back to its portable lock)
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site, ignore=shutil.ignore_patterns(".vien"))
    done = no_fcntl("translate", str(site), "--to", "vi", "--engine", "pseudo", "-q")
    assert done.returncode == 0, done.stderr
    assert "wrote 4 page(s)" in done.stdout
    assert (site / STATE_DIR / "lock.json").exists()
    assert not (site / STATE_DIR / RUN_PID).exists()


def test_a_waiting_run_names_the_holder(tmp_path: Path) -> None:
    said: list[str] = []
    got = threading.Event()

    def second() -> None:
        with run_lock(tmp_path, notice=said.append):
            got.set()

    with run_lock(tmp_path):
        assert (tmp_path / STATE_DIR / RUN_PID).read_text().strip() == str(os.getpid())
        waiter = threading.Thread(target=second)
        started = time.monotonic()
        waiter.start()
        time.sleep(1.6)
        assert not got.is_set()
    waiter.join(10)
    assert got.is_set() and time.monotonic() - started >= 1.5
    assert said == [f"waiting for another vien run (pid {os.getpid()}) on {tmp_path}"]
    # a run that gets the lock at once says nothing
    said.clear()
    with run_lock(tmp_path, notice=said.append):
        pass
    assert said == []
    busy = pytest.raises(RuntimeError, match=r"another vien run \(pid \d+\)")
    with run_lock(tmp_path), busy, run_lock(tmp_path, wait=False):
        pass


def test_the_waiting_message_is_on_stderr_of_a_real_run(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site, ignore=shutil.ignore_patterns(".vien"))
    with run_lock(site):
        proc = subprocess.Popen(
            [sys.executable, "-m", "vien", "tm", "import", str(site)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(4)  # import + 1 s
        assert proc.poll() is None  # still waiting
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"waiting for another vien run (pid {os.getpid()}) on {site}" in err
    assert "imported" in out


# --- NO_COLOR --------------------------------------------------------------------------------

BAD_PAGE = b"---\ntitle: [unclosed\n---\n# Hi\n"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{site}"],  # the table, and its summary
        ["check", "{site}", "--format", "github"],
        ["segments", "{site}/content/2-pipeline/2.1-prepare-bucket.md"],
        ["segments", "{tmp}/bad.md"],  # error: …
        ["pages", "{tmp}/broken"],  # error: … for a page problem
        ["translate", "{tmp}/broken", "--to", "vi", "--engine", "pseudo", "--dry-run"],
        ["align", "{tmp}/broken"],
        ["tm", "import", "{tmp}/broken"],
        ["glossary", "suggest", "{tmp}/broken"],
        ["glossary", "add", "zzz-new-term", "--glossary", "{tmp}/g.csv"],  # lint warnings
        ["models", "install", "--from", "{tmp}/bad.md", "--models-dir", "{tmp}/m"],
        ["init", "{site}", "--dry-run"],
    ],
)
def test_no_color_means_no_ansi_codes(tmp_path: Path, args: list[str]) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site, ignore=shutil.ignore_patterns(".vien"))
    (tmp_path / "bad.md").write_bytes(BAD_PAGE)
    broken = tmp_path / "broken"
    shutil.copytree(DATA_SITE, broken, ignore=shutil.ignore_patterns(".vien"))
    (broken / "content" / "2-pipeline" / "2.1-prepare-bucket.vi.md").write_bytes(BAD_PAGE)
    (broken / "content" / "zz.md").symlink_to("/etc/hostname")
    argv = [a.format(site=site, tmp=tmp_path) for a in args]

    def run(no_color: str):  # the same starting point for both runs
        (tmp_path / "g.csv").write_text(
            "en,vi,mode,case,note,status\n"
            "access check,kiểm soát,translate,insensitive,,approved\n"
            "access control,kiểm soát,translate,insensitive,,approved\n",
            encoding="utf-8",
        )
        return CliRunner().invoke(main, argv, color=True, env={"NO_COLOR": no_color})

    coloured, plain = run(""), run("1")
    assert "\x1b[" not in plain.output, plain.output
    assert plain.exit_code == coloured.exit_code
    if args[0] != "init" and args[1:3] != ["{site}", "--format"]:
        # the same run with colour allowed (an empty NO_COLOR does not count) has some
        assert "\x1b[" in coloured.output, coloured.output
