"""Translation engines. An engine turns segments into target-language segment texts.

Every engine receives whole :class:`~vien.page.model.Segment` objects, so it can see which parts
are protected, and returns one string per segment in the segment's own representation
(markdown source for body segments, the decoded value for front matter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..page.model import Segment
from .argos import ArgosEngine, DecodeOptions
from .simple import IdentityEngine, PseudoEngine


class Engine(Protocol):
    """What every engine provides."""

    name: str
    #: True when protected spans keep their order (checked strictly before writing).
    ordered: bool

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        """Translate ``segments`` from ``source`` to ``target`` language."""
        ...


ENGINES: dict[str, Callable[..., Engine]] = {
    "identity": lambda **_: IdentityEngine(),
    "pseudo": lambda glossary=None, **_: PseudoEngine(glossary),
    "argos": lambda glossary=None, models_dir=None, options=None, **_: ArgosEngine(
        glossary, models_dir=models_dir, options=options
    ),
}


def get_engine(name: str, **options: Any) -> Engine:
    """Build the engine called ``name`` (options: glossary, models_dir, options)."""
    try:
        factory = ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}") from None
    return factory(**options)


__all__ = [
    "ENGINES",
    "ArgosEngine",
    "DecodeOptions",
    "Engine",
    "IdentityEngine",
    "PseudoEngine",
    "get_engine",
]
