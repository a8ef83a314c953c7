"""What counts as untranslated: the rules on top of language evidence (:mod:`.langid`).

One decision for ``vien check`` and for the translate planner: a segment of a page written in
the other language, unless it is one of the kinds a site keeps in English on purpose
(emphasis labels, term items, console values and paths, short labels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..glossary.entries import Glossary
from ..page.model import Document, Segment
from .langid import (
    AUXILIARIES,
    CONSOLE_VERBS,
    EN_WORDS,
    IMPERATIVES,
    LABEL_WORDS,
    QUOTED,
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
        and not _ABBREVIATION.search(seg.plain)  # "Code generation (CLI, SDK, etc.)"
    )


#: A caption's number in English: "Figure 2:", "Fig. 3.", "Table 1 -" (Vietnamese: "Hình 2:").
_CAPTION = re.compile(r"^\W*(?:Figure|Fig\.|Table|Diagram|Chart)\s+\d+(?:\.\d+)*\s*[.:–—-]\s*\S")
#: Prepositions and conjunctions that bind the words of a phrase ("Types of …", "Problems
#: with …", "Within the … interface"); a name holds few, a lead-in line is made of them.
_BINDING = frozenset("of with for to in on by from via into within through without the".split())


def english_form(seg: Segment, ws: list[str]) -> bool:
    """Running text whose form is English whatever its words: a caption numbered in
    English ("Figure 2: Amazon Q Developer service tiers"; Vietnamese writes "Hình 2:"), or
    a lead-in line, ending with a colon, of three own words or more bound by a lowercase
    preposition or article ("Types of Transit Gateway Attachments:", "Problems with Raw
    Bedrock Agents:"): a phrase that introduces what follows, not a name (names do not
    end a line with a colon) nor a field label (no preposition)."""
    text = seg.plain.strip()
    if _CAPTION.match(text):
        return len(ws) >= 2
    return (
        seg.text.strip().rstrip("*_").endswith(":")  # nothing after it: "users: `5`" is a field
        and len(ws) >= 3
        and (
            any(w in _BINDING for w in ws[1:-1])  # lowercase: "Identity And Access" is a name
            or sum(w.islower() and w not in EN_WORDS for w in ws) >= 3  # "X delivers three gains:"
        )
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
    if "," in seg.plain and {"and", "or"} & set(ws) and sum(w.islower() for w in ws) >= 3:
        return False  # "Logs, metrics, alarms, and tracing": an enumeration, written in English
    text = seg.plain.strip()
    if text.endswith(".") and not text.endswith(".."):
        return False  # "Tested CRUD operations on Transactions.": a full stop ends a sentence
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
    steps = [WORD.findall(s) for s in step.split(text.strip()) if s.strip()]
    return (
        len(steps) > 1
        and all(len(ws) <= LABEL_WORDS for ws in steps)
        and not any(_step_grammar(ws, k == 0) for k, ws in enumerate(steps))
    )


#: Words of a clause that a console's page and button names lack: articles, pronouns,
#: auxiliaries, conjunctions of clauses ("the", "you", "is", "if").
_CLAUSE_WORDS = frozenset(
    """the a an this that these those it its you your we our they their is are was were be been
