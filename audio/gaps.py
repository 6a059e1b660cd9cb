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
it. A segment covers only its words (a "word" stretched over more than
``LONGEST_WORD_S`` covers nothing); the speech between them is a gap like any other,
and the segment is trimmed to its words when one is filled.

Words heard again that the transcript already has are left out by the model's
likelihood (`audio.overlap`), not by matching text: Whisper writes the same speech in
other words the second time ("gonna" | "I'm going to do").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from audio.engines import Engine
from audio.guards import guard_segments
from audio.overlap import settle
from audio.speech import speech_spans as _speech_spans
from audio.types import Removal, Segment, with_words
from kvale_i18n import translator

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
PAD_S = 0.3  # context on each side of a gap
MIN_SPEECH_S = 3.0  # shorter uncovered speech is a segment's imprecise end, not a skip
MAX_ATTEMPTS = 3  # a stretch left uncovered after this many decodes is left as it is
WORD_PAD_S = 0.3  # a word covers this much before it (its timing is rough) ...
WORD_END_PAD_S = 0.05  # ... and only this much after (the next word may follow at once)
LONGEST_WORD_S = 2.0  # a "word" longer than this covers nothing: Whisper stretches a
# segment's last word to the segment's end, over speech it skipped ("fine", 50-54 s)


def _covers(segment: Segment) -> list[tuple[float, float]]:
    """What a segment accounts for: its words (each with a little padding), or its span
    when it has no word timestamps. A segment's span can run far past its last word
    (base wrote one 35–54 s segment over a skipped JFK clip, its last word stretched to
    54 s), so neither the span nor a stretched word may hide skipped speech."""
    if not segment.words:
        return [(segment.start, segment.end)]
    return [
        (w.start - WORD_PAD_S, w.end + WORD_END_PAD_S)
        for w in segment.words
        if w.end - w.start <= LONGEST_WORD_S
    ]


def _trim(segment: Segment, gaps: Sequence[tuple[float, float]]) -> Segment:
    """A segment with a gap filled inside it, cut to its words' span."""
    if not segment.words or not any(segment.start < b and a < segment.end for a, b in gaps):
        return segment
    return replace(segment, start=segment.words[0].start, end=segment.words[-1].end)


def speech_spans(audio: npt.NDArray[np.float32]) -> list[tuple[float, float]]:
    """Stretches of speech in seconds (`audio.speech.speech_spans`)."""
    return _speech_spans(audio)


