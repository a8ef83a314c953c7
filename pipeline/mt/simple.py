"""Engines that need no model: ``identity`` and ``pseudo`` (pseudo-localization)."""

from __future__ import annotations

from collections.abc import Sequence

from ..glossary.entries import Glossary
from ..glossary.masking import AppliedTerm, applied_terms, pieces
from ..page.model import Segment
from .result import NoModel, Translation

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


class IdentityEngine(NoModel):
    """Returns every segment unchanged: the round-trip baseline."""

    name = "identity"
    ordered = True

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        return [seg.text for seg in segments]


class PseudoEngine(NoModel):
    """Deterministic pseudo-localization: accented look-alike letters inside ⟦ ⟧ markers.

    Only translatable text changes; protected spans are copied. With a glossary, keep-terms
    stay as written and forced renderings replace their terms, as in real translation. The
    closing marker goes after the last translatable piece holding a letter or digit, so a
    trailing ``{#id}`` heading attribute stays last and a trailing literal backslash cannot
    escape the marker.
    """

    name = "pseudo"
    ordered = True

    def __init__(self, glossary: Glossary | None = None) -> None:
        self.glossary = glossary
        #: Glossary terms applied to each segment of the last translate() call, in order.
        self.last_applied: list[list[AppliedTerm]] = []

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        self.last_applied = []
        return [self.one(seg, source, target) for seg in segments]

    def translate_each(
        self, segments: Sequence[Segment], source: str, target: str
    ) -> list[Translation]:
        texts = self.translate(segments, source, target)
        return [
            Translation(text, tuple(used))
            for text, used in zip(texts, self.last_applied, strict=True)
        ]

    def one(self, seg: Segment, source: str = "en", target: str = "vi") -> str:
        ps = pieces(seg, self.glossary, source, target)
        self.last_applied.append(applied_terms(ps))
        outs = [p.out if p.fixed else pseudo_text(p.src) for p in ps]
        plain = "".join(outs)
        # the markers wrap the translatable text from its first to its last letter or digit,
        # so they never touch a URL, a kept term or the space around them
        spans, pos = [], 0
        for p, out in zip(ps, outs, strict=True):
            if not p.fixed:
                alnum = [i for i, c in enumerate(out) if c.isalnum()]
                if alnum:
                    spans.append((pos + alnum[0], pos + alnum[-1] + 1))
            pos += len(out)
        if not spans:
            return plain
        a, b = spans[0][0], spans[-1][1]
        marked = plain[:a] + OPEN + plain[a:b] + CLOSE + plain[b:]
        if (
            seg.style == "md"
            and _touches_delimiters(plain, a, b)
            and _inline_shape(marked) != _inline_shape(plain)
        ):
            return plain  # a marker would change how emphasis pairs: letters only
        return marked


def _touches_delimiters(text: str, a: int, b: int) -> bool:
    near = text[max(a - 1, 0) : a + 1] + text[max(b - 1, 0) : b + 1]
    return any(c in "*_~" for c in near)


def _inline_shape(text: str) -> list[tuple[str, str]]:
    """The inline tokens, with the text between them (markers removed): two texts of one
    shape pair the same delimiters, not just the same number of them."""
    from ..page.markdown import parser

    out: list[tuple[str, str]] = []
    for t in parser().parseInline(text)[0].children or []:
        if t.type in ("text", "text_special"):
            content = t.content.replace(OPEN, "").replace(CLOSE, "")
            if out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + content)
            else:
                out.append(("text", content))
        else:
            out.append((t.type, t.markup))
    return out
