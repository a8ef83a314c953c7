"""Translation metrics: sacrebleu's BLEU, chrF and TER with their signatures, and glossary
accuracy (keep terms written verbatim, forced renderings used) as a share of occurrences.

:class:`Metrics` scores a corpus of (hypothesis, reference) texts at once, and each text on
its own (sentence-level BLEU uses effective order, as sacrebleu's ``--sentence-level`` does).
Every score says how it was computed: the signature strings are sacrebleu's own, so a figure
can be reproduced with ``sacrebleu REF -i HYP -m bleu chrf ter``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..glossary.entries import Glossary

#: The metrics, in the order they are reported.
NAMES = ("bleu", "chrf", "ter")


@dataclass(frozen=True, slots=True)
class Scores:
    """BLEU, chrF (0–100, higher is better) and TER (edits per reference word ×100, lower is
    better) of some texts; None when there was no text to score."""

    bleu: float | None = None
    chrf: float | None = None
    ter: float | None = None

    def to_json(self) -> dict[str, float | None]:
        return {k: None if v is None else round(v, 2) for k, v in zip(NAMES, self, strict=True)}

    def __iter__(self) -> Iterator[float | None]:
        return iter((self.bleu, self.chrf, self.ter))


class Metrics:
    """sacrebleu's three metrics with default settings (13a tokenisation for BLEU, chrF with
    character 6-grams, TER case-insensitive).

    :meth:`table` extracts each text's statistics once; section, page and site scores are then
    aggregated from them exactly as sacrebleu's corpus scores are (TER, the costly one, runs
    on every core for a long list)."""

    def __init__(self) -> None:
        from sacrebleu.metrics import BLEU, CHRF, TER

        self._bleu, self._chrf, self._ter = BLEU(), CHRF(), TER()
        self._bleu_one = BLEU(effective_order=True)  # for one text: no zero from a missing n-gram
        self._signatures: dict[str, str] = {}

    def table(
        self,
        hyps: Sequence[str],
        refs: Sequence[str],
        *,
        ter_max_words: int = 0,
        parallel: bool = True,
    ) -> Table:
        """The statistics of each (hypothesis, reference) pair. TER's shift search grows much
        faster than the text: with ``ter_max_words``, texts whose reference is longer get no
        TER (None) and count in no corpus TER."""
        hyps, refs = list(hyps), list(refs)
        if not hyps:
            return Table(self, [], [], [], [])
        bleu = self._bleu._extract_corpus_statistics(hyps, [refs])
        chrf = self._chrf._extract_corpus_statistics(hyps, [refs])
        keep = [
            k for k, r in enumerate(refs) if not ter_max_words or len(r.split()) <= ter_max_words
        ]
        ter: list[Any] = [None] * len(hyps)
        found = _ter_stats(self._ter, [hyps[k] for k in keep], [refs[k] for k in keep], parallel)
        for k, st in zip(keep, found, strict=True):
            ter[k] = st
        one = [self._bleu_one.sentence_score(h, [r]).score for h, r in zip(hyps, refs, strict=True)]
        self.signatures()
        return Table(self, bleu, chrf, ter, one)

    def corpus(self, hyps: Sequence[str], refs: Sequence[str]) -> Scores:
        """Corpus-level scores (statistics summed over the texts, as sacrebleu's CLI does)."""
        return self.table(hyps, refs).corpus()

    def signatures(self) -> dict[str, str]:
        """sacrebleu's signature of each metric (corpus level); ``bleu_section`` is that of
        sentence-level BLEU (effective order), used for single sections."""
        if not self._signatures:
            for m in (self._bleu, self._chrf, self._ter):
                m.corpus_score(["x"], [["x"]])
            self._bleu_one.sentence_score("x", ["x"])
            self._signatures = {
                "bleu": str(self._bleu.get_signature()),
                "bleu_section": str(self._bleu_one.get_signature()),
                "chrf": str(self._chrf.get_signature()),
                "ter": str(self._ter.get_signature()),
            }
        return dict(self._signatures)


def _ter_stats(ter: Any, hyps: list[str], refs: list[str], parallel: bool) -> list[Any]:
    if not hyps:
        return []
    workers = min(os.cpu_count() or 1, len(hyps) // 4)
    if not parallel or workers < 2 or "fork" not in mp.get_all_start_methods():
        return list(ter._extract_corpus_statistics(hyps, [refs]))
    # longest first, dealt round-robin: the workers finish together
    order = sorted(range(len(hyps)), key=lambda k: -len(hyps[k]) - len(refs[k]))
    chunks = [order[w::workers] for w in range(workers)]
    out: list[Any] = [None] * len(hyps)
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        jobs = [
            pool.submit(
                ter._extract_corpus_statistics, [hyps[k] for k in c], [[refs[k] for k in c]]
            )
            for c in chunks
        ]
        for c, job in zip(chunks, jobs, strict=True):
            for k, st in zip(c, job.result(), strict=True):
                out[k] = st
    return out


@dataclass(slots=True)
class Table:
    """Per-text statistics of the three metrics, for any grouping of the texts."""

    metrics: Metrics
    bleu: list[Any]
    chrf: list[Any]
    ter: list[Any]
    bleu_one: list[float]

    def sentence(self, k: int) -> Scores:
        """Scores of text ``k`` alone (BLEU with effective order)."""
        m = self.metrics
        return Scores(
            self.bleu_one[k],
            m._chrf._compute_score_from_stats(self.chrf[k]).score,
            None if self.ter[k] is None else m._ter._compute_score_from_stats(self.ter[k]).score,
        )

    def corpus(self, ks: Sequence[int] | None = None) -> Scores:
        """Corpus scores of texts ``ks`` (default: all)."""
        ks = range(len(self.bleu)) if ks is None else ks
        if not ks:
            return Scores()
        m = self.metrics
        ter = [self.ter[k] for k in ks if self.ter[k] is not None]
        return Scores(
            m._bleu._aggregate_and_compute([self.bleu[k] for k in ks]).score,
            m._chrf._aggregate_and_compute([self.chrf[k] for k in ks]).score,
            m._ter._aggregate_and_compute(ter).score if ter else None,
        )

    def ter_count(self) -> int:
        """How many texts have a TER."""
        return sum(st is not None for st in self.ter)


@dataclass(slots=True)
class TermTally:
    """Glossary terms of the source text and how many the translation honours."""

    keep: int = 0  # keep-term occurrences in the source
    kept: int = 0  # … written verbatim in the translation
    forced: int = 0  # translate-term occurrences in the source
    used: int = 0  # … whose forced rendering the translation uses
    missed: Counter[str] = field(default_factory=Counter)  # wanted text -> times not found

    def add(self, other: TermTally) -> None:
        self.keep += other.keep
        self.kept += other.kept
        self.forced += other.forced
        self.used += other.used
        self.missed.update(other.missed)

    def to_json(self) -> dict[str, object]:
        def share(a: int, n: int) -> float | None:
            return round(a / n, 4) if n else None

        return {
            "keep": {
                "occurrences": self.keep,
                "verbatim": self.kept,
                "share": share(self.kept, self.keep),
            },
            "translate": {
                "occurrences": self.forced,
                "used": self.used,
                "share": share(self.used, self.forced),
            },
            "share": share(self.kept + self.used, self.keep + self.forced),
        }


def wanted_terms(
    texts: Sequence[str], glossary: Glossary, source: str, target: str
) -> Counter[tuple[str, str, bool]]:
    """The glossary terms found in the source ``texts`` (translatable text only): (text the
    translation must contain, mode, case-sensitive) → occurrences."""
    want: Counter[tuple[str, str, bool]] = Counter()
    for text in texts:
        for m in glossary.find(text, source):
            mode = m.entry.mode
            out = m.text if mode == "keep" else m.entry.term(target)
            if out:
                want[out, mode, m.entry.case_sensitive] += 1
    return want


def term_tally(want: Counter[tuple[str, str, bool]], hyp: str) -> TermTally:
    """How many of the wanted term occurrences ``hyp`` honours. A term is found as written, with
    a capital first letter (a sentence opening), or ignoring case for a case-insensitive
    entry; each occurrence in the source needs one in the translation."""
    t = TermTally()
    folded = hyp.casefold()
    for (text, mode, sensitive), n in want.items():
        found = hyp.count(text)
        cap = text[:1].upper() + text[1:]
        if cap != text:
            found += hyp.count(cap)
        if not sensitive:
            found = max(found, folded.count(text.casefold()))
        ok = min(n, found)
        if mode == "keep":
            t.keep += n
            t.kept += ok
        else:
            t.forced += n
            t.used += ok
        if ok < n:
            t.missed[text] += n - ok
    return t
