"""Glossary terms and protected spans inside a segment, ready for any engine.

A segment becomes a list of :class:`Piece`: translatable text, and *fixed* pieces that an
engine must reproduce exactly — protected spans, keep-terms (written as in the source) and
forced renderings (written as the glossary says). Each fixed piece remembers whether it was
glued to the text before or after it (``**bold**``, ``ECS,``) so it can be glued back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..page import autolinks
from ..page.model import Segment
from .entries import Entry, Glossary


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of a segment. ``out`` is what a fixed piece becomes in the target text."""

    kind: str  # text, protected, softbreak, hardbreak, keep, translate
    src: str
    out: str
    glue_left: bool = False
    glue_right: bool = False
    entry: Entry | None = None

    @property
    def fixed(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True, slots=True)
class AppliedTerm:
    """A glossary term found in a segment (like AWS Translate's AppliedTerminology)."""

    source: str  # as written in the source
    target: str  # as it must appear in the translation
    mode: str


def _render(entry: Entry, matched: str, target: str) -> str:
    if entry.mode == "keep":
        return matched
    out = entry.rendering(target)
    if matched[:1].isupper() and out[:1].islower():
        out = out[0].upper() + out[1:]
    return out


def pieces(seg: Segment, glossary: Glossary | None, source: str, target: str) -> list[Piece]:
    """Split a segment into translatable text and fixed pieces."""
    raw: list[tuple[str, str, str, Entry | None]] = []  # kind, src, out, entry
    for part in seg.parts:
        if part.kind in ("break", "hardbreak"):
            kind = "softbreak" if part.kind == "break" else "hardbreak"
            raw.append((kind, part.text, part.text, None))
        elif part.protected:
            raw.append(("protected", part.text, part.text, None))
        elif glossary is None:
            raw.append(("text", part.text, part.text, None))
        else:
            pos = 0
            for m in glossary.find(part.text, source):
                if m.start > pos:
                    raw.append(("text", part.text[pos : m.start], "", None))
                raw.append((m.entry.mode, m.text, _render(m.entry, m.text, target), m.entry))
                pos = m.end
            if pos < len(part.text):
                raw.append(("text", part.text[pos:], "", None))
    out: list[Piece] = []
    for i, (kind, src, rendered, entry) in enumerate(raw):
        if kind == "text":
            out.append(Piece("text", src, src))
            continue
        prev = raw[i - 1][1] if i else ""
        nxt = raw[i + 1][1] if i + 1 < len(raw) else ""
        out.append(
            Piece(
                kind,
                src,
                rendered,
                bool(prev) and not prev[-1].isspace(),
                bool(nxt) and not nxt[0].isspace(),
                entry,
            )
        )
    return out


def applied_terms(ps: list[Piece]) -> list[AppliedTerm]:
    return [AppliedTerm(p.src, p.out, p.kind) for p in ps if p.kind in ("keep", "translate")]


def missing_terms(output: str, applied: list[AppliedTerm]) -> list[AppliedTerm]:
    """Terms that do not appear in ``output`` as often as they must."""
    need = Counter(a.target for a in applied)
    missing: list[AppliedTerm] = []
    for text, n in need.items():
        if output.count(text) < n:
            missing.extend(a for a in applied if a.target == text)
    return missing


_ALWAYS = set("\\`*_{}[]<>|~&")
_AT_START = set("#+-=>")


def escape_markdown(text: str) -> str:
    """Make machine-translated text inert as markdown: it can create no emphasis, code,
    link, HTML, entity, shortcode, list, heading or autolink — only plain text."""
    if not text:
        return text
    links = autolinks.find(text)
    cut = {
        a
        + (
            text[a:b].find("://")
            if "://" in text[a:b]
            else text[a:b].find("@")
            if "@" in text[a:b]
            else text[a:b].find(".")
        )
        for a, b in links
    }
    out = []
    for i, ch in enumerate(text):
        if ch in _ALWAYS or i in cut or (i == 0 and ch in _AT_START):
            out.append("\\")
        out.append(ch)
    s = "".join(out)
    # "1. " or "1) " at the start would make a list item
    j = 0
    while j < len(s) and s[j].isdigit():
        j += 1
    if 0 < j < len(s) and s[j] in ".)":
        s = s[:j] + "\\" + s[j:]
    return s
