"""Anchor links that do not resolve: ``](#id)`` in the page itself, or ``](../other/#id)``,
``{{< ref "other.md#id" >}}`` into another page of the site, whose headings (IDs as Hugo
gives them, :mod:`vien.page.anchors`) and HTML ``id``/``name`` attributes hold no such ID.
A link whose page cannot be told from the site's files (an external path, a ``url`` set in
front matter) is left alone.

What a page offers and links to (:class:`PageAnchors`) is read from its parsed document
where the pair checks parse it anyway (:func:`page_anchors`); the links are resolved across
the site once at the end (:func:`broken_anchors`), parsing only the pages no pair read."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..errors import PageError
from ..page.anchors import HeadingIds, anchor_links, section_ids
from ..site.discover import Discovery, Page

if TYPE_CHECKING:
    from ..page.model import Document

_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Broken:
    """An anchor link that does not resolve."""

    path: Path
    line: int
    target: str  # the link as written: page#fragment
    message: str
    section: str = ""  # heading of the section the link is in


class Anchor(NamedTuple):
    """An anchor link of a page: line, page part ('' for the page itself), fragment, whether
    a ref/relref shortcode holds it, and the heading of the section it is in."""

    line: int
    page: str
    fragment: str
    shortcode: bool
    heading: str


@dataclass(frozen=True, slots=True)
class PageAnchors:
    """What one page offers to anchor links (its element IDs) and the links it holds."""

    ids: frozenset[str]
    links: tuple[Anchor, ...]

    def to_json(self) -> dict[str, object]:
        return {"ids": sorted(self.ids), "links": [list(a) for a in self.links]}

    @staticmethod
    def from_json(data: object) -> PageAnchors | None:
        """The value :meth:`to_json` made, or None when ``data`` is not one."""
        if not isinstance(data, dict):
            return None
        ids, links = data.get("ids"), data.get("links")
        if not isinstance(ids, list) or not isinstance(links, list):
            return None
        try:
            return PageAnchors(
                frozenset(map(str, ids)),
                tuple(Anchor(int(a), str(b), str(c), bool(d), str(e)) for a, b, c, d, e in links),
            )
        except (TypeError, ValueError):
            return None


def page_key(page: Page) -> str:
    """The page's path in the site's URLs: its key without ``_index``/``index``, lowercased
    (``3-reports/3.1-day``)."""
    parts = page.key.split("/")
    if parts[-1] in ("_index", "index"):
        parts = parts[:-1]
    return "/".join(parts).lower()


def page_anchors(doc: Document, ids: HeadingIds) -> PageAnchors:
    """The element IDs of ``doc`` (headings as Hugo gives them, HTML ``id``/``name``) and
    its anchor links."""
    got = {i for i in section_ids(doc, ids) if i}
    if "=" in doc.text:  # what an id or name attribute needs (half the pages have none)
        got.update(m.group(1) for m in _HTML_ID.finditer(doc.text))
    links = tuple(
        Anchor(a.line, a.page, a.fragment, a.shortcode, doc.sections[a.section].heading)
        for a in anchor_links(doc)
    )
    return PageAnchors(frozenset(got), links)


def read_anchors(path: Path, ids: HeadingIds) -> PageAnchors | None:
    """:func:`page_anchors` of the page at ``path``; None when it cannot be read."""
    from ..page.read import read_document  # here: a run whose pages are cached parses none

    try:
        return page_anchors(read_document(path), ids)
    except (PageError, OSError):
        return None


def broken_anchors(
    found: Discovery,
    ids: HeadingIds,
    only: set[Path] | None = None,
    known: Mapping[Path, PageAnchors | None] | None = None,
) -> list[Broken]:
    """Every anchor link of the site's pages (those in ``only``, when given) that does not
    resolve. ``known``: pages' anchors already read (None: a page that cannot be read), by
    path; any other page needed is read here."""
    data: dict[Path, PageAnchors | None] = dict(known or {})
    keys: dict[tuple[str, str], Page] = {}
    for page in found.pages:
        keys.setdefault((page.lang, page_key(page)), page)

    def anchors_of(page: Page) -> PageAnchors | None:
        if page.path not in data:
            data[page.path] = read_anchors(page.path, ids)
        return data[page.path]

    out = []
    for page in found.pages:
        if only is not None and page.path.resolve() not in only:
            continue
        mine = anchors_of(page)
        if mine is None:
            continue
        key = page_key(page)
        for link in mine.links:
            other: Page | None = page
            if link.page:
                other = _resolve(link.page, link.shortcode, key, page, keys)
            if other is None:
                continue
            target = anchors_of(other)
            if target is None or link.fragment in target.ids:
                continue
            where = "this page" if other is page else str(other.path.name)
            out.append(
                Broken(
                    page.path,
                    link.line,
                    f"{link.page}#{link.fragment}",
                    f"anchor link {link.page}#{link.fragment} does not resolve: no heading or "
                    f"element of {where} has the ID {link.fragment!r}",
                    link.heading,
                )
            )
    return out


def _resolve(
    target: str, shortcode: bool, key: str, page: Page, keys: dict[tuple[str, str], Page]
) -> Page | None:
    """The page a link's path part names, or None when it cannot be told."""
    target = target.split("?")[0]
    if target.endswith((".md", ".markdown")):
        target = target.rsplit(".", 1)[0]
    langs = {lang for lang, _ in keys}
    for lang in langs:
        if target.endswith("." + lang):
            target = target[: -len(lang) - 1]
    if target.startswith("/"):
        first, _, rest = target.strip("/").partition("/")
        candidates = [target.strip("/")] + ([rest] if first in langs else [])
    elif shortcode:  # ref: from the content folder, or from the page's own folder
        folder = posixpath.dirname(page.key)
        candidates = [target, posixpath.normpath(posixpath.join("/" + folder, target))]
    else:  # a page's URL is a folder: /a/b/ for a/b.md and a/b/_index.md
        candidates = [posixpath.normpath(posixpath.join("/" + key + "/", target))]
    for path in candidates:
        parts = [p for p in path.lower().strip("/").split("/") if p]
        if parts and parts[-1] in ("_index", "index"):
            parts = parts[:-1]
        got = keys.get((page.lang, "/".join(parts)))
        if got is not None:
            return got
    return None
