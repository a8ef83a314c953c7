"""Heading IDs as Hugo gives them, and the anchor links of a page.

Hugo (goldmark) gives each heading an ID from its text unless it carries one (``{#id}``):
``github`` keeps letters, digits, ``_`` and ``-`` (lowercased) and turns spaces into ``-``;
``github-ascii`` does the same after removing accents, dropping what is not ASCII;
``blackfriday`` joins runs of letters and digits with single dashes. A repeated ID gets
``-1``, ``-2``… in page order. A translated heading gets another ID, which breaks every
``#anchor`` link to it; :mod:`vien.translate.batch` keeps the source heading's ID as a
``{#id}`` attribute, and ``vien check`` reports anchors that no longer resolve.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from .model import Document, Segment

ID_TYPES = ("github", "github-ascii", "blackfriday")


@dataclass(frozen=True, slots=True)
class HeadingIds:
    """The site's ``markup.goldmark.parser`` settings that decide heading IDs."""

    auto: bool = True  # autoHeadingID
    kind: str = "github"  # autoHeadingIDType
    attributes: bool = True  # attribute.title: {#id} after a heading is read


def sanitize(text: str, kind: str = "github") -> str:
    """The ID Hugo makes of a heading's text (before making it unique)."""
    if kind == "blackfriday":
        out: list[str] = []
        dash = False
        for ch in text:
            if ch.isalpha() or ch.isdigit():
                if dash and out:
                    out.append("-")
                dash = False
                out.append(ch.lower())
            else:
                dash = True
        return "".join(out)
    if kind == "github-ascii":
        text = unicodedata.normalize("NFC", "".join(
            c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
        ))  # fmt: skip
    out = []
    for ch in text:
        if kind == "github-ascii" and ord(ch) > 127:
            continue
        if ch == "-" or ch in " \t":
            out.append("-")
        elif ch == "_" or ch.isalpha() or ch.isdigit():
            out.append(ch.lower())
    return "".join(out)


_ATTR_ID = re.compile(r"\{[^{}]*#([^\s{}]+)[^{}]*\}\s*$")


def heading_text(seg: Segment) -> str:
    """A heading's text as Hugo reads it for its ID: emphasis markup, link syntax and HTML
    tags left out, code spans without their backticks, entities and escapes decoded."""
    out = []
    for p in seg.parts:
        if p.kind == "text":
            out.append(p.text)
        elif p.kind == "code":
            out.append(p.text.strip("`").strip() if p.text.startswith("`") else p.text)
        elif p.kind == "entity":
            import html  # here: start-up time

            out.append(html.unescape(p.text))
        elif p.kind == "escape":
            out.append(p.text[1:])
        elif p.kind in ("url", "placeholder"):
            out.append(p.text)
    return "".join(out).strip()


def explicit_id(seg: Segment) -> str | None:
    """The ``{#id}`` a heading carries, if any."""
    for p in seg.parts:
        if p.kind == "attr":
            m = _ATTR_ID.search(p.text)
            if m:
                return m.group(1)
    return None


def section_ids(doc: Document, ids: HeadingIds = HeadingIds()) -> list[str | None]:
    """Each section's heading ID as Hugo would give it (None for section 0, or without an
    ID: auto IDs off and no attribute)."""
    seen: set[str] = set()
    out: list[str | None] = []
    for s in doc.sections:
        seg = next(
            (doc.segments[i] for b in s.blocks if b.kind == "heading" for i in b.segments), None
        )
        if not s.level:
            out.append(None)
            continue
        given = explicit_id(seg) if seg is not None and ids.attributes else None
        if given is not None:
            seen.add(given)
            out.append(given)
            continue
        if not ids.auto:
            out.append(None)
            continue
        base = sanitize(heading_text(seg) if seg is not None else s.heading, ids.kind)
        base = base or "heading"
        got, n = base, 0
        while got in seen:
            n += 1
            got = f"{base}-{n}"
        seen.add(got)
        out.append(got)
    return out


_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)")
_HREF = re.compile(r"""\bhref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_REF = re.compile(r"""\{\{[<%]\s*(?:rel)?ref\s+["']?([^"'\s>%]*)["']?\s*[>%]\}\}""")


@dataclass(frozen=True, slots=True)
class AnchorLink:
    """A link with a fragment: where it is, the page part ('' for the page itself) and
    the fragment (decoded)."""

    line: int
    page: str
    fragment: str
    shortcode: bool = False  # a ref/relref shortcode: page is a content path
    section: int = 0  # the section the link is in


def anchor_links(doc: Document) -> list[AnchorLink]:
    """Every link of the page whose target has a ``#fragment``: markdown links, HTML
    ``href`` and ``ref``/``relref`` shortcodes (code left out)."""
    out = []
    for seg in doc.segments:
        for p in seg.parts:
            if p.kind == "link":
                found = [(m.group(1), False) for m in _LINK.finditer(p.text)]
            elif p.kind == "html":
                found = [(m.group(1), False) for m in _HREF.finditer(p.text)]
            elif p.kind == "shortcode":
                found = [(m.group(1), True) for m in _REF.finditer(p.text)]
            else:
                continue
            for target, short in found:
                page, sep, frag = target.partition("#")
                if sep and frag and "://" not in page and not page.startswith("mailto:"):
                    out.append(AnchorLink(seg.line, page, unquote(frag), short, seg.section))
    return out


def fragments(text: str) -> set[str]:
    """Every ``#fragment`` a page's raw text links to (markdown, HTML, ref shortcodes):
    cheap, for deciding which heading IDs are linked."""
    out = set()
    for rx in (_LINK, _HREF, _REF):
        for m in rx.finditer(text):
            _, sep, frag = m.group(1).partition("#")
            if sep and frag:
                out.add(unquote(frag))
    return out
