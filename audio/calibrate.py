"""How fast each model runs on *this* computer, and which one to choose.

The real-time factor (RTF) is processing time divided by audio time: 0.1 means an hour of
interview takes 6 minutes. It is measured, not guessed: `calibrate` transcribes a short
clip of real speech (`CLIP`, 11 s) through kvale's whole batch path
(`audio.transcribe.transcribe_audio`: speech detection, beam 5, guards, gap filling) with
the model loaded (loading is not timed), `RUNS` times, and keeps the fastest run: on a
machine shared with other jobs the fastest run is the one least disturbed. The result is
cached per machine (host name, CPU model and count) and per model weights (name and size
on disk) in ``calibration.json`` in kvale's model cache; a new machine or new weights are
measured again.

Recommendation (`recommend`): for the interview's language, among the models on this
computer that can transcribe it, the most accurate one (`audio.catalog.accuracy_rank`,
from published word error rates) whose RTF is at most `LIVE_RTF` keeps up live; the most
accurate one of all is offered for after the interview, with the time an hour of
recording takes. `LIVE_RTF` = 0.5: during an interview the same cores also record,
detect speech and draw the app, and the live transcriber must catch up after a burst of
speech, so a model needs at least twice real-time speed; an RTF above 1 can never keep up.
The clip is English: Norwegian speech can be slower to decode (more temperature
fallbacks on hard windows), so the Norwegian figure may be higher than the one shown.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audio.catalog import accuracy_rank, facts, supports
from audio.models import ModelInfo, model_cache_dir, resolve_model

CLIP = Path(__file__).with_name("calibration.flac")
"""11 s of real speech (see calibration.md beside it)."""
RUNS = 2
LIVE_RTF = 0.5
CACHE_NAME = "calibration.json"


def machine_id() -> str:
    """A short id of this computer: host name, CPU model and CPU count (no personal data)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    raw = f"{platform.node()}|{cpu}|{os.cpu_count()}"
    return hashlib.sha1(raw.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Speed:
    """A model's measured speed on this machine.

    Attributes:
        model: model name.
        rtf: processing seconds per second of audio (fastest of `RUNS`).
        audio_s: length of the clip in seconds.
        measured_at: ISO time (UTC) of the measurement.
    """

    model: str
    rtf: float
    audio_s: float
    measured_at: str

    @property
    def keeps_up_live(self) -> bool:
        """True when the model is fast enough for live transcription (`LIVE_RTF`)."""
        return self.rtf <= LIVE_RTF

    def minutes_per_hour(self) -> float:
        """Minutes of processing for one hour of recording."""
        return self.rtf * 60.0


def _cache_file() -> Path:
    return model_cache_dir() / CACHE_NAME


def _key(name: str, size_bytes: int) -> str:
    return f"{machine_id()}|{name}|{size_bytes}"


def _read_cache() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cached_speed(name: str, size_bytes: int) -> Speed | None:
    """The speed measured earlier on this machine for these weights, or None."""
    entry: Any = _read_cache().get(_key(name, size_bytes))
    if not isinstance(entry, dict):
        return None
    try:
        return Speed(name, float(entry["rtf"]), float(entry["audio_s"]), str(entry["measured_at"]))
    except (KeyError, TypeError, ValueError):
        return None


def _store(name: str, size_bytes: int, speed: Speed) -> None:
    data = _read_cache()
    data[_key(name, size_bytes)] = {
        "rtf": speed.rtf,
        "audio_s": speed.audio_s,
        "measured_at": speed.measured_at,
    }
    path = _cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def calibrate(name: str, *, runs: int = RUNS, clip: Path = CLIP) -> Speed:
    """Measure a model's RTF on this machine now, and cache it.

    Args:
        name: model name or folder (resolved offline).
        runs: how many timed transcriptions; the fastest counts.
        clip: the audio to transcribe.

    Raises:
        TranscriptionError: the model is missing or cannot load.
    """
    from audio.engines import get_engine
    from audio.files import load_audio
    from audio.transcribe import transcribe_audio

    resolved = resolve_model(name, "auto")
    samples = load_audio(clip)
    audio_s = len(samples) / 16_000
    engine = get_engine("auto", name)
    best = float("inf")
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        transcribe_audio(engine, samples, language=None if _multilingual(resolved) else "en")
        best = min(best, time.perf_counter() - started)
    speed = Speed(name, round(best / audio_s, 4), round(audio_s, 2), datetime.now(UTC).isoformat())
    _store(name, resolved.size_bytes, speed)
    return speed


def _multilingual(resolved: object) -> bool:
    return len(getattr(resolved, "languages", ())) > 1


def speed_of(model: ModelInfo, *, measure: bool = True) -> Speed | None:
    """The cached speed of a listed model, measured now if ``measure`` and not cached."""
    found = cached_speed(model.name, model.size_bytes)
    if found is None and measure:
        found = calibrate(model.name)
    return found


@dataclass(frozen=True)
class Recommendation:
    """Which model to use for a language on this machine.

    Attributes:
        language: the language asked about (None = any).
        live: the most accurate model that keeps up live, or None.
        after: a more accurate model for after the interview, or None when ``live`` is
            already the most accurate one here.
        after_minutes_per_hour: processing minutes per hour of recording for ``after``.
    """

    language: str | None
    live: str | None
    after: str | None
    after_minutes_per_hour: float | None

    def sentence(self) -> str:
        """The recommendation in one or two sentences for people."""
        if self.live is None and self.after is None:
            return "No model on this computer transcribes this language; fetch one first."
        parts = []
        if self.live is not None:
            parts.append(f"Live: {self.live} keeps up with the interview on this computer.")
        else:
            parts.append("No model here keeps up live: the transcript is made after you stop.")
        if self.after is not None:
            wait = (
                f" (about {self.after_minutes_per_hour:.0f} min per hour of recording)"
                if self.after_minutes_per_hour is not None
                else " (speed not measured yet)"
            )
            parts.append(f"More accurate if you can wait: {self.after}{wait}.")
        return " ".join(parts)


def recommend(
    models: list[ModelInfo], speeds: dict[str, Speed], language: str | None
) -> Recommendation:
    """Choose the live model and the after-the-interview model (see the module doc).

    Args:
        models: the models on this computer (`audio.models.list_models`).
        speeds: measured speeds by model name (a model without one is not chosen live).
        language: the interview's language (``nb``, ``nn``, ``en`` ...) or None.
    """
    usable = [m for m in models if supports(m.name, m.language_codes, language)]
    usable.sort(key=lambda m: accuracy_rank(m.name, language), reverse=True)
    live = next((m.name for m in usable if m.name in speeds and speeds[m.name].keeps_up_live), None)
    best = usable[0].name if usable else None
    after = best if best is not None and best != live else None
    minutes = speeds[after].minutes_per_hour() if after in speeds else None
    return Recommendation(language, live, after, minutes)


def good_at(model: ModelInfo) -> str:
    """The languages a model is good at, for people (published facts, else its languages)."""
    f = facts(model.name)
    return f.good_at if f is not None else model.languages