will would should must can may if then than when which who what how not""".split()
)


#: Words of a console's button names after their verb ("Create new", "Set up", "Log in").
_NAME_WORDS = frozenset("no yes new next all more in on up out down over".split())
_NO_NAME_WORDS = EN_WORDS - _NAME_WORDS
#: Verbs that start an instruction or name a console button.
_VERBS = IMPERATIVES | CONSOLE_VERBS


def _step_grammar(ws: list[str], first: bool) -> bool:
    """Whether a step between arrows says something rather than naming a console page: an
    instruction to start with ("Go to Routes → Edit routes", "Click on Save") or a clause
    ("If 1% of users convert → $500/month"); "Create new event", "Set up", "App clients and
    analytics" and a later "Upload from" are the console's own names."""
    lower = [w.lower() for w in ws]
    if (
        first
        and len(ws) >= 2
        and lower[0] in _VERBS
        and ws[1].islower()
        and lower[1] in _NO_NAME_WORDS
    ):
        return True  # a verb and a function word: "Go to", "Click on", "Open the"
    return any(
        lw in _CLAUSE_WORDS and (w.islower() or k == 0)
        for k, (w, lw) in enumerate(zip(ws, lower, strict=True))
    )


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
    own = [words(seg, glossary) for seg in doc.segments]
    verdicts = [
        verdict(doc, seg, lang, glossary, own=ws) for seg, ws in zip(doc.segments, own, strict=True)
    ]
    page = _Page(doc, verdicts, glossary, own)
    wrong = verdicts.count("wrong")
    # a page left in the other language: what reads as a name or label kept in English
    # inside Vietnamese text is untranslated too ("**Documentation:**", "Features include:")
    left = wrong >= LEFT_PAGE and wrong > verdicts.count("own")
    loans = _loanwords(page) if lang != "en" else frozenset()
    page.loans = loans
    out = []
    for seg, v in zip(doc.segments, verdicts, strict=True):
        if v == "wrong" and loans and _loaned(page, seg, loans):
            continue  # "Metric" above a table of a page that says "chạy 4 metric chuẩn"
        if v == "wrong":
            lvl, why = level(page, seg, lang)
            out.append(Untranslated(seg, False, lvl, why, _is_title(doc, seg)))
        elif lang != "en" and v in ("", "kept") and _in_left_section(page, seg):
            # a short item of a section left in English ("Bastion hosts.", "Role: Participant")
            ws = page.words[seg.index]
            out.append(Untranslated(seg, False, "error", " ".join(ws[:8]), False))
        elif lang != "en" and v in ("", "kept") and _english_link(seg, glossary):
            # "[Creating a Budget](…)" in a Vietnamese table of contents: a title, a warning
            ws = page.words[seg.index]
            out.append(Untranslated(seg, False, "warning", " ".join(ws[:8]), True))
        elif left and v == "kept":
            lvl, why = level(page, seg, lang)
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


def _loanwords(page: _Page) -> frozenset[str]:
    """English words the page itself uses inside its own Vietnamese sentences ("chạy 4
    metric chuẩn", "gắn tag ngữ cảnh"): loanwords of this page."""
    out: set[str] = set()
    for ws, v in zip(page.words, page.verdicts, strict=True):
        if v == "own":
            out.update(w.lower() for w in ws if not is_vietnamese_word(w) and len(w) > 1)
    return frozenset(out - EN_WORDS)


