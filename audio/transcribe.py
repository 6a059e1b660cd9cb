"""Batch transcription of one audio file, with progress, ETA and cancellation."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from audio.engines import SAMPLING_SEED, Engine, get_engine
from audio.files import load_audio
from audio.gaps import fill_gaps
from audio.guards import guard_segments
from audio.speech import speech_spans
from audio.types import Removal, Segment, TranscriptionInfo

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float, float | None], None]


def transcribe_file(
    path: Path | str,
    *,
    engine: str = "auto",
    model: str = "base",
    language: str | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    compute_type: str = "int8",
    beam_size: int = 5,
    removed: list[Removal] | None = None,
    seed: int | None = SAMPLING_SEED,
) -> tuple[list[Segment], TranscriptionInfo]:
    """Transcribe a file: the engine's segments less what the guards show is not speech
    (`audio.guards`), plus speech the engine skipped, transcribed again by itself
    (`audio.gaps`). No prompt is given to Whisper (`bench/floor.py` measured the guide
    as prompt: it wrote guide text where people said something else).

    Args:
        path: an audio or video file (any format PyAV decodes: WAV, FLAC, MP3, M4A/AAC,
            Opus/Ogg, WMA, MP4/MKV/MOV audio tracks ...) or a kvale recording folder.
        engine: ``auto``, ``faster-whisper`` or ``openai-whisper``.
        model: model name or path (resolved offline).
        language: ``no``/``nb``, ``nn``, ``en``, any Whisper code, or None to detect.
        on_progress: called with (fraction done 0..1, ETA in seconds or None) after each
            segment and once with (1.0, 0.0) at the end.
        cancel: set it to stop early; the segments so far are returned.
        compute_type: faster-whisper compute type.
        beam_size: beam width (1 = greedy).
        removed: when given, what the guards took out is appended (`audio.types.Removal`).
        seed: the seed of the temperature-fallback sampling (`audio.engines.get_engine`):
            the same file, model and seed give the same words; None: as seeded before.

    Raises:
        AudioError: the file cannot be read.
        TranscriptionError: the model is missing or cannot load.
    """
    samples = load_audio(path)
    kw = {"compute_type": compute_type} if engine != "openai-whisper" else {}
    eng = get_engine(engine, model, seed=seed, **kw)
    return transcribe_audio(
        eng,
        samples,
        language=language,
        on_progress=on_progress,
        cancel=cancel,
        beam_size=beam_size,
        removed=removed,
    )


def transcribe_audio(
    eng: Engine,
    samples: npt.NDArray[np.float32],
    *,
    language: str | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    beam_size: int = 5,
    removed: list[Removal] | None = None,
) -> tuple[list[Segment], TranscriptionInfo]:
    """`transcribe_file` on samples already decoded (mono float32, 16 kHz), with an
    engine already loaded; the same arguments, the same result."""
    started = time.monotonic()
    spans = speech_spans(samples)
    stream, info = eng.transcribe(
        samples, language=language, cancel=cancel, beam_size=beam_size, speech=spans
    )
    out: list[Segment] = []
    for seg in guard_segments(stream, spans=spans, removed=removed):
        out.append(seg)
        if on_progress is not None and info.duration > 0:
            fraction = min(1.0, seg.end / info.duration)
            elapsed = time.monotonic() - started
            eta = elapsed * (1 - fraction) / fraction if fraction > 0 else None
            on_progress(fraction, eta)
    if not (cancel is not None and cancel.is_set()):
        out = fill_gaps(
            lambda: eng,
            samples,
            out,
            language=language or info.language,
            cancel=cancel,
            spans=spans,
            removed=removed,
        )
    if on_progress is not None and not (cancel is not None and cancel.is_set()):
        on_progress(1.0, 0.0)
    return out, info
