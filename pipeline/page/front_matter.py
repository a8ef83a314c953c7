"""Front matter: find it (YAML ``---``, TOML ``+++``, JSON ``{``), load it safely, and locate
the source span of each translatable top-level string value so it can be replaced in place.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import structured
from ..errors import PageError

DELIMITERS = {"---": "yaml", "+++": "toml"}


@dataclass(frozen=True, slots=True)
class ValueSpan:
    """A translatable value: its span in the page text, decoded value and quoting style."""

    key: str
    start: int
    end: int
    value: str
    style: str


@dataclass(frozen=True, slots=True)
class Split:
    """Where the front matter lies in the page text."""

    format: str
    start: int  # 0
    inner_start: int  # after the opening delimiter line
    inner_end: int  # start of the closing delimiter line
    end: int  # after the closing delimiter line (and its newline)


_EOL_CHAR = re.compile(r"[\r\n]")
_EOL = re.compile(r"\r\n|\r|\n")


def _lines(text: str, start: int = 0) -> Iterator[tuple[int, int, int]]:
    """Yield (line start, line end without EOL, next line start) from ``start``."""
    n = len(text)
    i = start
    search = _EOL_CHAR.search
    while i < n:
        m = search(text, i)
        j = m.start() if m else n
        k = j + 2 if text.startswith("\r\n", j) else (j + 1 if j < n else j)
        yield i, j, k
        i = k


#: The delimiter at the start of a line (after a CRLF, CR or LF line end).
_CLOSERS = {delim: re.compile(r"(?<=[\r\n])" + re.escape(delim)) for delim in DELIMITERS}


def _line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts (the lines :func:`_lines` yields)."""
    starts = [0, *(m.end() for m in _EOL.finditer(text))]
    if starts[-1] == len(text):  # after a final line end: no line
        starts.pop()
    return starts


def split(text: str) -> Split | None:
    """Locate the front matter at the start of ``text`` (BOM already removed), by Hugo's
    rules (``parser/pageparser``, ``lexIntroSection`` and ``lexFrontMatterSection``):

    - spaces, tabs and blank lines before the opening delimiter are skipped;
    - the block closes at the first line that *starts with* ``---`` (``+++`` for TOML): a
      closing line of ``----------------------`` is accepted, as Hugo accepts it; YAML's
      ``...`` does not close it, as in Hugo;
    - a closing line with more after its first three characters: further delimiter
      characters (``-----``) belong to the closing line here (Hugo renders them at the top of
      the body: bytes vien keeps as they are);
      other text is refused with the line to fix, since Hugo would read it as body text.
    """
    i = 0
    n = len(text)
    while i < n and text[i] in " \t\r\n":
        i += 1
    if text.startswith("{", i) and not text.startswith("{{", i):  # not a shortcode
        try:
            _, length = structured.raw_decode_json(text[i:])
        except json.JSONDecodeError as exc:
            raise PageError(
                f"invalid JSON front matter: {exc.msg}", line=_line_at(text, i) + exc.lineno - 1
            ) from exc
        except structured.TooComplex as exc:
            raise PageError(f"JSON front matter {exc}", line=1) from None
        end = i + length
        k = end
        for ls, le, nxt in _lines(text, end):  # swallow the rest of the closing line
            k = nxt if not text[ls:le].strip() else ls
            break
        return Split("json", i, i, end, k)
    delim = text[i : i + 3]
    fmt = DELIMITERS.get(delim)
    if fmt is None:
        return None
    opener_line = _line_at(text, i)
    inner = i + 3
    opener_end = next(_lines(text, i))[2]
    if not text[inner:opener_end].strip():  # spaces after the opener are no YAML/TOML text
        inner = opener_end
    # the first line after the opener's that starts with the delimiter closes the block (the
    # rest of the opening line, if any, is front matter text, as in Hugo)
    closer = _CLOSERS[delim].search(text, opener_end)
    if closer is None:
        raise PageError(
            f"unclosed front matter: {delim!r} on line {opener_line} has no closing {delim!r}; "
            f"add a line {delim!r} where the front matter ends",
            line=opener_line,
        )
    cs, ce, cn = next(_lines(text, closer.start()))
    rest = text[cs + 3 : ce]
    if rest.strip(delim[0] + " \t"):
        line = _line_at(text, cs)
        raise PageError(
            f"text after the closing {delim!r} of the front matter on line {line}: "
            f"{rest.strip()!r}; Hugo reads it as the first line of the page body. "
            f"Move it to a line of its own below {delim!r}",
            line=line,
        )
    return Split(fmt, i, inner, cs, cn)


