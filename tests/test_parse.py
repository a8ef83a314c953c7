"""The page model on small, exact examples of every construct."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from vien.errors import PageError
from vien.mt import get_engine
from vien.page.invariants import problems
from vien.page.parse import ParseOptions, parse
from vien.page.render import render_text


def kinds(text: str) -> list[list[tuple[str, str]]]:
    """(kind, text) of every part of every segment."""
    return [[(p.kind, p.text) for p in s.parts] for s in parse(text).segments]


def pseudo(text: str) -> str:
    doc = parse(text)
    out = render_text(
        doc, dict(enumerate(get_engine("pseudo").translate(doc.segments, "en", "vi")))
    )
    assert problems(doc, out, ordered=True) == []
    return out


def test_sections_split_at_every_heading_atx_and_setext() -> None:
    doc = parse("intro\n\n# One\n\ntext\n\nTwo\n---\n\n### Three ###\n")
    assert [(s.level, s.heading, s.line) for s in doc.sections] == [
        (0, "", 1),
        (1, "One", 3),
        (2, "Two", 7),
        (3, "Three", 10),
    ]
    assert [b.kind for b in doc.sections[1].blocks] == ["heading", "paragraph"]


def test_yaml_front_matter_only_translatable_keys_are_segments() -> None:
    page = '---\ntitle: "Event 2"\ndate: 2025-09-30\nweight: 1\npre: " <b> 4.2. </b> "\n---\n'
    doc = parse(page + "\nBody text.\n")
    fm = [s for s in doc.segments if s.field]
    assert [(s.field, s.text, s.style) for s in fm] == [("title", "Event 2", "yaml-double")]
    out = pseudo(page + "\nBody text.\n")
    assert 'pre: " <b> 4.2. </b> "' in out and "date: 2025-09-30" in out
    assert 'title: "⟦Éṽéñţ 2⟧"' in out


def test_toml_front_matter_and_quoting_is_kept_valid() -> None:
    page = '+++\ntitle = \'It is\'\ndescription = "A \\"quoted\\" word"\nweight = 2\n+++\nx\n'
    doc = parse(page)
    assert [(s.field, s.text) for s in doc.segments if s.field] == [
        ("title", "It is"),
        ("description", 'A "quoted" word'),
    ]
    out = render_text(doc, {0: "It's", 1: 'Say "hi"'})
    new = parse(out)
    assert new.front_matter is not None
    assert new.front_matter.data == {"title": "It's", "description": 'Say "hi"', "weight": 2}


def test_front_matter_keys_are_configurable() -> None:
    page = "---\ntitle: A\nsummary: Words here\n---\n"
    doc = parse(page, ParseOptions(front_matter_keys=frozenset({"summary"})))
    assert [s.field for s in doc.segments] == ["summary"]


def test_inline_protected_spans() -> None:
    src = (
        "Run `aws s3 ls` on <StackName> at https://aws.amazon.com/s3 or "
        '[the docs](https://docs.aws.amazon.com "Docs") ![Diagram](/img/a.png?w=1) '
        '<br> &emsp; \\* {{< ref "x.md" >}} <https://example.org>\n'
    )
    (parts,) = kinds(src)
    protected = [(k, t) for k, t in parts if k != "text"]
    assert protected == [
        ("code", "`aws s3 ls`"),
        ("placeholder", "<StackName>"),
        ("url", "https://aws.amazon.com/s3"),
        ("link", "["),
        ("link", '](https://docs.aws.amazon.com "Docs")'),
        ("image", "!["),
        ("image", "](/img/a.png?w=1)"),
        ("html", "<br>"),
        ("entity", "&emsp;"),
        ("escape", "\\*"),
        ("shortcode", '{{< ref "x.md" >}}'),
        ("url", "<https://example.org>"),
    ]
    texts = "".join(t for k, t in parts if k == "text")
    assert "the docs" in texts and "Diagram" in texts


def test_reference_link_labels_are_protected_but_full_reference_text_is_not() -> None:
    src = "See [AWS] and [the console][c].\n\n[AWS]: https://aws.amazon.com\n[c]: https://x.y\n"
    (parts,) = kinds(src)
    assert ("link", "[AWS]") in parts
    assert ("text", "the console") in parts and ("link", "][c]") in parts


def test_emphasis_markers_are_protected_and_heading_attributes_stay_last() -> None:
    (parts,) = kinds("## Set **up** {#setup}\n")
    assert parts == [
        ("text", "Set "),
        ("markup", "**"),
        ("text", "up"),
        ("markup", "**"),
        ("attr", " {#setup}"),
    ]
    assert pseudo("## Set up {#setup}\n") == "## ⟦Šéţ ûþ⟧ {#setup}\n"


def test_block_shortcodes_body_is_translatable_and_params_are_protected() -> None:
    src = (
        "{{% notice info %}}\nRead **this**.\n{{% /notice %}}\n\n"
        '{{< figure src="/images/arch.png" title="Architecture" >}}\n'
    )
    doc = parse(src)
    blocks = doc.blocks()
    assert [(b.kind, b.info, b.containers) for b in blocks] == [
        ("shortcode", "notice", ()),
        ("paragraph", "", ("shortcode:notice",)),
        ("shortcode", "/notice", ()),
        ("shortcode", "figure", ()),
    ]
    out = pseudo(src)
    assert "{{% notice info %}}" in out and '{{< figure src="/images/arch.png" ' in out


def test_expand_title_is_visible_text() -> None:
    src = '{{% expand "Expand to see" %}}\nHidden.\n{{% /expand %}}\n'
    doc = parse(src)
    first = doc.segments[0]
    assert (first.field, first.text, first.style) == ("0", "Expand to see", "shortcode-double")
    out = render_text(doc, {0: 'Mở "rộng"', 1: "Ẩn."})
    assert out.startswith('{{% expand "Mở \\"rộng\\"" %}}\nẨn.\n')
    assert problems(doc, out) == []
    # nothing of the shortcode changes when the option is off
    plain = parse(src, ParseOptions(shortcode_params={}))
    assert [s.text for s in plain.segments] == ["Hidden."]


def test_a_block_tag_is_lexed_again_only_for_its_text_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The block rule's lexed tag gives the name; a tag whose parameters are not text is not
    lexed a second time (only ``expand``'s, whose title is visible, are)."""
    from vien.page import shortcodes

    lexed: list[str] = []
    real = shortcodes.lex

    def counting(tag: str) -> shortcodes.Shortcode | None:
        lexed.append(tag)
        return real(tag)

    src = '{{< figure src="a.png" >}}\n\n{{% expand "Open" %}}\nHidden.\n{{% /expand %}}\n'
    monkeypatch.setattr(shortcodes, "lex", counting)
    doc = parse(src)
    assert [s.text for s in doc.segments] == ["Open", "Hidden."]
    # figure: scanned and block-parsed; expand: scanned, block-parsed and its title read
    assert lexed.count('{{< figure src="a.png" >}}') == 2
    assert lexed.count('{{% expand "Open" %}}') == 3


