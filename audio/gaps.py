"""Find speech that no segment covers, and transcribe it on its own.

Whisper sometimes ends a 30 s window early and jumps past speech: with beam
search, `base` skipped the whole JFK clip at the end of a 55 s recording (both
engines, with and without VAD). For an interview that is a lost answer. After a
transcription, voice activity detection (Silero, shipped inside faster-whisper,
offline) lists the stretches of speech; any stretch of at least
``min_speech_s`` that no segment covers is transcribed again by itself and its
segments are put in their place on the timeline.

The threshold is a few seconds, not one: a segment's end time is often a second
or so early, and transcribing that short tail alone made Whisper invent
"Thank you." where the participant was finishing a sentence.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from audio.engines import Engine
from audio.guards import guard_segments
from audio.types import Segment

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
PAD_S = 0.3  # context on each side of a gap
JOIN_S = 1.0  # speech stretches closer than this are one stretch
MIN_SPEECH_S = 3.0  # shorter uncovered speech is a segment's imprecise end, not a skip


def speech_spans(audio: npt.NDArray[np.float32]) -> list[tuple[float, float]]:
    """Stretches of speech in seconds (Silero VAD), close stretches joined."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) == 0:
        return []
    joined: list[tuple[float, float]] = []
    for span in get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=500)):
        start, end = span["start"] / SAMPLE_RATE, span["end"] / SAMPLE_RATE
        if joined and start - joined[-1][1] < JOIN_S:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def uncovered(
    spans: Sequence[tuple[float, float]],
    segments: Sequence[Segment],
    *,
    min_speech_s: float = MIN_SPEECH_S,
) -> list[tuple[float, float]]:
    """The parts of ``spans`` no segment covers, each at least ``min_speech_s`` long."""
    covered = sorted((s.start, s.end) for s in segments)
    gaps: list[tuple[float, float]] = []
    for start, end in spans:
        cursor = start
        for c_start, c_end in covered:
            if c_end <= cursor or c_start >= end:
                continue
            if c_start - cursor >= min_speech_s:
                gaps.append((cursor, c_start))
            cursor = max(cursor, c_end)
            if cursor >= end:
                break
        if end - cursor >= min_speech_s:
            gaps.append((cursor, end))
    return gaps


def fill_gaps(
    engine: Callable[[], Engine],
    audio: npt.NDArray[np.float32],
    segments: Sequence[Segment],
    *,
    language: str | None = None,
    initial_prompt: str | None = None,
    cancel: threading.Event | None = None,
    min_speech_s: float = MIN_SPEECH_S,
    offset: float = 0.0,
) -> list[Segment]:
    """``segments`` with every uncovered stretch of speech transcribed and put in place.

    Args:
        engine: gives the engine to use; called only when there is a gap (loading a
            model costs seconds).
        offset: where ``audio`` starts on the segments' timeline (seconds), when it is
            a stretch of a longer recording.

    The new segments pass the same hallucination guards; segments are renumbered in
    time order.
    """
    spans = [(a + offset, b + offset) for a, b in speech_spans(audio)]
    gaps = uncovered(spans, segments, min_speech_s=min_speech_s)
    if not gaps:
        return list(segments)
    eng = engine()
    found: list[Segment] = []
    for start, end in gaps:
        if cancel is not None and cancel.is_set():
            break
        lo = max(offset, start - PAD_S)
        hi = min(offset + len(audio) / SAMPLE_RATE, end + PAD_S)
        piece = audio[int((lo - offset) * SAMPLE_RATE) : int((hi - offset) * SAMPLE_RATE)]
        stream, _info = eng.transcribe(
            piece, language=language, initial_prompt=initial_prompt, cancel=cancel, offset=lo
        )
        new = [
            s
            for s in guard_segments(stream, audio, offset=offset)
            if start <= (s.start + s.end) / 2 <= end and s.text.strip()
        ]
        log.info(
            "speech at %.1f–%.1f s had no text; transcribed again: %d segments",
            start,
            end,
            len(new),
        )
        found.extend(new)
    merged = sorted([*segments, *found], key=lambda s: (s.start, s.end))
    return [_renumber(s, i) for i, s in enumerate(merged)]


def _renumber(segment: Segment, index: int) -> Segment:
    return segment if segment.id == index else replace(segment, id=index)
