"""Shared fixtures: the real data in ../shared (tests fail loudly, never skip, without it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from vien.site.discover import languages_block

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VIEN_SHARED", ROOT.parent / "shared")).resolve()
DATA_SITE = ROOT / "data" / "site"
MISSING = "<../shared is missing>"


def hugo_config(
    root: Path, content_dir: str | None = None, default: str = "en", tables: str = ""
) -> Path:
    """Write a two-language (en, vi) ``hugo.toml`` into ``root``: vien writes only into a site
    whose config names its languages. ``content_dir="."`` keeps the pages in ``root``;
    ``default`` is the default content language; ``tables`` are TOML tables to add
    (``[markup.goldmark.parser]``…)."""
    root.mkdir(parents=True, exist_ok=True)
    extra = f'contentDir = "{content_dir}"\n' if content_dir else ""
    langs = ["en", "vi"] if default == "en" else [default, "en"]
    config = 'baseURL = "https://example.org/"\n' + extra + languages_block(langs) + tables
    (root / "hugo.toml").write_text(config, encoding="utf-8")
    return root


def require_shared() -> Path:
    """The shared folder, or a test failure that says how to get it."""
    if not (SHARED / "sites").is_dir():
        pytest.fail(
            f"{SHARED} is missing: the real sites, seeds and models live there "
            "(clone the project with ../shared beside it, or set VIEN_SHARED)"
        )
    return SHARED


def corpus() -> list[str]:
    """Every real page: shared sites (.md), shared seeds (.txt) and the sample site (.md).

    When ../shared is missing, a sentinel entry makes the tests that use it fail loudly.
    """
    files: list[Path] = sorted(DATA_SITE.rglob("*.md"))
    if (SHARED / "sites").is_dir():
        files += sorted((SHARED / "sites").rglob("*.md")) + sorted((SHARED / "seeds").glob("*.txt"))
        return [str(f) for f in files]
    return [str(f) for f in files] + [MISSING]


def corpus_id(path: str) -> str:
    for base in (SHARED, ROOT):
        if path.startswith(str(base)):
            return os.path.relpath(path, base)
    return path


def load(path: str) -> bytes:
    if path == MISSING:
        require_shared()
    return Path(path).read_bytes()


from argos_fixture import argos_package  # noqa: E402, F401  (session fixture: tiny models)