def _line_at(text: str, pos: int) -> int:
    """The 1-based line number of offset ``pos``."""
    return text.count("\n", 0, pos) + 1


def load(text: str, sp: Split) -> dict[str, Any]:
    """Parse the front matter safely (no YAML tags that construct objects)."""
    return load_composed(text, sp)[0]


def load_composed(text: str, sp: Split) -> tuple[dict[str, Any], structured.NodePairs | None]:
    """:func:`load`, and for YAML the top-level pairs as composed (for :func:`value_spans`:
    the text is composed once)."""
    raw = text[sp.inner_start : sp.inner_end]
    first = _line_at(text, sp.inner_start)  # the line of raw's first line
    pairs = None
    try:
        if sp.format == "yaml":
            data, pairs = structured.load_yaml_nodes(raw)
        elif sp.format == "toml":
            data = structured.load_toml(raw)
        else:
            data = structured.load_json(text[: sp.inner_end])
    except structured.TooComplex as exc:
        raise PageError(f"{sp.format.upper()} front matter {exc}", line=1) from None
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11 gives the position only in the message, counted inside the block
        msg, _, where = str(exc).partition(" (at line ")
        line = int(where.split(",")[0]) + first - 1 if where[:1].isdigit() else None
        raise PageError(f"invalid TOML front matter: {msg}", line=line) from exc
    except json.JSONDecodeError as exc:
        raise PageError(f"invalid JSON front matter: {exc.msg}", line=exc.lineno) from exc
    except Exception as exc:
        if not structured.is_yaml_error(exc):
            raise
        raise _yaml_problem(exc, first) from exc
    if data is None:
        return {}, pairs
    if not isinstance(data, dict):
        raise PageError(f"front matter is a {type(data).__name__}, not a mapping of keys", line=1)
    return data, pairs


def _yaml_problem(exc: Exception, first: int) -> PageError:
    """The page error of a YAML error in front matter whose first line is ``first``."""
    import yaml

    if isinstance(exc, yaml.constructor.ConstructorError):
        line = exc.problem_mark.line + first if exc.problem_mark else None
        return PageError(
            f"front matter: {exc.problem} (only plain YAML is loaded; tags that "
            "construct objects are refused)",
            line=line,
        )
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return PageError(
        f"invalid YAML front matter: {problem}", line=mark.line + first if mark else None
    )


def get(data: dict[str, Any], key: str) -> Any:
    """A front matter value by key, case-insensitively as Hugo reads it."""
    if key in data:
        return data[key]
    lowered = key.lower()
    return next((v for k, v in data.items() if str(k).lower() == lowered), None)


def is_translatable_key(key: object, keys: frozenset[str]) -> bool:
    """Whether front matter ``key`` (YAML keys may be numbers or dates) is one of ``keys``."""
    return isinstance(key, str) and key.lower() in {k.lower() for k in keys}


def value_spans(
    text: str,
    sp: Split,
    data: dict[str, Any],
    keys: frozenset[str],
    pairs: structured.NodePairs | None = None,
) -> tuple[list[ValueSpan], list[str]]:
    """Spans of the top-level string values of ``keys``; warnings for values left alone.
    ``pairs``: YAML's top-level pairs as :func:`load_composed` gives them (else the text is
    composed again)."""
    lowered = {k.lower() for k in keys}  # Hugo's front matter keys are case-insensitive
    wanted = {
        k
        for k, v in data.items()
        if isinstance(k, str) and k.lower() in lowered and isinstance(v, str) and v.strip()
    }
    if not wanted:
        return [], []
    if sp.format == "yaml":
        return _yaml_spans(text, sp, wanted, pairs)
    if sp.format == "toml":
        return _toml_spans(text, sp, data, wanted)
    return [], [f"front matter: JSON values are not translated ({', '.join(sorted(wanted))})"]