def test_indented_shortcode_closes_a_shortcode_opened_in_a_list() -> None:
    # as in dms-migration: the closing tag is indented after a paragraph, so CommonMark makes
    # it a lazy continuation line; it is a protected span and still closes the notice
    src = "1. Step\n\n    {{% notice note %}}\nNote text.\n    {{% /notice %}}\n\n1. Next step\n"
    doc = parse(src)
    assert [b.info for b in doc.blocks() if b.kind == "shortcode"] == ["notice"]
    note = doc.segments[1]
    assert doc.blocks()[note.block + 0].kind in {"paragraph", "list_item", "shortcode"}
    assert [(p.kind, p.text) for p in note.parts] == [
        ("text", "Note text."),
        ("break", "\n    "),
        ("shortcode", "{{% /notice %}}"),
    ]
    assert doc.sections[0].blocks[note.block].containers == ("shortcode:notice",)
    pseudo(src)


def test_shortcodes_inside_code_still_pair_like_hugo() -> None:
    # Hugo expands shortcodes before markdown: tags in code blocks count for pairing
    parse("```\n{{% notice %}}\n```\n\n{{% /notice %}}\n")
    with pytest.raises(PageError, match="unclosed shortcode") as err:
        parse("text\n\n{{% notice info %}}\nbody\n")
    assert err.value.line == 3
    with pytest.raises(PageError, match="no opening tag"):
        parse("{{% /expand %}}\n")
    # Hugo's comment escape is not a tag
    assert parse("Use {{</* notice */>}} literally.\n").segments


