"""Parse a Hugo page into the :mod:`vien.page.model` document.

markdown-it gives the block structure and, through source line maps, where each inline run
lies. Each inline token's content is located line by line in the source; its children are then
located in order inside that content, so every protected span gets an exact source offset.
Nothing is regex-matched over the whole document.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

from markdown_it.token import Token

from ..errors import PageError
from . import autolinks, front_matter, shortcodes
from .markdown import parse_tokens, parser
from .model import Block, Document, FrontMatter, Part, Section, Segment
from .options import DEFAULT_FRONT_MATTER_KEYS as DEFAULT_FRONT_MATTER_KEYS  # (re-exported)
from .options import DEFAULT_OPTIONS, ParseOptions
from .options import DEFAULT_SHORTCODE_PARAMS as DEFAULT_SHORTCODE_PARAMS

_HTML_ELEMENTS = frozenset(
    """
a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption
center cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img
input ins kbd label legend li link main map mark meta meter nav noscript object ol optgroup
option output p param picture pre progress q rp rt ruby s samp script section select small
source span strike strong style sub summary sup svg table tbody td template textarea tfoot th
thead time title tr track u ul var video wbr math path g rect circle line polyline polygon text
""".split()
)


class _Unmapped(Exception):
    """An inline run whose source could not be located exactly; it is kept verbatim."""


_EOL = re.compile(r"\r\n|\r|\n")


class _Lines:
    """Line starts/ends of a text, splitting on CRLF, CR and LF as markdown-it does."""

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" not in text:
            # each line's start is the last one's plus its length and its "\n"
            starts = list(accumulate([len(line) + 1 for line in text.split("\n")[:-1]], initial=0))
            ends = [s - 1 for s in starts]
            ends.append(len(text))
            del ends[0]
        else:
            starts, ends = [0], []
            for m in _EOL.finditer(text):
                ends.append(m.start())
                starts.append(m.end())
            ends.append(len(text))
        self.starts, self.ends = starts, ends

    def line_of(self, offset: int) -> int:
        """1-based line number of an offset."""
        return bisect_right(self.starts, offset)

    def body(self, k: int) -> str:
        return self.text[self.starts[k] : self.ends[k]]


def line_offsets(text: str) -> list[int]:
    """Offset of the start of each line (CRLF, CR and LF line ends)."""
    return _Lines(text).starts


def _is_translatable(parts: Iterable[Part]) -> bool:
    for p in parts:  # noqa: SIM110  (a loop: no generator on this hot path)
        if p.kind == "text" and any(map(str.isalpha, p.text)):
            return True
    return False


class _Builder:
    """Walks the token stream and builds sections, blocks and segments."""

    def __init__(self, text: str, body_start: int, options: ParseOptions) -> None:
        self.text = text
        self.lines = _Lines(text)
        self.line0 = self.lines.line_of(body_start) - 1  # 0-based line of the body's start
        self.options = options
        self.segments: list[Segment] = []
        self.sections: list[Section] = [Section(0, 0, "", 1)]
        self.warnings: list[str] = []
        self.pairings: list[shortcodes.Pairing] = []
        self.env: dict[str, object] = {}  # markdown-it's env: link reference definitions

    # -- segments ----------------------------------------------------------------------------
    def add_segment(
        self,
        start: int,
        end: int,
        parts: list[Part],
        block: Block,
        style: str = "md",
        field_name: str | None = None,
    ) -> None:
        if not _is_translatable(parts):
            return
        seg = Segment(
            len(self.segments),
            start,
            end,
            self.lines.line_of(start),
            len(self.sections) - 1,
            len(self.sections[-1].blocks) - 1,
            tuple(parts),
            style,
            field_name,
        )
        self.segments.append(seg)
        block.segments.append(seg.index)

    def add_block(
        self, kind: str, line: int, containers: list[str], level: int = 0, info: str = ""
    ) -> Block:
        path = tuple(containers)
        if self.pairings:
            offset = self.lines.starts[line - 1] if line else 0
            path += tuple(
                "shortcode:" + p.name for p in self.pairings if p.open_end <= offset < p.close_start
            )
        block = Block(kind, line, path, level, info)
        self.sections[-1].blocks.append(block)
        return block

    # -- locating inline content -------------------------------------------------------------
    def _content_lines(self, tok: Token, kind: str) -> list[int]:
        """Source offset of each content line's start (content = tok.content split on \\n)."""
        content = tok.content
        assert tok.map is not None
        first = tok.map[0] + self.line0
        offsets = []
        src = self.lines.body(first)
        if kind == "heading" and src.lstrip(" \t").startswith("#"):  # ATX: one line
            p = len(src) - len(src.lstrip(" \t"))
            while p < len(src) and src[p] == "#":
                p += 1
            i = src.find(content.partition("\n")[0], p)
            if i < 0:
                raise _Unmapped
            return [self.lines.starts[first] + i]
        if "\n" not in content:  # one line: the content ends it
            src = src.rstrip()
            if not src.endswith(content):
                raise _Unmapped
            return [self.lines.starts[first] + len(src) - len(content)]
        clines = content.split("\n")
        for k, c in enumerate(clines):
            src = self.lines.body(first + k)
            if k == len(clines) - 1:
                src = src.rstrip()
            if not src.endswith(c):
                raise _Unmapped
            offsets.append(self.lines.starts[first + k] + len(src) - len(c))
        return offsets

    def cell_parts(self, start: int, end: int) -> tuple[int, int, list[Part]]:
        """A table cell, parsed from its exact source (markdown-it's cell content drops the
        backslash of an escaped pipe, so it cannot be located in the source)."""
        content = self.text[start:end]
        children = parser().parseInline(content, self.env)[0].children or []
        return self._parts(content, children, [start], "cell")

    def inline_parts(self, tok: Token, kind: str) -> tuple[int, int, list[Part]]:
        """Locate an inline token in the source; return its span and its parts."""
        return self._parts(tok.content, tok.children or [], self._content_lines(tok, kind), kind)

    def _parts(
        self, content: str, children: list[Token], line_offsets: list[int], kind: str
    ) -> tuple[int, int, list[Part]]:
        """Parts of inline ``content`` whose lines start at ``line_offsets`` in the source."""
        regions: list[tuple[int, int, str]] = []
        n = len(content)
        if len(children) == 1 and children[0].type == "text" and children[0].content == content:
            end = n  # the whole content as one text token (what _walk finds, faster)
        else:
            end = _walk(content, children, 0, regions)
        if end < n and content[end:].strip():
            raise _Unmapped
        if not regions and len(line_offsets) == 1:  # the common plain run: one text part
            start_s = line_offsets[0]
            if not n:
                return start_s, start_s, []
            gap = self.text[start_s : start_s + n]
            if "\n" in gap or "\r" in gap:
                raise _Unmapped
            one = _text_parts(gap)
            if kind == "heading":
                one = _split_heading_attr(one)
            return start_s, start_s + n, [p for p in one if p.text]
        regions.append((n, n, ""))
        if len(line_offsets) == 1:  # content offsets -> source offsets: one shift
            base = line_offsets[0]
            spans = regions
            start_s, end_s = base, base + n
        else:
            base = 0
            cstarts = [0]
            for c in content.split("\n")[:-1]:
                cstarts.append(cstarts[-1] + len(c) + 1)

            def src(i: int) -> int:
                k = bisect_right(cstarts, i) - 1
                return line_offsets[k] + (i - cstarts[k])

            spans = [(src(a), src(b), k) for a, b, k in regions]
            start_s, end_s = line_offsets[0], src(n)
        text = self.text
        parts: list[Part] = []
        append = parts.append
        pos = start_s
        # parts made in order, each from where the last ended, tile the span by construction;
        # regions out of order do not, and the span is then compared with the parts
        ordered = True
        newline = False  # a line end in a run of text (a URL in it is protected: look closer)
        for a, b, k in spans:
            a += base
            b += base
            if a < pos or b < a:
                ordered = False
            if a > pos:  # a run of text: bare URLs in it are protected too
                gap = text[pos:a]
                if "\n" in gap or "\r" in gap:
                    newline = True
                if "://" in gap or "www." in gap or "@" in gap:
                    parts.extend(_text_parts(gap))
                else:
                    append(Part("text", gap))
            if k:
                append(Part(k, text[a:b]))
            pos = b
        if newline and any(("\n" in p.text or "\r" in p.text) for p in parts if p.kind == "text"):
            raise _Unmapped
        if not ordered and "".join(p.text for p in parts) != text[start_s:end_s]:
            raise _Unmapped
        if kind == "heading":
            parts = _split_heading_attr(parts)
        return start_s, end_s, [p for p in parts if p.text]

    # -- the token walk ----------------------------------------------------------------------
    def build(self, tokens: list[Token]) -> None:
        containers: list[str] = []
        block: Block | None = None
        cells: list[tuple[int, int]] = []
        cell_index = row = 0
        line0 = self.line0 + 1
        for tok in tokens:
            t = tok.type
            if t in _PASSIVE:
                continue
            line = (tok.map[0] + line0) if tok.map else 0
            if t == "inline":
                assert block is not None
                self._inline(tok, block, line, cells, cell_index)
            elif t == "heading_open":
                level = int(tok.tag[1])
                self.sections.append(Section(len(self.sections), level, "", line))
                block = self.add_block("heading", line, containers, level)
            elif t == "paragraph_open":
                kind = "paragraph"
                if containers and containers[-1] == "list_item":
                    kind = "list_item"
                elif containers and containers[-1] == "blockquote":
                    kind = "blockquote"
                block = self.add_block(kind, line, containers)
            elif t in ("blockquote_open", "list_item_open"):
                containers.append(t[:-5])
            elif t in ("bullet_list_open", "ordered_list_open"):
                containers.append("list")
            elif t in (
                "blockquote_close",
                "list_item_close",
                "bullet_list_close",
                "ordered_list_close",
            ):
                containers.pop()
            elif t == "table_open":
                self.add_block("table", line, containers)
                containers.append("table")
            elif t == "table_close":
                containers.pop()
            elif t == "tr_open":
                assert tok.map is not None
                row = self.line0 + tok.map[0]
                cells = _row_cells(self.lines.body(row), self.lines.starts[row])
                cell_index = -1
            elif t in ("th_open", "td_open"):
                cell_index += 1
                block = self.add_block("table_cell", row + 1, containers)
            elif t in ("fence", "code_block"):
                b = self.add_block("code", line, containers, info=tok.info.strip().split(" ")[0])
                b.digest = _digest(tok.content)
            elif t == "html_block":
                self.add_block("html", line, containers).digest = _digest(tok.content)
            elif t == "hr":
                self.add_block("hr", line, containers)
            elif t == "shortcode_raw":
                self.add_block("shortcode", line, containers, info=tok.info)
            elif t == "shortcode":
                tag = tok.meta["tag"]
                block = self.add_block(
                    "shortcode", line, containers, info=("/" if tag.closing else "") + tag.name
                )
                if tag.name in self.options.shortcode_params:  # else no text to find
                    assert tok.map is not None
                    start = self.lines.starts[self.line0 + tok.map[0]] + tok.meta["column"]
                    self._shortcode_params(start, block)

    def _inline(
        self, tok: Token, block: Block, line: int, cells: list[tuple[int, int]], cell_index: int
    ) -> None:
        """The segment of an inline token (a heading's, a paragraph's, a cell's text)."""
        kind = (
            "heading"
            if block.kind == "heading"
            else "cell"
            if block.kind == "table_cell"
            else "para"
        )
        try:
            if kind == "cell":
                if cell_index >= len(cells):
                    return  # a cell markdown-it added to fill the row: empty
                c0, c1 = cells[cell_index]
                if self.text[c0:c1] == tok.content:  # the common case: as parsed
                    s, e, parts = self._parts(tok.content, tok.children or [], [c0], "cell")
                else:  # an escaped pipe: markdown-it's content differs from source
                    s, e, parts = self.cell_parts(c0, c1)
            else:
                s, e, parts = self.inline_parts(tok, kind)
        except _Unmapped:
            self.warnings.append(
                f"line {line}: could not map this {block.kind} to its "
                "source exactly; it is kept verbatim"
            )
            return
        if kind == "heading":
            self.sections[-1].heading = "".join(p.text for p in parts if p.kind == "text").strip()
        self.add_segment(s, e, parts, block)

    def _shortcode_params(self, start: int, block: Block) -> None:
        """Segments for the visible-text parameters of the shortcode tag at ``start``."""
        end = shortcodes.tag_end(self.text, start)
        tag = shortcodes.lex(self.text[start:end]) if end > 0 else None
        wanted = self.options.shortcode_params.get(tag.name) if tag else None
        if not tag or not wanted:
            return
        for p in tag.params:
            if (p.position in wanted or p.name in wanted) and p.quote:
                style = "shortcode-double" if p.quote == '"' else "shortcode-raw"
                self.add_segment(
                    start + p.start,
                    start + p.end,
                    [Part("text", p.value)],
                    block,
                    style,
                    p.name or str(p.position),
                )


