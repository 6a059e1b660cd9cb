"""Hallucination guards applied to an engine's segment stream.

Whisper sometimes loops (the same phrase over and over), invents text over silence, or
piles words it did not hear there at one instant. `guard_segments` drops such segments
(and such piles of words) and flags low-confidence words so the review screen
can highlight them. It is a generator, so it keeps the stream lazy.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from audio.types import Segment, with_words

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class GuardSettings:
    """Thresholds of the guards (defaults follow Whisper's own)."""

    max_compression_ratio: float = 2.4
    max_ngram_repeats: int = 4
    ngram: int = 3
    no_speech_prob: float = 0.6
    low_avg_logprob: float = -1.0
    silence_rms: float = 0.003
    low_word_probability: float = 0.5
    short_segment_s: float = 2.0  # a segment this short must be mostly voiced ...
    min_voiced_fraction: float = 0.35  # ... at least this much of it
    piled_words: int = 5  # this many words in a row at one instant were not heard there


def compression_ratio(text: str) -> float:
    """Bytes of text over bytes of its zlib compression (Whisper's loop measure)."""
    raw = text.encode("utf-8")
    return len(raw) / max(1, len(zlib.compress(raw))) if raw else 0.0


def max_ngram_repeats(text: str, n: int = 3) -> int:
    """How often the most frequent word n-gram occurs in the text."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < n:
        return 1 if words else 0
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - n + 1):
        key = tuple(words[i : i + n])
        counts[key] = counts.get(key, 0) + 1
    return max(counts.values())


def is_loop(segment: Segment, settings: GuardSettings = GuardSettings()) -> bool:
    """A segment that repeats itself: high compression ratio or one n-gram many times."""
    ratio = segment.compression_ratio or compression_ratio(segment.text)
    return (
        ratio > settings.max_compression_ratio
        or max_ngram_repeats(segment.text, settings.ngram) > settings.max_ngram_repeats
    )


def is_silent_span(
    audio: npt.NDArray[np.float32] | None, start: float, end: float, threshold: float
) -> bool:
    """True when the audio between start and end (seconds) carries no energy."""
    if audio is None:
        return False
    a, b = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
    span = audio[max(0, a) : max(a + 1, b)]
    if span.size == 0:
        return False
    return float(np.sqrt(np.mean(np.square(span, dtype=np.float64)))) < threshold


def voiced_fraction(
    audio: npt.NDArray[np.float32] | None, start: float, end: float, threshold: float
) -> float:
    """The share of 20 ms frames between start and end (seconds) above ``threshold`` RMS."""
    if audio is None:
        return 1.0
    a, b = max(0, int(start * SAMPLE_RATE)), int(end * SAMPLE_RATE)
    span = audio[a:b]
    frame = SAMPLE_RATE // 50
    n = len(span) // frame
    if n == 0:
        return 1.0
    frames = span[: n * frame].reshape(n, frame).astype(np.float64)
    rms = np.sqrt(np.mean(np.square(frames), axis=1))
    return float(np.mean(rms >= threshold))


def is_over_silence(
    segment: Segment,
    audio: npt.NDArray[np.float32] | None = None,
    settings: GuardSettings = GuardSettings(),
    offset: float = 0.0,
) -> bool:
    """Text invented over silence: no speech and low confidence, no energy at all, or a
    short segment that is mostly silent (Whisper's "Thank you." after the last word of a
    chunk)."""
    if segment.no_speech_prob > settings.no_speech_prob and (
        segment.avg_logprob < settings.low_avg_logprob
    ):
        return True
    start, end = segment.start - offset, segment.end - offset
    if is_silent_span(audio, start, end, settings.silence_rms):
        return True
    return (
        end - start <= settings.short_segment_s
        and voiced_fraction(audio, start, end, settings.silence_rms) < settings.min_voiced_fraction
    )


def without_piles(segment: Segment, settings: GuardSettings = GuardSettings()) -> Segment | None:
    """``segment`` without its runs of ``piled_words`` or more words piled at one instant.

    Whisper sometimes writes whole sentences it heard elsewhere (earlier in the window,
    or its prompt) with every word at the same time stamp, no time to say them: in the
    demo's live transcript 48 words sat at 60.74 s, repeating an answer given 15 s
    later. Those words are dropped; the rest of the segment stays (its times rebuilt
    from the words kept), or None when nothing is left.
    """
    words = segment.words
    keep: list[int] = []
    i = 0
    while i < len(words):
        j = i
        while (
            j + 1 < len(words)
            and words[j + 1].start - words[i].start < 0.02
            and (words[j + 1].end - words[j + 1].start < 0.02)
        ):
            j += 1
        if j + 1 - i >= settings.piled_words:
            i = j + 1
            continue
        keep.append(i)
        i += 1
    if len(keep) == len(words):
        return segment
    if not keep:
        return None
    return with_words(segment, tuple(words[k] for k in keep))


def low_confidence_words(segment: Segment, settings: GuardSettings = GuardSettings()) -> list[int]:
    """Indexes of the words whose probability is under the threshold."""
    return [i for i, w in enumerate(segment.words) if w.probability < settings.low_word_probability]


def guard_segments(
    segments: Iterable[Segment],
    audio: npt.NDArray[np.float32] | None = None,
    settings: GuardSettings = GuardSettings(),
    offset: float = 0.0,
) -> Iterator[Segment]:
    """Drop looping segments and text over silence; pass the others through lazily.

    Low-confidence words are not changed here: the review screen asks
    `low_confidence_words` (word.probability < ``settings.low_word_probability``).

    Args:
        segments: the engine's segments.
        audio: the samples the segments came from (16 kHz), to check energy; optional.
        settings: thresholds.
        offset: seconds to subtract from segment times to index ``audio``.
    """
    for seg in segments:
        if not seg.text.strip():
            continue
        if is_loop(seg, settings):
            log.info("dropped a looping segment at %.1f s: %r", seg.start, seg.text[:60])
            continue
        if is_over_silence(seg, audio, settings, offset):
            log.info("dropped text over silence at %.1f s: %r", seg.start, seg.text[:60])
            continue
        kept = without_piles(seg, settings)
        if kept is not seg:
            log.info("dropped words piled at one instant in the segment at %.1f s", seg.start)
        if kept is not None:
            yield kept
