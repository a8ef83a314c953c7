"""Site-wide evidence for aligning one page pair: how the site's other page pairs pair
their sections.

Pages of one template (weekly worklogs, event reports) share their headings and often their
anchors, so a page pair alone may not tell a dropped section from its neighbour. The other
page pairs of the site do:

- **headings**: a source heading the site's other pairs translate by one target heading
  (on two or more pages, and on most of the pages either heading is on) is that heading's
  counterpart here too: both sections get a shared anchor (:func:`heading_anchors`);
- **copies**: a target section whose body is, word for word, that of a target section of
  another pair whose source section has other text translates that section, not the
  source section it is weakly linked with here (a section copied from another page):
  :func:`copied`.

A pair whose two pages have the same heading levels pairs its sections in order; another
pair only by its confident one-to-one links. A page's own pair never counts as evidence for
itself.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Protocol

from ..page.model import Document, Section

#: Pages a heading pair must be seen on to count...
HEADING_PAGES = 2
#: ... and the share of the pages each of its headings is on that it must hold.
HEADING_SHARE = 0.5
#: A copied body has at least this many characters of text (a placeholder line is not a
#: section's content).
COPY_TEXT = 40

#: Source text the site's length ratio needs.
RATIO_CHARS = 2000

_DIGITS = re.compile(r"\d+")


def heading_key(section: Section) -> str:
    """A heading's text for comparison across pages: lower case, numbers as ``#`` (``Week
    3 objectives`` is ``week # objectives``), letters, digits and spaces only."""
    text = _DIGITS.sub("#", section.heading.lower())
    return " ".join("".join(c if c.isalnum() or c == "#" else " " for c in text).split())


def body_texts(doc: Document, section: Section) -> Iterator[str]:
    """The plain text of each segment of a section's body (not its heading, nor front
    matter)."""
    for b in section.blocks:
        if b.kind in ("heading", "front_matter"):
            continue
        for i in b.segments:
            seg = doc.segments[i]
            if not seg.in_front_matter:
                yield seg.plain


def body_key(doc: Document, section: Section) -> str | None:
    """A digest of a section's body text (heading and front matter left out; numbers as
    ``#``, white space collapsed), or None when it holds less than ``COPY_TEXT``
    characters."""
    text = " ".join(_DIGITS.sub("#", " ".join(body_texts(doc, section)).lower()).split())
    if len(text) < COPY_TEXT:
        return None
    return hashlib.sha1(text.encode()).hexdigest()


@dataclass(slots=True)
class _Pair:
    """What one page pair tells: its heading pairs and (target body, source body) pairs."""

    headings: list[tuple[str, str]]
    bodies: list[tuple[str, str | None]]
    #: characters of text of both pages, when they have the same heading levels (a whole
    #: translation), else (0, 0)
    chars: tuple[int, int] = (0, 0)


#: Sections of a pair with other heading levels correspond when a one-to-one link this
#: confident joins them.
LINKED = 0.5


class _Link(Protocol):
    """What a link of :func:`vien.align.sections.align` says (not imported: sections
    imports this module)."""

    @property
    def source(self) -> tuple[int, ...]: ...
    @property
    def target(self) -> tuple[int, ...]: ...
    @property
    def confidence(self) -> float: ...


#: Aligns a page pair (:func:`vien.align.sections.align` with the site's glossary and
#: languages).
Aligner = Callable[[Document, Document], Sequence[_Link]]


def _pair(src: Document, tgt: Document, aligner: Aligner | None = None) -> _Pair | None:
    """What a pair tells: its sections paired in order when it has the same heading levels,
    else those of its confident one-to-one links (``aligner``; None without one)."""
    chars = (0, 0)
    if [s.level for s in src.sections] == [t.level for t in tgt.sections]:
        matched = [(k, k) for k in range(1, len(src.sections))]
        chars = (_chars(src), _chars(tgt))
    elif aligner is not None:
        matched = [
            (lk.source[0], lk.target[0])
            for lk in aligner(src, tgt)
            if len(lk.source) == 1
            and len(lk.target) == 1
            and lk.source[0] > 0
            and lk.target[0] > 0
            and lk.confidence >= LINKED
        ]
    else:
        return None
    heads = []
    bodies = []
    for i, j in matched:
        s, t = src.sections[i], tgt.sections[j]
        a, b = heading_key(s), heading_key(t)
        if a and b:
            heads.append((a, b))
        body = body_key(tgt, t)
        if body is not None:
            bodies.append((body, body_key(src, s)))
    return _Pair(heads, bodies, chars)


