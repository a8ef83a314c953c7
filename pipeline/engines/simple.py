"""Engines that need no model: ``identity`` and ``pseudo`` (pseudo-localization)."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Segment

#: ASCII letters and their accented look-alikes (all Unicode letters, so markdown's
#: emphasis and word rules treat them exactly as the originals).
_PSEUDO = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
OPEN, CLOSE = "⟦", "⟧"


def pseudo_text(text: str) -> str:
    """Accent the ASCII letters of ``text``."""
    return text.translate(_PSEUDO)


class IdentityEngine:
    """Returns every segment unchanged: the round-trip baseline."""

    name = "identity"
    ordered = True

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        return [seg.text for seg in segments]


class PseudoEngine:
    """Deterministic pseudo-localization: accented look-alike letters inside ⟦ ⟧ markers.

    Only translatable text changes; protected spans are copied. The closing marker goes after
    the last translatable part holding a letter or digit, so a trailing ``{#id}`` heading
    attribute stays last and a trailing literal backslash cannot escape the marker.
    """

    name = "pseudo"
    ordered = True

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        return [self.one(seg) for seg in segments]

    @staticmethod
    def one(seg: Segment) -> str:
        parts = [p.text if p.protected else pseudo_text(p.text) for p in seg.parts]
        last = max((i for i, p in enumerate(seg.parts)
                    if not p.protected and any(c.isalnum() for c in p.text)), default=-1)
        if last < 0:
            return seg.text
        trailing = "".join(parts[last + 1 :])
        return OPEN + "".join(parts[: last + 1]) + CLOSE + trailing
