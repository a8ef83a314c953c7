"""Which language a segment is written in: English, Vietnamese, or undecided.

Decided on the segment's own words only: protected spans (code, URLs, shortcodes…), glossary
terms and names (CamelCase, ALL CAPS, words with digits) are ignored, so a Vietnamese sentence
full of English AWS terms still reads as Vietnamese. Vietnamese is recognised by its letters
(đ, ư, ơ, ă, â, ê, ô and tone marks) and its common syllables; English by its function words.

Image alt text is not read (it is not shown on the page, and screenshots keep one caption
in both languages). :func:`detect_in` also knows where the segment sits in its page: a
heading, a title or a table header is translated text even when it is one word, while the
first cell of a table row names a field as the console shows it. Two to four capitalised
words are a name or a UI label ("Server Name", "Thịnh Nguyễn", "Cost Budget").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..glossary.entries import LANGS, Glossary
from ..page.model import Document, Segment

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
_VI_ASCII = frozenset(
    """
va cac cho trong khi con ban nhu tai theo sau tren mot nhung neu vao ra lai nay
hay nhan chon mo tao xem them bang dung lam qua
""".split()
)
#: Vietnamese function words that are written without marks and are no English words.
VI_GRAMMAR = frozenset("cho cac trong nhung khi nhu theo qua".split())
#: English function and instruction words: grammar no Vietnamese sentence has.
EN_WORDS = frozenset(
    """
the a an and or of to in on for with by from as at is are was were be been being this that
these those it its you your we our they their can will would should must may not no yes if
then than when which who what how into out up down over under about after before all any each
more most some such only also just so very here there click select choose open go use using
create enter make sure set see next new following step steps page under between
""".split()
)


#: Verbs that start an instruction in technical writing ("Delete the bucket", "Wait for
#: deletion"); console button names start with click/select/choose/create/open, left out.
IMPERATIVES = frozenset(
    """
add allow apply attach avoid build change check clean compare configure confirm connect continue
copy define delete deploy describe disable download edit enable ensure execute export fetch fix get
grant adjust
implement import improve increase install integrate invoke isolate keep learn leave list log look
measure monitor move navigate
paste pick practice press provide publish pull push read reduce remove replace restart retry
review run save scroll send specify start stop store study switch test track try type
understand
update upload validate verify view wait write
""".split()
)


#: Verbs that name a console button when a capitalised label follows ("Click Create", "Choose
#: Next") and start an instruction when a lowercase word does ("Select the file to upload").
CONSOLE_VERBS = frozenset("click select choose create open go enter set use make see".split())
#: Auxiliary and modal verbs: a clause ("the event will invoke Lambda").
AUXILIARIES = frozenset(
    "is are was were will can could should must would may might be been has have had does".split()
)


@lru_cache(maxsize=65536)
def is_vietnamese_word(word: str) -> bool:
    """Whether ``word`` has a Vietnamese letter (đ, ư, ơ, ă, â, ê, ô) or a tone mark."""
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
    r"(?:ng|nh|ch|[cmnpt])?$"
)


@lru_cache(maxsize=65536)
def vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` could be one Vietnamese syllable (tone marks ignored)."""
    bare = "".join(
        c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c)
    )
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", bare).translate(_BASE)))


#: What makes a run of text an identifier, not a word of a language: a digit or an
#: underscore, a dot between letters, or two hyphens (us-east-1, jdbc11.jar, aurora-mysql-target).
#: Each starts with one of ``[\d_.-]``, which the regex engine scans for quickly.
_IDENT = re.compile(r"[\d_.-](?:(?<=[\d_])|(?<=[^\W\d_]\.)(?=[^\W\d_])|(?<=-)[^\s-]*-)")
_RUN = re.compile(r"\S+")
#: "Amazon Cognito", "AWS Amplify": a service name, in the glossary or not.
_SERVICE = re.compile(r"\b(?:Amazon|AWS)\s+[A-Z][\w-]*")
_GLUE = "\x00"  # stands for an escape or URL glued to letters (C:\\Users\\…): one identifier


def _identifiers(text: str) -> list[tuple[int, int]]:
    if not _IDENT.search(text):
        return []
    return [m.span() for m in _RUN.finditer(text) if _IDENT.search(m.group())]


def alt_text(seg: Segment, k: int) -> bool:
    """Whether part ``k`` of ``seg`` is an image's alt text (not shown on the page)."""
    return k > 0 and seg.parts[k - 1].text == "!["


QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


def words(seg: Segment, glossary: Glossary | None = None, *, quotes: bool = True) -> list[str]:
    """The segment's own words: no protected spans, image alt text, glossary terms, names
    (CamelCase, acronyms, "Amazon X" and "AWS X") or identifiers; ``quotes=False`` leaves
    out quoted text too (a prompt or a value to type)."""
    pieces: list[str] = []
    before = ""  # the text of the part before: "![" makes this one alt text (alt_text)
    for kind, text in seg.parts:
        if before == "![":
            pieces.append(" ")
        elif kind == "text":
            pieces.append(_blanked(text, glossary))
        else:  # protected: code, a URL or an escape glued to letters is one identifier
            pieces.append(_GLUE if kind in _GLUED else " ")
        before = text
    text = "".join(pieces)
    if not quotes:
        text = QUOTED.sub(" ", text)
    if _GLUE in text or _IDENT.search(text):  # drop identifiers, and words glued to code,
        text = " ".join(
            chunk
            for chunk in text.split()  # a URL or an escape
            if not (_IDENT.search(chunk) or _GLUE in chunk.strip(_GLUE + ".,;:!?()[]\"'"))
        )
    # CamelCase words and acronyms are names, not a language signal
    return [w for w in WORD.findall(text) if _own_word(w)]


