"""Property-based tests: generated Hugo pages survive parse -> render untouched, and survive
pseudo-localization with the same structure.

The strategy builds whole, *valid* pages (balanced shortcodes, valid YAML/TOML front matter)
that mix every construct the parser knows: headings (ATX and setext, closing #s, ``{#id}``),
paragraphs full of inline markup, nested lists with fences inside items, blockquotes, GFM
tables, fenced and indented code (sometimes unclosed at the end), block and inline
shortcodes, HTML, entities, escapes, placeholders, hard breaks, Vietnamese text, CRLF/LF/mixed
line endings, a BOM and a missing final newline.

The number of examples comes from ``VIEN_HYPOTHESIS_EXAMPLES`` (300 by default, for CI)::

    VIEN_HYPOTHESIS_EXAMPLES=100000 python -m pytest tests/test_property.py -q -x
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from vien.mt import get_engine
from vien.mt.simple import pseudo_text
from vien.page.invariants import problems
from vien.page.markdown import parser as md_parser
from vien.page.model import Document
from vien.page.parse import DEFAULT_FRONT_MATTER_KEYS, parse
from vien.page.read import decode
from vien.page.render import render_bytes, render_text

EXAMPLES = int(os.environ.get("VIEN_HYPOTHESIS_EXAMPLES", "300"))
settings.register_profile(
    "vien",
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
    print_blob=True,
    database=None,  # nothing written into the repository; failures print a reproducer
)
PROFILE = settings.get_profile("vien")

# -- vocabulary ---------------------------------------------------------------------------------

WORDS_EN = [
    "Deploy",
    "the",
    "service",
    "cluster",
    "AWS",
    "ECS",
    "task",
    "definition",
    "Lambda",
    "create",
    "stack",
    "step",
    "a",
    "I",
    "it's",
    "don't",
    "role",
    "IAM",
    "S3",
    "v2",
    "bucket",
    "CloudFront",
    "CodePipeline",
    "Blue/Green",
    "CI/CD",
    "e.g.",
    "i.e.",
    "Note:",
    "etc.",
    "file.txt",
    "snake_case_name",
    "x_y",
    "50%",
    "$5",
    "C#",
    "100",
    "3.2",
    "+1",
    "a+b",
    "foo-bar",
    "end.",
    "(optional)",
    "OK",
    "AT&T",
    "Q&A",
    "x*y",
    "2*3",
    "path/to/file",
    "#tag",
    "1.",
    "10)",
    "--",
    "...",
    "'quoted'",
    '"quoted"',
    "C:\\Users",
    "back\\slash",
    "~tilde",
    "^caret",
    "[brackets]",
    "[ ]",
    "[x]",
    "{braces}",
    "{",
    "}",
    "=",
    "==",
    "!",
    "wait!",
    "done?",
    "hello,",
    "world;",
]
WORDS_VI = [
    "Triển",
    "khai",
    "Blue/Green",
    "đến",
    "Tạo",
    "dịch",
    "vụ",
    "của",
    "bạn",
    "Bước",
    "tiếp",
    "theo",
    "người",
    "dùng",
    "ứng",
    "dụng",
    "Hướng",
    "dẫn",
    "cấu",
    "hình",
    "mạng",
    "và",
    "để",
    "kiểm",
    "tra",
    "Ở",
    "Ý",
    "ĐƯỢC",
    "Mục",
    "Đích",
    "Sự",
    "Kiện",
    "Thời",
    "gian:",
    "Địa",
    "điểm",
    "Lưu",
    "ý:",
    "nhóm",
    "bảo",
    "mật",
    "Quận",
    "1,",
    "Hồ",
    "Chí",
    "Minh",
    "giờ",
]
PUNCT = [",", ".", ":", ";", "!", "?", "(", ")", "—", "–", "…", "«", "»", '"', "'", "-", "/"]
URLS = [
    "https://aws.amazon.com/ecs/",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/",
    "http://example.com",
    "https://example.com/a_b_c?x=1&y=2#frag",
    "/images/arch.png",
    "../1-introduction/",
    "https://vi.wikipedia.org/wiki/Việt_Nam",
    "#custom-id",
    "mailto:team@example.com",
    "./file.md",
]
BARE_URLS = [
    "https://aws.amazon.com/ecs/",
    "https://console.aws.amazon.com/ec2/v2/home?region=us-east-1",
    "http://example.com",
    "www.example.com",
    "https://example.com/path_(x)",
    "team@example.com",
    "https://github.com/aws-samples/",
    "example.org",
]
CODE_TEXTS = [
    "main",
    "hugo --minify",
    "aws s3 ls",
    "<Region>",
    "x = *y*",
    "a_b_c",
    "$HOME",
    "{{ .Title }}",
    "`",
    "``",
    " x ",
    "Triển khai",
    "&amp;",
    "\\*",
    "http://example.com",
    "[x](y)",
    "<br>",
    '{{< ref "x" >}}',
]
HTML_INLINE = [
    "<br>",
    "<br/>",
    "<br />",
    "<i class='fab fa-aws'></i>",
    '<span style="color:red">',
    "</span>",
    "<!-- comment -->",
    "<kbd>Ctrl</kbd>",
    "<sup>2</sup>",
    "<b>",
    "</b>",
    '<img src="/a.png" alt="A">',
    '<a href="https://x.com">',
    "</a>",
    "<u>x</u>",
]
ENTITIES = ["&emsp;", "&amp;", "&#8212;", "&nbsp;", "&lt;", "&gt;", "&#x27;", "&copy;", "&quot;"]
PLACEHOLDERS = [
    "<StackName>",
    "<Region>",
    "<your-bucket>",
    "<ACCOUNT_ID>",
    "<AccountId>",
    "<Tên-bucket>",
    "<my bucket>",
]
ESCAPES = [
    "\\*",
    "\\_",
    "\\#",
    "\\[",
    "\\]",
    "\\\\",
    "\\`",
    "\\<",
    "\\>",
    "\\|",
    "\\!",
    "\\~",
    "\\-",
    "\\.",
    "\\&",
]
INLINE_SHORTCODES = [
    '{{< ref "x" >}}',
    '{{< relref "/a/b.md" >}}',
    '{{% param "key" %}}',
    '{{< icon name="aws" >}}',
    "{{<ref x>}}",
    '{{< ref "Triển khai" >}}',
    "{{< kbd >}}",
]
REF_LABELS = ["ref1", "docs", "AWS Console", "Hướng dẫn"]
INFO_STRINGS = ["", "bash", "yaml", "json", "python {linenos=true}", "sh", "go", "md", "text"]
CODE_LINES = [
    "aws ecs list-clusters --region <Region>",
    'echo "hello" | grep h',
    "  indented line",
    "# not a heading",
    "- not a list",
    "| not | a table |",
    '{"key": "value"}',
    "{{ .Title }}",
    '{{< ref "x" >}}',
    "**not bold**",
    "",
    "x = 1  ",
    "\ttab",
    "Triển khai",
    "---",
    "    deeper",
    "<div>",
    "&amp;",
]


def words() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS_EN + WORDS_VI), min_size=1, max_size=4).map(" ".join)


def plain_words() -> st.SearchStrategy[str]:
    """Letters only (Vietnamese included): safe inside link text, titles, shortcode params."""
    pool = [
        "Deploy",
        "the",
        "service",
        "AWS",
        "ECS",
        "task",
        "Triển",
        "khai",
        "Blue",
        "Green",
        "đến",
        "Tạo",
        "dịch",
        "vụ",
        "Bước",
        "người",
        "dùng",
        "ứng",
        "dụng",
        "Mở",
        "xem",
    ]
    return st.lists(st.sampled_from(pool), min_size=1, max_size=4).map(" ".join)


@st.composite
def inline_atom(draw, depth: int = 0, cell: bool = False) -> str:
    """One inline token: a word run, punctuation or an inline construct."""
    kinds = (
        ["words"] * 6
        + ["vi"] * 2
        + [
            "punct",
            "strong",
            "em",
            "em_",
            "strike",
            "code",
            "code2",
            "link",
            "link_title",
            "link_angle",
            "refl",
            "refl_collapsed",
            "refl_short",
            "image",
            "image_title",
            "image_link",
            "autolink",
            "automail",
            "bare",
            "html",
            "html_pair",
            "entity",
            "placeholder",
            "escape",
            "shortcode",
            "shortcode_link",
            "strong_",
            "emstrong",
            "star",
            "under",
        ]
    )
    kind = draw(st.sampled_from(kinds))
    inner = (
        (lambda: draw(inline_run(depth + 1, cell))) if depth < 2 else (lambda: draw(plain_words()))
    )
    if kind == "words":
        return draw(words())
    if kind == "vi":
        return draw(
            st.sampled_from(
                [
                    "Triển khai Blue/Green đến ECS",
                    "Hướng dẫn cấu hình",
                    "Lưu ý: kiểm tra nhóm bảo mật",
                    "ĐƯỢC Ủy quyền",
                ]
            )
        )
    if kind == "punct":
        return draw(st.sampled_from(PUNCT))
    if kind == "strong":
        return f"**{inner()}**"
    if kind == "strong_":
        return f"__{inner()}__"
    if kind == "em":
        return f"*{inner()}*"
    if kind == "em_":
        return f"_{inner()}_"
    if kind == "emstrong":
        return f"***{draw(plain_words())}***"
    if kind == "strike":
        return f"~~{inner()}~~"
    if kind == "star":
        return "*"
    if kind == "under":
        return "_"
    if kind == "code":
        code = draw(st.sampled_from(CODE_TEXTS[:2] + CODE_TEXTS[3:]))
        if code.startswith("`") or code.endswith("`"):
            code = " " + code + " "
        if cell:
            code = code.replace("|", "\\|")
        return f"`{code}`"
    if kind == "code2":
        return draw(
            st.sampled_from(["``double `tick` code``", "`` ` ``", "``a``b``", "```x``y```"])
        )
    if kind == "link":
        return f"[{inner()}]({draw(st.sampled_from(URLS))})"
    if kind == "link_title":
        return f'[{inner()}]({draw(st.sampled_from(URLS))} "{draw(plain_words())}")'
    if kind == "link_angle":
        return f"[{inner()}](<./a b.md>)"
    if kind == "refl":
        return f"[{inner()}][{draw(st.sampled_from(REF_LABELS))}]"
    if kind == "refl_collapsed":
        return f"[{draw(st.sampled_from(REF_LABELS))}][]"
    if kind == "refl_short":
        return f"[{draw(st.sampled_from(REF_LABELS))}]"
    if kind == "image":
        return f"![{draw(plain_words())}](/images/a.png?x=1)"
    if kind == "image_title":
        return f'![{draw(plain_words())}](/images/anh.png "{draw(plain_words())}")'
    if kind == "image_link":
        return f"[![{draw(plain_words())}](/img/b.png)]({draw(st.sampled_from(URLS))})"
    if kind == "autolink":
        return draw(
            st.sampled_from(
                [
                    "<https://aws.amazon.com/ecs/>",
                    "<http://example.com/a?b=c>",
                    "<https://vi.wikipedia.org/wiki/Hà_Nội>",
                ]
            )
        )
    if kind == "automail":
        return "<team@example.com>"
    if kind == "bare":
        return draw(st.sampled_from(BARE_URLS))
    if kind == "html":
        html = draw(st.sampled_from(HTML_INLINE))
        return html
    if kind == "html_pair":
        tag = draw(st.sampled_from(["b", "em", "span", "code", "sub"]))
        return f"<{tag}>{draw(plain_words())}</{tag}>"
    if kind == "entity":
        return draw(st.sampled_from(ENTITIES))
    if kind == "placeholder":
        return draw(st.sampled_from(PLACEHOLDERS))
    if kind == "escape":
        return draw(st.sampled_from(ESCAPES))
    if kind == "shortcode":
        return draw(st.sampled_from(INLINE_SHORTCODES))
    if kind == "shortcode_link":
        return f"[{draw(plain_words())}]({draw(st.sampled_from(INLINE_SHORTCODES[:3]))})"
    raise AssertionError(kind)


@st.composite
def inline_run(draw, depth: int = 0, cell: bool = False) -> str:
    """Atoms joined by spaces (mostly) or glued together."""
    atoms = draw(st.lists(inline_atom(depth, cell), min_size=1, max_size=6 if depth else 9))
    out = atoms[0]
    for a in atoms[1:]:
        out += draw(st.sampled_from([" ", " ", " ", " ", "", "  "])) + a
    if cell:
        out = out.replace("|", "\\|").replace("\\\\|", "\\|")
    return out


@st.composite
def inline_line(draw, cell: bool = False) -> str:
    """A line of inline content that starts with a word, so it stays a paragraph line."""
    first = draw(st.sampled_from(["The", "Bước", "Triển", "AWS", "Note:", "Lưu", "In", "Use"]))
    if draw(st.booleans()):
        return first
    return first + " " + draw(inline_run(0, cell))


@st.composite
def free_line(draw) -> str:
    """A line of inline content that may start with anything."""
    return draw(st.one_of(inline_line(), inline_run()))


# -- blocks (each a list of lines without line endings) ---------------------------------------


@st.composite
def paragraph(draw, free: bool = True) -> list[str]:
    n = draw(st.integers(1, 3))
    lines = [draw(free_line() if free and draw(st.booleans()) else inline_line())]
    for _ in range(n - 1):
        brk = draw(st.sampled_from(["", "", "  ", "\\", " ", "   "]))
        lines[-1] += brk
        lines.append(draw(st.sampled_from(["", " ", "  "])) + draw(inline_line()))
    if draw(st.integers(0, 5)) == 0:
        lines[-1] += draw(st.sampled_from([" ", "  ", "\t"]))
    return lines


@st.composite
def atx_heading(draw) -> list[str]:
    level = draw(st.integers(1, 6))
    text = draw(st.one_of(plain_words(), inline_run(1), inline_line()))
    line = "#" * level + " " + text
    if draw(st.integers(0, 3)) == 0:
        line += " " + draw(
            st.sampled_from(["{#custom-id}", "{#id-2 .cls}", "{.class}", "{#trien-khai}"])
        )
    if draw(st.integers(0, 4)) == 0:
        line += " " + "#" * draw(st.integers(1, 4))
    if draw(st.integers(0, 6)) == 0:
        line = draw(st.sampled_from([" ", "  ", "   "])) + line
    if draw(st.integers(0, 6)) == 0:
        line += "  "
    return [line]


@st.composite
def setext_heading(draw) -> list[str]:
    text = draw(st.one_of(plain_words(), inline_line()))
    under = draw(st.sampled_from(["===", "---", "=", "-----", "========  "]))
    return [text, under]


@st.composite
def fence(draw, at_end: bool = False) -> list[str]:
    ch = draw(st.sampled_from(["```", "~~~", "````"]))
    info = draw(st.sampled_from(INFO_STRINGS))
    if ch.startswith("`") and "`" in info:
        info = ""
    body = draw(st.lists(st.sampled_from(CODE_LINES), max_size=4))
    body = [b for b in body if not b.startswith(("```", "~~~"))]
    lines = [ch + info, *body]
    if not (at_end and draw(st.integers(0, 2)) == 0):
        lines.append(ch)
    return lines


@st.composite
def indented_code(draw) -> list[str]:
    body = draw(st.lists(st.sampled_from(CODE_LINES[:10]), min_size=1, max_size=3))
    return ["    " + b if b else "" for b in body if b] or ["    x = 1"]


@st.composite
def table(draw) -> list[str]:
    cols = draw(st.integers(1, 4))
    rows = draw(st.integers(0, 4))

    def cell() -> str:
        kind = draw(st.integers(0, 9))
        if kind == 0:
            return ""
        if kind == 1:
            return draw(plain_words()) + "<br>&emsp;- " + draw(plain_words())
        if kind == 2:
            return "`" + draw(st.sampled_from(["hugo --minify", "a \\| b", "x"])) + "`"
        if kind == 3:
            return draw(plain_words()) + " \\| " + draw(plain_words())
        return draw(inline_run(1, cell=True))

    def row(cells: list[str]) -> str:
        lead = draw(st.booleans())
        trail = draw(st.booleans()) or not lead or cols == 1
        pad = draw(st.sampled_from([" ", " ", "", "  "]))
        body = "|".join(pad + c + pad for c in cells)
        return ("|" if lead or cols == 1 else "") + body + ("|" if trail else "")

    header = [draw(plain_words()) for _ in range(cols)]
    delim = [draw(st.sampled_from(["---", ":---", "---:", ":-:", "-"])) for _ in range(cols)]
    lines = [row(header), row(delim)]
    for _ in range(rows):
        lines.append(row([cell() for _ in range(cols)]))
    return lines


@st.composite
def hr(draw) -> list[str]:
    return [draw(st.sampled_from(["---", "***", "___", "- - -", "* * *", "-----"]))]


@st.composite
def ref_definitions(draw) -> list[str]:
    labels = draw(st.lists(st.sampled_from(REF_LABELS), min_size=1, max_size=3, unique=True))
    out = []
    for lab in labels:
        url = draw(st.sampled_from(URLS))
        title = draw(st.sampled_from(["", ' "Title"', " 'Tiêu đề'", " (Paren title)"]))
        out.append(f"[{lab}]: {url}{title}")
    return out


@st.composite
def block_shortcode(draw, depth: int) -> list[str]:
    kind = draw(st.sampled_from(["notice", "expand", "figure", "children", "highlight", "tabs"]))
    if kind == "figure":
        return [
            draw(
                st.sampled_from(
                    [
                        '{{< figure src="/a.png" title="T" >}}',
                        '{{< figure src="/images/arch.png" title="Kiến trúc" alt="Triển khai" >}}',
                        "{{< figure src=/a.png >}}",
                    ]
                )
            )
        ]
    if kind == "children":
        return [
            draw(
                st.sampled_from(
                    ["{{% children /%}}", "{{% children  %}}", '{{% children depth="2" /%}}']
                )
            )
        ]
    if kind == "highlight":
        return ["{{< highlight bash >}}", "aws s3 ls", "**not markdown**", "{{< /highlight >}}"]
    inner = draw(blocks(depth + 1, max_blocks=3))
    if kind == "tabs":
        return [
            "{{< tabs >}}",
            '{{% tab title="Linux" %}}',
            *inner,
            "{{% /tab %}}",
            "{{< /tabs >}}",
        ]
    if kind == "notice":
        opener = "{{% notice " + draw(st.sampled_from(["info", "note", "tip", "warning"])) + " %}}"
        closer = "{{% /notice %}}"
    else:
        title = draw(
            st.one_of(
                plain_words(),
                st.sampled_from(
                    [
                        "Expand this if your source DB type is Oracle",
                        "Mở phần này nếu loại CSDL đích là RDS Microsoft SQL Server:",
                        "Expand (optional) & see",
                    ]
                ),
            )
        )
        opener = draw(
            st.sampled_from(
                [
                    '{{% expand "' + title + '" %}}',
                    '{{%expand "' + title + '" %}}',
                    '{{% expand title="' + title + '" %}}',
                    "{{% expand `" + title + "` %}}",
                ]
            )
        )
        closer = draw(st.sampled_from(["{{% /expand %}}", "{{% /expand%}}"]))
    sep = draw(st.sampled_from([[], [""]]))
    return [opener, *sep, *inner, *sep, closer]


def indent(lines: list[str], first: str, rest: str) -> list[str]:
    out = []
    for i, line in enumerate(lines):
        prefix = first if i == 0 else rest
        out.append(prefix + line if line else "")
    return out


@st.composite
def list_block(draw, depth: int) -> list[str]:
    ordered = draw(st.booleans())
    bullet = draw(st.sampled_from(["-", "*", "+"]))
    delim = draw(st.sampled_from([".", ")"]))
    start = draw(st.sampled_from([1, 1, 1, 2, 10]))
    n = draw(st.integers(1, 4))
    loose = draw(st.integers(0, 3)) == 0
    out: list[str] = []
    for k in range(n):
        marker = f"{start + k}{delim}" if ordered else bullet
        width = len(marker) + 1
        body = draw(paragraph(free=False))
        extra = draw(st.integers(0, 6)) if depth < 3 else draw(st.integers(0, 3))
        if extra == 4:
            body += ["", *draw(paragraph(free=False))]
        elif extra == 5:
            body += draw(st.sampled_from([[""], []])) + draw(list_block(depth + 1))
        elif extra == 6:
            body += ["", *draw(fence())]
        elif extra == 3 and depth < 3:
            body += draw(list_block(depth + 1))
        elif extra == 2 and depth < 2:
            body += draw(block_shortcode(depth + 1))
        out += indent(body, marker + " ", " " * width)
        if loose and k < n - 1:
            out.append("")
    return out


@st.composite
def blockquote(draw, depth: int) -> list[str]:
    inner = draw(blocks(depth + 1, max_blocks=2, allow=("paragraph", "list", "heading", "fence")))
    prefix = draw(st.sampled_from(["> ", ">"]))
    return [prefix + line if line else ">" for line in inner]


BLOCK_KINDS = (
    "paragraph",
    "heading",
    "setext",
    "fence",
    "indented",
    "table",
    "hr",
    "refs",
    "list",
    "blockquote",
    "shortcode",
    "html",
)


@st.composite
def one_block(draw, depth: int, allow: tuple[str, ...] = BLOCK_KINDS) -> list[str]:
    kinds = [k for k in BLOCK_KINDS if k in allow]
    if depth >= 3:
        kinds = [k for k in kinds if k not in ("list", "blockquote", "shortcode")] or ["paragraph"]
    weights = {"paragraph": 6, "heading": 4, "list": 3, "blockquote": 2, "shortcode": 2}
    pool = [k for k in kinds for _ in range(weights.get(k, 1))]
    kind = draw(st.sampled_from(pool))
    if kind == "paragraph":
        return draw(paragraph())
    if kind == "heading":
        return draw(atx_heading())
    if kind == "setext":
        return draw(setext_heading())
    if kind == "fence":
        return draw(fence())
    if kind == "indented":
        return draw(indented_code())
    if kind == "table":
        return draw(table())
    if kind == "hr":
        return draw(hr())
    if kind == "refs":
        return draw(ref_definitions())
    if kind == "list":
        return draw(list_block(depth))
    if kind == "blockquote":
        return draw(blockquote(depth))
    if kind == "shortcode":
        return draw(block_shortcode(depth))
    if kind == "html":
        return draw(
            st.sampled_from(
                [
                    ['<div class="x">', "Triển khai **AWS**", "</div>"],
                    ["<br>"],
                    ["<!-- a comment -->"],
                    ["<details>", "<summary>Xem</summary>", "", "Text", "", "</details>"],
                ]
            )
        )
    raise AssertionError(kind)


@st.composite
def blocks(
    draw, depth: int = 0, max_blocks: int = 8, allow: tuple[str, ...] = BLOCK_KINDS
) -> list[str]:
    n = draw(st.integers(1, max_blocks))
    out: list[str] = []
    for i in range(n):
        if i:
            out += [""] * draw(st.sampled_from([1, 1, 1, 1, 2, 0]))
        out += draw(one_block(depth, allow))
    return out


# -- front matter -------------------------------------------------------------------------------

TITLES = [
    "Triển khai Blue/Green đến ECS",
    "Architecture",
    "Giới thiệu",
    "Step 1: Create a stack",
    'Dùng "Blue" và C:\\path',
    "It's a title",
    "Q&A #1",
    "Tạo dịch vụ - phần 2",
]


def _yaml_plain_ok(s: str) -> bool:
    import yaml

    try:
        return yaml.safe_load(f"v: {s}") == {"v": s}
    except yaml.YAMLError:
        return False


@st.composite
def yaml_value(draw, value: str) -> str:
    styles = ["double", "single"] + (["plain"] if _yaml_plain_ok(value) else [])
    style = draw(st.sampled_from(styles))
    if style == "plain":
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def toml_value(draw, value: str) -> str:
    if "'" not in value and draw(st.booleans()):
        return "'" + value + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def front_matter(draw) -> list[str]:
    fmt = draw(st.sampled_from(["yaml", "yaml", "toml"]))
    keys = draw(
        st.lists(
            st.sampled_from(
                [
                    "title",
                    "linkTitle",
                    "description",
                    "weight",
                    "pre",
                    "date",
                    "draft",
                    "chapter",
                    "tags",
                ]
            ),
            unique=True,
            max_size=7,
        )
    )
    lines: list[str] = []
    for key in keys:
        if key in ("title", "linkTitle", "description"):
            value = draw(st.sampled_from(TITLES)) if draw(st.booleans()) else draw(words())
            if fmt == "yaml":
                lines.append(f"{key}: {draw(yaml_value(value))}")
            else:
                lines.append(f"{key} = {draw(toml_value(value))}")
        elif key == "weight":
            lines.append(f"weight{':' if fmt == 'yaml' else ' ='} {draw(st.integers(0, 99))}")
        elif key == "pre":
            lines.append('pre: " <b> 4.2. </b> "' if fmt == "yaml" else 'pre = " <b> 4.2. </b> "')
        elif key == "date":
            d = draw(st.sampled_from(["2025-03-10", "2023-05-01T10:00:00+07:00"]))
            lines.append(f"date: {d}" if fmt == "yaml" else f"date = {d}")
        elif key in ("draft", "chapter"):
            b = draw(st.sampled_from(["true", "false"]))
            lines.append(f"{key}: {b}" if fmt == "yaml" else f"{key} = {b}")
        elif key == "tags":
            lines.append('tags: ["aws", "ecs"]' if fmt == "yaml" else 'tags = ["aws", "ecs"]')
    delim = "---" if fmt == "yaml" else "+++"
    return [delim, *lines, delim]


# -- whole pages --------------------------------------------------------------------------------


@st.composite
def pages(draw) -> tuple[bytes, list[str]]:
    """Bytes of a valid page (and its lines, for debugging)."""
    lines: list[str] = []
    has_fm = draw(st.integers(0, 3)) > 0
    if has_fm:
        lines += draw(front_matter())
        lines += [""] * draw(st.integers(0, 2))
    body = draw(blocks(0, max_blocks=8))
    if draw(st.integers(0, 4)) == 0:  # a fence left open at the end of the page
        body += ["", *draw(fence(at_end=True))]
    if not has_fm:
        # Hugo reads a page whose first non-blank line starts with ---, +++ or { as front
        # matter (a thematic break `-----` included): not valid here
        first = next((line.strip() for line in body if line.strip()), "")
        if first.startswith(("---", "+++", "{")):
            body = ["Intro", "", *body]
    lines += body
    if draw(st.integers(0, 5)) == 0:
        lines = [
            line + draw(st.sampled_from([" ", "  ", "\t"])) if line else line for line in lines
        ]
    ending = draw(st.sampled_from(["lf", "lf", "crlf", "mixed"]))
    eols = []
    for _ in lines:
        eols.append(
            "\n"
            if ending == "lf"
            else "\r\n"
            if ending == "crlf"
            else draw(st.sampled_from(["\n", "\r\n"]))
        )
    text = "".join(line + eol for line, eol in zip(lines, eols, strict=True))
    if draw(st.integers(0, 3)) == 0:
        text = text.rstrip("\r\n") if draw(st.booleans()) else text[: -len(eols[-1])]
    bom = draw(st.integers(0, 5)) == 0
    data = ("\ufeff" + text).encode("utf-8") if bom else text.encode("utf-8")
    return data, lines


# -- checks -------------------------------------------------------------------------------------


_VERBATIM_TOKENS = frozenset(
    {
        "code_inline",
        "fence",
        "code_block",
        "html_inline",
        "html_block",
        "text_special",
        "shortcode_inline",
        "shortcode_raw",
    }
)


def token_shape(doc: Document, text: str) -> list[tuple]:
    """markdown-it's view of the body, minus the translatable text: token types, tags,
    attributes (href, src, title; not alt) and the content of code, HTML and escapes."""
    body = text[doc.front_matter.end :] if doc.front_matter else text
    out: list[tuple] = []

    def walk(tokens) -> None:
        for t in tokens:
            if t.type == "text":  # translatable; where markdown-it splits it does not matter
                continue
            attrs = tuple((k, v) for k, v in (t.attrs or {}).items() if k != "alt")
            out.append(
                (
                    t.type,
                    t.tag,
                    t.nesting,
                    t.markup,
                    t.info,
                    attrs,
                    t.content if t.type in _VERBATIM_TOKENS else None,
                )
            )
            if t.children:
                walk(t.children)

    walk(md_parser().parse(body))
    return out


def check_tiling(doc: Document) -> None:
    pos = 0
    for i, seg in enumerate(doc.segments):
        assert seg.index == i
        assert pos <= seg.start <= seg.end <= len(doc.text), (i, seg)
        pos = seg.end
        assert seg.parts, seg
        assert any(c.isalpha() for p in seg.parts if not p.protected for c in p.text), seg
        if seg.style == "md":
            assert "".join(p.text for p in seg.parts) == doc.text[seg.start : seg.end], seg
            for p in seg.parts:
                if not p.protected:
                    assert "\n" not in p.text and "\r" not in p.text, seg
        if seg.style.startswith("shortcode"):
            # a shortcode parameter's span is its raw value (escapes decoded in seg.text),
            # between its quotes
            raw = doc.text[seg.start : seg.end]
            assert raw == seg.text or "\\" in raw, seg
            assert doc.text[seg.start - 1] in '"`', seg
            assert doc.text[seg.end] == doc.text[seg.start - 1], seg
    assert [i for b in doc.blocks() for i in b.segments] == list(range(len(doc.segments)))
    if doc.front_matter is not None:
        assert doc.front_matter.start == 0
        for seg in doc.segments:
            if seg.style.startswith(("yaml", "toml")):
                assert seg.end <= doc.front_matter.end
                assert doc.front_matter.data[seg.field] == seg.text


def check_page(data: bytes) -> None:
    text, bom = decode(data)
    assert bom == data.startswith(b"\xef\xbb\xbf")
    doc = parse(text, bom=bom)  # a valid page must parse
    event(f"segments: {min(len(doc.segments) // 10 * 10, 50)}+")
    if doc.warnings:
        event("warning: " + doc.warnings[0].split(":", 1)[-1].strip()[:60])

    # 1. identity round trip
    ident = get_engine("identity").translate(doc.segments, "en", "vi")
    assert render_bytes(doc, dict(enumerate(ident))) == data
    assert render_text(doc, {}) == text

    # 3. segments tile the source
    check_tiling(doc)

    # 2. pseudo-localization keeps the structure
    pseudo = get_engine("pseudo").translate(doc.segments, "en", "vi")
    for seg, new in zip(doc.segments, pseudo, strict=True):
        if any(c.isascii() and c.isalpha() for p in seg.parts if not p.protected for c in p.text):
            assert new != seg.text, seg
    out = render_text(doc, dict(enumerate(pseudo)))
    assert render_bytes(doc, dict(enumerate(pseudo))) == (("\ufeff" if bom else "") + out).encode(
        "utf-8"
    )
    new = parse(out, bom=bom)
    assert [s.level for s in new.sections] == [s.level for s in doc.sections]
    assert [b.signature for b in new.blocks()] == [b.signature for b in doc.blocks()]
    assert len(new.segments) == len(doc.segments), (doc.segments, new.segments)
    for a, b, t in zip(doc.segments, new.segments, pseudo, strict=True):
        assert [(p.kind, p.text) for p in a.protected] == [(p.kind, p.text) for p in b.protected]
        assert (a.style, a.field) == (b.style, b.field)
        assert b.text == t, (a, b)
    assert new.skeleton() == doc.skeleton()
    if doc.front_matter is not None:
        assert new.front_matter is not None
        assert new.front_matter.format == doc.front_matter.format
        keys = DEFAULT_FRONT_MATTER_KEYS
        assert {k: v for k, v in new.front_matter.data.items() if k not in keys} == {
            k: v for k, v in doc.front_matter.data.items() if k not in keys
        }
        assert new.front_matter.data.keys() == doc.front_matter.data.keys()
        for seg in doc.segments:
            if seg.style.startswith(("yaml", "toml")):
                got = new.front_matter.data[seg.field]
                assert got == pseudo[seg.index]
    else:
        assert new.front_matter is None
    assert problems(doc, out, ordered=True) == []
    # markdown-it sees the same tokens, URLs and code
    assert token_shape(new, out) == token_shape(doc, text)
    # the pseudo output is stable: translating it again changes the same segments only
    again = get_engine("pseudo").translate(new.segments, "en", "vi")
    assert problems(new, render_text(new, dict(enumerate(again))), ordered=True) == []


@PROFILE
@given(pages())
def test_generated_pages(page: tuple[bytes, list[str]]) -> None:
    data, _lines = page
    check_page(data)


def test_pseudo_text_is_letter_for_letter() -> None:
    assert pseudo_text("Deploy ECS") != "Deploy ECS"
    assert len(pseudo_text("abcXYZ")) == 6


#: Pages the generator once found to break an invariant, minimised by hand; each is checked
#: on every run.
FOUND = [
    # a pseudo marker made `__` both-flanking: the same number of emphasis tokens, but paired
    # with other delimiters, so a `_` turned from text into markup
    b"_``a``b``_task_ Blue__&copy;_\n",
]


@pytest.mark.parametrize("data", FOUND)
def test_found_pages(data: bytes) -> None:
    from unittest import mock

    with mock.patch(f"{__name__}.event"):
        check_page(data)
