"""The ``argos`` engine: an installed Argos Translate package run directly.

The package's CTranslate2 model and SentencePiece model are loaded once; every sentence of
every segment handed over is translated in large, length-sorted batches with an output-length
cap relative to each batch's longest input. Glossary terms and protected spans become
placeholders the model tends to copy; each must come back exactly once, or the unit is
translated again in pieces split at them, so no term is ever lost or duplicated.

Position limit: a model has a fixed number of position encodings (512 for OPUS-MT), read once
from its model.bin (else found by one probe). An input whose SentencePiece tokens, or whose
capped output length, would not fit is split at sentence, then clause (``, ; :``), then
whitespace boundaries into pieces that fit; the pieces are translated and joined with spaces
(``stats.split`` counts such inputs). The decoding length never exceeds the limit. An input
that still cannot be translated (one "word" longer than the limit, or any CTranslate2 error
for that input alone) fails only its segment: :attr:`ArgosEngine.last_failed` names it, and
the batch fails that page and goes on.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
from .result import Translation

PLACEHOLDER = "ZX{}"
#: Units tried whole before deciding whether the model copies placeholders at all.
PROBE = 64
#: Below this share of probe units restored intact, the rest is translated in pieces.
MIN_PLACEHOLDER_SUCCESS = 0.2
_PLACEHOLDER_RE = re.compile(r"(\s*)[Zz]\s?[Xx]\s?(\d+)(\s*)")
_POSITIONS_RE = re.compile(r"positions >= (\d+)")
#: Length of the probe input when model.bin does not tell the position limit.
PROBE_TOKENS = 4096
#: Source positions taken by special tokens (</s>, and <s> for some models).
SPECIAL_TOKENS = 2
_CLAUSE_RE = re.compile(r"(?<=[,;:])\s+")


@dataclass(slots=True)
class Stats:
    """Counters of a run, for the summary."""

    segments: int = 0
    sentences: int = 0
    mt_inputs: int = 0
    terms: int = 0
    repairs: int = 0  # units translated whole, then again in pieces
    piecewise: int = 0  # units translated in pieces at once (the model mangles placeholders)
    split: int = 0  # MT inputs split to fit the model's position limit
    failed: int = 0  # segments that could not be translated (their pages fail)
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
        #: Position encodings of the model (None: no limit found).
        self.positions = position_limit(model.path / "model") or self._probe()

    def _probe(self) -> int | None:
        """The position limit from CTranslate2's own error on a very long input, once."""
        try:
            self.translator.translate_batch([["<unk>"] * PROBE_TOKENS], max_decoding_length=1)
        except (RuntimeError, ValueError) as exc:
            m = _POSITIONS_RE.search(str(exc))
            return int(m.group(1)) if m else None
        return None


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
        #: Segments of the last translate() call that could not be translated (position in
        #: the call -> why); their texts come back empty and must not be used.
        self.last_failed: dict[int, str] = {}
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        #: When a list: every batch sent to CTranslate2 is appended to it, as the token lists
        #: and the keyword arguments of ``translate_batch`` (bench/bench_mt.py replays them).
        self.recorded: list[tuple[list[list[str]], dict[str, Any]]] | None = None

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

    def translate_texts(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        failed: dict[int, str] | None = None,
    ) -> list[str]:
        """Translate plain sentences in length-sorted batches, with the length cap; inputs too
        long for the model's position limit are split first (see module docstring).

        An input that cannot be translated raises :class:`~vien.mt.packages.ModelError`, or,
        when ``failed`` is given, is recorded there (index -> reason) and comes back empty."""
        loaded = self.load(source, target)
        opts = self.options
        sp = loaded.sp
        budget, most = self._limits(loaded)
        out = [""] * len(texts)
        reasons: dict[int, str] = {}
        owner: list[int] = []  # per MT input: the index of its text
        inputs: list[list[str]] = []
        for i, t in enumerate(texts):
            if not t.strip():
                continue
            toks = sp.encode(t, out_type=str)
            if len(toks) <= budget:
                parts = [toks]
            else:
                found = split_to_fit(t, lambda x: len(sp.encode(x)), budget)
                if found is None:
                    reasons[i] = (
                        f"an input of {len(toks)} tokens has no sentence, clause or space "
                        f"boundary that splits it below the model's limit ({budget} tokens)"
                    )
                    continue
                self.stats.split += 1
                parts = [sp.encode(p, out_type=str) for p in found]
            for p in parts:
                owner.append(i)
                inputs.append(p)

        def cap(n: int) -> int:
            return min(most, max(1, math.ceil(opts.length_ratio * n) + opts.length_extra))

        results: list[str | None] = [None] * len(inputs)
        for batch in buckets([len(t) for t in inputs], opts.batch_tokens):
            for j, text in zip(
                batch, self._decode(loaded, [inputs[j] for j in batch], cap), strict=True
            ):
                if isinstance(text, Exception):
                    reasons.setdefault(owner[j], f"the model failed on it: {text}")
                else:
                    results[j] = text
            self.stats.mt_inputs += len(batch)
        joined: dict[int, list[str]] = {}
        for j, i in enumerate(owner):
            joined.setdefault(i, []).append(results[j] or "")
        for i, parts in joined.items():
            if i not in reasons:
                out[i] = " ".join(p for p in parts if p)
        if reasons and failed is None:
            i, why = next(iter(reasons.items()))
            raise models.ModelError(f"cannot translate {texts[i][:60]!r}…: {why}")
        if failed is not None:
            failed.update(reasons)
        return out

    def _limits(self, loaded: _Loaded) -> tuple[int, int]:
        """The longest input (tokens) translated whole, and the longest decoding."""
        if not loaded.positions:
            return 1 << 30, 1 << 30
        opts = self.options
        most = loaded.positions - 1
        budget = min(
            loaded.positions - SPECIAL_TOKENS,
            math.floor((most - opts.length_extra) / max(opts.length_ratio, 1e-6)),
        )
        return max(1, budget), most

    def _decode(
        self, loaded: _Loaded, batch: list[list[str]], cap: Callable[[int], int]
    ) -> list[str | Exception]:
        """Outputs of one batch; when the batch fails, each input alone (its own error)."""
        opts = self.options
        kwargs: dict[str, Any] = {
            "beam_size": opts.beam_size,
            "max_decoding_length": cap(max(len(t) for t in batch)),
            "replace_unknowns": True,
            "max_batch_size": 0,
        }
        if self.recorded is not None:
            self.recorded.append((batch, kwargs))
        try:
            results = loaded.translator.translate_batch(batch, **kwargs)
        except (RuntimeError, ValueError) as exc:
            if len(batch) == 1:
                return [exc]
            return [r for t in batch for r in self._decode(loaded, [t], cap)]
        # every output obeys its own input's cap, not only the batch's longest
        return [
            loaded.sp.decode(res.hypotheses[0][: cap(len(t))]).strip()
            for t, res in zip(batch, results, strict=True)
        ]

    def _whole(
        self,
        ks: list[int],
        units: list[list[Piece]],
        sources: list[str],
        inert: list[bool],
        outputs: list[str | None],
        source: str,
        target: str,
        failed: dict[int, str],
    ) -> None:
        """Translate units ``ks`` whole, sentence by sentence; None where a placeholder did
        not come back exactly once; units that cannot be translated go to ``failed``."""
        flat: list[str] = []
        ids: dict[int, list[int]] = {}
        for k in ks:
            ids[k] = []
            for sentence in sentences.split(sources[k]):
                ids[k].append(len(flat))
                flat.append(sentence)
        bad: dict[int, str] = {}
        translated = self.translate_texts(flat, source, target, failed=bad)
        self.stats.sentences += len(flat)
        for k in ks:
            why = next((bad[i] for i in ids[k] if i in bad), None)
            if why is not None:
                failed[k], outputs[k] = why, ""
                continue
            mt = " ".join(translated[i] for i in ids[k])
            outputs[k] = _restore(units[k], escape_markdown(mt) if inert[k] else mt)

    # -- segments ----------------------------------------------------------------------------
    def translate_each(
        self, segments: Sequence[Segment], source: str, target: str
    ) -> list[Translation]:
        """:meth:`translate`, each text with the terms applied and, for a segment the model
        could not translate, why."""
        texts = self.translate(segments, source, target)
        return [
            Translation(text, tuple(used), self.last_failed.get(n))
            for n, (text, used) in enumerate(zip(texts, self.last_applied, strict=True))
        ]

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        started = time.perf_counter()
        self.load(source, target)
        units: list[list[Piece]] = []  # units between hard breaks
        inert: list[bool] = []  # escape markdown in the unit's MT text (body segments only)
        plan: list[list[int | Piece]] = []  # per segment: unit indexes and hard-break pieces
        self.last_applied = []
        self.last_failed = {}
        failed: dict[int, str] = {}  # unit -> why it cannot be translated
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
        self._whole(first, units, sources, inert, outputs, source, target, failed)
        rest = [k for k in with_ph if k not in probe]
        if (
            rest
            and sum(outputs[k] is not None for k in probe) / len(probe) < MIN_PLACEHOLDER_SUCCESS
        ):
            self.stats.piecewise += len(rest)  # left None: straight to pieces below
        elif rest:
            self._whole(rest, units, sources, inert, outputs, source, target, failed)
        # units whose placeholders did not come back exactly once go in pieces too
        broken = [k for k, o in enumerate(outputs) if o is None]
        if broken:
            self.stats.repairs += len(broken) - (self.stats.piecewise - piecewise_before)
            owners = [k for k in broken for p in units[k] if not p.fixed and _needs_mt(p.src)]
            texts = [
                p.src.strip() for k in broken for p in units[k] if not p.fixed and _needs_mt(p.src)
            ]
            bad: dict[int, str] = {}
            done = iter(self.translate_texts(texts, source, target, failed=bad))
            for i, reason in bad.items():
                failed.setdefault(owners[i], reason)
            for k in broken:
                outputs[k] = "".join(_piece_out(p, done, inert[k]) for p in units[k])
        result = []
        for n, (seg, layout, used) in enumerate(
            zip(segments, plan, self.last_applied, strict=True)
        ):
            why = next((failed[p] for p in layout if isinstance(p, int) and p in failed), None)
            if why is not None:  # the batch fails this segment's page
                self.last_failed[n] = why
                self.stats.failed += 1
                result.append("")
                continue
            text = "".join(p.out if isinstance(p, Piece) else str(outputs[p]) for p in layout)
            text = text.strip() if seg.style == "md" else " ".join(text.split())
            missing = missing_terms(text, used)
            if missing:  # cannot happen by construction; never emit a broken term
                raise AssertionError(f"segment {seg.index}: lost terms {missing}")
            result.append(text)
        self.stats.segments += len(segments)
        self.stats.seconds += time.perf_counter() - started
        return result


