"""The site's Markdown settings that matter to vien: how Hugo gives headings their IDs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..page.anchors import ID_TYPES, HeadingIds
from .discover import find_config


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def config_root(config_file: Path | None, fallback: Path) -> Path:
    """The site root a config file belongs to (hugo.toml, or config/_default/*.toml)."""
    if config_file is None:
        return fallback
    folder = config_file.parent
    if folder.name == "_default" and folder.parent.name == "config":
        return folder.parent.parent
    return folder


def heading_ids(root: Path) -> HeadingIds:
    """``markup.goldmark.parser`` of the site at ``root`` (Hugo's defaults when unset):
    autoHeadingID, autoHeadingIDType and attribute.title."""
    try:
        data, _ = find_config(root)
    except (ConfigError, OSError):  # an unreadable config is reported by discovery
        data = {}
    parser = _get(data, "markup", "goldmark", "parser") or {}
    auto = _get(parser, "autoheadingid")
    kind = str(_get(parser, "autoheadingidtype") or "github").lower()
    title = _get(parser, "attribute", "title")
    return HeadingIds(
        auto=auto if isinstance(auto, bool) else True,
        kind=kind if kind in ID_TYPES else "github",
        attributes=title if isinstance(title, bool) else True,
    )
