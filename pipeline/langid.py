"""Which language a segment is written in: English, Vietnamese, or undecided.

Decided on the segment's own words only: protected spans (code, URLs, shortcodes…), glossary
terms and names (CamelCase, ALL CAPS, words with digits) are ignored, so a Vietnamese sentence
full of English AWS terms still reads as Vietnamese. Vietnamese is recognised by its letters
(đ, ư, ơ, ă, â, ê, ô and tone marks) and its common syllables; English by its function words.
"""

from __future__ import annotations

import re
import unicodedata

from .glossary import Glossary
from .model import Segment

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
_VI_ASCII = frozenset("""
va cac cho trong khi con ban nhu tai theo sau tren mot nhung neu vao ra lai nay
hay nhan chon mo tao xem them bang dung lam
""".split())
_EN = frozenset("""
the a an and or of to in on for with by from as at is are was were be been being this that
these those it its you your we our they their can will would should must may not no yes if
then than when which who what how into out up down over under about after before all any each
more most some such only also just so very here there click select choose open go use using
create enter make sure set see next new following step steps page under between
""".split())


def _is_vietnamese_word(word: str) -> bool:
    if any(c in _VI_LETTERS for c in word):
        return True
    decomposed = unicodedata.normalize("NFD", word)
    return any(unicodedata.combining(c) for c in decomposed)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


_BASE = str.maketrans("ăâđêôơư", "aadeoou")
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|ieu|yeu|uoi|uou|oai|oay|oao|oeo|uay|uai|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|"
    r"oi|ua|ue|ui|uo|uu|uy|ye|[aeiouy])"
    r"(?:ng|nh|ch|[cmnpt])?$")


def vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` could be one Vietnamese syllable (tone marks ignored)."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word.lower())
                   if not unicodedata.combining(c))
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", bare).translate(_BASE)))


def words(seg: Segment, glossary: Glossary | None = None, lang: str = "en") -> list[str]:
    """The segment's own words: no protected spans, glossary terms or names."""
    out: list[str] = []
    for part in seg.parts:
        if part.protected:
            continue
        text = part.text
        if glossary is not None:  # blank out terms, right to left, overlaps merged
            spans = sorted((m.start, m.end) for lang in ("en", "vi")
                           for m in glossary.find(text, lang))
            for a, b in reversed(_merged(spans)):
                text = text[:a] + " " + text[b:]
        for w in _WORD.findall(text):
            if w[1:] != w[1:].lower() or (w.isupper() and len(w) > 1):
                continue  # CamelCase or an acronym: a name, not a language signal
            out.append(w)
    return out


def detect(seg: Segment, glossary: Glossary | None = None, *, min_words: int = 2) -> str | None:
    """``"vi"``, ``"en"`` or None (too few words of its own to tell)."""
    ws = words(seg, glossary)
    if len(ws) < min_words:
        return None
    lower = [w.lower() for w in ws]
    n = len(ws)
    marked = sum(_is_vietnamese_word(w) for w in ws)  # diacritics or đ: Vietnamese
    vi = marked + sum(w in _VI_ASCII for w in lower)
    stop = sum(w in _EN for w in lower)
    foreign = sum(not vietnamese_syllable(w) for w in lower)  # cannot be a VI syllable
    if vi / n >= 0.3:
        return "vi"
    if marked == 0 and (stop + foreign) / n >= 0.5:
        return "en"
    if vi / n < 0.1 and stop / n >= 0.1:
        return "en"
    return "vi" if vi > stop + foreign else None
