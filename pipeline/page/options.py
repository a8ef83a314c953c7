"""What counts as translatable beyond the markdown body: the parse options, apart from the
parser (markdown-it), so that what only names the options (a run's settings, the defaults of
the reading functions) does not import it."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_FRONT_MATTER_KEYS = frozenset({"title", "linkTitle", "description"})
#: Shortcode parameters that are visible text: name -> positional indexes / parameter names.
DEFAULT_SHORTCODE_PARAMS: dict[str, frozenset[int | str]] = {
    "expand": frozenset({0, "title"}),
}


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What counts as translatable beyond the markdown body."""

    front_matter_keys: frozenset[str] = DEFAULT_FRONT_MATTER_KEYS
    shortcode_params: dict[str, frozenset[int | str]] = field(
        default_factory=lambda: dict(DEFAULT_SHORTCODE_PARAMS)
    )


DEFAULT_OPTIONS = ParseOptions()
