"""Machine translation: the engine protocol and registry (engine), the argos engine and its
packages, the model-free engines (simple), and sentence splitting.

The names are imported on first use: the argos engine's modules only when it is asked for."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ENGINES",
    "ArgosEngine",
    "DecodeOptions",
    "Engine",
    "IdentityEngine",
    "PseudoEngine",
    "get_engine",
]
