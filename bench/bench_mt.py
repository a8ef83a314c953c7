"""Machine translation: glossary enforcement rates, speed against baselines, peak memory.

Uses ../shared/models/translate-en_vi-base-synthetic.argosmodel: random weights, the same shape
as the real OPUS-MT en→vi model. Its output is meaningless; only speed and term handling are
measured, never quality. Every run caps output at 1.3 × source tokens + 3 for all engines.

    python bench/bench_mt.py [--speed-segments 300] [--all] [--beam 2] [--skip-terms]

1. Terms: every translatable segment of ../shared/sites and ../shared/seeds, translated by the
   argos engine (base model) and the pseudo engine with glossaries/aws.csv: share of keep-terms
   found verbatim and of forced renderings applied, and the number of repaired units.
2. Speed, side by side on the same segments (the first --speed-segments, or --all), interleaved
   rounds: vien's argos engine at ``--beam`` (default 2, the CLI's default); an exact replay of
   the batches vien sent to CTranslate2 in that run (the same token lists and translate_batch
   arguments, recorded by the engine, then SentencePiece decoding): what vien costs beyond
   the runtime; argostranslate's own translate() at the same beam and at its own default
   (beam 4; only its sentence splitter patched, as it cannot download offline, and the same
   cap passed into its translate_batch call); raw ctranslate2 translate_batch on the plain
   sentences with the same length-bucketed batches and caps (no placeholders, no glossary,
   no checks).
3. Peak RSS of a process that loads the base model and translates with the argos engine.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vien import glossary
from vien.glossary.masking import missing_terms
from vien.mt import packages as models
from vien.mt import sentences
from vien.mt.argos import ArgosEngine, DecodeOptions, buckets
from vien.mt.simple import PseudoEngine
from vien.page.model import Segment
from vien.page.parse import parse
from vien.page.read import decode

ROOT = Path(__file__).resolve().parents[1]

RATIO, EXTRA = 1.3, 3
OPTIONS = DecodeOptions(beam_size=1, threads=0, length_ratio=RATIO, length_extra=EXTRA)
ARGOS_DEFAULT_BEAM = 4  # argostranslate.settings.beam_size unless ARGOS_BEAM_SIZE is set


def corpus_segments(shared: Path) -> list[Segment]:
    files = sorted((shared / "sites").rglob("*.md")) + sorted((shared / "seeds").glob("*.txt"))
    segs = []
    for f in files:
        raw = f.read_bytes()
        if raw.strip():
            text, bom = decode(raw)
            segs.extend(parse(text, bom=bom).segments)
    return segs


def term_rates(
    segments: list[Segment], outputs: list[str], applied: list[list]
) -> tuple[float, float, int, int]:
    keep_ok = keep_n = forced_ok = forced_n = 0
    for out, used in zip(outputs, applied, strict=True):
        missing = {id(a) for a in missing_terms(out, used)}
        for a in used:
            ok = id(a) not in missing
            if a.mode == "keep":
                keep_n += 1
                keep_ok += ok
            else:
                forced_n += 1
                forced_ok += ok
    return (
        keep_ok / keep_n if keep_n else 1.0,
        forced_ok / forced_n if forced_n else 1.0,
        keep_n,
        forced_n,
    )


def install_base(shared: Path, where: Path) -> Path:
    models.install_file(shared / "models" / "translate-en_vi-base-synthetic.argosmodel", where)
    return where


def argostranslate_default(store: Path) -> object:
    """argostranslate's own translation object for en→vi, defaults otherwise: only its
    sentence splitter is patched (it downloads a model and fails offline) and the cap is
    passed into its translate_batch call. Set up once."""
    import ctranslate2
    from argostranslate import sbd, settings, translate

    settings.package_data_dir = store
    settings.package_dirs[:] = [store]
    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()
    sbd.MiniSBDSentencizer.split_sentences = lambda self, text: sentences.split(text) or [text]
    real = ctranslate2.Translator.translate_batch

    class Capped(ctranslate2.Translator):
        def translate_batch(self, source, *args, **kwargs):  # type: ignore[override]
            kwargs["max_decoding_length"] = math.ceil(RATIO * max(map(len, source))) + EXTRA
            return real(self, source, *args, **kwargs)

    translate.ctranslate2.Translator = Capped  # only the cap is added to its call
    langs = {lang.code: lang for lang in translate.get_installed_languages()}
    translation = langs["en"].get_translation(langs["vi"])
    translation.translate("warm up")
    return translation


def time_argostranslate(translation: object, texts: list[str], beam: int) -> float:
    """Seconds for argostranslate's translate() on each text, at beam ``beam``."""
    from argostranslate import settings

    settings.beam_size = beam  # read by its translate_batch call: max(1 hypothesis, this)
    t = time.perf_counter()
    for text in texts:
        translation.translate(text)  # type: ignore[attr-defined]
    return time.perf_counter() - t