#: Tokens the walk has nothing to do for.
_PASSIVE = frozenset(
    """paragraph_close heading_close td_close th_close tr_close thead_open thead_close
    tbody_open tbody_close""".split()
)


def _digest(content: str) -> str:
    """A short hash of a block's content, blind to indentation and blank lines."""
    norm = "\n".join(line.strip() for line in content.splitlines() if line.strip())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]


def _row_cells(line: str, base: int) -> list[tuple[int, int]]:
    """Source spans of a table row's cells, split as markdown-it splits them (on pipes not
    preceded by a backslash; an empty first or last cell from edge pipes dropped), trimmed."""
    lead = len(line) - len(line.lstrip())
    body = line.strip()
    bounds, start = [], 0
    if "\\|" in body:
        escaped = False
        for i, ch in enumerate(body):
            if ch == "|" and not escaped:
                bounds.append((start, i))
                start = i + 1
            escaped = ch == "\\"
    else:  # no escaped pipe: every pipe splits
        for piece in body.split("|")[:-1]:
            bounds.append((start, start + len(piece)))
            start += len(piece) + 1
    bounds.append((start, len(body)))
    if bounds and bounds[0][0] == bounds[0][1]:
        bounds.pop(0)
    if bounds and bounds[-1][0] == bounds[-1][1]:
        bounds.pop()
    cells = []
    for a, b in bounds:
        cell = body[a:b]
        a += len(cell) - len(cell.lstrip())
        b -= len(cell) - len(cell.rstrip())
        cells.append((base + lead + a, base + lead + max(a, b)))
    return cells


