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

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
_VI_ASCII = frozenset(
    """
va cac cho trong khi con ban nhu tai theo sau tren mot nhung neu vao ra lai nay
hay nhan chon mo tao xem them bang dung lam
""".split()
)
#: Vietnamese function words that are written without marks and are no English words.
_VI_GRAMMAR = frozenset("cho cac trong nhung khi nhu theo".split())
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
_IDENT = re.compile(r"\d|_|[^\W\d_]\.[^\W\d_]|-[^\s-]*-")
_RUN = re.compile(r"\S+")
#: "Amazon Cognito", "AWS Amplify": a service name, in the glossary or not.
_SERVICE = re.compile(r"\b(?:Amazon|AWS)\s+[A-Z][\w-]*")
_GLUE = "\x00"  # stands for an escape or URL glued to letters (C:\\Users\\…): one identifier


def _identifiers(text: str) -> list[tuple[int, int]]:
    if not _IDENT.search(text):
        return []
    return [m.span() for m in _RUN.finditer(text) if _IDENT.search(m.group())]


def _alt_text(seg: Segment, k: int) -> bool:
    """Whether part ``k`` of ``seg`` is an image's alt text (not shown on the page)."""
    return k > 0 and seg.parts[k - 1].text == "!["


def words(seg: Segment, glossary: Glossary | None = None) -> list[str]:
    """The segment's own words: no protected spans, image alt text, glossary terms, names
    (CamelCase, acronyms, "Amazon X" and "AWS X") or identifiers."""
    pieces: list[str] = []
    for k, part in enumerate(seg.parts):
        if _alt_text(seg, k):
            pieces.append(" ")
        elif part.kind in ("escape", "url", "code"):
            pieces.append(_GLUE)
        elif part.protected:
            pieces.append(" ")
        else:
            # blank out identifiers, service names and terms of either language (a term
            # may hold one: "S3 bucket"), right to left, overlaps merged
            text = part.text
            spans = _identifiers(text)
            if "Amazon" in text or "AWS" in text:
                spans += [m.span() for m in _SERVICE.finditer(text)]
            if glossary is not None:
                spans += [
                    (m.start, m.end) for found in glossary.find_each(text, LANGS) for m in found
                ]
            if len(spans) > 1:
                spans = _merged(sorted(spans))
            for a, b in reversed(spans):
                text = text[:a] + " " + text[b:]
            pieces.append(text)
    text = "".join(pieces)
    if _GLUE in text or _IDENT.search(text):  # drop identifiers, and words glued to code,
        text = " ".join(
            chunk
            for chunk in text.split()  # a URL or an escape
            if not (_IDENT.search(chunk) or _GLUE in chunk.strip(_GLUE + ".,;:!?()[]\"'"))
        )
    # CamelCase words and acronyms are names, not a language signal
    return [
        w
        for w in _WORD.findall(text)
        if w[1:] == w[1:].lower() and not (w.isupper() and len(w) > 1)
    ]


#: English words that do occur in UI labels ("No Preference", "Next Step").
_LABEL_WORDS = frozenset("no yes new next all more".split())
#: Most words a name or UI label written in capitalised words has ("Budget Health").
LABEL_WORDS = 4