def test_tables_cells_are_segments_and_br_entities_are_protected() -> None:
    src = "| Name | Notes |\n|---|---|\n| `x` | one<br>two&emsp;three |\n"
    doc = parse(src)
    assert [b.kind for b in doc.blocks()] == ["table"] + ["table_cell"] * 4
    assert [s.text for s in doc.segments] == ["Name", "Notes", "one<br>two&emsp;three"]
    assert kinds(src)[2] == [
        ("text", "one"),
        ("html", "<br>"),
        ("text", "two"),
        ("entity", "&emsp;"),
        ("text", "three"),
    ]


def test_table_cells_split_on_pipes_not_escaped_ones() -> None:
    # rows without an escaped pipe split on every pipe; with one, only on pipes that follow no
    # backslash (as markdown-it splits them: a pipe after two backslashes too)
    src = "| a | b |\n|---|---|\n|  one |two|\n| x \\| y | z \\\\| w\n"
    doc = parse(src)
    assert [(s.text, src[s.start : s.end]) for s in doc.segments] == [
        ("a", "a"),
        ("b", "b"),
        ("one", "one"),
        ("two", "two"),
        ("x \\| y", "x \\| y"),
        ("z \\\\| w", "z \\\\| w"),
    ]


def test_code_blocks_are_never_segments() -> None:
    src = "```bash\necho hi there\n```\n\n    indented code words\n\n~~~\nunclosed fence words\n"
    doc = parse(src)
    assert doc.segments == []
    assert [b.kind for b in doc.blocks()] == ["code", "code", "code"]


def test_multiline_paragraph_in_blockquote_keeps_prefixes_protected() -> None:
    src = "> first line\n> second line  \n> third\n"
    (parts,) = kinds(src)
    assert parts == [
        ("text", "first line"),
        ("break", "\n> "),
        ("text", "second line"),
        ("hardbreak", "  \n> "),
        ("text", "third"),
    ]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_endings_bom_and_missing_final_newline(eol: str) -> None:
    src = f"---{eol}title: T{eol}---{eol}# Head{eol}{eol}para one{eol}para two"
    doc = parse(src, bom=True)
    assert render_text(doc, {}) == src
    assert [s.line for s in doc.segments] == [2, 4, 6]
    out = pseudo(src)
    assert out.endswith(f"⟦þàŕà öñé⟧{eol}⟦þàŕà ţŵö⟧") is False  # one segment, a break inside
    assert out.endswith(f"⟦þàŕà öñé{eol}þàŕà ţŵö⟧")


def test_vietnamese_text_keeps_its_letters_under_pseudo() -> None:
    out = pseudo("Triển khai Blue/Green đến ECS\n")
    assert out == "⟦Ţŕîểñ ķĥàî ßĺûé/Ĝŕééñ đếñ ÉÇŠ⟧\n".replace("ß", "Ɓ")


def test_segments_without_letters_are_skeleton() -> None:
    doc = parse("| 1 | 2 |\n|---|---|\n| &emsp; | <br> |\n\n---\n\n42\n")
    assert doc.segments == []


