"""Following a growing recording in the batch run's own decoding windows.

`run_windows` cuts the growing audio at the decoder's own 30 s windows, exactly as a
batch run of the finished recording would place them. Whisper decodes a window, keeps the
segments that end in it and moves on from the end of the last complete word. Live, the
loop waits until a stretch of audio holds whole windows, accepts the segments of every
window that was complete (the batch run sees the same 30 s), and starts the next call at
the window the batch run would decode next. Windows do not overlap, so no word is cut or
heard twice at a call boundary, and the transcript at stop is the batch transcript but for
small differences in the features (the log-mel of a stretch, not of the whole file); only
the last windows are left for the tail. Each call is conditioned on the text of the
windows before it (`audio.engine_base.context_of`: the decoder's tokens since the last
window decoded at a high temperature), as the batch run conditions each window on the
ones before.

Speech no segment covers is transcribed again (`audio.gaps`) stretch by stretch. The
segments are given as the engine made them: the guards (`audio.guards`) run once, in the
interview's process, on the whole recording, so that what they remove is kept with the
interview.

An earlier mode cut chunks at silences found by a voice detector; it decoded words near
the cuts with less context than the batch run (its test allowed a WER of 8 % against the
batch transcript, where the windows are held to 3 %) and was removed.

Audio is float32 at 16 kHz; times are seconds from the recording's start.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from audio.types import Segment, Word, with_words
from kvale_errors import AudioError

if TYPE_CHECKING:
    from audio.engines import Engine

SAMPLE_RATE = 16_000
WINDOW_S = 30.0  # Whisper's decoding window
Reader = Callable[[Path, float, float], npt.NDArray[np.float32]]


@dataclass(frozen=True)
class LiveSettings:
    """How the live transcriber cuts the growing audio.

    Attributes:
        span_s: decode once this much audio follows the next window's
            start: two whole windows and part of a third, whose decoding is done again on
            the next call. Longer spans waste less and trail further behind; at stop at
            most this much is left (about 10 s of work for base on 2 cores).
        poll_s: how often the child looks for new audio.
        cpu_threads: threads for the engine in the child.
        beam_size: beam width.
        compute_type: faster-whisper compute type.
        seed: random seed for the temperature-fallback sampling (benchmarks), or None.
        preview_s: while a span is filling up, a provisional pass decodes the newest
            ``preview_window_s`` of audio every this many seconds of new audio, so the
            interviewer sees text within about that long (0: none). Provisional text is
            shown, never kept: the transcript is the windows' (the batch run's).
        preview_window_s: seconds of the newest audio a provisional pass decodes.
    """

    span_s: float = 75.0
    poll_s: float = 0.5
    cpu_threads: int = 2
    beam_size: int = 5
    compute_type: str = "int8"
    seed: int | None = None
    preview_s: float = 8.0
    preview_window_s: float = 15.0


def merge_words(
    segments: list[Segment],
    committed_end: float,
    commit_until: float | None,
    last_word: str | None = None,
) -> tuple[list[Segment], float]:
    """Keep the words after the last committed word (by midpoint) and before commit_until.

    A first new word equal to the last committed one and starting within 0.5 s of its end
    is the same word heard again across the overlap, and is dropped too; so is the first
    word of a segment from another decoding window (Whisper sometimes ends a window with a
    word and begins the next one with it again).

    Returns the kept segments (rebuilt from their kept words) and the new committed end.
    """
    kept: list[Segment] = []
    previous = _plain(last_word) if last_word else None
    window = segments[0].window if segments else 0.0
    for seg in segments:
        if seg.window != window and kept:
            previous = _plain(kept[-1].words[-1].word)
        window = seg.window
        words: list[Word] = []
        for w in seg.words:
            if (w.start + w.end) / 2 <= committed_end:
                continue
            if commit_until is not None and w.end > commit_until:
                continue
            if previous and _plain(w.word) == previous and w.start < committed_end + 0.5:
                previous = None
                continue
            previous = None
            words.append(w)
        if not words:
            continue
        committed_end = max(committed_end, words[-1].end)
        kept.append(with_words(seg, tuple(words)))
    return kept, committed_end


def _plain(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum())


def _whole_windows(
    stream: Iterator[Segment], limit: float, following: list[float]
) -> Iterator[Segment]:
    """The segments of the decoding windows that end by ``limit``.

    The first segment of a later window is not taken: its window's start goes into
    ``following`` (the batch run decodes that window next, with the audio after it).
    """
    for seg in stream:
        if seg.window + WINDOW_S > limit:
            following.append(seg.window)
            return
        yield seg


def run_windows(
    engine: Engine,
    read: Reader,
    folder: Path,
    settings: LiveSettings,
    language: str | None,
    stopped: Callable[[], bool],
    emit: Callable[[list[Segment], float], None],
    wait: Callable[[float], None] = time.sleep,
    preview: Callable[[list[Segment]], None] | None = None,
) -> float:
    """Follow a recording in the batch run's decoding windows until ``stopped()`` and its
    tail is done; emit each stretch's segments (gaps filled) and how far it reached.
    ``wait(seconds)`` sleeps between polls (a simulated clock in tests and benchmarks).
    ``preview(segments)`` receives provisional text of the newest audio while a span
    fills (`LiveSettings.preview_s`); it replaces the previous preview and is never
    part of what ``emit`` receives.

    Returns:
        The seconds of recording transcribed.
    """
    from audio.engine_base import context_of
    from audio.gaps import fill_gaps

    decoded: list[Segment] = []  # the engine's own segments of the windows accepted
    seek = 0.0  # where the batch run's next window starts
    committed_end = 0.0
    last_word: str | None = None
    lang = language
    span = max(settings.span_s, WINDOW_S + 1.0)
    previewed = 0.0  # seconds after ``seek`` the last provisional pass reached
    while True:
        ended = stopped()
        try:
            audio = read(folder, seek, seek + span)
        except AudioError:
            if ended or seek > 0:
                raise
            wait(settings.poll_s)  # the recorder has not created its folder yet
            continue
        available = len(audio) / SAMPLE_RATE
        # the read reaches the recording's end (a few samples short of ``span`` is
        # rounding of the read, not the end)
        final = ended and available < span - 0.05
        if not final and available < span - 0.05:
            if (
                preview is not None
                and settings.preview_s > 0
                and available - previewed >= settings.preview_s
            ):
                previewed = available
                preview(_provisional(engine, audio, seek, lang, settings.preview_window_s))
            wait(settings.poll_s)
            continue
        segments: list[Segment] = []
        following: list[float] = []
        if available > 0.25:
            stream, info = engine.transcribe(
                audio,
                language=lang,
                beam_size=settings.beam_size,
                offset=seek,
                context=context_of(decoded),  # the batch run's context at ``seek``
            )
            lang = lang or info.language  # batch detects once, on its first window
            # a window ending after the audio read is incomplete here (not at the end)
            limit = float("inf") if final else seek + available - 0.02
            whole = _whole_windows(stream, limit, following)
            segments = list(whole)
        if final:
            reached = seek + available
        elif following:
            reached = max(following[0], seek + 1.0)
        else:  # the last windows gave no text: go on from the last word, or near the end
            last = max((w.end for s in segments for w in s.words), default=seek)
            reached = max(last, seek + available - WINDOW_S, seek + 1.0)
        done = audio[: int((reached - seek) * SAMPLE_RATE)]
        segments = [s for s in segments if s.start < reached]
        decoded += segments
        segments = fill_gaps(
            lambda: engine,
            done,
            segments,
            language=lang,
            offset=seek,
            windows=False,  # checked on the whole transcript at the end (processing)
        )
        # a word a gap's transcription heard at the edge of the stretch is not repeated
        kept, committed_end = merge_words(segments, committed_end, None, last_word)
        if kept:  # merge_words keeps only segments with words
            last_word = kept[-1].words[-1].word
        emit(kept, reached)
        if final:
            return reached
        seek = reached
        previewed = 0.0


def _provisional(
    engine: Engine, audio: npt.NDArray[np.float32], seek: float, language: str | None, window: float
) -> list[Segment]:
    """A fast greedy decode of the newest ``window`` seconds of ``audio`` (which starts at
    ``seek`` s), with recording times. Provisional: the caller never commits it."""
    start = max(0, len(audio) - int(window * SAMPLE_RATE))
    stream, _info = engine.transcribe(
        audio[start:], language=language, beam_size=1, offset=seek + start / SAMPLE_RATE
    )
    return [s for s in stream if s.text.strip()]