def _label(ws: list[str]) -> bool:
    """Two to four words, all capitalised, none an English function or instruction word
    ("click", "the"): a name or a UI label, in no language."""
    return (
        1 < len(ws) <= LABEL_WORDS
        and all(w[0].isupper() for w in ws)
        and not any(w.lower() in EN_WORDS - _LABEL_WORDS for w in ws)
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
    if not ws or _label(ws):
        return None
    lower = [w.lower() for w in ws]
    n = len(ws)
    marked = sum(is_vietnamese_word(w) for w in ws)  # diacritics or đ: Vietnamese
    vi = marked + sum(w in _VI_ASCII for w in lower)
    stop = sum(w in EN_WORDS for w in lower)
    if (marked or any(w in _VI_GRAMMAR for w in lower)) and not stop:
        return "vi"  # Vietnamese words among English terms, and no English grammar
    if n < min_words:
        return None
    foreign = sum(not vietnamese_syllable(w) for w in lower)  # cannot be a VI syllable
    if vi / n >= 0.3:
        return "vi"
    if marked == 0 and (stop + foreign) / n >= 0.5:
        return "en"
    if vi / n < 0.1 and stop / n >= 0.1:
        return "en"
    return "vi" if vi > stop + foreign else None


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


#: Onsets no English word starts with: "nhanh", "ngay" are Vietnamese even without marks.
_VI_ONSET = re.compile(r"^(?:ngh|ng|nh)[aeiouy]")


def _emphasis_label(seg: Segment, ws: list[str]) -> bool:
    """A few words, all inside emphasis (``**Budget effective dates**:``): a UI label, by
    the convention of AWS workshops."""
    kinds = [p.kind for p in seg.parts]
    if len(ws) > LABEL_WORDS:
        return False
    if "markup" not in kinds:
        return False
    first, last = kinds.index("markup"), len(kinds) - 1 - kinds[::-1].index("markup")
    outside = seg.parts[:first] + seg.parts[last + 1 :]
    return not any(c.isalpha() for p in outside if not p.protected for c in p.text)


def _term_item(doc: Document, seg: Segment, ws: list[str]) -> bool:
    """A list item of a few words and no English grammar ("Kubernetes-native orchestration"):
    a technical term kept in English, as Vietnamese writers do."""
    block = doc.sections[seg.section].blocks[seg.block]
    return block.kind == "list_item" and len(ws) <= 3 and not any(w.lower() in EN_WORDS for w in ws)


#: The only grammar words a console option value has ("Dev or Test workload", "Rename to:").
_VALUE_WORDS = frozenset("or and to of on no yes new".split())
#: Instruction verbs that EN_WORDS lacks: a value cell starting with one tells the reader
#: what to do ("Leave blank", "Keep it unchecked").
_INSTRUCTION_VERBS = frozenset(
    "leave keep type pick copy paste find look wait provide specify".split()
)


def _console_value(doc: Document, seg: Segment, where: str, ws: list[str]) -> bool:
    """A value cell of a table (not the header row or the first column) holding a short
    phrase that starts with a capital, as console options are written, and has no word
    addressed to the reader ("Don't stop", "No/unchecked", "Dev or Test workload"): an
    option value quoted as the console shows it. "leave blank", "Keep it unchecked" and
    "Checked for all DB targets" are instructions."""
    if where != "text" or not 0 < len(ws) <= LABEL_WORDS or not ws[0][0].isupper():
        return False
    if doc.sections[seg.section].blocks[seg.block].kind != "table_cell":
        return False
    return not any(
        (lw := w.lower()) in _INSTRUCTION_VERBS or (lw in EN_WORDS and lw not in _VALUE_WORDS)
        for w in ws
    )


#: What separates the steps of a console path ("EC2 → Load Balancers → Create").
_PATH_STEP = re.compile(r"\s*(?:→|->|›|»|\s>\s)\s*")
_ARROW_STEP = re.compile(r"\s*(?:→|->|›|»)\s*")  # when a "<" makes ">" a bracket


def _console_path(seg: Segment) -> bool:
    """Two or more short steps between arrows, all of it the segment's visible text:
    a console path or a setting and its value ("EC2 → Load Balancers → Create Load
    Balancer", "All traffic → 0.0.0.0/0"), names as the console shows them."""
    text = "".join(
        p.text for k, p in enumerate(seg.parts) if not p.protected and not _alt_text(seg, k)
    )
    step = _ARROW_STEP if "<" in text else _PATH_STEP  # "< TargetEndpoint > should…"
    if not step.search(text):
        return False
    steps = [s for s in step.split(text.strip()) if s.strip()]
    return len(steps) > 1 and all(len(_WORD.findall(s)) <= LABEL_WORDS for s in steps)


def untranslated_segments(
    doc: Document, lang: str, glossary: Glossary | None = None, src: Document | None = None
) -> list[tuple[Segment, bool]]:
    """The untranslated segments of ``doc``, a ``lang`` page, in page order, each with
    whether it was copied: written in the other language (:func:`verdict`), or, given
    the page it translates (``src``), a heading, title or table header copied unchanged
    from it ("Replicate Data Changes", which reads like a name), unless it is only names
    and keep-terms ("Amazon S3"). ``vien check`` reports these, and merging into a
    counterpart translates them again."""
    source = {" ".join(s.plain.split()) for s in src.segments} if src is not None else set()
    keep = glossary.keep_only if glossary is not None else None
    verdicts = [verdict(doc, seg, lang, glossary) for seg in doc.segments]
    wrong = verdicts.count("wrong")
    # a page left in the other language: what reads as a name or label kept in English
    # inside Vietnamese text is untranslated too ("**Documentation:**", "Features include:")
    left = wrong >= LEFT_PAGE and wrong > verdicts.count("own")
    out = []
    for seg, v in zip(doc.segments, verdicts, strict=True):
        if v == "wrong" or (left and v == "kept"):
            out.append((seg, False))
        elif (
            source
            and " ".join(seg.plain.split()) in source
            and role(doc, seg) == "title"
            and words(seg, keep)
        ):
            out.append((seg, True))
    return out


#: Segments in the other language that, outnumbering those in the page's own, show a page
#: left untranslated.
LEFT_PAGE = 5


def verdict(doc: Document, seg: Segment, lang: str, glossary: Glossary | None = None) -> str:
    """``"wrong"`` when ``seg`` of a ``lang`` page is written in the other language,
    ``"own"`` when it reads as ``lang``, ``"kept"`` when it reads as English kept on purpose
    in a Vietnamese page (a name, a UI label, a term, an option value), ``""`` otherwise.

    The two directions differ. Vietnamese text mixes in English terms, so a segment of a
    Vietnamese page is untranslated only when it reads as English — and not when it is a
    short UI label in emphasis, a list item naming a technical term, an option value in a
    table cell or a console path ("kept": :func:`untranslated_segments` reports those too
    on a page left in English). English text has no Vietnamese in it, so a segment of an
    English page is untranslated as soon as it holds a lowercase Vietnamese word (marked, or
    with an onset such as "nh" that English lacks; capitalised ones are names) or
    Vietnamese grammar without English."""
    where, ws = role(doc, seg), words(seg, glossary)
    got = detect_in(doc, seg, glossary, where=where, own=ws)
    if lang == "en":
        if got == "vi":
            return "wrong"
        if where == "field":
            return "own" if got == "en" else ""
        lower = [w.lower() for w in ws]
        if any(
            w == lw and (is_vietnamese_word(w) or (_VI_ONSET.match(w) and vietnamese_syllable(w)))
            for w, lw in zip(ws, lower, strict=True)
        ):
            return "wrong"
        if any(w in _VI_GRAMMAR for w in lower) and not any(w in EN_WORDS for w in lower):
            return "wrong"
        return "own" if got == "en" else ""
    if got == lang:
        return "own"
    if got is None:  # a name or label in English: "Cost Budget", not "Tạo Budget"
        english = _label(ws) and not any(is_vietnamese_word(w) for w in ws)
        return "kept" if where != "field" and english else ""
    if (
        _emphasis_label(seg, ws)
        or _term_item(doc, seg, ws)
        or _console_value(doc, seg, where, ws)
        or _console_path(seg)
    ):
        return "kept"
    return "wrong"
