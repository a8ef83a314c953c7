"""The page model: a page is its source text plus ordered, non-overlapping translatable segments.

Everything outside a segment is *skeleton* and is written back verbatim, so rendering a page
with no translation reproduces its bytes exactly. Inside a segment, :class:`Part` objects
tile the source span: ``text`` parts are translatable, every other kind is a protected span
that a translation must carry over unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: Kinds of protected span found inside segments.
PROTECTED_KINDS: dict[str, str] = {
    "code": "inline code span",
    "url": "URL, autolink or linkified address",
    "link": 'link syntax and target: `[`, `](target "title")`, reference labels',
    "image": "image syntax and target: `![`, `](src)`",
    "html": "raw HTML tag",
    "entity": "HTML entity such as &emsp;",
    "escape": "backslash escape such as \\*",
    "shortcode": "Hugo shortcode {{< … >}} or {{% … %}}",
    "placeholder": "angle-bracket placeholder such as <StackName>",
    "markup": "emphasis delimiter (* _ ** __ ~~)",
    "break": "soft line break inside a block, with the next line's container prefix",
    "hardbreak": "hard line break (two spaces or a backslash before the newline)",
    "attr": "heading attribute block such as {#custom-id}",
}

#: How a segment's text is written back into the page.
STYLES = (
    "md",
    "yaml-plain",
    "yaml-double",
    "yaml-single",
    "toml-basic",
    "toml-literal",
    "shortcode-double",
    "shortcode-raw",
)


class Part(NamedTuple):
    """A run of a segment: translatable text, or a protected span of ``kind``. Immutable;
    a named tuple rather than a frozen dataclass, which is twice as slow to make (a page
    has hundreds)."""

    kind: str
    text: str

    @property
    def protected(self) -> bool:
        return self.kind != "text"


@dataclass(slots=True)
class Segment:
    """One translatable unit: a heading, paragraph, list item, table cell, front matter value…"""

    index: int
    start: int  # offset of the source span in Document.text
    end: int
    line: int  # 1-based line of the span's start
    section: int
    block: int  # index of the block inside its section
    parts: tuple[Part, ...]
    style: str = "md"
    field: str | None = None  # front matter key or shortcode parameter name

    @property
    def text(self) -> str:
        """The segment's translatable representation (markdown source, or a decoded value)."""
        return "".join(p.text for p in self.parts)

    @property
    def plain(self) -> str:
        """Only the translatable text, protected spans dropped (for display and detection)."""
        return "".join(p.text for p in self.parts if not p.protected)

    @property
    def protected(self) -> list[Part]:
        return [p for p in self.parts if p.protected]

    @property
    def in_front_matter(self) -> bool:
        """A front matter value (YAML, TOML, or JSON read as YAML)."""
        return self.style.startswith(("yaml", "toml"))


@dataclass(slots=True)
class Block:
    """A structural unit of a section; translatable blocks point at their segments."""

    kind: str  # heading, paragraph, list_item, blockquote, table, table_cell, code, html, hr,
    # shortcode, front_matter
    line: int
    containers: tuple[str, ...] = ()
    level: int = 0
    info: str = ""  # fence language, shortcode name, front matter key…
    segments: list[int] = field(default_factory=list)
    digest: str = ""  # content hash of a code or HTML block (an alignment anchor)

    @property
    def signature(self) -> tuple[Any, ...]:
        return (self.kind, self.containers, self.level, self.info)


@dataclass(slots=True)
class Section:
    """Everything from one heading up to the next; section 0 precedes the first heading."""

    index: int
    level: int  # heading level, 0 for section 0
    heading: str
    line: int  # 1-based line of the heading, 1 for section 0
    blocks: list[Block] = field(default_factory=list)
    start: int = 0  # offset of the section's text in Document.text (section 0: after front matter)
    end: int = 0

    @property
    def segments(self) -> list[int]:
        return [i for b in self.blocks for i in b.segments]


@dataclass(slots=True)
class FrontMatter:
    """The page's front matter: format, source span (delimiters included) and parsed data."""

    format: str  # yaml, toml or json
    start: int
    end: int
    data: dict[str, Any]


@dataclass(slots=True)
class Document:
    """A parsed page. ``text`` excludes a leading BOM; ``bom`` records whether there was one."""

    text: str
    bom: bool = False
    front_matter: FrontMatter | None = None
    sections: list[Section] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def skeleton(self) -> list[str]:
        """The verbatim text between segments (len == number of segments + 1)."""
        out, pos = [], 0
        for seg in self.segments:
            out.append(self.text[pos : seg.start])
            pos = seg.end
        out.append(self.text[pos:])
        return out

    def blocks(self) -> list[Block]:
        return [b for s in self.sections for b in s.blocks]

    def section_spans(self) -> list[tuple[int, int]]:
        """Offsets of each section's text; section 0 starts after the front matter."""
        return [(s.start, s.end) for s in self.sections]

    def section_hashes(self) -> list[str]:
        """A short hash of each section's text (what the lock file records)."""
        return [
            hashlib.sha256(self.text[s.start : s.end].encode("utf-8")).hexdigest()[:16]
            for s in self.sections
        ]
