"""Batch transcription of one audio file, with progress, ETA and cancellation."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from audio.engines import get_engine, load_audio
from audio.gaps import fill_gaps
from audio.guards import guard_segments
from audio.types import Segment, TranscriptionInfo

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float, float | None], None]

MAX_PROMPT_WORDS = 120
"""Whisper reads at most 224 prompt tokens; about 120 words stay well inside."""


def initial_prompt_from(texts: Iterable[str], max_words: int = MAX_PROMPT_WORDS) -> str | None:
    """A vocabulary hint from the guide's own wording (question texts, in guide order).

    Whisper keeps the *end* of a long prompt, so the earliest questions are kept and
    later ones left out at ``max_words`` words. Questions are kept whole: a prompt cut
    mid-sentence ("…to handle the situation in") gets finished by Whisper at the start
    of the transcript ("the situation?"), words nobody said.

    Args:
        texts: question (and probe) texts.
        max_words: word budget.

    Returns:
        The prompt, or None when there is no text.
    """
    kept: list[str] = []
    count = 0
    for text in texts:
        words = text.split()
        if not words:
            continue
        if count + len(words) > max_words:
            if not kept:  # a single question longer than the budget: its start
                kept.append(" ".join(words[:max_words]))
            break
        kept.append(" ".join(words))
        count += len(words)
    return " ".join(kept) or None


def transcribe_file(
    path: Path | str,
    *,
    engine: str = "auto",
    model: str = "base",
    language: str | None = None,
    initial_prompt: str | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    compute_type: str = "int8",
    beam_size: int = 5,
) -> tuple[list[Segment], TranscriptionInfo]:
    """Transcribe a file, applying the hallucination guards; speech the engine skipped is
    transcribed again by itself (`audio.gaps`).

    Args:
        path: an audio file soundfile can read (WAV, FLAC, OGG, MP3).
        engine: ``auto``, ``faster-whisper`` or ``openai-whisper``.
        model: model name or path (resolved offline).
        language: ``no``/``nb``, ``nn``, ``en``, any Whisper code, or None to detect.
        initial_prompt: words to help vocabulary (the guide's question texts).
        on_progress: called with (fraction done 0..1, ETA in seconds or None) after each
            segment and once with (1.0, 0.0) at the end.
        cancel: set it to stop early; the segments so far are returned.
        compute_type: faster-whisper compute type.
        beam_size: beam width (1 = greedy).

    Raises:
        AudioError: the file cannot be read.
        TranscriptionError: the model is missing or cannot load.
    """
    samples = load_audio(path)
    kw = {"compute_type": compute_type} if engine != "openai-whisper" else {}
    eng = get_engine(engine, model, **kw)
    started = time.monotonic()
    stream, info = eng.transcribe(
        samples,
        language=language,
        initial_prompt=initial_prompt,
        cancel=cancel,
        beam_size=beam_size,
    )
    out: list[Segment] = []
    for seg in guard_segments(stream, samples):
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
            language=language,
            initial_prompt=initial_prompt,
            cancel=cancel,
        )
    if on_progress is not None and not (cancel is not None and cancel.is_set()):
        on_progress(1.0, 0.0)
    return out, info