def _chars(doc: Document) -> int:
    """Characters of text of a page's sections (front matter left out)."""
    return sum(len(seg.plain.strip()) for seg in doc.segments if not seg.in_front_matter)


@dataclass(slots=True)
class _Counts:
    """Heading pairs and section bodies counted over page pairs."""

    #: (source heading, target heading) -> pages; and pages per heading of each side
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    targets: Counter[str] = field(default_factory=Counter)
    #: target body -> the source bodies it stands for, with their pages
    copies: dict[str, Counter[str | None]] = field(default_factory=dict)
    #: characters of text of the source pages and their counterparts (whole translations)
    source_chars: int = 0
    target_chars: int = 0

    def add(self, got: _Pair) -> None:
        self.source_chars += got.chars[0]
        self.target_chars += got.chars[1]
        for a, b in set(got.headings):
            self.pairs[a, b] += 1
            self.sources[a] += 1
            self.targets[b] += 1
        for body, source in got.bodies:
            self.copies.setdefault(body, Counter())[source] += 1


@dataclass(slots=True)
class SiteEvidence:
    """Heading pairs and section bodies of a site's page pairs, without those of one pair
    (:meth:`without`)."""

    counts: _Counts = field(default_factory=_Counts)
    own: _Counts = field(default_factory=_Counts)
    #: what each pair added, by the key it was given
    added: dict[Hashable, _Pair] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        pairs: Iterable[tuple[Document, Document]],
        keys: Iterable[Hashable] | None = None,
        aligner: Aligner | None = None,
    ) -> SiteEvidence:
        """The evidence of ``pairs`` (source page, counterpart), each known by its key of
        ``keys`` (default: its place); pairs with other heading levels count only with an
        ``aligner``."""
        out = cls()
        for key, (src, tgt) in zip(count() if keys is None else keys, pairs, strict=False):
            got = _pair(src, tgt, aligner)
            if got is not None:
                out.counts.add(got)
                out.added[key] = got
        return out

    def without(self, key: Hashable) -> SiteEvidence:
        """The evidence of the site's other pairs: without the pair known by ``key``."""
        own = _Counts()
        got = self.added.get(key)
        if got is not None:
            own.add(got)
        return SiteEvidence(self.counts, own, self.added)

    def confirmed(self, a: str, b: str) -> bool:
        """Whether the site pairs source heading ``a`` with target heading ``b``."""
        c, o = self.counts, self.own
        n = c.pairs[a, b] - o.pairs[a, b]
        return (
            n >= HEADING_PAGES
            and n > HEADING_SHARE * (c.sources[a] - o.sources[a])
            and n > HEADING_SHARE * (c.targets[b] - o.targets[b])
        )

    def ratio(self) -> float | None:
        """Target characters per source character of the site's whole translations (the
        translator's habit: terse or wordy), or None with less than ``RATIO_CHARS`` of
        source text."""
        a = self.counts.source_chars - self.own.source_chars
        b = self.counts.target_chars - self.own.target_chars
        return b / a if a >= RATIO_CHARS and b else None

    def sources_of(self, body: str) -> Counter[str | None]:
        """The source bodies that target body ``body`` stands for on other pages."""
        seen = Counter(self.counts.copies.get(body, ()))
        seen.subtract(self.own.copies.get(body, Counter()))
        return +seen


def heading_anchors(site: SiteEvidence, src: Document, tgt: Document) -> list[tuple[int, int, str]]:
    """(source section, target section, anchor) for each pair of headed sections whose
    headings the site's other pairs confirm as each other's translation."""
    theirs: dict[str, list[int]] = {}
    for j, t in enumerate(tgt.sections):
        if t.level:
            theirs.setdefault(heading_key(t), []).append(j)
    out = []
    for i, s in enumerate(src.sections):
        a = heading_key(s) if s.level else ""
        if not a:
            continue
        for b, js in theirs.items():
            if b and site.confirmed(a, b):
                out += [(i, j, f"hd:{a}|{b}") for j in js]
    return out


def copied(site: SiteEvidence, src: Document, tgt: Document, i: int, j: int) -> bool:
    """Whether target section ``j`` is a copy of a section of another pair whose source
    section has other text than source section ``i`` (with numbers read alike)."""
    body = body_key(tgt, tgt.sections[j])
    if body is None:
        return False
    seen = site.sources_of(body)
    return body_key(src, src.sections[i]) not in seen and any(k is not None for k in seen)