def _find(content: str, needle: str, pos: int) -> int:
    """Where ``needle`` starts at or after ``pos``, with only whitespace skipped."""
    if content.startswith(needle, pos):
        return pos
    i = content.find(needle, pos)
    if i < 0 or content[pos:i].strip():
        raise _Unmapped
    return i


def _code_span_end(content: str, start: int, ticks: int) -> int:
    i = start + ticks
    while True:
        j = content.find("`" * ticks, i)
        if j < 0:
            raise _Unmapped
        k = j
        while k < len(content) and content[k] == "`":
            k += 1
        if k - j == ticks:
            return k
        i = k


#: A link destination without spaces, controls, parentheses or escapes.
_PLAIN_DEST = re.compile(r"[^\x00-\x20\x7f()\\]+")


def _link_tail(content: str, close: int) -> tuple[int, bool]:
    """End of ``](dest "title")`` / ``][ref]`` / ``]`` starting at ``close``; and whether the
    link text doubles as the reference label (``[label]`` or ``[label][]``)."""
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    n = len(content)
    pos = close + 1
    if pos < n and content[pos] == "(":
        p = pos + 1
        while p < n and content[p] in " \t\n":
            p += 1
        plain = _PLAIN_DEST.match(content, p) if p < n and content[p] != "<" else None
        if plain and plain.end() < n and content[plain.end()] == ")":
            # the common ``](target)``: what parseLinkDestination would find, then no title
            return plain.end() + 1, False
        if p < n and content[p] != ")":
            res = parseLinkDestination(content, p, n)
            if res.ok:
                p = res.pos
                while p < n and content[p] in " \t\n":
                    p += 1
                title = parseLinkTitle(content, p, n)
                if title.ok:
                    p = title.pos
                while p < n and content[p] in " \t\n":
                    p += 1
            else:
                p = -1
        if 0 <= p < n and content[p] == ")":
            return p + 1, False
    if pos < n and content[pos] == "[":
        j = content.find("]", pos + 1)
        if j >= 0:
            return j + 1, j == pos + 1
    return close + 1, True


