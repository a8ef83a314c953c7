"""Translation engines. An engine turns segments into target-language segment texts.

Every engine receives whole :class:`~vien.page.model.Segment` objects, so it can see which parts
are protected, and returns one string per segment in the segment's own representation
(markdown source for body segments, the decoded value for front matter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..page.model import Segment
from .result import NoModel, Translation
from .simple import IdentityEngine, PseudoEngine


class Engine(Protocol):
    """What every engine provides."""

    name: str
    #: True when protected spans keep their order (checked strictly before writing).
    ordered: bool

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        """Translate ``segments`` from ``source`` to ``target`` language."""
        ...

    def translate_each(
        self, segments: Sequence[Segment], source: str, target: str
    ) -> list[Translation]:
        """:meth:`translate`, with each segment's applied glossary terms and failure."""
        ...

    def model_id(self, source: str, target: str) -> str:
        """What produced the translations, for provenance (``machine:<model id>``)."""
        ...

    def check(self, source: str, target: str) -> None:
        """Raise (naming what to install) when the engine cannot serve the pair."""
        ...


class TranslateOnly(Protocol):
    """The least an engine of one's own must provide (what vien asked before it asked more)."""

    name: str
    ordered: bool

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]: ...


class _Completed(NoModel):
    """The whole :class:`Engine` for an engine that only translates: no glossary terms
    reported, no failures, its name as model id, nothing to install."""

    def __init__(self, engine: TranslateOnly) -> None:
        self.inner, self.name, self.ordered = engine, engine.name, engine.ordered

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        return self.inner.translate(segments, source, target)


def complete(engine: Engine | TranslateOnly) -> Engine:
    """``engine`` itself when it provides the whole protocol, else it wrapped so it does."""
    if all(hasattr(engine, m) for m in ("translate_each", "model_id", "check")):
        return engine  # type: ignore[return-value]
    return _Completed(engine)


def _argos(glossary: Any, models_dir: Any, options: Any) -> Engine:
    """The argos engine, its module (and CTranslate2's) imported only when asked for."""
    from .argos import ArgosEngine

    return ArgosEngine(glossary, models_dir=models_dir, options=options)


ENGINES: dict[str, Callable[..., Engine]] = {
    "identity": lambda **_: IdentityEngine(),
    "pseudo": lambda glossary=None, **_: PseudoEngine(glossary),
    "argos": lambda glossary=None, models_dir=None, options=None, **_: _argos(
        glossary, models_dir, options
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
    "Engine",
    "IdentityEngine",
    "PseudoEngine",
    "TranslateOnly",
    "Translation",
    "complete",
    "get_engine",
]
