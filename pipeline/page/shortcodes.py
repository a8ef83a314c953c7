"""Hugo shortcode tags: find where a tag ends and split it into name and parameters.

A tag is ``{{< name params >}}`` or ``{{% name params %}}``; ``{{< /name >}}`` closes a paired
shortcode and ``{{< name /> }}`` (``/%}}``) is self-closing. Parameters are bare words,
``"quoted strings"`` (backslash escapes) or ```raw strings```, positional or ``key=value``.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENERS = ("{{<", "{{%")
#: Longest tag we scan for (multi-line tags exist; a runaway ``{{<`` must not scan the page).
MAX_TAG_LENGTH = 4096

#: Shortcodes that always wrap content and must be closed.
PAIRED = frozenset(
    {
        "notice",
        "expand",
        "tabs",
        "tab",
        "details",
        "highlight",
        "code",
        "alert",
        "columns",
        "collapse",
        "attachments",
        "mermaid",
        "math",
    }
)
#: Paired shortcodes whose body is code, never markdown.
RAW_BODY = frozenset({"highlight", "code", "mermaid", "math"})


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter: its value's span inside the tag (quotes excluded) and how it is quoted."""

    name: str | None  # None for positional
    position: int  # index among positional parameters, -1 for named ones
    start: int
    end: int
    quote: str  # '"', '`' or '' (bare)
    value: str


@dataclass(frozen=True, slots=True)
class Shortcode:
    """A lexed tag."""

    name: str
    delimiter: str  # '<' or '%'
    closing: bool
    self_closing: bool
    params: tuple[Param, ...]
    source: str


def tag_end(src: str, pos: int, limit: int | None = None) -> int:
    """Index just past the tag starting at ``pos``, or -1 when it is not closed."""
    if not src.startswith(OPENERS, pos):
        return -1
    close = ">}}" if src[pos + 2] == "<" else "%}}"
    stop = min(len(src) if limit is None else limit, pos + MAX_TAG_LENGTH)
    i = pos + 3
    while i < stop:
        ch = src[i]
        if ch == '"':
            i += 1
            while i < stop and src[i] != '"':
                i += 2 if src[i] == "\\" else 1
        elif ch == "`":
            j = src.find("`", i + 1, stop)
            if j < 0:
                return -1
            i = j
        elif src.startswith(close, i):
            return i + 3
        elif src.startswith(OPENERS, i):
            return -1  # a new tag opens before this one closed
        i += 1
    return -1


def lex(tag: str) -> Shortcode | None:
    """Split a complete tag into name and parameters; None when it is not a shortcode tag."""
    if len(tag) < 6 or not tag.startswith(OPENERS):
        return None
    delim = tag[2]
    inner_start, inner_end = 3, len(tag) - 3
    body = tag[inner_start:inner_end]
    stripped = body.strip()
    if stripped.startswith("/*") and stripped.endswith("*/"):
        return Shortcode("", delim, False, True, (), tag)  # a commented-out shortcode
    i = inner_start
    n = inner_end
    self_closing = False
    # a trailing '/' before the closing delimiter marks a self-closing tag
    tail = tag[:inner_end].rstrip()
    if tail.endswith("/") and len(tail) > inner_start:
        self_closing = True
        n = len(tail) - 1
    while i < n and tag[i].isspace():
        i += 1
    closing = False
    if i < n and tag[i] == "/":
        closing = True
        i += 1
        while i < n and tag[i].isspace():
            i += 1
    start = i
    while i < n and not tag[i].isspace() and tag[i] not in '"`':
        i += 1
    name = tag[start:i]
    if not name:
        return None
    params: list[Param] = []
    position = 0
    while i < n:
        while i < n and tag[i].isspace():
            i += 1
        if i >= n:
            break
        key = None
        j = i
        while j < n and not tag[j].isspace() and tag[j] not in '="`':
            j += 1
        if j < n and tag[j] == "=":
            key = tag[i:j]
            i = j + 1
        if i < n and tag[i] in '"`':
            q = tag[i]
            k = i + 1
            while k < n and tag[k] != q:
                k += 2 if (q == '"' and tag[k] == "\\") else 1
            if k >= n:
                return None  # unterminated quoted parameter
            value = tag[i + 1 : k]
            if q == '"':  # Hugo unescapes \" and \\ in quoted parameters
                value = value.replace("\\\\", "\0").replace('\\"', '"').replace("\0", "\\")
            params.append(Param(key, -1 if key else position, i + 1, k, q, value))
            i = k + 1
        else:
            k = i
            while k < n and not tag[k].isspace():
                k += 1
            params.append(Param(key, -1 if key else position, i, k, "", tag[i:k]))
            i = k
        if key is None:
            position += 1
    return Shortcode(name, delim, closing, self_closing, tuple(params), tag)


@dataclass(frozen=True, slots=True)
class Pairing:
    """A paired shortcode's extent: from its opening tag's end to its closing tag's start."""

    name: str
    open_start: int
    open_end: int
    close_start: int
    close_end: int


class ShortcodeError(ValueError):
    """Unbalanced shortcodes; ``offset`` points at the offending tag."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def scan(text: str) -> list[tuple[int, Shortcode]]:
    """Every shortcode tag in ``text`` in source order, as Hugo's lexer sees them.

    Hugo expands shortcodes before rendering markdown, so tags inside code blocks count too;
    ``{{</* … */>}}`` is Hugo's escape and is skipped. An opener that never closes is an error.
    """
    tags = []
    i = text.find("{{", 0)
    while i >= 0:
        if text.startswith(OPENERS, i):
            end = tag_end(text, i)
            if end < 0:
                head = text[i : i + 30].split("\n")[0]
                raise ShortcodeError(f"unterminated shortcode tag {head!r}", i)
            tag = lex(text[i:end])
            if tag is not None and tag.name:
                tags.append((i, tag))
            i = text.find("{{", end)
        else:
            i = text.find("{{", i + 2)
    return tags


def pair(tags: list[tuple[int, Shortcode]]) -> list[Pairing]:
    """Match opening and closing tags; paired names are :data:`PAIRED` plus any name that is
    closed somewhere in the page. Raises :class:`ShortcodeError` on imbalance."""
    paired = set(PAIRED) | {t.name for _, t in tags if t.closing}
    stack: list[tuple[int, Shortcode]] = []
    out = []
    for offset, tag in tags:
        if tag.closing:
            if not any(t.name == tag.name for _, t in stack):
                raise ShortcodeError(
                    f"closing shortcode {tag.source.strip()} has no opening tag", offset
                )
            o, opener = stack.pop()
            if opener.name != tag.name:
                raise ShortcodeError(
                    f"unclosed shortcode {opener.source.strip()} (a closing "
                    f"{tag.source.strip()} comes first)",
                    o,
                )
            out.append(
                Pairing(tag.name, o, o + len(opener.source), offset, offset + len(tag.source))
            )
        elif not tag.self_closing and tag.name in paired:
            stack.append((offset, tag))
    if stack:
        o, opener = stack[-1]
        raise ShortcodeError(
            f"unclosed shortcode {opener.source.strip()}: no closing "
            f"{{{{{opener.delimiter} /{opener.name} {opener.delimiter}}}}} "
            "after it",
            o,
        )
    return sorted(out, key=lambda p: p.open_start)
