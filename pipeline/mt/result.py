"""What an engine returns for one segment (:meth:`vien.mt.engine.Engine.translate_each`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..glossary.masking import AppliedTerm
from ..page.model import Segment


@dataclass(frozen=True, slots=True)
class Translation:
    """One segment's translation: its text and the glossary terms applied; ``failed`` says
    why the engine could not translate it (its text is then empty and must not be used)."""

    text: str
    applied: tuple[AppliedTerm, ...] = ()
    failed: str | None = None


class NoModel:
    """The engine protocol's rest for an engine that needs no model: each text with no terms
    applied and no failure, the engine's name as model id, nothing to install. A subclass
    provides ``name`` and ``translate``."""

    name: str

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        raise NotImplementedError

    def translate_each(
        self, segments: Sequence[Segment], source: str, target: str
    ) -> list[Translation]:
        return [Translation(text) for text in self.translate(segments, source, target)]

    def model_id(self, source: str, target: str) -> str:
        return self.name

    def check(self, source: str, target: str) -> None:
        """Nothing to install."""
