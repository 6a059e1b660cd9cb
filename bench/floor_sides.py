"""The two sides of the floor benchmark (`bench.floor`), seeded alike, and its noise row.

CTranslate2 gives each thread its own sampler, seeded once from the global seed when the
thread first samples (``get_random_generator`` in its ``random.cc``); a model's decoding
runs on the model's own worker thread. So ``ctranslate2.set_random_seed`` before a clip
changes nothing for a model that has sampled before, and two model instances draw
differently however they are seeded. Each side therefore loads a fresh model after the
seed is set: the plain side and kvale's first decode then make the same draws, and a
difference between them is kvale's, not the sampler's.
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path
from typing import Any

MODEL = "base"


def seeded(name: str) -> None:
    """Seed Whisper's temperature-fallback sampling from ``name`` (both engines)."""
    from audio.engines import seed_sampling

    seed_sampling(zlib.crc32(name.encode()))


class Plain:
    """faster-whisper with its defaults, as its README runs it; a model loaded per clip
    after seeding from the clip's name. ``sampled``: the last clip's decoding fell back
    to sampling (a window decoded at a temperature above 0)."""

    def __init__(self) -> None:
        from audio.models import resolve_model

        self.path = str(resolve_model(MODEL, "faster-whisper").path)
        self.seconds = 0.0
        self.sampled = False

    def __call__(self, path: Path, language: str | None, seed: str) -> str:
        from faster_whisper import WhisperModel, decode_audio

        seeded(seed)
        started = time.perf_counter()
        model = WhisperModel(self.path, "cpu", compute_type="int8")
        segments, _ = model.transcribe(
            decode_audio(str(path)), language=language, beam_size=5, word_timestamps=True
        )
        done = list(segments)
        self.seconds += time.perf_counter() - started
        self.sampled = any((s.temperature or 0.0) > 0 for s in done)
        return " ".join(s.text.strip() for s in done)


class Kvale:
    """kvale's batch path (`audio.files.load_audio` + `audio.transcribe.transcribe_audio`,
    what `transcribe_file` does), an engine loaded per clip after seeding from the clip's
    name; removals counted by reason."""

    def __init__(self) -> None:
        self.removed_words: dict[str, int] = {}
        self.seconds = 0.0

    def __call__(self, path: Path, language: str | None, seed: str) -> tuple[str, int]:
        """kvale's text (without its ``[inaudible, N s]`` notes) and how many such notes."""
        from audio.engines import get_engine
        from audio.files import load_audio
        from audio.transcribe import transcribe_audio

        seeded(seed)
        started = time.perf_counter()
        # (seeded above, as the plain side is)
        engine = get_engine("faster-whisper", MODEL, compute_type="int8", seed=None)
        removed: list[Any] = []
        segments, _ = transcribe_audio(engine, load_audio(path), language=language, removed=removed)
        self.seconds += time.perf_counter() - started
        for r in removed:
            self.removed_words[r.reason] = self.removed_words.get(r.reason, 0) + len(r.text.split())
        notes = sum(1 for s in segments if not s.words and s.text.startswith("["))
        return " ".join(s.text for s in segments if s.words), notes


def noise_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The run-to-run noise: on the clips where the plain engine sampled, its errors with
    the clip's seed and with another seed (rows from `bench.floor.measure`)."""
    again = [r for r in rows if r.get("plain_again_err") is not None]
    if not again:
        return ["", "Run-to-run noise: no clip's plain decoding fell back to sampling."]
    first = sum(r["plain_err"] for r in again)
    second = sum(r["plain_again_err"] for r in again)
    words = max(1, sum(r["words"] for r in again))
    differ = [r for r in again if r["plain_err"] != r["plain_again_err"]]
    out = [
        "",
        f"Run-to-run noise: on the {len(again)} clips ({words} words) where the plain engine "
        f"fell back to sampling, plain decoded again from another seed: {first} → {second} "
        f"errors ({100 * (second - first) / words:+.1f} points on those words); "
        f"{len(differ)} clips changed. Clips that never sample decode the same every run.",
    ]
    out += [
        f"- {r['clip'].name} ({r['clip'].group}, {'held out' if r['clip'].held_out else 'tuning'}"
        f"): {r['plain_err']} vs {r['plain_again_err']} errors of {r['words']}"
        for r in differ
    ]
    return out
