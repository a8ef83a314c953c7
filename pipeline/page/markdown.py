"""The markdown-it parser vien uses: CommonMark + GFM tables and strikethrough, and
Hugo shortcodes as block tokens (a tag alone on its line) and inline tokens (anywhere else).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.parser_block import RuleFuncBlockType as BlockRule
from markdown_it.parser_inline import ParserInline
from markdown_it.parser_inline import RuleFuncInlineType as RuleFunc
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import block
from markdown_it.rules_core.normalize import NEWLINES_RE, NULL_RE
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType

from . import shortcodes


def _shortcode_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A shortcode tag standing alone on its line(s) becomes a ``shortcode`` block token.

    A paired shortcode whose body is code (``highlight``) swallows its body up to the closing
    tag, as one ``shortcode_raw`` token.
    """
    # Hugo expands shortcodes before markdown: an indented tag line is never a code block.
    pos = state.bMarks[start_line] + state.tShift[start_line]
    src = state.src
    if not src.startswith(shortcodes.OPENERS, pos):
        return False
    end = shortcodes.tag_end(src, pos)
    if end < 0:
        return False
    line = start_line
    while line < end_line and state.eMarks[line] < end:
        line += 1
    if line >= end_line or src[end : state.eMarks[line]].strip():
        return False  # text follows the tag on its line: an inline shortcode
    tag = shortcodes.lex(src[pos:end])
    if tag is None:
        return False
    if silent:
        return True
    if tag.name in shortcodes.RAW_BODY and not tag.closing and not tag.self_closing:
        close_line = line + 1
        while close_line < end_line:
            p = state.bMarks[close_line] + state.tShift[close_line]
            if src.startswith(shortcodes.OPENERS, p):
                e = shortcodes.tag_end(src, p)
                closer = shortcodes.lex(src[p:e]) if e > 0 else None
                if closer and closer.closing and closer.name == tag.name:
                    token = state.push("shortcode_raw", "", 0)
                    token.map = [start_line, close_line + 1]
                    token.info = tag.name
                    state.line = close_line + 1
                    return True
            close_line += 1
    token = state.push("shortcode", "", 0)
    token.map = [start_line, line + 1]
    token.content = src[pos:end]
    token.info = tag.name
    # the column is the same in the original text (markdown-it only normalizes line ends)
    token.meta = {"tag": tag, "column": pos - state.bMarks[start_line]}
    state.line = line + 1
    return True


def _shortcode_inline(state: StateInline, silent: bool) -> bool:
    """A shortcode tag inside text becomes one ``shortcode_inline`` token."""
    src, pos = state.src, state.pos
    if not src.startswith(shortcodes.OPENERS, pos):
        return False
    end = shortcodes.tag_end(src, pos, state.posMax)
    if end < 0:
        return False
    if not silent:
        token = state.push("shortcode_inline", "", 0)
        token.content = src[pos:end]
        token.info = (
            shortcodes.lex(token.content) or shortcodes.Shortcode("", "", False, False, (), "")
        ).name
    state.pos = end
    return True


