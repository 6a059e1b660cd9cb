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

When the stretch alone still gives no text (Whisper can make nothing of it, or its
guards drop what it made), a segment without words saying "[inaudible, N s]" takes
its place: the transcript shows that something was said there, and when.

Whisper also skips speech *inside* a segment: on hard audio (synthetic Norwegian) a
19 s segment held only "I forhold til leder?", the question, and not the answer after
it. A segment that long with that few words (under ``SPARSE_WORDS_PER_S``) covers only
its words; the speech between them is a gap like any other, and the segment is trimmed
to its words when one is filled.
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
from audio.types import Segment, with_words

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
PAD_S = 0.3  # context on each side of a gap
JOIN_S = 1.0  # speech stretches closer than this are one stretch
MIN_SPEECH_S = 3.0  # shorter uncovered speech is a segment's imprecise end, not a skip
SPARSE_MIN_S = 6.0  # a segment at least this long ...
SPARSE_WORDS_PER_S = 0.8  # ... with fewer words per second covers only its words
WORD_PAD_S = 0.3  # a word covers this much before it (its timing is rough) ...
WORD_END_PAD_S = 0.05  # ... and only this much after (the next word may follow at once)


def is_sparse(segment: Segment) -> bool:
    """A long segment with far fewer words than speech has: Whisper skipped some."""
    span = segment.end - segment.start
    return (
        bool(segment.words)
        and span >= SPARSE_MIN_S
        and len(segment.words) / span < SPARSE_WORDS_PER_S
    )


def _covers(segment: Segment) -> list[tuple[float, float]]:
    if not is_sparse(segment):
        return [(segment.start, segment.end)]
    return [(w.start - WORD_PAD_S, w.end + WORD_END_PAD_S) for w in segment.words]


def _trim(segment: Segment, gaps: Sequence[tuple[float, float]]) -> Segment:
    """A sparse segment with a gap filled inside it, cut to its words' span."""
    if not is_sparse(segment) or not any(segment.start < b and a < segment.end for a, b in gaps):
        return segment
    return replace(segment, start=segment.words[0].start, end=segment.words[-1].end)


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
    """The parts of ``spans`` no segment covers, each at least ``min_speech_s`` long.

    A sparse segment (`is_sparse`) covers its words only.
    """
    covered = sorted(c for s in segments for c in _covers(s))
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
            _from(s, start)
            for s in guard_segments(stream, audio, offset=offset)
            if start <= (s.start + s.end) / 2 <= end and s.text.strip()
        ]
        new = [s for s in new if s.text]
        if not new:  # still nothing: say so in the transcript, where it was
            new = [Segment(0, round(start, 3), round(end, 3), unheard(end - start))]
        log.info(
            "speech at %.1f–%.1f s had no text; transcribed again: %d segments",
            start,
            end,
            len(new),
        )
        found.extend(new)
    kept = [_trim(s, gaps) for s in segments]
    merged = sorted([*kept, *found], key=lambda s: (s.start, s.end))
    return [_renumber(s, i) for i, s in enumerate(merged)]


def unheard(seconds: float) -> str:
    """The transcript's note for speech Whisper made nothing of, even alone:
    "[inaudible, 23 s]" (the researcher can listen to it before the recording goes)."""
    return f"[inaudible, {seconds:.0f} s]"


def _from(segment: Segment, start: float) -> Segment:
    """``segment`` without the words heard before ``start`` (the padding before a gap
    holds the end of the covered word before it)."""
    words = [w for w in segment.words if (w.start + w.end) / 2 >= start]
    if len(words) == len(segment.words):
        return segment
    if not words:
        return replace(segment, text="", words=())
    return replace(with_words(segment, tuple(words)), end=segment.end)


def _renumber(segment: Segment, index: int) -> Segment:
    return segment if segment.id == index else replace(segment, id=index)
