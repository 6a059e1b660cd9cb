"""Transcription benchmark: engine × model × compute type, live chunking, ready-after-stop.

Tables:

1. Batch: real-time factor (transcribe time / audio seconds, model load excluded), peak RSS
   of a fresh process per configuration, WER on the real clips of ``../shared/data/speech``
   (English: jfk + LJSpeech; Norwegian: the NPSC clip) and on a ≥ 60 s espeak-ng interview
   synthesised here; speed ratio against faster-whisper base int8 in the same run.
2. openai-whisper vs faster-whisper float32 on the same weights: do the words match?
3. Live (child process) vs batch on the same recording, played in real time (10 min; 2 min
   with --quick), base int8: WER of both against the reference, the relative difference
   (goal ≤ 5 % worse), the time from "stop" to "all segments ready" (goal ≤ 30 s) and how
   far the live transcript trails the recording; plus the VAD-chunk mode on the same audio
   (simulated arrival) for comparison.

Run: ``make bench`` or ``.venv/bin/python -m bench transcription [--quick]``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "data" / "speech"
SR = 16_000

INTERVIEW = """\
Thank you for taking the time to talk with me today. Could you start by telling me about
your role at the office and how long you have worked there? I have worked as a social
worker for about six years. Most of my days are spent meeting people who need financial
help, and following up on their plans for work and housing. What do you find most
meaningful in your work? When someone I have followed for a long time finally gets a job,
or moves into a stable home, that gives me a strong feeling of mastery. It reminds me why
I chose this profession. And what makes the work hard? The workload is high. We have many
cases each, the rules change often, and some meetings are emotionally heavy. After a
difficult day it can be hard to let go of the stories I have heard. How do your colleagues
support you? We talk a lot during lunch, and my leader has an open door. We also have
supervision once a month, where we can discuss difficult cases together. If you could
change one thing about your workplace, what would it be? I would like more time for each
person, and fewer forms to fill in. That would let us do the work we were trained to do.
Is there anything else you would like to add before we finish? Only that I am glad
someone is asking these questions. Thank you, that was very helpful.
"""


def normalise(text: str, language: str = "en") -> str:
    """Whisper's own text normaliser (English or basic), for WER."""
    from whisper.normalizers import BasicTextNormalizer, EnglishTextNormalizer

    norm = EnglishTextNormalizer() if language == "en" else BasicTextNormalizer()
    return re.sub(r"\s+", " ", norm(text)).strip()


def wer(ref: str, hyp: str, language: str = "en") -> float:
    import jiwer

    return float(jiwer.wer(normalise(ref, language), normalise(hyp, language)))


def load(path: Path) -> np.ndarray:
    from audio.files import load_audio

    return load_audio(path)


def synthesise_interview(folder: Path) -> tuple[Path, str]:
    """The espeak-ng interview as 16 kHz WAV (resampled with sox) and its reference text."""
    text = " ".join(INTERVIEW.split())
    raw, out = folder / "interview-22k.wav", folder / "interview.wav"
    (folder / "interview.txt").write_text(text, encoding="utf-8")
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            "en-us",
            "-s",
            "165",
            "-w",
            str(raw),
            "-f",
            str(folder / "interview.txt"),
        ],
        check=True,
    )
    # -D: no dither, so every run hears the same samples (sox dithers at random by default,
    # and that noise alone moved base's WER on this clip between 2.5 % and 12 %)
    subprocess.run(["sox", "-D", str(raw), "-r", "16000", "-c", "1", str(out)], check=True)
    return out, text