def test_invalid_front_matter_is_reported_with_line() -> None:
    with pytest.raises(PageError, match="unclosed front matter") as err:
        parse("---\ntitle: x\n")
    assert err.value.line == 1
    with pytest.raises(PageError, match="invalid YAML") as err:
        parse("---\ntitle: x\nbad: [1,\n---\n")
    with pytest.raises(PageError, match="construct objects"):
        parse('---\nx: !!python/object/apply:os.system ["true"]\n---\n')
    with pytest.raises(PageError, match="invalid TOML"):
        parse("+++\ntitle = \n+++\n")


def test_multiline_setext_heading_maps_every_line() -> None:
    # found by the long property run: a setext heading's text can span several lines
    src = "1) Step\n   Line one   \n     two\n   three\n   -----\n"
    doc = parse(src)
    assert [s.level for s in doc.sections] == [0, 2]
    (seg,) = doc.segments
    assert [(p.kind, p.text) for p in seg.parts] == [
        ("text", "Step"),
        ("break", "\n   "),
        ("text", "Line one"),
        ("hardbreak", "   \n     "),
        ("text", "two"),
        ("break", "\n   "),
        ("text", "three"),
    ]
    pseudo(src)


def test_yaml_front_matter_is_composed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The values' places come from the nodes the load composed (no second compose); a
    title merged in from an anchor (``<<: *base``) is not located at the anchor."""
    import yaml

    def compose(*args: object, **kw: object) -> object:
        raise AssertionError("composed a second time")

    monkeypatch.setattr(yaml, "compose", compose)
    doc = parse('---\ntitle: "Lab"\ndescription: A lab\nweight: 2\n---\n\nBody text.\n')
    assert [s.text for s in doc.segments] == ["Lab", "A lab", "Body text."]
    monkeypatch.undo()
    page = "---\nbase: &b\n  title: Inner\n<<: *b\ndescription: Outer\n---\n\nBody text.\n"
    doc = parse(page)
    assert doc.front_matter is not None and doc.front_matter.data["title"] == "Inner"
    assert [(s.field, s.text) for s in doc.segments if s.field] == [("description", "Outer")]


def test_parts_are_immutable_values() -> None:
    from vien.page.model import Part

    part = Part("text", "a")
    with pytest.raises(AttributeError):
        part.text = "b"  # type: ignore[misc]
    assert part == Part("text", "a") and hash(part) == hash(Part("text", "a"))
    assert not part.protected and Part("code", "`x`").protected


@pytest.mark.parametrize("key", ["1", "1.5", "true", "null", "2024-01-01"])
def test_yaml_keys_that_are_not_strings_are_kept(key: str) -> None:
    """YAML reads ``1:`` as a number key (Hugo stringifies it): the page parses, its title
    is a segment, and the key line is kept as it is through a translation."""
    text = f"---\n{key}: x\ntitle: Hello\n---\n\n# Hello\n"
    doc = parse(text)
    assert [s.text for s in doc.segments] == ["Hello", "Hello"]
    assert pseudo(text).startswith(f"---\n{key}: x\ntitle: ")


#: Front matter titles, one per line: plain, quoted, escaped, typed, tagged, odd.
TITLES = [
    "Plain title",
    "'It''s here'",
    '"Quoted title"',
    '"Say \\"hi\\""',
    '"Tab\\there"',
    "'single \"quoted\"'",
    "123",
    "true",
    "2024-01-01",
    "!!str 123",
    "!!str Tagged",
    "a:b c",
    "a'b",
    '"a\'b"',
    "~",
    "Với dấu tiếng Việt",
    "{a: b}",
]


def _alike_loaded_or_not(text: str, shortcut: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``text`` parses to the same segments and warnings with front matter's ``shortcut``
    (which reads a value as written) as with it turned off (the value loaded)."""
    from vien.page import front_matter

    fast = parse(text)
    monkeypatch.setattr(front_matter, shortcut, lambda *_: False)
    slow = parse(text)
    assert [(s.start, s.end, s.text, s.style) for s in fast.segments] == [
        (s.start, s.end, s.text, s.style) for s in slow.segments
    ]
    assert fast.warnings == slow.warnings