def _loaned(page: _Page, seg: Segment, loans: frozenset[str]) -> bool:
    """A heading, table header or label of one to three words, each a loanword of the page."""
    ws = page.words[seg.index]
    return (
        0 < len(ws) <= 3
        and (role(page.doc, seg) == "title" or len(ws) == 1)
        and all(w.lower() in loans for w in ws)
        and not _named_instruction(seg, ws)  # "Check IAM policies": a verb and its object
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


def level(page: _Page, seg: Segment, lang: str) -> tuple[str, str]:
    """How much an untranslated ``seg`` matters, and the words that decided it.

    ``error`` (fails CI by default) for prose in the wrong language: running text (not a
    heading, title, table header or link text) that is a sentence (:func:`sentence`:
    "Install the agent on each host"), or that sits in a section left in the other
    language (:meth:`_Page.section_left`). Vietnamese words in an English page are always
    an error: English text has none. ``warning`` for short headings, titles, labels, table
    headers, link texts and phrases without grammar ("Route propagation", "Multi-turn
    conversation management"), which a site may keep on purpose; in a section left in
    English, a title-case line or a field of running text is part of it, an error. Errors
    too, whatever their length or case: a caption or a lead-in line in English
    (:func:`english_form`), and words bound by a preposition (:func:`_bound_phrase`)."""
    doc = page.doc
    ws = page.words[seg.index]
    where = role(doc, seg)
    if lang == "en":
        vi = [w for w in ws if is_vietnamese_word(w) or w.lower() in VI_GRAMMAR]
        shown = " ".join(vi[:6]) or " ".join(ws[:6])
        return ("error" if where == "text" or len(ws) >= PROSE_WORDS else "warning"), shown
    shown = " ".join(ws[:8])
    if where != "text" or _all_link(seg) or page.verdicts[seg.index] == "kept":
        return "warning", shown
    if len(ws) >= 2 and page.section_left(seg.section):
        return "error", shown  # part of a section left in English, titles and labels too
    if english_form(seg, ws):
        return "error", shown  # a caption or a lead-in line in English (:func:`english_form`)
    if _field_label(seg) or title_case(seg):
        return "warning", shown
    if page.sentence(seg) or _bound_phrase(ws):
        return "error", shown
    return "warning", shown


def sentence(seg: Segment, glossary: Glossary | None) -> bool:
    """Whether English running text ``seg`` reads as a sentence by its own grammar: five
    words or more with a function word, or four with two ("Checked for all DB targets");
    an instruction ("Delete S3 buckets", "Delete SNS topic:"), also after a colon or dash
    ("Basics: Understand HTTP"); four words with a function word and two lowercase words
    ("AWS documentation and project materials", no title or label); a clause (an
    auxiliary, or a full stop); or nothing but
    function words between values ("`a` or just `b`"). Words are counted with the glossary's
    terms (a term is a word of the sentence), not names or quoted text."""
    ws = words(seg, None, quotes=False)  # a quoted prompt or value to type is not prose
    grammar = _grammar(seg, ws)
    if (len(ws) >= PROSE_WORDS and grammar) or (len(ws) >= PROSE_WORDS - 1 and len(grammar) >= 2):
        return True
    content = [w for w in ws if w.islower() and w not in EN_WORDS]
    if len(ws) >= PROSE_WORDS - 1 and grammar and len(content) >= 2:
        return True  # "documentation and project materials": a phrase, no name or label
    if imperative(ws) or _named_instruction(seg, ws) or _sentence(seg, ws) or _adverb_verb(ws):
        return True
    if _ABBREVIATION.search(seg.plain) and any(
        w.islower() and w not in EN_WORDS and w != "etc" for w in ws
    ):
        return True  # "Enter username (e.g., admin)", "Code generation (CLI, SDK, etc.)"
    if len(ws) >= PROSE_WORDS - 1 and _gerund_object(seg, ws):
        return True
    if any(imperative(c) for c in _clauses(seg, glossary)[1:]):
        return True
    values = _VALUE_WORDS | {"next", "all", "more"}  # "Yes or no", "No more"
    return len(ws) >= 2 and len(grammar) == len(ws) and bool({w.lower() for w in ws} - values)


_CLAUSE = re.compile(r"[.:;!?—–]|\s-\s")


def _grammar(seg: Segment, ws: list[str]) -> list[str]:
    """The English function words of ``ws`` that work as grammar: lowercase, or the first
    word of a clause. Capitalised inside a clause they are part of a name or a keyword list
    ("Given/When/Then/And syntax", "Identity And Access")."""
    initial = set()
    for piece in _CLAUSE.split(QUOTED.sub(" ", seg.plain)):
        first = WORD.search(piece)
        if first:
            initial.add(first.group())
    return [w for w in ws if w.lower() in EN_WORDS and (w.islower() or w in initial)]


#: English prepositions that EN_WORDS lacks (it lists those detection needs): grammar of a
#: phrase too ("Risk reduction through systematic reviews").
_PREPOSITIONS = frozenset("through via within without across during against among upon".split())


def _bound_phrase(ws: list[str]) -> bool:
    """Words bound by a lowercase preposition inside them: five words or more ("Risk
    reduction through systematic vulnerability detection"), or three with a lowercase word
    of their own ("IDE (VS Code) with plugins"): a phrase of English grammar, not a term or
    a name ("Experience with CloudFormation, CDK")."""
    inside = ws[1:-1]
    if len(ws) >= PROSE_WORDS and any(w in _PREPOSITIONS for w in inside):
        return True
    return (
        len(ws) >= 3
        and any(w in _BINDING for w in inside)
        and any(w.islower() and w not in EN_WORDS and w not in _BINDING for w in ws)
    )


#: Latin abbreviations of English writing: "e.g.", "i.e.", "etc." (Vietnamese writes "ví dụ",
#: "tức là", "v.v."). With a lowercase English word they make an explanation, prose.
_ABBREVIATION = re.compile(r"\b(?:e\.\s?g|i\.\s?e)\.|\betc\b")


def _adverb_verb(ws: list[str]) -> bool:
    """Three words or more that start with an adverb in -ly and a verb, in the plain form
    or in -ed ("Significantly improve development speed", "Successfully created an
    account"): a predicate, as list items of goals and results are written."""
    return (
        len(ws) >= 3
        and len(ws[0]) >= 6
        and ws[0].lower().endswith("ly")
        and ws[1].islower()
        and (ws[1] in IMPERATIVES or (len(ws[1]) >= 5 and ws[1].endswith("ed")))
    )


def _gerund_object(seg: Segment, ws: list[str]) -> bool:
    """A verb in -ing and then its object, a lowercase word ("Identifying problems, proposing
    solutions", "Reviewing pull requests daily"): an activity described, a verb phrase. Not
    before a colon: "Sorting algorithms: …" names a topic, a noun phrase."""
    first = ws[0]
    return (
        ":" not in seg.plain
        and len(first) >= 7
        and first.endswith("ing")
        and first[0].isupper()
        and first[1:].islower()
        and ws[1].islower()
        and ws[1] not in EN_WORDS
    )


def _named_instruction(seg: Segment, ws: list[str]) -> bool:
    """One instruction verb and then only names ("Delete SNS topic:", "Check IAM
    policies", "List API Gateway APIs:"): the verb's object is a name, which
    :func:`~.langid.words` leaves out."""
    if not ws or ws[0].lower() not in IMPERATIVES or len(ws) > 2:
        return False
    seen = WORD.findall(QUOTED.sub(" ", seg.plain))
    return len(seen) >= 2 and seen[0] == ws[0] and len(seen) > len(ws)


_LABEL_VALUE = re.compile(r"^\W*([^:.!?]{1,40}):\s*([^:.!?]{0,30})\W*$")


_TITLE_SMALL = frozenset("a an the and or of for to in on with from by at vs via as into".split())


#: Most words a title has (names, numbers and small words included): "Designing Serverless
#: Architectures for Game Backends on AWS with Lambda and DynamoDB" has twelve.
TITLE_WORDS = 16


def title_case(seg: Segment) -> bool:
    """Two words or more, each capitalised but the small ones, no full stop: the title of
    a document, a talk or a product ("A Field Guide to Quiet Systems"), not prose."""
    text = seg.plain.strip()
    ws = WORD.findall(text)
    if not 2 <= len(ws) <= TITLE_WORDS or text.endswith(".") or not ws[0][0].isupper():
        return False  # twenty words are no title: "Full Name: … University: … Major: …"
    if ws[0].lower() in _VERBS:
        return False  # "Click Next": a step
    return all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in ws)


