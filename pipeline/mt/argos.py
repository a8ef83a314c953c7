"""The ``argos`` engine: an installed Argos Translate package run directly.

The package's CTranslate2 model and SentencePiece model are loaded once; every sentence of
every segment handed over is translated in large, length-sorted batches with an output-length
cap relative to each batch's longest input. Glossary terms and protected spans become
placeholders the model tends to copy; each must come back exactly once, or the unit is
translated again in pieces split at them, so no term is ever lost or duplicated.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..glossary.entries import Glossary
from ..glossary.masking import (
    AppliedTerm,
    Piece,
    applied_terms,
    escape_markdown,
    missing_terms,
    pieces,
)
from ..page.model import Segment
from . import packages as models
from . import sentences

PLACEHOLDER = "ZX{}"
#: Units tried whole before deciding whether the model copies placeholders at all.
PROBE = 64
#: Below this share of probe units restored intact, the rest is translated in pieces.
MIN_PLACEHOLDER_SUCCESS = 0.2
_PLACEHOLDER_RE = re.compile(r"(\s*)[Zz]\s?[Xx]\s?(\d+)(\s*)")


@dataclass(slots=True)
class Stats:
    """Counters of a run, for the summary."""

    segments: int = 0
    sentences: int = 0
    mt_inputs: int = 0
    terms: int = 0
    repairs: int = 0  # units translated whole, then again in pieces
    piecewise: int = 0  # units translated in pieces at once (the model mangles placeholders)
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    """How the model decodes."""

    beam_size: int = 2
    threads: int = 0  # 0: all cores
    compute_type: str = "int8"
    length_ratio: float = 2.0  # output tokens <= ratio * input tokens + length_extra
    length_extra: int = 5
    batch_tokens: int = 4096


class _Loaded:
    """A CTranslate2 translator and its SentencePiece model."""

    def __init__(self, model: models.InstalledModel, opts: DecodeOptions) -> None:
        ctranslate2 = models.argos_module("ctranslate2")
        sentencepiece = models.argos_module("sentencepiece")

        self.model = model
        threads = opts.threads or os.cpu_count() or 1
        try:
            self.translator = ctranslate2.Translator(
                str(model.path / "model"),
                device="cpu",
                compute_type=opts.compute_type,
                inter_threads=1,
                intra_threads=threads,
            )
            self.sp = sentencepiece.SentencePieceProcessor(
                model_file=str(model.path / "sentencepiece.model")
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise models.ModelError(f"cannot load the model in {model.path}: {exc}") from exc


class ArgosEngine:
    """Machine translation with an installed Argos package (see module docstring)."""

    name = "argos"
    ordered = False  # a translation may reorder protected spans

    def __init__(
        self,
        glossary: Glossary | None = None,
        *,
        models_dir: Path | None = None,
        options: DecodeOptions | None = None,
    ) -> None:
        self.glossary = glossary
        self.models_dir = models_dir
        self.options = options or DecodeOptions()
        self.stats = Stats()
        #: Glossary terms applied to each segment of the last translate() call, in order.
        self.last_applied: list[list[AppliedTerm]] = []
        self._loaded: dict[tuple[str, str], _Loaded] = {}

    # -- model -------------------------------------------------------------------------------
    def check(self, source: str, target: str) -> None:
        """Fail now, naming the install command, when no package serves the pair."""
        models.find(source, target, self.models_dir)

    def load(self, source: str, target: str) -> _Loaded:
        key = (source, target)
        if key not in self._loaded:
            self._loaded[key] = _Loaded(models.find(source, target, self.models_dir), self.options)
        return self._loaded[key]

    def model_id(self, source: str, target: str) -> str:
        """The installed package's id (pair, version, archive hash), without loading it."""
        loaded = self._loaded.get((source, target))
        model = loaded.model if loaded else models.find(source, target, self.models_dir)
        return model.model_id

    def translate_texts(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate plain sentences in length-sorted batches, with the length cap."""
        loaded = self.load(source, target)
        opts = self.options
        toks = [loaded.sp.encode(t, out_type=str) if t.strip() else [] for t in texts]
        out = [""] * len(texts)

        def cap(n: int) -> int:
            return max(1, math.ceil(opts.length_ratio * n) + opts.length_extra)

        for batch in buckets([len(t) for t in toks], opts.batch_tokens):
            results = loaded.translator.translate_batch(
                [toks[i] for i in batch],
                beam_size=opts.beam_size,
                max_decoding_length=cap(max(len(toks[i]) for i in batch)),
                replace_unknowns=True,
                max_batch_size=0,
            )
            for i, res in zip(batch, results, strict=True):
                # every output obeys its own input's cap, not only the batch's longest
                out[i] = loaded.sp.decode(res.hypotheses[0][: cap(len(toks[i]))]).strip()
            self.stats.mt_inputs += len(batch)
        return out

    def _whole(
        self,
        ks: list[int],
        units: list[list[Piece]],
        sources: list[str],
        inert: list[bool],
        outputs: list[str | None],
        source: str,
        target: str,
    ) -> None:
        """Translate units ``ks`` whole, sentence by sentence; None where a placeholder did
        not come back exactly once."""
        flat: list[str] = []
        ids: dict[int, list[int]] = {}
        for k in ks:
            ids[k] = []
            for sentence in sentences.split(sources[k]):
                ids[k].append(len(flat))
                flat.append(sentence)
        translated = self.translate_texts(flat, source, target)
        self.stats.sentences += len(flat)
        for k in ks:
            mt = " ".join(translated[i] for i in ids[k])
            outputs[k] = _restore(units[k], escape_markdown(mt) if inert[k] else mt)

    # -- segments ----------------------------------------------------------------------------
    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        started = time.perf_counter()
        self.load(source, target)
        units: list[list[Piece]] = []  # units between hard breaks
        inert: list[bool] = []  # escape markdown in the unit's MT text (body segments only)
        plan: list[list[int | Piece]] = []  # per segment: unit indexes and hard-break pieces
        self.last_applied = []
        for seg in segments:
            ps = pieces(seg, self.glossary, source, target)
            self.last_applied.append(applied_terms(ps))
            self.stats.terms += len(self.last_applied[-1])
            layout: list[int | Piece] = []
            current: list[Piece] = []
            for p in ps:
                if p.kind == "hardbreak":
                    layout.append(len(units))
                    units.append(current)
                    inert.append(seg.style == "md")
                    layout.append(p)
                    current = []
                else:
                    current.append(p)
            layout.append(len(units))
            units.append(current)
            inert.append(seg.style == "md")
            plan.append(layout)

        # whole units first (placeholders for fixed pieces, sentence by sentence), starting
        # with a probe: a model that mangles nearly every placeholder has the rest of its
        # placeholder units translated in pieces at once, instead of twice
        sources = [_masked(u) for u in units]
        piecewise_before = self.stats.piecewise
        outputs: list[str | None] = [None] * len(units)
        todo = []
        for k, (unit, text) in enumerate(zip(units, sources, strict=True)):
            if _needs_mt(text):
                todo.append(k)
            else:  # nothing to translate: the pieces as they are
                outputs[k] = "".join(
                    " " if p.kind == "softbreak" else p.out if p.fixed else p.src for p in unit
                )
        with_ph = [k for k in todo if any(p.fixed and p.kind != "softbreak" for p in units[k])]
        probe = set(with_ph[:PROBE]) if len(with_ph) > 2 * PROBE else set(with_ph)
        first = [k for k in todo if k not in with_ph or k in probe]
        self._whole(first, units, sources, inert, outputs, source, target)
        rest = [k for k in with_ph if k not in probe]
        if (
            rest
            and sum(outputs[k] is not None for k in probe) / len(probe) < MIN_PLACEHOLDER_SUCCESS
        ):
            self.stats.piecewise += len(rest)  # left None: straight to pieces below
        elif rest:
            self._whole(rest, units, sources, inert, outputs, source, target)
        # units whose placeholders did not come back exactly once go in pieces too
        broken = [k for k, o in enumerate(outputs) if o is None]
        if broken:
            self.stats.repairs += len(broken) - (self.stats.piecewise - piecewise_before)
            texts = [
                p.src.strip() for k in broken for p in units[k] if not p.fixed and _needs_mt(p.src)
            ]
            done = iter(self.translate_texts(texts, source, target))
            for k in broken:
                outputs[k] = "".join(_piece_out(p, done, inert[k]) for p in units[k])
        result = []
        for seg, layout, used in zip(segments, plan, self.last_applied, strict=True):
            text = "".join(p.out if isinstance(p, Piece) else str(outputs[p]) for p in layout)
            text = text.strip() if seg.style == "md" else " ".join(text.split())
            missing = missing_terms(text, used)
            if missing:  # cannot happen by construction; never emit a broken term
                raise AssertionError(f"segment {seg.index}: lost terms {missing}")
            result.append(text)
        self.stats.segments += len(segments)
        self.stats.seconds += time.perf_counter() - started
        return result


def buckets(lengths: Sequence[int], budget: int) -> Iterator[list[int]]:
    """Indexes of non-empty inputs in batches of similar length (the longest at most 1.25x
    the shortest + 2) and at most ``budget`` padded tokens, shortest first."""
    batch: list[int] = []
    for i in sorted((i for i, n in enumerate(lengths) if n), key=lambda i: lengths[i]):
        n = lengths[i]
        if batch and ((len(batch) + 1) * n > budget or n > 1.25 * lengths[batch[0]] + 2):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def _needs_mt(text: str) -> bool:
    """True when ``text`` has words outside placeholders."""
    return any(ch.isalpha() for ch in _PLACEHOLDER_RE.sub(" ", text))


def _masked(unit: list[Piece]) -> str:
    """The MT input of a unit: fixed pieces as numbered placeholders, lines joined."""
    out = []
    for k, p in enumerate(unit):
        if p.kind == "softbreak":
            out.append(" ")
        elif p.fixed:
            out.append(f" {PLACEHOLDER.format(k)} ")
        else:
            out.append(p.src)
    return " ".join("".join(out).split())


def _restore(unit: list[Piece], text: str) -> str | None:
    """Put fixed pieces back for their placeholders; None unless each came back once."""
    wanted = {k for k, p in enumerate(unit) if p.fixed and p.kind != "softbreak"}
    seen = [int(m.group(2)) for m in _PLACEHOLDER_RE.finditer(text)]
    if sorted(seen) != sorted(wanted):
        return None

    def put(m: re.Match[str]) -> str:
        p = unit[int(m.group(2))]
        before = "" if p.glue_left or m.start() == 0 else " "
        after = "" if p.glue_right or m.end() == len(text) else " "
        return before + p.out + after

    return _PLACEHOLDER_RE.sub(put, text)


def _piece_out(p: Piece, translated: object, md: bool) -> str:
    """A unit rebuilt piece by piece: fixed pieces as they are, text pieces translated."""
    if p.kind == "softbreak":
        return " "
    if p.fixed:
        return p.out
    if not _needs_mt(p.src):
        return p.src
    lead = p.src[: len(p.src) - len(p.src.lstrip())]
    trail = p.src[len(p.src.rstrip()) :]
    text: str = next(translated)  # type: ignore[call-overload]
    return lead + (escape_markdown(text) if md else text) + trail