def _configure(md: MarkdownIt) -> MarkdownIt:
    """CommonMark + GFM tables and strikethrough, and shortcodes, in ``md``."""
    # bare URLs are found by vien.page.autolinks with goldmark's (GFM) rules, not linkify-it,
    # whose fuzzy domains (README.md) Hugo does not link
    md.enable(["table", "strikethrough"])
    # keep escapes and entities as their own tokens so their source can be located
    md.disable("text_join")
    md.block.ruler.before(
        "table",
        "shortcode",
        _shortcode_block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.after("text", "shortcode_inline", _shortcode_inline)
    md.inline.add_terminator_char("{")
    return md


@cache
def parser() -> MarkdownIt:
    """The shared parser (markdown-it instances are reusable and thread-safe for parsing)."""
    return _configure(MarkdownIt("commonmark"))


#: For each inline rule: the characters it can start at (or that it must find by stepping
#: through the text token by token: a link label's "]"), and what must be in a run of text
#: for it to make a token there (from the rule's own first test). ``text`` only gathers
#: characters into the pending text.
_INLINE_RULES = {
    "text": ("", ""),
    "shortcode_inline": ("{", r"\{\{[<%]"),
    "newline": ("\n", r"\n"),
    "escape": ("\\", r"\\"),
    "backticks": ("`", "`"),
    "strikethrough": ("~", "~"),
    "emphasis": ("*_", "[*_]"),
    "link": ("[]", r"\["),
    "image": ("!", r"!\["),
    "autolink": ("<", "<"),
    "html_inline": ("<", "<"),
    "entity": ("&", "&"),
}


#: A target that starts with one of the schemes markdown-it never refuses.
_SAFE_SCHEME = re.compile(r"\s*(?:https?|mailto):", re.ASCII | re.IGNORECASE)


class _AsWritten(MarkdownIt):
    """A parser that leaves link and image targets as written: vien locates them in the
    source and never reads a token's ``href`` or ``src``, which markdown-it normalizes
    (parses, punycodes, percent-encodes) at a cost. It refuses the same links: markdown-it
    refuses a normalized target that starts with a ``javascript:``-like scheme, and
    normalizing keeps a target's scheme (trimmed) and makes no colon; so a target with no
    colon, or one with a scheme that is not refused, needs no normalizing to be judged."""

    def normalizeLink(self, url: str) -> str:
        return url

    def validateLink(self, url: str) -> bool:
        if ":" not in url or _SAFE_SCHEME.match(url):
            return True
        return super().validateLink(super().normalizeLink(url))


class _LeanInline(ParserInline):
    """markdown-it's inline parser, which runs its post-processing rules (balance_pairs,
    strikethrough, emphasis, fragments_join) only when there is something for them to do:
    emphasis or strikethrough delimiters. Without any, they change nothing: no delimiter to
    pair, and the only text tokens not made of pending text are made with a delimiter (or
    alone between an autolink's link_open and link_close), so none are adjacent to merge, and
    every token already has the level they would recompute.

    At each position it tries only the rules that can start at its character
    (``starters``): every other rule returns False there at its first test, changing
    nothing, so the first rule to succeed is the one markdown-it's loop over all rules
    finds. A character no rule starts at is plain text, which only the ``text`` rule takes.
    """

    def __init__(self, starters: dict[str, tuple[RuleFunc, ...]], text: RuleFunc) -> None:
        super().__init__()
        self.starters = starters
        self.plain = (text,)

    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        state = StateInline(src, md, env, tokens)
        self.tokenize(state)
        if state.delimiters or any(m["delimiters"] for m in state.tokens_meta if m):
            for rule in self.ruler2.getRules(""):
                rule(state)
        return state.tokens

    def tokenize(self, state: StateInline) -> None:
        """:meth:`ParserInline.tokenize`, each position trying only its own rules."""
        src, end = state.src, state.posMax
        starters, plain = self.starters, self.plain
        nesting = state.md.options["maxNesting"]
        while state.pos < end:
            pos = state.pos
            if state.level < nesting and _first_match(starters.get(src[pos], plain), state):
                if state.pos <= pos:
                    raise RuntimeError("inline rule didn't increment state.pos")
                if state.pos >= end:
                    break
                continue
            state.append_pending(src[pos])
            state.pos += 1
        if state.pending:
            state.pushPending()

    def skipToken(self, state: StateInline) -> None:
        """:meth:`ParserInline.skipToken`, trying only the rules of the position's character."""
        pos = state.pos
        cache = state.cache
        if pos in cache:
            state.pos = cache[pos]
            return
        ok = False
        if state.level < state.md.options["maxNesting"]:
            for rule in self.starters.get(state.src[pos], self.plain):
                state.level += 1  # as markdown-it does, to limit recursion
                ok = rule(state, True)
                state.level -= 1
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        else:
            state.pos = state.posMax  # too deep: skip to the end, as markdown-it does
        if not ok:
            state.pos += 1
        cache[pos] = state.pos


def _first_match(rules: tuple[RuleFunc, ...], state: StateInline) -> bool:
    """Whether one of ``rules``, tried in order, makes a token at ``state.pos``."""
    for rule in rules:  # noqa: SIM110  (a loop: no generator on this hot path)
        if rule(state, False):
            return True
    return False


#: For each block rule that can start a block only at some characters (a line's first one
#: after its indentation, which the rule tests before anything else): those characters.
#: The others (table, code, lheading, paragraph) can start at any character.
_BLOCK_STARTS = {
    "shortcode": "{",
    "fence": "~`",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}
_BLOCK_ANYWHERE = frozenset({"table", "code", "lheading", "paragraph"})


class _LeanBlock(ParserBlock):
    """markdown-it's block parser, which tries at each line only the rules that can start
    at its first character (``starters``; ``anywhere`` for a character none of them starts
    at): any other rule returns False there, changing nothing, so the first rule to succeed
    is the one markdown-it's loop over all rules finds. Rules used to end a paragraph or a
    list (``ruler``'s chains) are all tried, as in markdown-it."""

    def __init__(self, ruler: Ruler[BlockRule]) -> None:
        super().__init__()
        self.ruler = ruler
        named = list(zip(ruler.get_active_rules(), ruler.getRules(""), strict=True))
        self.anywhere = tuple(rule for name, rule in named if name in _BLOCK_ANYWHERE)
        self.starters = {
            char: tuple(rule for name, rule in named if char in _BLOCK_STARTS.get(name, char))
            for char in set("".join(_BLOCK_STARTS.values()))
        }

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        """:meth:`ParserBlock.tokenize`, each line trying only its own rules."""
        line = startLine
        nesting = state.md.options.maxNesting
        has_empty_lines = False
        while line < endLine:
            state.line = line = state.skipEmptyLines(line)
            if line >= endLine or state.sCount[line] < state.blkIndent:
                break  # the end, or of a nested block (a list's, a blockquote's)
            if state.level >= nesting:
                state.line = endLine  # too deep: skip to the end, as markdown-it does
                break
            first = state.src[state.bMarks[line] + state.tShift[line]]
            if not _first_block(self.starters.get(first, self.anywhere), state, line, endLine):
                raise RuntimeError("none of the block rules matched")
            if state.line <= line:
                raise RuntimeError("block rule didn't increment state.line")
            state.tight = not has_empty_lines  # an empty line before the block, not after
            line = state.line
            if (line - 1) < endLine and state.isEmpty(line - 1):
                has_empty_lines = True  # a paragraph may take the empty line after it
            if line < endLine and state.isEmpty(line):
                has_empty_lines = True
                line += 1
                state.line = line


def _first_block(rules: tuple[BlockRule, ...], state: StateBlock, line: int, end: int) -> bool:
    """Whether one of ``rules``, tried in order, makes a block at ``line``."""
    for rule in rules:  # noqa: SIM110  (a loop: no generator on this hot path)
        if rule(state, line, end, False):
            return True
    return False


@cache
def _lean() -> tuple[MarkdownIt, re.Pattern[str]] | None:
    """The parser for pages, :func:`parser`'s configuration with less work and the same
    tokens: its text rule stops only at characters an inline rule can start at (markdown-it
    stops at more, for rules it may have, and tries every rule there in vain), its inline
    post-processing runs only when it has delimiters to process (:class:`_LeanInline`), its
    block parser tries at a line only the rules that can start there (:class:`_LeanBlock`,
    when it knows them all), its link targets are kept as written (:class:`_AsWritten`);
    and a pattern
    found in every inline content its inline rules make more than one text token of. None
    when the parser has a rule (or a core or post-processing rule) this module does not know.
    """
    md = _configure(_AsWritten("commonmark"))
    if md.core.ruler.get_active_rules() != ["normalize", "block", "inline"]:
        return None
    if md.inline.ruler2.get_active_rules() != [
        "balance_pairs",
        "strikethrough",
        "emphasis",
        "fragments_join",
    ]:
        return None
    rules = md.inline.ruler.get_active_rules()
    if not set(rules) <= _INLINE_RULES.keys():
        return None
    stops = "".join(sorted({c for r in rules for c in _INLINE_RULES[r][0]}))
    named = dict(zip(rules, md.inline.ruler.getRules(""), strict=True))
    starters = {c: tuple(named[r] for r in rules if c in _INLINE_RULES[r][0]) for c in stops}
    inline = _LeanInline(starters, named["text"])
    inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
    inline.terminator_re = re.compile("[" + re.escape(stops) + "]")
    md.inline = inline
    if set(md.block.ruler.get_active_rules()) <= _BLOCK_STARTS.keys() | _BLOCK_ANYWHERE:
        md.block = _LeanBlock(md.block.ruler)
    markup = re.compile("|".join(_INLINE_RULES[r][1] for r in rules if _INLINE_RULES[r][1]))
    return md, markup


def _normalized(src: str) -> str:
    """``src`` as markdown-it's ``normalize`` rule leaves it (line ends as ``\\n``, NUL as
    U+FFFD), its substitutions run only when there is a CR or a NUL to replace: over a page
    with neither (most), they would rebuild it unchanged, at a cost."""
    if "\r" in src:
        src = NEWLINES_RE.sub("\n", src)
    if "\0" in src:
        src = NULL_RE.sub("\ufffd", src)
    return src


def parse_tokens(src: str, env: dict[str, object]) -> list[Token]:
    """``parser().parse(src, env)``, the same tokens but for link and image targets left as
    written (see :class:`_AsWritten`), made with less work (see :func:`_lean`): an inline
    token whose content has no markup (nothing any inline rule starts at) gets the one text
    token markdown-it's inline parse would give it, without running that parse; the text is
    normalized only when there is something to normalize (:func:`_normalized`)."""
    lean = _lean()
    if lean is None:
        return parser().parse(src, env)
    md, markup = lean
    state = StateCore(_normalized(src), md, env)
    block(state)
    search = markup.search
    inline = md.inline
    for tok in state.tokens:
        if tok.type == "inline":
            content = tok.content
            children: list[Token] = [] if tok.children is None else tok.children
            if search(content):
                inline.parse(content, md, env, children)
            elif content:
                text = Token("text", "", 0)
                text.content = content
                children.append(text)
            tok.children = children
    return state.tokens