def replay(engine: ArgosEngine, recorded: list[tuple[list[list[str]], dict]]) -> float:
    """Seconds to send exactly the batches vien sent (same tokens, same arguments) to
    CTranslate2 and decode the best hypotheses, as the engine does."""
    loaded = engine.load("en", "vi")
    t = time.perf_counter()
    for batch, kwargs in recorded:
        for res in loaded.translator.translate_batch(batch, **kwargs):
            loaded.sp.decode(res.hypotheses[0])
    return time.perf_counter() - t


def raw_ctranslate2(engine: ArgosEngine, texts: list[str], beam: int = 1) -> float:
    """Seconds for bare tokenize + translate_batch + detokenize, with the engine's own
    batching and caps (so only vien's pre- and post-processing differ)."""
    loaded = engine.load("en", "vi")
    sents = [s for t in texts for s in sentences.split(t)]
    t = time.perf_counter()
    toks = [loaded.sp.encode(s, out_type=str) for s in sents]
    for batch in buckets([len(t) for t in toks], OPTIONS.batch_tokens):
        cap = math.ceil(RATIO * max(len(toks[i]) for i in batch)) + EXTRA
        for res in loaded.translator.translate_batch(
            [toks[i] for i in batch], beam_size=beam, max_decoding_length=cap
        ):
            loaded.sp.decode(res.hypotheses[0])
    return time.perf_counter() - t


