"""Render a document with translated segments: the inverse of :func:`vien.page.parse.parse`."""

from __future__ import annotations

from collections.abc import Mapping

from . import front_matter
from .model import Document, Segment


def encode(seg: Segment, text: str) -> str:
    """Write a segment's new text in the page's syntax (quoting front matter values…)."""
    if seg.style == "md":
        return text
    if seg.in_front_matter:
        return front_matter.encode(text, seg.style)
    if seg.style == "shortcode-raw" and "`" not in text:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return escaped if seg.style == "shortcode-double" else '"' + escaped + '"'


def render_text(doc: Document, translations: Mapping[int, str]) -> str:
    """The page text with ``translations`` (segment index -> new text) applied.

    A segment whose translation equals its text keeps its original source, so an identity
    translation reproduces the page exactly.
    """
    return render_range(doc, translations, 0, len(doc.text))


def render_range(doc: Document, translations: Mapping[int, str], start: int, end: int) -> str:
    """:func:`render_text` of the part of the page between offsets ``start`` and ``end``
    (which must not cut a segment)."""
    out: list[str] = []
    pos = start
    for seg in doc.segments:
        if seg.end <= start or seg.start >= end:
            continue
        out.append(doc.text[pos : seg.start])
        new = translations.get(seg.index)
        out.append(
            doc.text[seg.start : seg.end] if new is None or new == seg.text else encode(seg, new)
        )
        pos = seg.end
    out.append(doc.text[pos:end])
    return "".join(out)


def render_bytes(doc: Document, translations: Mapping[int, str]) -> bytes:
    """:func:`render_text`, encoded as UTF-8 with the original BOM if there was one."""
    return (("\ufeff" if doc.bom else "") + render_text(doc, translations)).encode("utf-8")
