"""vien's token stream (markdown.parse_tokens) is markdown-it's own, made with less work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from vien.page import markdown
from vien.page.markdown import parse_tokens, parser

SAMPLES = [
    "Plain words only.",
    "Hello! Wow!",  # '!' alone starts no image
    "a ![img](x.png) b",
    "# Heading\n\ntext: with - dashes + plus = 1 % ^ $ # @ ] }",
    "*em* and _em_ and **strong** and ~~gone~~ and ~one~",
    "`code` and ``two `ticks` here``",
    "a \\* escape &amp; &#123; &bogus; & alone",
    "line one\nline two  \nline three\\\nend",
    "<b>bold</b> <https://example.com> <me@example.com> <NotATag",
    '[link](https://x.y "title") [ref] [ref][] [ref][ref] [no link]\n\n[ref]: /url',
    "a {{< sc arg >}} b {{% sc %}} c { not } {{ not either }}",
    "{{< block >}}\n\n| a | b \\| c |\n|---|---|\n| `x` | y |\n",
    "- item *one*\n- item two\n  > quote [x](y)\n\n1. first\n2. second",
    "Setext\n===\n\n    indented code\n\n```go\nfence\n```\n",
    "para\r\nwith CRLF\rand CR",
    "nul \0 char",
    "[javascript](javascript:alert(1)) [data](data:image/png;base64,AA)",
    # targets are kept as written, and refused as markdown-it refuses them once normalized
    "[a](JavaScript:x) [b](< javascript:x>) [c](vbscript:x) [d](file:///etc) [e](data:text/html,x)",
    "<javascript:alert(1)> <https://ex.com/a?b=c> <me@ex.com> [f](%6Aavascript:x) [g](mailto:x@y)",
    "[h](HTTPS://ex.com/ä b) [i](<https://ex.com/a b>) ![j](//ex.com/p.png) [k](a:b) [l](:x)",
    "[m] [n]\n\n[m]: javascript:y\n[n]: https://bücher.example/ä",
    "#",
    "",
    # one kind of markup alone in a line of text
    "a &amp; b",
    "a ~~b~~ c",
    "a *b* c",
    "a _b_ c",
    "a `b` c",
    "a \\- b",
    "a\nb",
    "a [b](c) d",
    "a <b>c</b> d",
    "a <http://b.c> d",
    "a {{< b >}} c",
    "a [*b*](c) d",  # emphasis only inside a link
    "[~~x~~](y)",
    # link labels are found by stepping through the text token by token
    "[a [b] c](x) [[x]](y) [a\\]b](c) ![a [b]](c) [`]`](x) [a](b) ] [x]: y",
    "[a *b [c](d)](e) [ref: x - y][] [ref: x - y]\n\n[ref: x - y]: /u",
]


def normalized(tokens: list[Token]) -> list[Token]:
    """``tokens`` with their link and image targets normalized as markdown-it does."""
    for tok in tokens:
        for name in ("href", "src"):
            if name in tok.attrs:
                tok.attrs[name] = parser().normalizeLink(str(tok.attrs[name]))
        normalized(tok.children or [])
    return tokens


def same_as_markdown_it(text: str) -> None:
    env_a: dict[str, Any] = {}
    env_b: dict[str, Any] = {}
    expected = parser().parse(text, env_a)
    assert normalized(parse_tokens(text, env_b)) == expected
    refs = [*env_b.get("references", {}).values(), *env_b.get("duplicate_refs", [])]
    for ref in refs:  # targets as written, as in the tokens
        ref["href"] = parser().normalizeLink(ref["href"])
    assert env_b == env_a


@pytest.mark.parametrize("text", SAMPLES)
def test_same_tokens_as_markdown_it(text: str) -> None:
    same_as_markdown_it(text)


#: Pieces of lines: words and punctuation, and every kind of inline markup (and near misses),
#: alone or as an opening and a closing piece.
PLAIN = [*"ab :-+#!=|%^$@]()}>", " ", "word", "amp;", "#1;", "http://x.y"]
MARKUP = [
    *[(c,) for c in "*_~`[<&{\\\n"],
    *[(c, c) for c in ["*", "**", "_", "~", "~~", "`", "``"]],
    ("[", "](x)"),
    ("![", "](x)"),
    ("[", "](javascript:x)"),
    ("[", "](<a b>)"),
    ("[", "](https://x.y/ä)"),
    ("[", "]"),
    ("<", ">"),
    ("<b>", "</b>"),
    ("&", "amp;"),
    ("&#", "1;"),
    ("{{<", ">}}"),
    ("{{%", "%}}"),
    ("  \n",),
    ("\\\n",),
]


@st.composite
def lines(draw: st.DrawFn, most: int) -> str:
    """Text with at most ``most`` pieces of markup in it."""
    pieces = draw(st.lists(st.sampled_from(PLAIN), max_size=12))
    for markup in draw(st.lists(st.sampled_from(MARKUP), max_size=most)):
        at = 0
        for piece in markup:  # a closing piece after its opening one
            at = draw(st.integers(at, len(pieces)))
            pieces.insert(at, piece)
            at += 1
    return "".join(pieces)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(lines(most=1))
def test_same_tokens_as_markdown_it_on_one_markup(text: str) -> None:
    same_as_markdown_it(text)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(lines(most=3))
def test_same_tokens_as_markdown_it_on_any_markup(text: str) -> None:
    same_as_markdown_it(text)


def test_text_without_markup_is_not_inline_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    lean = markdown._lean()
    assert lean is not None
    md = lean[0]
    seen: list[str] = []
    real = md.inline.parse

    def spy(src: str, *args: object) -> object:
        seen.append(src)
        return real(src, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(md.inline, "parse", spy)
    tokens = parse_tokens("# A title: here\n\nPlain text, no markup!\n\nSome *markup*.\n", {})
    assert seen == ["Some *markup*."]
    children = [t.children or [] for t in tokens if t.type == "inline"]
    assert [[(c.type, c.content) for c in inline] for inline in children] == [
        [("text", "A title: here")],
        [("text", "Plain text, no markup!")],
        [("text", "Some "), ("em_open", ""), ("text", "markup"), ("em_close", ""), ("text", ".")],
    ]


def test_a_parser_rule_it_does_not_know_means_a_full_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def dollar(state: StateInline, silent: bool) -> bool:  # a rule starting at '$'
        if state.src[state.pos] != "$":
            return False
        if not silent:
            state.push("dollar", "", 0)
        state.pos += 1
        return True

    configure = markdown._configure

    def with_dollar(md: MarkdownIt) -> MarkdownIt:
        configure(md).inline.ruler.before("text", "dollar", dollar)
        return md

    monkeypatch.setattr(markdown, "_configure", with_dollar)
    markdown.parser.cache_clear()
    markdown._lean.cache_clear()
    try:
        assert markdown._lean() is None
        tokens = parse_tokens("costs $5 - *x*", {})
        assert tokens == parser().parse("costs $5 - *x*")
        assert [c.type for c in tokens[1].children or []][:3] == ["text", "dollar", "text"]
    finally:
        markdown.parser.cache_clear()
        markdown._lean.cache_clear()


def _parse_spied(
    monkeypatch: pytest.MonkeyPatch,
    ruler_of: Callable[[MarkdownIt], Any],
    spy: Callable[[str, Any], Any],
    text: str,
    tried: list[tuple[str, str]],
) -> None:
    """Parse ``text`` with each rule of ``ruler_of(md)`` wrapped by ``spy``: the tokens equal
    markdown-it's, and ``tried`` holds only what the lean parse tried."""
    configure = markdown._configure

    def spying(md: MarkdownIt) -> MarkdownIt:
        ruler = ruler_of(configure(md))
        for name, rule in zip(ruler.get_active_rules(), ruler.getRules(""), strict=True):
            ruler.at(name, spy(name, rule))
        return md

    monkeypatch.setattr(markdown, "_configure", spying)
    markdown.parser.cache_clear()
    markdown._lean.cache_clear()
    try:
        expected = parser().parse(text)
        tried.clear()
        assert parse_tokens(text, {}) == expected
    finally:
        markdown.parser.cache_clear()
        markdown._lean.cache_clear()


