"""Bare URLs and e-mail addresses, found the way Hugo's renderer (goldmark) links them.

goldmark follows the GFM "extended autolink" rules: ``www.``, ``http://``, ``https://`` and
``ftp://`` links and e-mail addresses, at the start of text or after whitespace or ``*_~(``;
trailing punctuation is not part of the link, nor is an unbalanced ``)``. Fuzzy bare domains
(``README.md``) are not links. Applied to runs of translatable text only, never to a document.
"""

from __future__ import annotations

import re

_URL = re.compile(
    r"(?:(?<=^)|(?<=[\s*_~(]))"
    r"(?:(?:https?|ftp)://|www\.)"
    r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*"  # domain
    r"[^\s<]*"  # path, query, fragment
)
_EMAIL = re.compile(r"(?:(?<=^)|(?<=[\s*_~(]))[A-Za-z0-9.+_-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")
_TRAILING = "?!.,:*_~'\""
_ENTITY_TAIL = re.compile(r"&[A-Za-z0-9]+;$")


def _trim(url: str) -> str:
    """Drop trailing punctuation, an unbalanced ``)`` and an entity-like tail (GFM rules)."""
    while url:
        if url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        elif url[-1] == ";" and (m := _ENTITY_TAIL.search(url)):
            url = url[: m.start()]
        else:
            break
    return url


def find(text: str) -> list[tuple[int, int]]:
    """(start, end) of every link in ``text``, in order."""
    spans = []
    if "://" in text or "www." in text:
        for m in _URL.finditer(text):
            url = _trim(m.group())
            if "." in url.split("://", 1)[-1] and len(url) > m.group().find(".") >= 0:
                spans.append((m.start(), m.start() + len(url)))
    if "@" in text:
        for m in _EMAIL.finditer(text):
            addr = m.group()
            while addr and addr[-1] in ".-_":
                addr = addr[:-1]
            if "." in addr.split("@")[1] and not any(a <= m.start() < b for a, b in spans):
                spans.append((m.start(), m.start() + len(addr)))
    return sorted(spans)