#: Endings of English verbs ("Visualize", "Simplify"); no noun of six letters or more ends so.
_VERB_ENDINGS = ("ize", "ify")


def imperative(ws: list[str]) -> bool:
    """Two words or more, the first a verb that starts an instruction ("Delete S3 buckets",
    "Wait for deletion"), or a console verb followed by a lowercase word ("Select the file
    to upload", "Go to the console"; "Click Create" names a button)."""
    if len(ws) < 2:
        return False
    first = ws[0].lower()
    if first in IMPERATIVES or (len(first) >= 6 and first.endswith(_VERB_ENDINGS)):
        return True
    if _verb_adjective(ws):
        return True
    # "Select the file to upload", "Go to the console", "Set up monitoring with CloudWatch";
    # "Create user pool" is the button's name
    return (
        first in CONSOLE_VERBS and ws[1][0].islower() and any(w.lower() in EN_WORDS for w in ws[1:])
    )


#: Endings of English adjectives that no noun of seven letters or more has ("harmful",
#: "dangerous"); "-less" is left out ("serverless" names a kind of computing).
_ADJECTIVE_ENDINGS = ("ful", "ous")


def _verb_adjective(ws: list[str]) -> bool:
    """A first word, then an adjective in -ful or -ous and a lowercase noun ("Filter harmful
    content", "Detect suspicious logins"): a noun phrase puts its adjective first, so the
    word before it is a verb and this an instruction. Not after an adverb in -ly ("Highly
    available clusters") or a function word ("Most useful tools")."""
    return (
        len(ws) >= 3
        and ws[0][0].isupper()
        and not ws[0].lower().endswith("ly")
        and ws[0].lower() not in EN_WORDS
        and len(ws[1]) >= 7
        and ws[1].islower()
        and ws[1].endswith(_ADJECTIVE_ENDINGS)
        and ws[2].islower()
    )


