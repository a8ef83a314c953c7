"""SIGKILL at random points of `vien translate` (issue #13: F31, F37, F38).

Each trial copies dms-migration, starts a run, kills it (SIGKILL) at a seeded random moment,
then runs vien again normally: every page, lock.json and the memory's rows must then be
byte-identical to those of an uninterrupted run, with no temporary file left. The trials that
landed mid-write (a temporary file existed, a page had been replaced, or an intent was pending
in lock.json at kill time) are counted and printed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import require_shared

pytestmark = pytest.mark.slow

SEED = 20261213
PSEUDO_TRIALS = 35
ARGOS_TRIALS = 15
VIEN = [sys.executable, "-m", "vien"]


@dataclass
class Trial:
    engine: str
    number: int
    delay: float
    at_write: bool  # the delay counts from the first page write, else from the run lock
    mid_write: bool = False
    what: str = ""  # what was seen at kill time
    problem: str = ""


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _memory_rows(site: Path) -> list[tuple]:
    db = sqlite3.connect(site / ".vien" / "memory.sqlite")
    try:
        rows = db.execute(
            "SELECT src_lang, tgt_lang, src_hash, src_text, tgt_text, provenance,"
            " glossary_version, model_id, page FROM units"
        ).fetchall()
    finally:
        db.close()
    return sorted(rows)


def _state(site: Path) -> tuple[dict[str, bytes], bytes, list[tuple]]:
    return (
        _files(site / "content"),
        (site / ".vien" / "lock.json").read_bytes(),
        _memory_rows(site),
    )


def _command(site: Path, engine: str, models: Path | None) -> list[str]:
    # dms-migration is complete: --retranslate makes the run write pages (by default it keeps
    # every human section and writes nothing, #14)
    cmd = [*VIEN, "translate", str(site), "--to", "vi", "--engine", engine, "--retranslate", "-q"]
    if engine == "argos":
        assert models is not None
        cmd += ["--models-dir", str(models), "--threads", "1", "--beam-size", "1"]
        cmd += ["--max-length-ratio", "0.5"]
    return cmd


def _timed_run(site: Path, cmd: list[str]) -> tuple[float, float]:
    """Run to the end; seconds from the run lock's creation (the run proper) to the end, and
    from the first page write to the end."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = _wait_for_lock(site, proc)
    writing = _wait_for_write(site, proc, started)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    end = time.monotonic()
    return end - started, end - writing


def _wait_for_write(site: Path, proc: subprocess.Popen, since: float) -> float:
    """Wait until the run writes its first page (a temp file, or a page newer than ``since``)."""
    folders = [Path(d) for d, _, _ in os.walk(site / "content" / "vi")]
    wall = time.time() - (time.monotonic() - since)
    while proc.poll() is None:
        for folder in folders:
            for entry in os.scandir(folder):
                if entry.name.endswith(".tmp") or (
                    entry.is_file() and entry.stat().st_mtime > wall
                ):
                    return time.monotonic()
    return time.monotonic()


def _wait_for_lock(site: Path, proc: subprocess.Popen) -> float:
    run_lock = site / ".vien" / "run.lock"
    while not run_lock.exists() and proc.poll() is None:
        time.sleep(0.002)
    return time.monotonic()


def _trial(
    trial: Trial,
    dms: Path,
    work: Path,
    engine: str,
    models: Path | None,
    reference: tuple[dict[str, bytes], bytes, list[tuple]],
    original: dict[str, bytes],
) -> Trial:
    site = work / f"{engine}-{trial.number}"
    shutil.copytree(dms, site)
    try:
        cmd = _command(site, engine, models)
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        started = _wait_for_lock(site, proc)  # the kill lands in the run proper, not imports
        if trial.at_write:
            _wait_for_write(site, proc, started)
        time.sleep(trial.delay)
        finished = proc.poll() is not None
        if not finished:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        temps = [p.name for p in site.rglob(".*.tmp")]
        pages = _files(site / "content")
        replaced = [k for k, v in pages.items() if original.get(k) != v]
        lock_path = site / ".vien" / "lock.json"
        journal = site / ".vien" / "lock.journal"  # intents are journaled there first
        pending = (lock_path.exists() and "pending" in json.loads(lock_path.read_text())) or (
            journal.exists() and b'"op": "intend"' in journal.read_bytes()
        )
        trial.mid_write = not finished and bool(temps or pending or replaced)
        trial.what = (
            f"{'finished' if finished else 'killed'}: {len(temps)} temp, "
            f"{len(replaced)} replaced, pending={pending}"
        )
        rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if rerun.returncode != 0:
            trial.problem = f"re-run exit {rerun.returncode}: {rerun.stderr[-500:]}"
            return trial
        left = [str(p) for p in site.rglob(".*.tmp")]
        pages, lock, rows = _state(site)
        want = reference[0]
        diffs = [k for k in pages.keys() | want.keys() if pages.get(k) != want.get(k)]
        if diffs:
            trial.problem = f"pages differ: {sorted(diffs)[:5]}"
        elif lock != reference[1]:
            trial.problem = "lock.json differs"
        elif rows != reference[2]:
            trial.problem = "memory rows differ"
        elif left:
            trial.problem = f"temp files left: {left}"
        return trial
    finally:
        shutil.rmtree(site, ignore_errors=True)


@pytest.fixture
def workdir() -> Iterator[Path]:
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    path = Path(tempfile.mkdtemp(prefix="vien-kills-", dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_sigkill_at_random_points_then_rerun_is_byte_identical(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = require_shared()
    dms = shared / "sites" / "dms-migration"
    models = workdir / "models"
    install = subprocess.run(
        [
            *VIEN,
            "models",
            "install",
            "--from",
            str(shared / "models" / "translate-en_vi-tiny-synthetic.argosmodel"),
            "--models-dir",
            str(models),
        ],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    original = _files(dms / "content")
    rng = random.Random(SEED)
    trials: list[tuple[Trial, str, tuple]] = []
    for engine, count in (("pseudo", PSEUDO_TRIALS), ("argos", ARGOS_TRIALS)):
        ref = workdir / f"reference-{engine}"
        shutil.copytree(dms, ref)
        span, writing = _timed_run(ref, _command(ref, engine, models))
        reference = _state(ref)
        for n in range(count):
            at_write = n % 3 != 0  # two in three aimed at the writing phase
            delay = rng.uniform(0.0, (writing if at_write else span) * 1.1)
            trials.append((Trial(engine, n, delay, at_write), engine, reference))
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(
            pool.map(
                lambda t: _trial(t[0], dms, workdir, t[1], models, t[2], original),
                trials,
            )
        )
    with capsys.disabled():
        for engine in ("pseudo", "argos"):
            mine = [t for t in done if t.engine == engine]
            print(
                f"\n{engine}: {len(mine)} kill trials, {sum(t.mid_write for t in mine)} mid-write, "
                f"{sum(not t.problem for t in mine)} byte-identical after the re-run"
            )
    for engine in ("pseudo", "argos"):  # trials that never hit a write would prove nothing
        assert any(t.mid_write for t in done if t.engine == engine), engine
    bad = [t for t in done if t.problem]
    assert not bad, "\n".join(
        f"{t.engine} #{t.number} (+{t.delay:.2f}s, {t.what}): {t.problem}" for t in bad
    )