#: Emphasis and strikethrough delimiter tokens.
_DELIMITERS = frozenset(["strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"])


def _walk(content: str, children: list[Token], p: int, regions: list[tuple[int, int, str]]) -> int:
    """Locate ``children`` in ``content`` from ``p``; append protected regions; return end."""
    i = 0
    link_starts: list[tuple[int, int]] = []  # (position of '[', index in regions)
    while i < len(children):
        tok = children[i]
        t = tok.type
        if t == "text":
            text = tok.content
            # where the last child ended, most often: no call to _find
            p = (p if content.startswith(text, p) else _find(content, text, p)) + len(text)
        elif t in _DELIMITERS:  # the most common markup: next to the text
            mark = tok.markup
            j = p if content.startswith(mark, p) else _find(content, mark, p)
            p = j + len(mark)
            regions.append((j, p, "markup"))
        elif t == "text_special":
            j = _find(content, tok.markup, p)
            p = j + len(tok.markup)
            regions.append((j, p, "entity" if tok.info == "entity" else "escape"))
        elif t in ("softbreak", "hardbreak"):
            j = content.find("\n", p)
            if j < 0 or content[p:j].strip(" \t\\"):
                raise _Unmapped
            k = j + 1
            while k < len(content) and content[k] in " \t":
                k += 1
            regions.append((p, k, "break" if t == "softbreak" else "hardbreak"))
            p = k
        elif t == "code_inline":
            j = _find(content, tok.markup, p)
            p = _code_span_end(content, j, len(tok.markup))
            regions.append((j, p, "code"))
        elif t in ("html_inline", "shortcode_inline"):
            j = _find(content, tok.content, p)
            p = j + len(tok.content)
            kind = "shortcode" if t == "shortcode_inline" else _html_kind(tok.content)
            regions.append((j, p, kind))
        elif t == "link_open" and tok.markup in ("autolink", "linkify"):
            depth = i
            while children[depth].type != "link_close":
                depth += 1
            inner = "".join(c.content for c in children[i + 1 : depth])
            if tok.markup == "autolink":
                j = _find(content, "<", p)
                p = content.index(">", j) + 1
            else:
                j = _find(content, inner, p)
                p = j + len(inner)
            regions.append((j, p, "url"))
            i = depth
        elif t == "link_open":
            j = _find(content, "[", p)
            link_starts.append((j, len(regions)))
            regions.append((j, j + 1, "link"))
            p = j + 1
        elif t == "link_close":
            j = _find(content, "]", p)
            p, label = _link_tail(content, j)
            start, idx = link_starts.pop()
            if label:  # the text is the reference label: protect the whole link
                del regions[idx:]
                regions.append((start, p, "link"))
            else:
                regions.append((j, p, "link"))
        elif t == "image":
            j = _find(content, "![", p)
            idx = len(regions)
            regions.append((j, j + 2, "image"))
            inner_end = _walk(content, tok.children or [], j + 2, regions)
            close = _find(content, "]", inner_end)
            p, label = _link_tail(content, close)
            if label:
                del regions[idx:]
                regions.append((j, p, "image"))
            else:
                regions.append((close, p, "image"))
        else:
            raise _Unmapped
        i += 1
    return p


