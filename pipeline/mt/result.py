"""What an engine returns for one segment (:meth:`vien.mt.engine.Engine.translate_each`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..glossary.masking import AppliedTerm


@dataclass(frozen=True, slots=True)
class Translation:
    """One segment's translation: its text and the glossary terms applied; ``failed`` says
    why the engine could not translate it (its text is then empty and must not be used)."""

    text: str
    applied: tuple[AppliedTerm, ...] = ()
    failed: str | None = None
