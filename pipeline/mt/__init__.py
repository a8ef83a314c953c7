"""Machine translation: the engine protocol and registry (engine), the argos engine and its
packages, the model-free engines (simple), and sentence splitting."""

from .argos import ArgosEngine, DecodeOptions
from .engine import ENGINES, Engine, get_engine
from .simple import IdentityEngine, PseudoEngine

__all__ = [
    "ENGINES",
    "ArgosEngine",
    "DecodeOptions",
    "Engine",
    "IdentityEngine",
    "PseudoEngine",
    "get_engine",
]