def _clauses(seg: Segment, glossary: Glossary | None) -> list[list[str]]:
    """The segment's words, and those after each colon or dash ("Basics: Understand HTTP")."""
    out = []
    for piece in re.split(r"[:—–]|\s-\s", QUOTED.sub(" ", seg.plain)):
        ws = WORD.findall(piece)
        if ws:
            out.append(ws)
    return out


def _sentence(seg: Segment, ws: list[str]) -> bool:
    """Three words or more that read as a clause: an auxiliary or modal verb ("the event
    will invoke Lambda"), or a full stop at the end ("Restoring objects from backups.")."""
    if len(ws) < 3:
        return False
    if any(w.lower() in AUXILIARIES for w in ws):
        return True
    text = seg.plain.strip()
    return text.endswith(".") and not text.endswith("..") and sum(w.islower() for w in ws) >= 2


def _field_label(seg: Segment) -> bool:
    """ "Policy name:", "Use case: Lambda", "Application type: Web application": a console
    field and the value to enter, as the console shows them (up to four words, then up to
    three)."""
    m = _LABEL_VALUE.match(seg.plain.strip())
    if m is None or imperative(WORD.findall(m.group(1))):
        return False
    value = WORD.findall(m.group(2))
    if len(value) >= 2 and (
        value[1] in _ARTICLES or (value[0].lower() in IMPERATIVES and value[1].islower())
    ):
        return False  # "Step 1: Access the console", "Logs: Delete old streams": a step to take
    return len(WORD.findall(m.group(1))) <= LABEL_WORDS and len(value) <= 3


#: Articles and possessives: after the first word of a value, they make it a clause.
_ARTICLES = frozenset("the a an your this".split())


class _Page:
    """A page being checked, with its verdicts, and which of its sections were left in the
    other language (decided once per section)."""

    def __init__(
        self,
        doc: Document,
        verdicts: list[str],
        glossary: Glossary | None,
        own: list[list[str]],
    ) -> None:
        self.doc, self.verdicts, self.glossary = doc, verdicts, glossary
        self.words = own  # each segment's own words (:func:`~.langid.words`)
        self._left: dict[int, bool] = {}
        self.loans: frozenset[str] = frozenset()  # the page's loanwords (:func:`_loanwords`)
        self._sentence: dict[int, bool] = {}

    def sentence(self, seg: Segment) -> bool:
        if seg.index not in self._sentence:
            self._sentence[seg.index] = sentence(seg, self.glossary)
        return self._sentence[seg.index]

    def section_left(self, k: int) -> bool:
        """Whether the running text of section ``k`` was left in the other language: with
        no Vietnamese word in it, two segments or more in the other language; with some,
        two English sentences or more (:func:`sentence`), more than the segments with
        Vietnamese in them. Short English labels and terms among Vietnamese sentences are
        how Vietnamese writers name the console ("Bước 1: …", "Create user pool") and
        leave no section untranslated. Under a heading in English with no Vietnamese in
        the text, labels kept in English count too ("Role: Participant"): the whole
        section was left."""
        if k not in self._left:
            doc = self.doc
            text = [
                doc.segments[i]
                for i in doc.sections[k].segments
                if role(doc, doc.segments[i]) == "text"
            ]
            wrong = [s for s in text if self.verdicts[s.index] == "wrong"]
            own = [
                s
                for s in text
                if self.verdicts[s.index] == "own"
                or any(is_vietnamese_word(w) for w in self.words[s.index])
            ]
            if not own:
                if self._english_heading(k):  # labels too: "Full Name: …", "Role: …"
                    wrong += [s for s in text if self.verdicts[s.index] == "kept"]
                self._left[k] = len(wrong) >= 2
            else:
                said = sum(self.sentence(s) for s in wrong)
                self._left[k] = said >= 2 and said > len(own)
        return self._left[k]

    def _english_heading(self, k: int) -> bool:
        """Whether section ``k`` has a heading in English ("Student Information:") and no
        Vietnamese anywhere, table headers included (a table headed "Ghi chú" was
        translated, its short English notes kept): the English labels were left too."""
        doc = self.doc
        if any(
            self.verdicts[i] == "own" or any(is_vietnamese_word(w) for w in self.words[i])
            for i in doc.sections[k].segments
        ):
            return False
        for i in doc.sections[k].segments:
            seg = doc.segments[i]
            if doc.sections[k].blocks[seg.block].kind == "heading":
                ws = self.words[i]
                return (
                    self.verdicts[i] in ("wrong", "kept")
                    and not any(is_vietnamese_word(w) for w in ws)
                    and not all(vietnamese_syllable(w) for w in ws)
                )
        return False


