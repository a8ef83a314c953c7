"""Translation engines. An engine turns segments into target-language segment texts.

Every engine receives whole :class:`~pipeline.model.Segment` objects, so it can see which parts
are protected, and returns one string per segment in the segment's own representation
(markdown source for body segments, the decoded value for front matter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from ..model import Segment
from .simple import IdentityEngine, PseudoEngine


class Engine(Protocol):
    """What every engine provides."""

    name: str
    #: True when protected spans keep their order (checked strictly before writing).
    ordered: bool

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        """Translate ``segments`` from ``source`` to ``target`` language."""
        ...


ENGINES: dict[str, Callable[[], Engine]] = {
    "identity": IdentityEngine,
    "pseudo": PseudoEngine,
}


def get_engine(name: str) -> Engine:
    """Build the engine called ``name``; ValueError naming the choices otherwise."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}") from None


__all__ = ["ENGINES", "Engine", "IdentityEngine", "PseudoEngine", "get_engine"]