@pytest.mark.parametrize("title", TITLES)
def test_a_yaml_value_is_read_back_alike_with_or_without_loading_it(
    title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value with nothing to decode is located without loading ``v: {src}``; the spans
    and warnings are those the load gives."""
    _alike_loaded_or_not(f"---\ntitle: {title}\n---\n\nBody text.\n", "_as_written", monkeypatch)


def test_a_yaml_value_with_nothing_to_decode_is_not_loaded_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml

    real = yaml.load
    loaded: list[str] = []

    def load(stream: str, Loader: type) -> object:
        loaded.append(stream)
        return real(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "load", load)
    doc = parse("---\ntitle: A title\ndescription: 'It''s \"here\"'\n---\n\nBody text.\n")
    assert [s.text for s in doc.segments] == ["A title", 'It\'s "here"', "Body text."]
    assert loaded == []
    parse('---\ntitle: "Say \\"hi\\""\n---\n\nBody text.\n')  # an escape: loaded to check
    assert loaded == ['v: "Say \\"hi\\""']


#: TOML titles, one per line: literal, basic, escaped, with a tab, a number.
TOML_TITLES = ["'Literal'", '"Basic"', '"Say \\"hi\\""', "'a\\b'", '"Tab\there"', "'x\ty'", "12"]


@pytest.mark.parametrize("title", TOML_TITLES)
def test_a_toml_value_is_read_back_alike_with_or_without_loading_it(
    title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _alike_loaded_or_not(
        f"+++\ntitle = {title}\n+++\n\nBody text.\n", "_toml_as_written", monkeypatch
    )


def test_a_toml_value_with_nothing_to_decode_is_not_loaded_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vien.page import front_matter

    real = front_matter.tomllib.loads
    loaded: list[str] = []

    def loads(text: str) -> dict[str, object]:
        loaded.append(text)
        return real(text)

    monkeypatch.setattr(front_matter.tomllib, "loads", loads)
    doc = parse("+++\ntitle = 'A title'\ndescription = \"It's\"\n+++\n\nBody text.\n")
    assert [s.text for s in doc.segments] == ["A title", "It's", "Body text."]
    assert len(loaded) == 1  # the front matter itself, once


def test_children_next_to_each_other_are_located_without_a_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Text and emphasis delimiters that start where the last child ended (the usual case)
    are located in place; only a gap (here a soft break's indentation) is searched."""
    from vien.page import parse as parse_module

    searched: list[str] = []
    real = parse_module._find

    def find(content: str, needle: str, pos: int) -> int:
        searched.append(needle)
        return real(content, needle, pos)

    monkeypatch.setattr(parse_module, "_find", find)
    doc = parse("Some **bold** and *em* text.\n\n- a `code` span\n")
    assert [[p.kind for p in s.parts] for s in doc.segments] == [
        ["text", "markup", "text", "markup", "text", "markup", "text", "markup", "text"],
        ["text", "code", "text"],
    ]
    assert searched == ["`"]  # code spans are still found by _find


def test_front_matter_lines_are_not_walked_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The closing delimiter and the lines of YAML front matter are found by searching the
    text, not by stepping through its lines (a long front matter costs no more steps)."""
    from vien.page import front_matter

    real = front_matter._lines
    steps: list[int] = []

    def counted(text: str, start: int = 0) -> Iterator[tuple[int, int, int]]:
        for line in real(text, start):
            steps.append(line[0])
            yield line

    monkeypatch.setattr(front_matter, "_lines", counted)
    keys = "".join(f"k{i}: v\r\n" for i in range(50))
    doc = parse(f"---\r\ntitle: T\r\n{keys}---  \r\n\r\nBody.\r\n")
    assert doc.front_matter is not None and doc.front_matter.data["k49"] == "v"
    assert [s.text for s in doc.segments] == ["T", "Body."]
    assert len(steps) == 2  # the opening line, the closing line