def _english_link(seg: Segment, glossary: Glossary | None) -> bool:
    """A segment that is one link to a page of the site whose text has English words of its
    own and no Vietnamese one (a sub-page's title in a table of contents)."""
    if not _all_link(seg) or _cited(seg):
        return False  # an outside document keeps its title
    ws = words(seg, glossary)
    return (
        bool(ws)
        and not product_name(seg, ws)
        and not any(
            is_vietnamese_word(w) or w.lower() in VI_GRAMMAR or _VI_ONSET.match(w.lower())
            for w in ws
        )
        and any(not vietnamese_syllable(w) or w.lower() in EN_WORDS for w in ws)
    )


def _cited(seg: Segment) -> bool:
    """Text that is one link to an outside document ("[Secure Coding with Amazon Q](https://…)"
    in a list of references): the document's own title, which the page cites as it is."""
    return _all_link(seg) and bool(re.search(r"\]\(\s*<?(?:https?:|mailto:|www\.)", seg.text))


def _in_left_section(page: _Page, seg: Segment) -> bool:
    """Running text with English words of its own and no Vietnamese, in a section left in
    English (:meth:`_Page.section_left`): part of it, whatever its length. Left out: names
    only ("Lai Van Long", "Tool Source DB to Aurora"), and one word that is a value to type
    ("dbadmin", "Check"); a lead-in label ("Soft Skills:", "Career:"), a field and its value
    ("Role: Participant"), a paragraph all in emphasis ("**1. Learning Environment**"), an
    instruction or a step named by its button, a phrase with an article, and terms the
    glossary translates are part of the section."""
    doc = page.doc
    if role(doc, seg) != "text" or _all_link(seg):
        return False
    ws = page.words[seg.index]
    if len(ws) < 2 and page.glossary is not None and page.section_left(seg.section):
        # one word or none besides terms: those the glossary translates are English words
        # too ("Automated pipeline", "Cost optimization")
        ws = words(seg, page.glossary.keep_only)
    if not ws or any(is_vietnamese_word(w) for w in ws):
        return False
    if all(vietnamese_syllable(w) for w in ws):
        return False  # a Vietnamese name written without marks, or a value
    block = doc.sections[seg.section].blocks[seg.block].kind
    lead_in = seg.plain.rstrip().endswith(":") or (block == "paragraph" and _emphasised(seg))
    if len(ws) == 1:
        # a capitalised lead-in ("Career:"), a word of a phrase ("Workshop implementation")
        # or a cell of a table left in English ("High"); not a value ("dbadmin", "Check")
        word = ws[0]
        english = ((lead_in or _english_field(seg)) and word[0].isupper()) or (
            not vietnamese_syllable(word)
            and (
                (word.islower() and len(WORD.findall(seg.plain)) > 1)
                or (
                    block == "table_cell"
                    and word[0].isupper()
                    and len(WORD.findall(seg.plain)) == 1  # not "Target Oracle", a name
                    and word.lower() not in page.loans | _VERBS  # "Check"
                )
            )
        )
    else:
        english = (
            lead_in
            or _console_button(ws)
            or imperative(ws)
            or ws[0].lower() in CONSOLE_VERBS  # a step named by its button: "Create Access Key"
            or _english_field(seg)
            or any(w in _CLAUSE_WORDS for w in ws)  # "Accept the Changes"
            or any(w in _PREPOSITIONS for w in ws)  # "Sign-in via Builder ID or SSO"
            or any(w.islower() and w not in EN_WORDS and not vietnamese_syllable(w) for w in ws)
        )
    return english and page.section_left(seg.section)