def _yaml_spans(
    text: str, sp: Split, wanted: set[str], pairs: structured.NodePairs | None
) -> tuple[list[ValueSpan], list[str]]:
    import yaml

    loader = structured.safe_loader()
    raw = text[sp.inner_start : sp.inner_end]
    if pairs is None:
        pairs = getattr(yaml.compose(raw, Loader=loader), "value", [])
    starts = _line_starts(raw) or [0]
    spans, warnings = [], []
    styles = {None: "yaml-plain", "": "yaml-plain", '"': "yaml-double", "'": "yaml-single"}
    for key_node, value_node in pairs:
        key = getattr(key_node, "value", None)
        if key not in wanted:
            continue
        style = styles.get(getattr(value_node, "style", "?"))
        sm, em = value_node.start_mark, value_node.end_mark
        if style is None or sm.line != em.line or sm.line >= len(starts):
            warnings.append(f"front matter: {key!r} is not a one-line scalar; left as is")
            continue
        a = sp.inner_start + starts[sm.line] + sm.column
        b = sp.inner_start + starts[em.line] + em.column
        src = text[a:b]
        if not _as_written(src, style, value_node.value) and yaml.load(
            f"v: {src}", Loader=loader
        ) != {"v": value_node.value}:
            warnings.append(f"front matter: could not locate {key!r}; left as is")
            continue
        spans.append(ValueSpan(key, a, b, value_node.value, style))
    return spans, warnings


def _as_written(src: str, style: str, value: str) -> bool:
    """Whether ``src`` is the one-line YAML scalar ``value`` of ``style`` with nothing to
    decode: what loading ``v: {src}`` would show, without loading it. A plain scalar on one
    line is its text, when that resolves to a string (``123`` does not); a quoted one is its
    text between quotes, with a single quote doubled inside single quotes, when a double-quoted
    one has no backslash or double quote."""
    if style == "yaml-plain":
        return src == value and _resolves_to_str(value)
    if style == "yaml-single":
        return src == "'" + value.replace("'", "''") + "'"
    return src == '"' + value + '"' and "\\" not in value and '"' not in value


def _resolves_to_str(value: str) -> bool:
    """Whether YAML reads the plain scalar ``value`` as a string (not a number, date…)."""
    import yaml

    tag: str = _resolver().resolve(yaml.ScalarNode, value, (True, False))
    return tag == "tag:yaml.org,2002:str"


@cache
def _resolver() -> Any:
    """PyYAML's resolver of implicit tags, the one its safe loaders use."""
    import yaml

    return yaml.resolver.Resolver()


def _toml_spans(
    text: str, sp: Split, data: dict[str, Any], wanted: set[str]
) -> tuple[list[ValueSpan], list[str]]:
    spans, warnings, found = [], [], set()
    for ls, le, _ in _lines(text, sp.inner_start):
        if ls >= sp.inner_end:
            break
        line = text[ls:le]
        stripped = line.lstrip()
        if stripped.startswith("["):
            break  # a table header: no more top-level keys
        key, eq, _ = stripped.partition("=")
        key = key.strip().strip("\"'")
        if not eq or key not in wanted:
            continue
        v = ls + line.index("=") + 1
        while v < le and text[v] in " \t":
            v += 1
        q = text[v : v + 1]
        if q not in ('"', "'") or text.startswith(q * 3, v):
            continue
        w = v + 1
        while w < le and text[w] != q:
            w += 2 if (q == '"' and text[w] == "\\") else 1
        if w >= le:
            continue
        src = text[v : w + 1]
        try:
            ok = _toml_as_written(src, data[key]) or tomllib.loads(f"v = {src}")["v"] == data[key]
        except tomllib.TOMLDecodeError:
            ok = False
        if ok:
            spans.append(
                ValueSpan(key, v, w + 1, data[key], "toml-basic" if q == '"' else "toml-literal")
            )
            found.add(key)
    for key in sorted(wanted - found):
        warnings.append(f"front matter: {key!r} is not a one-line string; left as is")
    return spans, warnings


def _toml_as_written(src: str, value: object) -> bool:
    """Whether the one-line TOML string ``src`` is ``value`` with nothing to decode: what
    loading ``v = {src}`` would show, without loading it. A literal string (``'…'``) is its
    text between the quotes, so is a basic one (``"…"``) without a backslash; when neither
    holds a control character, which TOML refuses."""
    inner = src[1:-1]
    return inner == value and src.isprintable() and (src[0] == "'" or "\\" not in inner)


def encode(value: str, style: str) -> str:
    """Write ``value`` back in ``style``, switching to a safer quoting when needed."""
    if style == "yaml-single" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style == "yaml-plain":
        import yaml

        try:
            if yaml.load(f"v: {value}", Loader=structured.safe_loader()) == {"v": value}:
                return value
        except yaml.YAMLError:
            pass
    if style.startswith("yaml"):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML one
    if style == "toml-literal" and "'" not in value and "\n" not in value:
        return "'" + value + "'"
    if style.startswith("toml"):
        return json.dumps(value, ensure_ascii=False)  # valid TOML basic string too
    raise ValueError(f"unknown front matter style {style!r}")
