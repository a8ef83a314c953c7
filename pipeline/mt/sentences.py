"""An offline sentence splitter for English and Vietnamese.

argostranslate's own splitter downloads models at run time and fails offline. Segments here are
short (a paragraph, a list item), so a rule-based splitter is enough: split after ``.``, ``!``
or ``?`` (and closing quotes or brackets) followed by whitespace and an uppercase letter or a
digit, except after a known abbreviation, a single initial, or inside numbers (``3.1.2``).
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """
e.g. i.e. etc. vs. mr. mrs. ms. dr. prof. no. fig. approx. inc. ltd. co. jr. sr. st. ave. dept.
est. min. max. misc. jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. v.v. tp.
tp.hcm. pgs. ts. ths. gs. th.s. nxb. ks. bs.
""".split()
)

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+\S)")


def split(text: str) -> list[str]:
    """Sentences of ``text``; joining them with single spaces gives back the words."""
    out: list[str] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        nxt = text[end:].lstrip()
        if not nxt or not (nxt[0].isupper() or nxt[0].isdigit()):
            continue
        word = text[start : m.end()].split()[-1].lower() if text[start : m.end()].split() else ""
        if word in ABBREVIATIONS or (len(word) == 2 and word[0].isalpha() and word[1] == "."):
            continue
        sentence = text[start:end].strip()
        if sentence:
            out.append(sentence)
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
