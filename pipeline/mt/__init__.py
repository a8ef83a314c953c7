"""Machine translation: the engine protocol and registry (engine), the argos engine and its
packages, the model-free engines (simple), and sentence splitting.

The names are imported on first use: the argos engine's modules only when it is asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

_WHERE = {
    "ENGINES": ".engine",
    "Engine": ".engine",
    "get_engine": ".engine",
    "ArgosEngine": ".argos",
    "DecodeOptions": ".argos",
    "IdentityEngine": ".simple",
    "PseudoEngine": ".simple",
}

if TYPE_CHECKING:
    from .argos import ArgosEngine, DecodeOptions
    from .engine import ENGINES, Engine, get_engine
    from .simple import IdentityEngine, PseudoEngine


__getattr__ = lazy_names(__name__, _WHERE)


__all__ = [
    "ENGINES",
    "ArgosEngine",
    "DecodeOptions",
    "Engine",
    "IdentityEngine",
    "PseudoEngine",
    "get_engine",
]