def _text_parts(gap: str) -> list[Part]:
    """A run of text as parts: bare URLs and e-mail addresses in it are protected."""
    if "://" in gap or "www." in gap or "@" in gap:
        parts, last = [], 0
        for u, v in autolinks.find(gap):
            parts.append(Part("text", gap[last:u]))
            parts.append(Part("url", gap[u:v]))
            last = v
        parts.append(Part("text", gap[last:]))
        return parts
    return [Part("text", gap)]


def _html_kind(tag: str) -> str:
    """``html`` for a known HTML element (or comment), ``placeholder`` for ``<StackName>``."""
    name = tag.lstrip("</").split(">")[0].split()[0].rstrip("/").lower() if len(tag) > 2 else ""
    if tag.startswith(("<!--", "<?", "<!")) or name in _HTML_ELEMENTS:
        return "html"
    return "placeholder"


def _split_heading_attr(parts: list[Part]) -> list[Part]:
    """Protect a trailing ``{#id .class}`` attribute block of a heading."""
    if not parts or parts[-1].kind != "text":
        return parts
    text = parts[-1].text
    stripped = text.rstrip()
    if not stripped.endswith("}"):
        return parts
    i = stripped.rfind("{")
    attr = stripped[i + 1 : -1].strip()
    if i < 0 or not attr or attr[0] not in "#." or "{" in attr:
        return parts
    while i > 0 and text[i - 1] in " \t":  # the space before the attribute goes with it
        i -= 1
    return [*parts[:-1], Part("text", text[:i]), Part("attr", text[i:])]


