"""What counts as untranslated: the rules on top of language evidence (:mod:`.langid`).

One decision for ``vien check`` and for the translate planner: a segment of a page written in
the other language, unless it is one of the kinds a site keeps in English on purpose
(emphasis labels, term items, console values and paths, short labels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..glossary.entries import Glossary
from ..page.model import Document, Segment
from .langid import (
    EN_WORDS,
    IMPERATIVES,
    LABEL_WORDS,
    VI_GRAMMAR,
    WORD,
    alt_text,
    detect_in,
    is_label,
    is_vietnamese_word,
    role,
    vietnamese_syllable,
    words,
)

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
    return (
        block.kind == "list_item"
        and len(ws) <= 3
        and not any(w.lower() in EN_WORDS for w in ws)
        and not imperative(ws)
    )


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
    if doc.sections[seg.section].blocks[seg.block].kind != "table_cell" or imperative(ws):
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
        p.text for k, p in enumerate(seg.parts) if not p.protected and not alt_text(seg, k)
    )
    step = _ARROW_STEP if "<" in text else _PATH_STEP  # "< TargetEndpoint > should…"
    if not step.search(text):
        return False
    steps = [s for s in step.split(text.strip()) if s.strip()]
    return len(steps) > 1 and all(len(WORD.findall(s)) <= LABEL_WORDS for s in steps)


@dataclass(frozen=True, slots=True)
class Untranslated:
    """One untranslated segment as ``vien check`` reports it."""

    seg: Segment
    copied: bool  # a title copied unchanged from the source page
    level: str  # "error", "warning" or "notice" (see :func:`level`)
    why: str  # the words that decided it, quoted in the message
    title: bool  # a heading, front matter title, table header or link text


def untranslated_segments(
    doc: Document, lang: str, glossary: Glossary | None = None, src: Document | None = None
) -> list[tuple[Segment, bool]]:
    """The untranslated segments of ``doc``, a ``lang`` page, in page order, each with
    whether it was copied (see :func:`untranslated`). The translate planner translates
    these again."""
    return [(u.seg, u.copied) for u in untranslated(doc, lang, glossary, src)]


def untranslated(
    doc: Document, lang: str, glossary: Glossary | None = None, src: Document | None = None
) -> list[Untranslated]:
    """The untranslated segments of ``doc``, a ``lang`` page, in page order: written in the
    other language (:func:`verdict`), or, given the page it translates (``src``), a
    heading, title or table header copied unchanged from it ("Replicate Data Changes",
    which reads like a name) and not in the page's own language, unless it is only names
    and keep-terms ("Amazon S3"). Identity alone decides nothing: an English title in an
    English page is not untranslated because the Vietnamese page kept it too."""
    source = {" ".join(s.plain.split()) for s in src.segments} if src is not None else set()
    keep = glossary.keep_only if glossary is not None else None
    verdicts = [verdict(doc, seg, lang, glossary) for seg in doc.segments]
    wrong = verdicts.count("wrong")
    # a page left in the other language: what reads as a name or label kept in English
    # inside Vietnamese text is untranslated too ("**Documentation:**", "Features include:")
    left = wrong >= LEFT_PAGE and wrong > verdicts.count("own")
    loans = _loanwords(doc, verdicts, glossary) if lang != "en" else frozenset()
    out = []
    for seg, v in zip(doc.segments, verdicts, strict=True):
        if v == "wrong" and loans and _loaned(doc, seg, loans, glossary):
            continue  # "Metric" above a table of a page that says "chạy 4 metric chuẩn"
        if v == "wrong" or (left and v == "kept"):
            lvl, why = level(doc, seg, lang, verdicts, glossary)
            out.append(Untranslated(seg, False, lvl, why, _is_title(doc, seg)))
        elif (
            source
            and v != "own"  # reads as the page's language: "Module" in an English page
            and " ".join(seg.plain.split()) in source
            and role(doc, seg) == "title"
            and (ws := words(seg, keep))
        ):
            out.append(Untranslated(seg, True, "notice", " ".join(ws), True))
    return out


def _loanwords(doc: Document, verdicts: list[str], glossary: Glossary | None) -> frozenset[str]:
    """English words the page itself uses inside its own Vietnamese sentences ("chạy 4
    metric chuẩn", "gắn tag ngữ cảnh"): loanwords of this page."""
    out: set[str] = set()
    for seg, v in zip(doc.segments, verdicts, strict=True):
        if v == "own":
            out.update(
                w.lower() for w in words(seg, glossary) if not is_vietnamese_word(w) and len(w) > 1
            )
    return frozenset(out - EN_WORDS)


def _loaned(doc: Document, seg: Segment, loans: frozenset[str], glossary: Glossary | None) -> bool:
    """A heading, table header or label of one to three words, each a loanword of the page."""
    ws = words(seg, glossary)
    return (
        0 < len(ws) <= 3
        and (role(doc, seg) == "title" or len(ws) == 1)
        and all(w.lower() in loans for w in ws)
    )


#: Own words from which a segment of running text is prose, not a label or a name.
PROSE_WORDS = 5


def _is_title(doc: Document, seg: Segment) -> bool:
    """A heading, title, table header, or text that is all one link (a table of contents)."""
    return role(doc, seg) == "title" or _all_link(seg)


def _all_link(seg: Segment) -> bool:
    """Whether the visible text of ``seg`` is one markdown link's text."""
    text = seg.text.strip().rstrip(".:")
    return text.startswith("[") and text.endswith(")") and text.count("](") == 1


def level(
    doc: Document,
    seg: Segment,
    lang: str,
    verdicts: list[str],
    glossary: Glossary | None = None,
) -> tuple[str, str]:
    """How much an untranslated ``seg`` matters, and the words that decided it.

    ``error`` (fails CI by default) for prose in the wrong language: running text (not a
    heading, title, table header or link text) that is a sentence (five words of its own or
    more, with grammar: "Install the agent on each host"), or that sits in a section whose
    running text is mostly in the other language (a section left untranslated). Vietnamese
    words in an English page are always an error: English text has none. ``warning`` for
    short headings, titles, labels, table headers, link texts and phrases without grammar
    ("Route propagation", "Multi-turn conversation management"), which a site may keep on
    purpose."""
    ws = words(seg, glossary)
    where = role(doc, seg)
    if lang == "en":
        vi = [w for w in ws if is_vietnamese_word(w) or w.lower() in VI_GRAMMAR]
        shown = " ".join(vi[:6]) or " ".join(ws[:6])
        return ("error" if where == "text" or len(ws) >= PROSE_WORDS else "warning"), shown
    shown = " ".join(ws[:8])
    if where != "text" or _all_link(seg) or verdicts[seg.index] == "kept" or _field_label(seg):
        return "warning", shown
    ws = words(seg, glossary, quotes=False)  # a quoted prompt or value to type is not prose
    grammar = [w for w in ws if w.lower() in EN_WORDS]
    if len(ws) >= PROSE_WORDS and grammar:
        return "error", shown
    if imperative(ws):
        return "error", shown
    if len(ws) >= 2 and _section_left(doc, seg, verdicts):
        return "error", shown
    return "warning", shown


_LABEL_VALUE = re.compile(r"^\W*([^:.!?]{1,40}):\s*([^:.!?]{0,30})\W*$")


def imperative(ws: list[str]) -> bool:
    """Two words or more, the first a verb that starts an instruction ("Delete S3 buckets",
    "Wait for deletion")."""
    return len(ws) >= 2 and ws[0].lower() in IMPERATIVES


def _field_label(seg: Segment) -> bool:
    """ "Policy name:", "Use case: Lambda", "Application type: Web application": a console
    field and the value to enter, as the console shows them (up to four words, then up to
    three)."""
    m = _LABEL_VALUE.match(seg.plain.strip())
    if m is None or imperative(WORD.findall(m.group(1))):
        return False
    return len(WORD.findall(m.group(1))) <= LABEL_WORDS and len(WORD.findall(m.group(2))) <= 3


def _section_left(doc: Document, seg: Segment, verdicts: list[str], *, body: bool = False) -> bool:
    """Whether the running text of ``seg``'s section is mostly in the other language (two
    segments or more, more of them wrong than in the page's language; ``body``: one is
    enough when the section has no more)."""
    text = [
        verdicts[i]
        for i in doc.sections[seg.section].segments
        if role(doc, doc.segments[i]) == "text"
    ]
    wrong = text.count("wrong")
    least = 1 if body and len(text) == 1 else 2
    return wrong >= least and wrong > text.count("own")


def _vietnamese_name(ws: list[str]) -> bool:
    """Whether the Vietnamese words of ``ws`` are two to four marked words in a row, all
    capitalised and followed by no lowercase word: a person's or a company's name in an
    English sentence ("Full name: Trần Thị Mai"), not "Tư duy" or "Không downtime"."""
    at = [k for k, w in enumerate(ws) if is_vietnamese_word(w) or w.lower() in VI_GRAMMAR]
    if not 2 <= len(at) <= LABEL_WORDS or at[-1] - at[0] != len(at) - 1:
        return False
    after = ws[at[-1] + 1 : at[-1] + 2]
    return all(ws[k][0].isupper() for k in at) and not (after and after[0].islower())


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
            return "" if where == "text" and _vietnamese_name(ws) else "wrong"
        if where == "field":
            return "own" if got == "en" else ""
        lower = [w.lower() for w in ws]
        if any(
            w == lw and (is_vietnamese_word(w) or (_VI_ONSET.match(w) and vietnamese_syllable(w)))
            for w, lw in zip(ws, lower, strict=True)
        ):
            return "wrong"
        if any(w in VI_GRAMMAR for w in lower) and not any(w in EN_WORDS for w in lower):
            return "wrong"
        return "own" if got == "en" else ""
    if got == lang:
        return "own"
    if got is None:  # a name or label in English: "Cost Budget", not "Tạo Budget"
        english = is_label(ws) and not any(is_vietnamese_word(w) for w in ws)
        return "kept" if where != "field" and english else ""
    if (
        _emphasis_label(seg, ws)
        or _term_item(doc, seg, ws)
        or _console_value(doc, seg, where, ws)
        or _console_path(seg)
    ):
        return "kept"
    return "wrong"