def peak_rss(store: Path, texts: list[str]) -> float:
    """MiB: a fresh process loads the base model with the argos engine and translates
    (its whole peak resident set, from /proc/self/status VmHWM)."""
    code = f"""
import json, sys
from vien.mt.argos import ArgosEngine, DecodeOptions
from vien.glossary.entries import load
from vien.page.parse import parse
texts = json.loads(sys.stdin.read())
segs = [s for t in texts for s in parse(t + "\\n").segments]
e = ArgosEngine(load(), models_dir={str(store)!r},
                options=DecodeOptions(beam_size=1, length_ratio={RATIO}, length_extra={EXTRA}))
e.translate(segs, "en", "vi")
# VmHWM: this process's own peak (ru_maxrss would include the parent's pre-exec pages)
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(int(hwm.split()[1]) / 1024)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        text=True,
        capture_output=True,
        check=True,
    )
    return float(done.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--speed-segments", type=int, default=300)
    ap.add_argument("--all", action="store_true", help="speed on every segment")
    ap.add_argument("--skip-terms", action="store_true")
    ap.add_argument(
        "--beam", type=int, default=DecodeOptions().beam_size, help="vien's beam (CLI default)"
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="interleaved rounds of the speed comparison (medians reported)",
    )
    args = ap.parse_args()
    terms = glossary.load()
    segs = corpus_segments(args.shared)
    md = [s for s in segs if s.style == "md"]
    print(
        f"{len(segs)} translatable segments from {args.shared}/sites and /seeds; glossary "
        f"{len(terms)} entries ({terms.version}); cap {RATIO} x source tokens + {EXTRA}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = install_base(args.shared, Path(tmp) / "models")
        engine = ArgosEngine(terms, models_dir=store, options=OPTIONS)
        if not args.skip_terms:
            pseudo = PseudoEngine(terms)
            p_out = pseudo.translate(segs, "en", "vi")
            k, f, kn, fn = term_rates(segs, p_out, pseudo.last_applied)
            print(f"pseudo: keep-terms verbatim {k:.2%} of {kn}, forced renderings {f:.2%} of {fn}")
            t = time.perf_counter()
            a_out = engine.translate(segs, "en", "vi")
            secs = time.perf_counter() - t
            k, f, kn, fn = term_rates(segs, a_out, engine.last_applied)
            st = engine.stats
            print(
                f"argos (base synthetic): keep-terms verbatim {k:.2%} of {kn}, forced "
                f"renderings {f:.2%} of {fn}; {st.repairs} units repaired, "
                f"{st.piecewise} translated in pieces at once; {st.sentences} sentences, "
                f"{st.mt_inputs} MT inputs, {secs:.1f}s"
            )
        sample = md if args.all else md[: args.speed_segments]
        texts = [s.text for s in sample]
        beam = args.beam
        opts = DecodeOptions(beam_size=beam, threads=0, length_ratio=RATIO, length_extra=EXTRA)
        fresh = ArgosEngine(terms, models_dir=store, options=opts)
        fresh.translate(sample[:5], "en", "vi")  # load and warm up
        keys = ("vien", "replay", "argos-same", "argos-default", "raw")
        times: dict[str, list[float]] = {k: [] for k in keys}
        argos_translation = argostranslate_default(store)
        for _ in range(args.rounds):  # interleaved, so load on the machine hits all alike
            repairs, pieces = fresh.stats.repairs, fresh.stats.piecewise
            fresh.recorded = []
            t = time.perf_counter()
            fresh.translate(sample, "en", "vi")
            times["vien"].append(time.perf_counter() - t)
            recorded, fresh.recorded = fresh.recorded, None
            repaired = fresh.stats.repairs - repairs
            in_pieces = fresh.stats.piecewise - pieces
            times["replay"].append(replay(fresh, recorded))
            times["raw"].append(raw_ctranslate2(fresh, texts, beam))
            times["argos-same"].append(time_argostranslate(argos_translation, texts, beam))
            times["argos-default"].append(
                time_argostranslate(argos_translation, texts, ARGOS_DEFAULT_BEAM)
            )
        med = {k: statistics.median(v) for k, v in times.items()}
        ours = med["vien"]
        n = len(sample)
        print(
            f"speed on {n} segments (same segments, same cap; median of {args.rounds} "
            "interleaved rounds):"
        )
        print(
            f"  vien argos engine, beam {beam}            {n / ours:8.2f} segments/s  "
            f"({repaired} units repaired, {in_pieces} translated in pieces, per round; "
            f"{len(recorded)} batches, {sum(len(b) for b, _ in recorded)} MT inputs)"
        )
        print(f"  replay of vien's own batches, beam {beam} {n / med['replay']:8.2f} segments/s")
        print(
            f"  argostranslate translate(), beam {beam}   {n / med['argos-same']:8.2f} segments/s"
        )
        print(
            f"  argostranslate translate(), default beam {ARGOS_DEFAULT_BEAM} "
            f"{n / med['argos-default']:8.2f} segments/s"
        )
        print(f"  raw ctranslate2 on plain sentences, beam {beam} {n / med['raw']:8.2f} segments/s")
        print(
            f"  vien / argostranslate: same beam {med['argos-same'] / ours:.1f}x, each side's "
            f"default (vien {DecodeOptions().beam_size}, argostranslate {ARGOS_DEFAULT_BEAM}) "
            f"{med['argos-default'] / ours:.1f}x"
            + ("" if beam == DecodeOptions().beam_size else " (vien at --beam, not its default)")
        )
        print(
            f"  replay of vien's batches / vien = {med['replay'] / ours:.0%} (the share of "
            f"vien's time inside CTranslate2 + decoding); raw / vien = {med['raw'] / ours:.0%}"
        )
        print(
            "  rounds (s): "
            + "; ".join(f"{k} " + " ".join(f"{x:.1f}" for x in v) for k, v in times.items())
        )
        print(
            f"peak RSS, base model loaded and translating: "
            f"{peak_rss(store, texts[:50]):.0f} MiB (aim <= 1024)"
        )


if __name__ == "__main__":
    main()