def parse(text: str, options: ParseOptions = DEFAULT_OPTIONS, *, bom: bool = False) -> Document:
    """Parse page text (BOM removed) into a :class:`Document`. Raises :class:`PageError`."""
    doc = Document(text=text, bom=bom)
    sp = front_matter.split(text)
    body_start = 0
    fm_spans: list[front_matter.ValueSpan] = []
    if sp is not None:
        data, pairs = front_matter.load_composed(text, sp)
        doc.front_matter = FrontMatter(sp.format, sp.start, sp.end, data)
        fm_spans, warnings = front_matter.value_spans(
            text, sp, data, options.front_matter_keys, pairs
        )
        doc.warnings.extend(warnings)
        body_start = sp.end
    builder = _Builder(text, body_start, options)
    try:
        builder.pairings = shortcodes.pair(shortcodes.scan(text[body_start:]))
    except shortcodes.ShortcodeError as exc:
        raise PageError(str(exc), line=builder.lines.line_of(body_start + exc.offset)) from exc
    builder.pairings = [
        shortcodes.Pairing(
            p.name,
            *(x + body_start for x in (p.open_start, p.open_end, p.close_start, p.close_end)),
        )
        for p in builder.pairings
    ]
    if sp is not None:
        block = builder.add_block("front_matter", 1, [], info=sp.format)
        for vs in fm_spans:
            builder.add_segment(vs.start, vs.end, [Part("text", vs.value)], block, vs.style, vs.key)
    tokens = parse_tokens(text[body_start:], builder.env)
    builder.build(tokens)
    doc.sections = builder.sections
    starts = [body_start] + [builder.lines.starts[s.line - 1] for s in doc.sections[1:]]
    for section, start, end in zip(doc.sections, starts, [*starts[1:], len(text)], strict=True):
        section.start, section.end = start, end
    doc.segments = builder.segments
    doc.warnings.extend(builder.warnings)
    return doc