def test_each_position_tries_only_the_rules_that_can_start_at_its_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried: list[tuple[str, str]] = []  # (rule, character at the position it was tried at)

    def spy(name: str, rule: Any) -> Any:
        def spied(state: StateInline, silent: bool) -> bool:
            tried.append((name, state.src[state.pos]))
            return bool(rule(state, silent))

        return spied

    text = "a *b* [c](d) ![e](f) `g` &amp; \\* <b> {{< h >}} ~~i~~ j  \nk [l]"
    _parse_spied(monkeypatch, lambda md: md.inline.ruler, spy, text, tried)
    starts = {name: chars for name, (chars, _) in markdown._INLINE_RULES.items()}
    markup = set("".join(starts.values()))
    assert {rule for rule, _ in tried} == set(starts)  # every rule was tried somewhere
    for rule, char in tried:
        assert char not in markup if rule == "text" else char in starts[rule], (rule, char)


def test_a_text_without_cr_or_nul_is_not_rewritten_to_normalize_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    normalize = importlib.import_module("markdown_it.rules_core.normalize")  # the module
    rewritten: list[str] = []

    class Spy:
        def __init__(self, pattern: Any) -> None:
            self.pattern = pattern

        def sub(self, repl: str, text: str) -> str:
            rewritten.append(text)
            return str(self.pattern.sub(repl, text))

    for name in ("NEWLINES_RE", "NULL_RE"):
        monkeypatch.setattr(normalize, name, Spy(getattr(normalize, name)))
        monkeypatch.setattr(markdown, name, Spy(getattr(normalize, name)), raising=False)
    parse_tokens("# Title\n\nText *here*.\n", {})
    assert rewritten == []
    same_as_markdown_it("a\r\nb\rc\0d")
    assert rewritten