#: Protected kinds glued to the letters around them (C:\\Users\\…, a URL, inline code).
_GLUED = frozenset(("escape", "url", "code"))


def _blanked(text: str, glossary: Glossary | None) -> str:
    """``text`` with its identifiers, service names and terms of either language (a term
    may hold one: "S3 bucket") each replaced by a space, overlaps merged."""
    spans = _identifiers(text)
    if "Amazon" in text or "AWS" in text:
        spans += [m.span() for m in _SERVICE.finditer(text)]
    if glossary is not None:
        for found in glossary.find_each(text, LANGS):
            spans += [(m.start, m.end) for m in found]
    if not spans:
        return text
    if len(spans) > 1:
        spans = _merged(sorted(spans))
    out: list[str] = []
    end = 0
    for a, b in spans:
        out += (text[end:a], " ")
        end = b
    out.append(text[end:])
    return "".join(out)


@lru_cache(maxsize=65536)
def _own_word(word: str) -> bool:
    """Whether ``word`` is no name: neither CamelCase nor an acronym."""
    return word[1:] == word[1:].lower() and not (word.isupper() and len(word) > 1)


#: English words that do occur in UI labels ("No Preference", "Next Step").
_LABEL_WORDS = frozenset("no yes new next all more".split())
_NO_LABEL_WORDS = EN_WORDS - _LABEL_WORDS
#: Most words a name or UI label written in capitalised words has ("Budget Health").
LABEL_WORDS = 4


def is_label(ws: list[str]) -> bool:
    """Two to four words, all capitalised, none an English function or instruction word
    ("click", "the"): a name or a UI label, in no language."""
    return (
        1 < len(ws) <= LABEL_WORDS
        and all(w[0].isupper() for w in ws)
        and not any(w.lower() in _NO_LABEL_WORDS for w in ws)
    )


def detect(
    seg: Segment,
    glossary: Glossary | None = None,
    *,
    min_words: int = 2,
    own: list[str] | None = None,
) -> str | None:
    """``"vi"``, ``"en"`` or None (too few words of its own to tell, or two to four
    capitalised words: a name or UI label).

    ``own``: the segment's :func:`words`, when the caller has them already."""
    ws = words(seg, glossary) if own is None else own
    if not ws or is_label(ws):
        return None
    n = len(ws)
    marked, unmarked, stop, grammar, syllables = map(sum, zip(*map(_signals, ws), strict=True))
    vi = marked + unmarked
    if not stop and (marked or grammar):
        return "vi"  # Vietnamese words among English terms, and no English grammar
    if n < min_words:
        return None
    if vi / n >= 0.3:
        return "vi"
    foreign = n - syllables  # cannot be a VI syllable
    if marked == 0 and (stop + foreign) / n >= 0.5:
        return "en"
    if vi / n < 0.1 and stop / n >= 0.1:
        return "en"
    return "vi" if vi > stop + foreign else None


@lru_cache(maxsize=65536)
def _signals(word: str) -> tuple[bool, bool, bool, bool, bool]:
    """What one word says about its language, as :func:`detect` counts it: Vietnamese
    letters or marks, a Vietnamese word written without them, an English function word,
    Vietnamese grammar, and whether it could be a Vietnamese syllable."""
    low = word.lower()
    return (
        is_vietnamese_word(word),
        low in _VI_ASCII,
        low in EN_WORDS,
        low in VI_GRAMMAR,
        vietnamese_syllable(low),
    )


def role(doc: Document, seg: Segment) -> str:
    """Where ``seg`` sits: "title" (front matter or shortcode value, heading, table header),
    "field" (first cell of a table row), or "text"."""
    if seg.field is not None:
        return "title"
    blocks = doc.sections[seg.section].blocks
    block = blocks[seg.block]
    if block.kind == "heading":
        return "title"
    if block.kind == "table_cell":
        table = next(b for b in reversed(blocks[: seg.block]) if b.kind == "table")
        if block.line == table.line:
            return "title"
        before = blocks[seg.block - 1]
        if before.kind != "table_cell" or before.line != block.line:
            return "field"
    return "text"


def detect_in(
    doc: Document,
    seg: Segment,
    glossary: Glossary | None = None,
    *,
    where: str | None = None,
    own: list[str] | None = None,
) -> str | None:
    """Like :func:`detect`, knowing where ``seg`` sits in ``doc`` (see :func:`role`)."""
    where = where or role(doc, seg)
    if where == "field":
        return None
    # a one-word heading is translated too
    return detect(seg, glossary, min_words=1 if where == "title" else 2, own=own)