def datasets(folder: Path) -> list[tuple[str, str, Path, str]]:
    """(set name, language, 16 kHz wav, reference) for each benchmark input."""
    en = sorted(SPEECH.glob("en/*.ref.txt"))
    parts, refs = [], []
    for ref in en:
        audio_file = next(
            p for p in ref.parent.glob(ref.name.replace(".ref.txt", ".*")) if p.suffix != ".txt"
        )
        parts += [load(audio_file), np.zeros(SR // 2, np.float32)]
        refs.append(ref.read_text(encoding="utf-8").strip())
    en_wav = folder / "real-en.wav"
    sf.write(en_wav, np.concatenate(parts), SR)
    nb_mp3 = SPEECH / "nb" / "norwegian-short-3s.mp3"
    nb_wav = folder / "real-nb.wav"
    sf.write(nb_wav, load(nb_mp3), SR)
    nb_ref = (SPEECH / "nb" / "norwegian-short-3s.ref.txt").read_text(encoding="utf-8").strip()
    interview, text = synthesise_interview(folder)
    return [
        ("real en (jfk + 6 LJSpeech)", "en", en_wav, " ".join(refs)),
        ("real nb (NPSC 3 s)", "no", nb_wav, nb_ref),
        ("espeak interview en", "en", interview, text),
    ]


# ---------------------------------------------------------------- worker (fresh process)


def worker(engine: str, model: str, compute: str, inputs: list[list[str]]) -> dict[str, Any]:
    """Load one configuration and transcribe every input; report times, texts, peak RSS."""
    from audio.engines import get_engine, seed_sampling

    seed_sampling(0)
    kw = {"compute_type": compute} if engine == "faster-whisper" else {}
    started = time.perf_counter()
    eng = get_engine(engine, model, cpu_threads=2, **kw)
    load_s = time.perf_counter() - started
    results = []
    for _name, language, wav in inputs:
        audio = load(Path(wav))
        if model.endswith(".en") and language != "en":
            results.append(None)
            continue
        t = time.perf_counter()
        stream, info = eng.transcribe(audio, language=language, beam_size=5)
        text = " ".join(s.text for s in stream)
        results.append(
            {"seconds": time.perf_counter() - t, "duration": info.duration, "text": text}
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"load_s": load_s, "results": results, "peak_rss": peak}


def run_config(
    engine: str, model: str, compute: str, inputs: list[tuple[str, str, Path, str]]
) -> dict[str, Any]:
    payload = json.dumps([engine, model, compute, [[n, lang, str(w)] for n, lang, w, _ in inputs]])
    out = subprocess.run(
        [sys.executable, "-m", "bench.transcription", "--worker", payload],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "OMP_NUM_THREADS": "2"},
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------- live vs batch


def live_vs_batch(
    minutes: float, inputs: list[tuple[str, str, Path, str]], model: str
) -> dict[str, Any]:
    """Batch, then live, played in real time through the recorder."""
    from audio.capture import FileSource, Recorder
    from audio.engines import seed_sampling
    from audio.follow import LiveSettings
    from audio.live import LiveTranscriber
    from audio.transcribe import transcribe_file

    en = [i for i in inputs if i[1] == "en"]
    pieces, refs = [], []
    total = 0.0
    while total < minutes * 60:
        for _n, _l, wav, ref in en:
            a = load(wav)
            pieces += [a, np.zeros(SR, np.float32)]
            refs.append(ref)
            total += len(a) / SR + 1
            if total >= minutes * 60:
                break
    audio = np.concatenate(pieces)  # whole inputs only, so the reference stays exact
    reference = " ".join(refs)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "recording.wav"
        sf.write(wav, audio, SR)
        seed_sampling(0)
        t = time.perf_counter()
        batch, _ = transcribe_file(wav, engine="faster-whisper", model=model, language="en")
        batch_s = time.perf_counter() - t
        rec = Path(tmp) / "rec"
        live = LiveTranscriber(
            rec,
            engine="faster-whisper",
            model=model,
            language="en",
            settings=LiveSettings(cpu_threads=2, seed=0),
        )
        live.start()
        # the real recorder, fed by the file at real-time pace (1 x)
        recorder = Recorder(rec, source=FileSource(wav, realtime=True, speed=1.0))
        recorder.start()
        started = time.perf_counter()
        lags = []
        while not recorder.finished:
            time.sleep(1.0)
            lags.append(time.perf_counter() - started - live.progress)
        recorder.stop()
        t = time.perf_counter()
        segments = live.finish(timeout=600)
        ready_s = time.perf_counter() - t

    batch_text = " ".join(s.text for s in batch)
    live_text = " ".join(s.text for s in segments)
    return {
        "duration": len(audio) / SR,
        "batch_wer": wer(reference, batch_text),
        "live_wer": wer(reference, live_text),
        "live_vs_batch_wer": wer(batch_text, live_text),
        "batch_s": batch_s,
        "ready_s": ready_s,
        "lag_median": float(np.median(lags)) if lags else 0.0,
        "lag_max": max(lags, default=0.0),
    }


# ---------------------------------------------------------------- table


def run(quick: bool) -> str:
    """Run the benchmark and return its Markdown tables."""
    configs = [
        ("faster-whisper", "tiny.en", "int8"),
        ("faster-whisper", "tiny.en", "float32"),
        ("openai-whisper", "tiny.en", "float32"),
        ("faster-whisper", "base", "int8"),
        ("faster-whisper", "base", "float32"),
        ("openai-whisper", "base", "float32"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = datasets(Path(tmp))
        runs = {c: run_config(*c, inputs) for c in configs}
        live = live_vs_batch(2.0 if quick else 10.0, inputs, "base")

    base_key = ("faster-whisper", "base", "int8")

    def total_rtf(r: dict[str, Any]) -> float:
        done = [x for x in r["results"] if x]
        return sum(x["seconds"] for x in done) / sum(x["duration"] for x in done)

    head = "| engine | model | compute | " + " | ".join(f"WER {i[0]}" for i in inputs)
    head += " | RTF (all) | speed vs fw base int8 | load s | peak RSS |"
    lines = [
        "Batch, beam 5, 2 threads, fresh process per row; RTF = transcribe seconds / audio "
        "seconds (lower is faster), model load excluded; WER after Whisper's normaliser.",
        "",
        head,
        "|" + "---|" * (head.count("|") - 1),
    ]
    base_rtf = total_rtf(runs[base_key])
    for (engine, model, compute), r in runs.items():
        cells = []
        for (_n, lang, _w, ref), x in zip(inputs, r["results"], strict=True):
            cells.append("—" if x is None else f"{100 * wer(ref, x['text'], lang):.1f} %")
        rtf = total_rtf(r)
        lines.append(
            f"| {engine} | {model} | {compute} | "
            + " | ".join(cells)
            + f" | {rtf:.3f} | {base_rtf / rtf:.2f}× | {r['load_s']:.1f}"
            + f" | {r['peak_rss'] / 2**30:.2f} GB |"
        )

    lines += ["", "openai-whisper fp32 vs faster-whisper float32, same weights, beam 5:", ""]
    lines += ["| model | input | words match | difference |", "|---|---|---|---|"]
    for model in ("tiny.en", "base"):
        a = runs[("faster-whisper", model, "float32")]["results"]
        b = runs[("openai-whisper", model, "float32")]["results"]
        for (name, _l, _w, _r), x, y in zip(inputs, a, b, strict=True):
            if x is None or y is None:
                continue
            same = x["text"] == y["text"]
            diff = "" if same else f"fw: …{_first_diff(x['text'], y['text'])}"
            lines.append(f"| {model} | {name} | {'yes' if same else 'no'} | {diff} |")

    minutes = live["duration"] / 60

    def rel(key: str) -> str:
        return f"{100 * (live[key] - live['batch_wer']) / max(live['batch_wer'], 1e-9):+.1f} %"

    lines += [
        "",
        f"Live (child process, nice 10) vs batch on the same {minutes:.1f} min of real + espeak "
        "English, faster-whisper base int8, same seed, played in "
        "real time through the recorder (FileSource → Recorder → chunk folder → child). "
        "Batch WER "
        f"{100 * live['batch_wer']:.2f} %, batch time {live['batch_s']:.1f} s.",
        "",
        "| live WER | live worse than batch by (relative, goal ≤ 5 %) "
        "| live vs batch text WER | ready after stop (goal ≤ 30 s) "
        "| transcript behind the recording (median / max) |",
        "|---|---|---|---|---|",
        f"| {100 * live['live_wer']:.2f} % | {rel('live_wer')} "
        f"| {100 * live['live_vs_batch_wer']:.2f} % | {live['ready_s']:.1f} s "
        f"| {live['lag_median']:.0f} s / {live['lag_max']:.0f} s |",
    ]
    return "\n".join(lines)


def _first_diff(a: str, b: str) -> str:
    wa, wb = a.split(), b.split()
    for i, (x, y) in enumerate(zip(wa, wb, strict=False)):
        if x != y:
            return (
                f"{' '.join(wa[max(0, i - 2) : i + 3])} / ow: {' '.join(wb[max(0, i - 2) : i + 3])}"
            )
    return f"length {len(wa)} vs {len(wb)} words"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        args = json.loads(sys.argv[2])
        print(json.dumps(worker(*args)))
    else:
        print(run(quick="--quick" in sys.argv))