#: Line starts of every kind of block (and near misses), and lines of text.
LINE_STARTS = [
    *["- ", "* ", "+ ", "1. ", "2) ", "10. ", "> ", ">", "# ", "## ", "#x ", "    ", "  ", "\t"],
    *["```", "~~~", "``` go", "***", "---", "___", "- - -", "===", "[a]: /u", "[a]", "<div>"],
    *["</div>", "<!-- c -->", "{{< x >}}", "{{% y %}}", "{{< /x >}}", "| a | b |", "|---|---|"],
    *["-", "*", "1.", "word", "Text *em*", "", "  > ", "   - "],
]


@st.composite
def pages(draw: st.DrawFn) -> str:
    """Lines made of block starts (nested ones too) and text."""
    lines = draw(
        st.lists(st.lists(st.sampled_from(LINE_STARTS), min_size=1, max_size=3), max_size=12)
    )
    return "\n".join("".join(line) + draw(st.sampled_from(["", "text", " a"])) for line in lines)


@settings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(pages())
def test_same_tokens_as_markdown_it_on_any_blocks(text: str) -> None:
    same_as_markdown_it(text)


def test_each_line_tries_only_the_block_rules_that_can_start_at_its_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried: list[tuple[str, str]] = []  # (rule, first character of the line it was tried at)

    def spy(name: str, rule: Any) -> Any:
        def spied(state: StateBlock, line: int, end: int, silent: bool) -> bool:
            if not silent:  # (a paragraph's end is found by trying all, as markdown-it does)
                tried.append((name, state.src[state.bMarks[line] + state.tShift[line]]))
            return bool(rule(state, line, end, silent))

        return spied

    text = "# T\n\nText.\n\n- a\n\n  > b\n\n1. c\n\n```\nd\n```\n\n***\n\n<div>\n\n"
    text += "[e]: /f\n\n{{< g >}}\n"
    _parse_spied(monkeypatch, lambda md: md.block.ruler, spy, text, tried)
    assert {rule for rule, _ in tried} >= set(markdown._BLOCK_STARTS)  # each was tried
    for rule, char in tried:
        assert char in markdown._BLOCK_STARTS.get(rule, char), (rule, char)
