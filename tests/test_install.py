"""What users install: the wheel (not the editable checkout), the pre-commit hooks.

These build a wheel and create environments, so they are marked slow; ``.ci/run`` runs them
in its second step."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA_SITE, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("vien-*.whl")
    return found


def _target(tmp_path: Path, wheel: Path, *extra: str) -> Path:
    """The wheel (and ``extra`` requirements) unpacked into a folder of its own, no deps: the
    dependencies come from this environment, vien only from the wheel."""
    site = tmp_path / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
            *extra,
        ],
        check=True,
        capture_output=True,
    )
    return site


def _python(site: Path, code: str, cwd: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_glossary_loads_from_the_installed_wheel(tmp_path: Path, wheel: Path) -> None:
    site = _target(tmp_path, wheel)
    out = _python(
        site,
        "import vien, vien.glossary as g; gl = g.load(); "
        "print(vien.__file__); print(g.DEFAULT_PATH); print(len(gl.entries))",
        cwd=tmp_path,  # not the checkout: nothing but the wheel can provide vien
    )
    module, path, entries = out.split("\n")[:3]
    assert module.startswith(str(site)) and path.startswith(str(site))
    assert Path(path).name == "aws.csv" and int(entries) > 400


def test_vien_imports_beside_the_pypi_package_named_pipeline(tmp_path: Path, wheel: Path) -> None:
    """Another PyPI package installs a top-level ``pipeline``: both must import side by side."""
    try:
        site = _target(tmp_path, wheel, "pipeline==0.1.0")
        real = True
    except subprocess.CalledProcessError:  # no registry: stand in for it
        site = _target(tmp_path, wheel)
        (site / "pipeline").mkdir()
        (site / "pipeline" / "__init__.py").write_text("OTHER = True\n")
        real = False
    assert (site / "pipeline" / "__init__.py").is_file() and (site / "vien").is_dir()
    out = _python(
        site,
        "import pipeline, vien, vien.cli.main; print(pipeline.__file__); print(vien.__version__)",
        cwd=tmp_path,
    )
    assert out.split("\n")[0].startswith(str(site / "pipeline")), real


def test_the_pre_commit_hooks_run_through_pre_commit(tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None and os.environ.get("CI") != "true":
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site)
    shutil.copy(ROOT / "data" / "check-baseline.json", site / "baseline.json")
    shutil.copy(ROOT / "glossaries" / "aws.csv", site / "glossary.csv")
    (site / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {ROOT}\n"
        f"    rev: {head}\n"
        "    hooks:\n"
        "      - id: vien-check\n"
        "        args: [content, --baseline, baseline.json]\n"
        "      - id: vien-glossary-lint\n"
        "        args: [--glossary, glossary.csv]\n"
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=site, check=True)
    subprocess.run([*git, "add", "-A"], cwd=site, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vien check" in done.stdout and "vien glossary lint" in done.stdout
    # and a finding fails the hook: an untranslated paragraph in a Vietnamese page
    page = site / "content" / "1-introduction" / "_index.vi.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\nThis whole paragraph was left in English and nobody translated it yet.\n",
        encoding="utf-8",
    )
    subprocess.run([*git, "add", "-A"], cwd=site, check=True)
    failed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "vien-check"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "untranslated" in failed.stdout