def uncovered(
    spans: Sequence[tuple[float, float]],
    segments: Sequence[Segment],
    *,
    min_speech_s: float = MIN_SPEECH_S,
) -> list[tuple[float, float]]:
    """The parts of ``spans`` no segment covers, each at least ``min_speech_s`` long.

    A segment covers its words (`_covers`), not its span.
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
    cancel: threading.Event | None = None,
    min_speech_s: float = MIN_SPEECH_S,
    offset: float = 0.0,
    spans: Sequence[tuple[float, float]] | None = None,
    removed: list[Removal] | None = None,
    windows: bool = True,
) -> list[Segment]:
    """``segments`` with every uncovered stretch of speech transcribed and put in place.

    First, with ``windows``, each decoding window's first segment loses the words the
    model hears as the previous window's last words again (`audio.overlap.window_starts`).
    Then each uncovered stretch is decoded plainly (no prompt), passes the same guards,
    and loses the words the transcript beside it already has (Whisper compresses words
    into a short time or puts an utterance's time stamps seconds off, so the "gap" holds
    words written next to it): `audio.overlap.keep_beyond` has Whisper score the
    neighbouring words with and without the words heard again, and keeps only what the
    audio holds beyond them. The gap filler does not write a word twice.

    Args:
        engine: gives the engine to use; called only when there is a gap (loading a
            model costs seconds).
        audio: mono float32 at 16 kHz.
        segments: the transcript so far, in time order.
        offset: where ``audio`` starts on the segments' timeline (seconds), when it is
            a stretch of a longer recording.
        spans: the speech in ``audio`` (`audio.speech.speech_spans`, audio's own
            timeline), when found already.
        removed: guard removals and duplicates left out are appended to it.
        windows: check the start of each decoding window (off for a stretch of a live
            recording: the whole transcript is checked when the recording ends).

    Returns:
        The segments with the new ones in place, renumbered in time order.
    """
    own = list(spans) if spans is not None else _speech_spans(audio)
    timeline = [(a + offset, b + offset) for a, b in own]
    gaps = uncovered(timeline, segments, min_speech_s=min_speech_s)
    restarts = windows and any(s.window != p.window and s.words for p, s in pairwise(segments))
    if not gaps and not restarts:
        return [_renumber(s, i) for i, s in enumerate(segments)]
    eng = engine()
    found: list[Segment] = []
    pending: list[tuple[float, float, int, list[Segment]]] = [(a, b, 1, []) for a, b in gaps]
    while pending:
        start, end, attempt, before = pending.pop(0)
        if cancel is not None and cancel.is_set():
            break
        lo = max(offset, start - PAD_S)
        hi = min(offset + len(audio) / SAMPLE_RATE, end + PAD_S)
        piece = audio[int((lo - offset) * SAMPLE_RATE) : int((hi - offset) * SAMPLE_RATE)]
        stream, _info = eng.transcribe(piece, language=language, cancel=cancel, offset=lo)
        new = [
            _from(s, start)
            for s in guard_segments(stream, offset=offset, spans=own, removed=removed)
            if start <= (s.start + s.end) / 2 <= end and s.text.strip()
        ]
        new = [s for s in new if s.text]
        heard = any(s.words for s in new)
        if heard and attempt < MAX_ATTEMPTS:
            # Whisper may end early again inside the stretch: what is still uncovered
            # is a stretch of its own (measured against what was heard in this stretch:
            # the transcript's own words there were misplaced, or there was no gap)
            heard_here = [*before, *new]
            rest = uncovered([(start, end)], heard_here, min_speech_s=min_speech_s)
            pending += [(a, b, attempt + 1, heard_here) for a, b in rest]
        if not heard and drawn_out(start, end, [*segments, *before], min_speech_s):
            log.info("speech at %.1f–%.1f s is one drawn-out word of the engine's", start, end)
        elif not heard:  # still nothing: say so in the transcript, where it was
            new = [Segment(0, round(start, 3), round(end, 3), unheard(end - start, language))]
        log.info(
            "speech at %.1f–%.1f s had no text; transcribed again: %d segments",
            start,
            end,
            len(new),
        )
        found.extend(new)
    kept = [_trim(s, gaps) for s in segments]
    firsts = [s for p, s in pairwise(kept) if s.window != p.window] if windows else []
    merged = sorted([*kept, *found], key=lambda s: (s.start, s.end))
    # what was heard again, and each window's start, against the words beside it
    merged = settle(
        eng,
        audio,
        merged,
        again=[i for i, s in enumerate(merged) if any(s is f for f in found)],
        window_firsts=[i for i, s in enumerate(merged) if any(s is f for f in firsts)],
        language=language,
        offset=offset,
        removed=removed,
        spans=timeline,
    )
    return [_renumber(s, i) for i, s in enumerate(merged)]


def drawn_out(
    start: float, end: float, segments: Sequence[Segment], min_speech_s: float = MIN_SPEECH_S
) -> bool:
    """Whether the engine's own words, the long ones too, cover the stretch but for less
    than ``min_speech_s``: a word drawn out over it ("ummmmmmmm", 2.7–6.3 s in a real MFA
    clip). Such a stretch, heard again with nothing found, has its words already; it gets
    no "[inaudible]" note."""
    spans = sorted(
        (w.start - WORD_PAD_S, w.end + WORD_END_PAD_S) for s in segments for w in s.words
    )
    cursor = start
    for a, b in spans:
        if b <= cursor or a >= end:
            continue
        if a - cursor >= min_speech_s:
            return False
        cursor = max(cursor, b)
    return end - cursor < min_speech_s


def unheard(seconds: float, language: str | None = None) -> str:
    """The transcript's note for speech Whisper made nothing of, even alone:
    "[inaudible, 23 s]" (the researcher can listen to it before the recording goes),
    in the interview's language ("[uhørlig, 23 s]" in Norwegian; None: English)."""
    return translator(language).gettext("[inaudible, {seconds} s]").format(seconds=f"{seconds:.0f}")


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