def position_limit(model_dir: Path) -> int | None:
    """The number of position encodings of a CTranslate2 model: ``max_position_embeddings``
    in its config.json, else the first dimension of the encoder's (or decoder's)
    ``position_encodings/encodings`` variable in model.bin, read from the variable headers
    (the weights are skipped). None when neither says (sinusoids computed on the fly, or an
    unknown file format)."""
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        if isinstance(config, dict) and isinstance(config.get("max_position_embeddings"), int):
            return int(config["max_position_embeddings"])
    except (OSError, ValueError):
        pass
    try:
        shapes, aliases = _variable_shapes(model_dir / "model.bin")
    except (OSError, ValueError, struct.error, UnicodeDecodeError):
        return None
    found = []
    for side in ("encoder", "decoder"):
        name = f"{side}/position_encodings/encodings"
        name = aliases.get(name, name)
        if len(shapes.get(name, ())) == 2:
            found.append(shapes[name][0])
    return min(found) if found else None


def _variable_shapes(path: Path) -> tuple[dict[str, list[int]], dict[str, str]]:
    """Variable shapes and aliases of a CTranslate2 model.bin (binary versions 1 to 6)."""
    with path.open("rb") as fh:

        def read(fmt: str) -> int:
            size = struct.calcsize("<" + fmt)
            data = fh.read(size)
            if len(data) != size:
                raise ValueError("truncated model.bin")
            return int(struct.unpack("<" + fmt, data)[0])

        def string() -> str:
            n = read("H")
            return fh.read(n)[:-1].decode("utf-8")

        version = read("I")
        if not 1 <= version <= 6:
            raise ValueError(f"unknown model.bin version {version}")
        if version >= 2:
            string()  # spec name
            read("I")  # spec revision
        shapes: dict[str, list[int]] = {}
        for _ in range(read("I")):
            name = string()
            shape = [read("I") for _ in range(read("B"))]
            if version >= 4:
                read("B")  # data type
                size = read("I")
            else:
                item = read("B")
                size = read("I") * item
            fh.seek(size, os.SEEK_CUR)
            shapes[name] = shape
        aliases: dict[str, str] = {}
        if version >= 3:
            for _ in range(read("I")):
                alias = string()
                aliases[alias] = string()
    return shapes, aliases


def split_to_fit(text: str, count: Callable[[str], int], budget: int) -> list[str] | None:
    """``text`` in pieces of at most ``budget`` tokens (``count``), cut at sentence, then
    clause (``, ; :``), then whitespace boundaries, consecutive parts packed greedily; None
    when a single word is over budget. Joining the pieces with spaces gives back the words."""
    levels: list[Callable[[str], list[str]]] = [
        sentences.split,
        lambda t: [p for p in _CLAUSE_RE.split(t) if p.strip()],
        str.split,
    ]

    def go(t: str, level: int) -> list[str] | None:
        if count(t) <= budget:
            return [t]
        if level == len(levels):
            return None
        parts = levels[level](t)
        if len(parts) <= 1:
            return go(t, level + 1)
        out: list[str] = []
        current = ""
        for part in parts:
            joined = f"{current} {part}" if current else part
            if count(joined) <= budget:
                current = joined
                continue
            if current:
                out.append(current)
                current = ""
            if count(part) <= budget:
                current = part
            else:
                sub = go(part, level + 1)
                if sub is None:
                    return None
                out.extend(sub)
        if current:
            out.append(current)
        return out

    return go(text.strip(), 0)


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
