"""Loading YAML, JSON and TOML with limits: no input a user can write makes vien recurse
without end, hang or fill the memory.

Two limits apply to every loaded value, whatever the format:

* nesting depth (:data:`MAX_DEPTH`): JSON and TOML parsers recurse once per level and raise
  :class:`RecursionError` near 1,000; anything deeper than a real page or config is refused;
* size counted with every YAML alias expanded (:data:`MAX_NODES`): a 1 KB "billion laughs"
  document loads fast because aliases share objects, but anything that walks it (comparing
  two front matters, lower-casing config keys) visits every expansion.

Both raise :class:`TooComplex`, a :class:`ValueError`, which callers turn into the error of
the file they read (:class:`~vien.errors.PageError`, :class:`~vien.errors.ConfigError`…).
"""

from __future__ import annotations

import json
import sys
import tomllib
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # yaml is imported where YAML is read: a run that reads none starts faster
    import yaml


@cache
def safe_loader() -> type:
    """PyYAML's safe loader: libyaml's, much faster, when the build has it."""
    import yaml

    try:
        loader: type = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on the PyYAML build
        loader = yaml.SafeLoader
    return loader


def is_yaml_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a YAML error (yaml is not imported for it: no YAML error can be
    raised before something imported yaml)."""
    yaml = sys.modules.get("yaml")
    return yaml is not None and isinstance(exc, yaml.YAMLError)


#: Deepest nesting accepted (real front matter and Hugo configs stay under 10).
MAX_DEPTH = 100
#: Most values accepted, every YAML alias counted as many times as it is used.
MAX_NODES = 100_000


class TooComplex(ValueError):
    """A value nested too deep, or too large once its YAML aliases are expanded."""


def check_shape(data: Any, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> Any:
    """``data`` itself, after checking (without recursion) that it is nested at most
    ``max_depth`` deep and has at most ``max_nodes`` values with aliases expanded."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > max_nodes:
            raise TooComplex(
                f"more than {max_nodes:,} values once YAML aliases are expanded "
                "(an alias bomb?); refused"
            )
        if depth > max_depth:
            raise TooComplex(f"nested more than {max_depth} levels deep; refused")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend((v, depth + 1) for v in value)
    return data


def _too_deep() -> TooComplex:
    return TooComplex(f"nested more than {MAX_DEPTH} levels deep; refused")


def load_yaml(text: str) -> Any:
    """Plain YAML (no tags that construct objects), within the limits. YAML errors are
    raised as they are."""
    return load_yaml_nodes(text)[0]


if TYPE_CHECKING:
    #: The (key node, value node) pairs of a YAML mapping, as composed.
    NodePairs = list[tuple[yaml.Node, yaml.Node]]


def load_yaml_nodes(text: str) -> tuple[Any, NodePairs | None]:
    """:func:`load_yaml`, composing the text once: the value, and the pairs of its top-level
    mapping as composed (before merge keys are flattened into it; None when the document is
    not a mapping), which tell where each value lies in ``text``."""
    import yaml

    loader = safe_loader()(text)
    try:
        node = loader.get_single_node()  # what yaml.load does, the node kept
        pairs = list(node.value) if isinstance(node, yaml.MappingNode) else None
        data = loader.construct_document(node) if node is not None else None
    except RecursionError:
        raise _too_deep() from None
    finally:
        loader.dispose()
    return check_shape(data), pairs


def load_json(text: str, *, walk: bool = True) -> Any:
    """JSON within the depth limit (``json.JSONDecodeError`` as usual for bad syntax). JSON
    has no aliases: its values number at most its characters, so its size is bounded by the
    text's, not by :data:`MAX_NODES` (a lock file of 10,000 pages holds millions).

    ``walk`` False: the depth is only bounded by the parser's own recursion limit (nesting
    that reaches it raises :class:`TooComplex`), for a caller that checks the shape it reads
    field by field and so never walks deeper than it expects."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise _too_deep() from None
    return check_shape(data, max_nodes=max(MAX_NODES, len(text))) if walk else data


def raw_decode_json(text: str) -> tuple[Any, int]:
    """The JSON value at the start of ``text`` and where it ends, within the limits."""
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except RecursionError:
        raise _too_deep() from None
    return check_shape(data), end


def load_toml(text: str) -> dict[str, Any]:
    """TOML within the limits (``tomllib.TOMLDecodeError`` as usual for bad syntax)."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise _too_deep() from None
    return check_shape(data)
