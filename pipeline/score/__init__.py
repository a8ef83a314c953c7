"""``vien score``: machine translation measured against a site's own human translations
(sacrebleu's BLEU, chrF and TER, and glossary accuracy), per section, page and site."""

from .metrics import Metrics, Scores, TermTally
from .run import (
    DirectionScore,
    EngineScore,
    Item,
    MemoryIndex,
    Plan,
    ScoreResult,
    Settings,
    collect,
    engine_for,
    plans,
    score,
    score_engine,
    translate,
)

__all__ = [
    "DirectionScore",
    "EngineScore",
    "Item",
    "MemoryIndex",
    "Metrics",
    "Plan",
    "ScoreResult",
    "Scores",
    "Settings",
    "TermTally",
    "collect",
    "engine_for",
    "plans",
    "score",
    "score_engine",
    "translate",
]