_FIELD = re.compile(r"^\W*([^:.!?]{1,40}):")


def _english_field(seg: Segment) -> bool:
    """A field and its value ("Full Name: …", "Role: Participant") whose field name has an
    English word (not a Vietnamese syllable written without marks)."""
    m = _FIELD.match(seg.plain.strip())
    if m is None:
        return False
    ws = WORD.findall(m.group(1))
    return 0 < len(ws) <= LABEL_WORDS and not all(vietnamese_syllable(w) for w in ws)


def _emphasised(seg: Segment) -> bool:
    """Whether all the visible text of ``seg`` is in emphasis ("**1. Learning Environment**"):
    a paragraph that heads what follows."""
    kinds = [p.kind for p in seg.parts]
    if "markup" not in kinds:
        return False
    first, last = kinds.index("markup"), len(kinds) - 1 - kinds[::-1].index("markup")
    outside = seg.parts[:first] + seg.parts[last + 1 :]
    return first < last and not any(c.isalnum() for p in outside if not p.protected for c in p.text)


def _vietnamese_name(ws: list[str]) -> bool:
    """Whether the Vietnamese words of ``ws`` are two to four marked words in a row, all
    capitalised and followed by no lowercase word: a person's or a company's name in an
    English sentence ("Full name: Trần Thị Mai"), not "Tư duy" or "Không downtime"."""
    at = [k for k, w in enumerate(ws) if is_vietnamese_word(w) or w.lower() in VI_GRAMMAR]
    if not 2 <= len(at) <= LABEL_WORDS or at[-1] - at[0] != len(at) - 1:
        return False
    after = ws[at[-1] + 1 : at[-1] + 2]
    return all(ws[k][0].isupper() for k in at) and not (after and after[0].islower())


#: Vietnamese verbs that start a step ("Bấm", "Chọn", "Nhập"): capitalised at the start of
#: an item they begin an instruction, never a name (names are read by :func:`_vietnamese_name`).
_VI_INSTRUCTIONS = frozenset("bấm nhấn chọn nhập mở tạo điền xóa xoá chạy thêm sửa kiểm".split())


#: Segments in the other language that, outnumbering those in the page's own, show a page
#: left untranslated.
LEFT_PAGE = 5


def verdict(
    doc: Document,
    seg: Segment,
    lang: str,
    glossary: Glossary | None = None,
    *,
    own: list[str] | None = None,
) -> str:
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
    where = role(doc, seg)
    ws = words(seg, glossary) if own is None else own
    got = detect_in(doc, seg, glossary, where=where, own=ws)
    if lang == "en":
        if got == "vi":
            return "" if where == "text" and _vietnamese_name(ws) else "wrong"
        if where == "field":
            return "own" if got == "en" else ""
        if any(map(_lowercase_vietnamese, ws)):
            return "wrong"
        lower = [w.lower() for w in ws]
        if any(w in VI_GRAMMAR for w in lower) and not any(w in EN_WORDS for w in lower):
            return "wrong"
        if lower and lower[0] in _VI_INSTRUCTIONS:
            return "wrong"  # "Bấm Create attachment": a step in Vietnamese, not a name
        return "own" if got == "en" else ""
    if got == lang:
        return "own"
    if any(w.lower() in VI_GRAMMAR for w in ws):
        return ""  # Vietnamese written without marks around English terms: "Trong Inbound rules"
    if where == "text" and product_name(seg, ws):
        return "kept"
    if where in ("text", "title") and agenda_title(seg):
        return "kept"
    if where == "text" and _cited(seg):
        return ""  # not reported, even on a page left in English
    if got is None:  # a name or label in English: "Cost Budget", not "Tạo Budget"
        if where == "text" and _named_instruction(seg, ws):
            return "wrong"  # "Delete SNS topic:"
        english = is_label(ws) and not any(is_vietnamese_word(w) for w in ws)
        return "kept" if where != "field" and english else ""
    if where == "text" and english_form(seg, ws):
        return "wrong"  # "Figure 2: …", "Types of Storage Classes:": not a label or a name
    if (
        _emphasis_label(seg, ws)
        or _term_item(doc, seg, ws)
        or _console_value(doc, seg, where, ws)
        or _console_path(seg)
        or (
            where == "text"
            and (_console_button(ws) or _field_label(seg) or (names(seg) and not _all_link(seg)))
        )
    ):
        return "kept"
    return "wrong"


#: English words that a button's name after "Click X" may hold.
_NO_BUTTON_WORDS = EN_WORDS - {"new", "next", "all"}


@lru_cache(maxsize=65536)
def _lowercase_vietnamese(word: str) -> bool:
    """A lowercase Vietnamese word: marked, or with an onset that English lacks ("nh")
    and a Vietnamese syllable's shape; capitalised, it may be a name."""
    return word == word.lower() and bool(
        is_vietnamese_word(word) or (_VI_ONSET.match(word) and vietnamese_syllable(word))
    )


def _console_button(ws: list[str]) -> bool:
    """ "Click Create internet gateway", "Choose Next": a step that names the console's
    button as the console shows it (kept in English by the convention of AWS workshops)."""
    return (
        1 < len(ws) <= 6
        and ws[0].lower() in ("click", "select", "choose")
        and ws[1][0].isupper()
        and not any(w.lower() in _NO_BUTTON_WORDS for w in ws[2:])
    )


_PRODUCT = re.compile(r"\b(?:Amazon|AWS)\b|\b[^\W\d_]+[A-Z][^\W\d_]*|\b[A-Z]{2,}\b")


def product_name(seg: Segment, ws: list[str]) -> bool:
    """The name of a product or of one of its features: title case (:func:`names`), a
    product's own name in it (CamelCase, an acronym, "Amazon X"/"AWS X") and at most two
    capitalised words of its own, none a verb in -ing ("AWS Transit Gateway", "OAuth
    Refresh Tokens", "AWS CloudTrail for Bedrock"; not "Replicating Data to AWS"), kept
    as it is named. Running text only: a heading so named may still describe the page."""
    if not ws or not _PRODUCT.search(QUOTED.sub(" ", seg.plain)) or not names(seg):
        return False
    own = [w for w in ws if w.lower() not in _TITLE_SMALL]
    return (
        0 < len(own) <= 2
        and all(w[0].isupper() for w in own)
        and not any(w.endswith("ing") for w in own)
    )


_CLOCK = re.compile(
    r"\s*\d{1,2}[:h.]\d{2}(?:\s*(?:AM|PM|am|pm))?"
    r"(?:\s*[-–—]\s*\d{1,2}[:h.]\d{2}(?:\s*(?:AM|PM|am|pm))?)?\s*[:|–—-]?\s*"
)


def agenda_title(seg: Segment) -> bool:
    """An entry of an event's agenda: a clock time (or a time range) and then the talk's
    title in title case ("09:00 - 09:30: Context Is Everything: Making AI Work for You"):
    the name of a talk, kept as it was given. Three words or more after the time, at least
    three in four of them capitalised but the small ones."""
    m = _CLOCK.match(seg.plain)
    if not m:
        return False
    ws = WORD.findall(QUOTED.sub(" ", seg.plain[m.end() :]))
    own = [w for w in ws if w.lower() not in _TITLE_SMALL]
    return len(ws) >= 3 and bool(own) and sum(w[0].isupper() for w in own) >= 0.75 * len(own)


def names(seg: Segment) -> bool:
    """Titles or names, one or several (separated by commas, "+", "/", dashes), each in
    title case ("Ant Design Drawer, Ant Design Card", "A Field Guide to Quiet Systems"):
    references, products, talks, kept as they are named. A full stop may end a list of
    several ("Mr. Vinh Banh – Senior Data Engineer, Renova Cloud."), not one name."""
    text = QUOTED.sub(" ", seg.plain).strip()
    pieces = [p for p in re.split(r"[,+/|–—]|\s-\s|\(|\)", text) if WORD.search(p)]
    if text.endswith(".") and not text.endswith("...") and len(pieces) < 2:
        return False
    return bool(pieces) and all(_title_piece(WORD.findall(p)) for p in pieces)


def _title_piece(ws: list[str]) -> bool:
    if not 0 < len(ws) <= TITLE_WORDS or not ws[0][0].isupper() or ws[0].lower() in _VERBS:
        return False
    return all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in ws)
