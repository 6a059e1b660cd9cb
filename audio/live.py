"""Transcription while recording, in a separate low-priority process.

`LiveTranscriber` follows a growing recording folder. A child process (multiprocessing
*spawn*, ``os.nice(10)``, few CPU threads) reads new audio, transcribes it and sends
segments back through a queue. Two ways to cut the growing audio (`LiveSettings.mode`):

``windows`` (default, `run_windows`): the decoder's own 30 s windows, exactly as a batch
run of the finished recording would place them. Whisper decodes a window, keeps the
segments that end in it and moves on from the end of the last complete word. Live, the
child waits until a stretch of audio holds whole windows, accepts the segments of every
window that was complete (the batch run sees the same 30 s), and starts the next call at
the window the batch run would decode next. Windows do not overlap, so no word is cut or
heard twice at a call boundary, and the transcript at stop is the batch transcript but for
small differences: the features (the log-mel of a stretch, not of the whole file), and
the first window of each call, which has no previous window's text as context; only the
last windows are left for the tail.
Speech no segment covers is transcribed again (`audio.gaps`) stretch by stretch. The
segments are sent as the engine made them: the guards (`audio.guards`) run once, in the
interview's process, on the whole recording, so that what they remove is kept with the
interview.

``vad`` (`run_chunks`): chunks cut at silences found by Silero VAD, merged by word
timestamps: a word of the new chunk is kept only when its midpoint lies after the end of
the last committed word; a chunk cut inside speech leaves its last second to the next.
Each chunk starts a fresh 30 s window, so words near the cuts are decoded with less
context than a batch run gives them (`bench transcription` measures the difference).

When the interview stops, `finish` asks the child to transcribe the tail and returns every
segment. The child dies with its parent (``PR_SET_PDEATHSIG`` plus a parent watchdog).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from audio.types import Segment, Word, with_words

if TYPE_CHECKING:
    from audio.engines import Engine
from kvale_errors import AudioError, KvaleError, TranscriptionError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
WINDOW_S = 30.0  # Whisper's decoding window
Reader = Callable[[Path, float, float], npt.NDArray[np.float32]]


@dataclass(frozen=True)
class LiveSettings:
    """How the live transcriber cuts the growing audio.

    Attributes:
        mode: ``windows`` (the batch run's decoding windows) or ``vad`` (chunks cut at
            silences); see the module docstring.
        span_s: ``windows`` mode: decode once this much audio follows the next window's
            start: two whole windows and part of a third, whose decoding is done again on
            the next call. Longer spans waste less and trail further behind; at stop at
            most this much is left (about 10 s of work for base on 2 cores).
        chunk_s: try to cut once this much new audio is there.
        min_chunk_s: never cut a chunk shorter than this (unless the recording ended).
        max_chunk_s: cut inside speech if no silence was found by then (< 30 s window).
        holdback_s: at a cut inside speech, this much is left for the next chunk.
        overlap_s: the next chunk starts this long before the last committed word's end
            (0 measured best: an earlier start puts the tail of the previous word at the
            start of a window, which Whisper sometimes answers with nothing at all).
        poll_s: how often the child looks for new audio.
        cpu_threads: threads for the engine in the child.
        beam_size: beam width.
        compute_type: faster-whisper compute type.
        seed: random seed for the temperature-fallback sampling (benchmarks), or None.
    """

    mode: str = "windows"
    span_s: float = 75.0
    chunk_s: float = 20.0
    min_chunk_s: float = 8.0
    max_chunk_s: float = 28.0
    holdback_s: float = 1.5
    overlap_s: float = 0.0
    poll_s: float = 0.5
    cpu_threads: int = 2
    beam_size: int = 5
    compute_type: str = "int8"
    seed: int | None = None


def read_wav_chunks(folder: Path, start_s: float, end_s: float) -> npt.NDArray[np.float32]:
    """Read [start_s, end_s) of a recording made of numbered WAV/FLAC chunk files.

    Used when `audio.capture.read_recording` is not available. Chunks are read in name
    order; a chunk that cannot be read yet (being written) ends the recording so far.
    """
    import soundfile as sf

    out: list[npt.NDArray[np.float32]] = []
    pos = 0  # samples before the current file
    a, b = int(start_s * SAMPLE_RATE), int(end_s * SAMPLE_RATE)
    files = sorted(p for p in folder.iterdir() if p.suffix in (".wav", ".flac"))
    for path in files:
        try:
            info = sf.info(str(path))
        except (RuntimeError, sf.LibsndfileError):
            break
        n = int(info.frames * SAMPLE_RATE / info.samplerate)
        if pos + n > a and pos < b:
            data, rate = sf.read(str(path), dtype="float32", always_2d=True)
            mono = data.mean(axis=1)
            if rate != SAMPLE_RATE:
                m = round(len(mono) * SAMPLE_RATE / rate)
                mono = np.interp(
                    np.arange(m) * (rate / SAMPLE_RATE), np.arange(len(mono)), mono
                ).astype(np.float32)
            out.append(mono[max(0, a - pos) : max(0, b - pos)])
        pos += n
        if pos >= b:
            break
    if not out:
        return np.zeros(0, np.float32)
    return np.concatenate(out).astype(np.float32)


def default_reader() -> Reader:
    """The recorder's reader (`audio.recording.read_recording`) if present, else WAV chunks."""
    try:
        from audio.recording import read_recording
    except ImportError:
        return read_wav_chunks
    reader: Reader = read_recording
    return reader


def find_cut(
    audio: npt.NDArray[np.float32], settings: LiveSettings, ended: bool
) -> tuple[int, bool]:
    """Where to end this chunk (in samples) and whether the cut lies in silence.

    Returns (0, False) when it is too early to cut.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    n = len(audio)
    seconds = n / SAMPLE_RATE
    if ended and seconds <= settings.max_chunk_s:
        return n, True
    if not ended and seconds < settings.chunk_s:
        return 0, False
    limit = min(n, int(settings.max_chunk_s * SAMPLE_RATE))
    spans = get_speech_timestamps(audio[:limit], VadOptions(min_silence_duration_ms=300))
    if not spans:
        return limit, True  # silence only
    lo = int(settings.min_chunk_s * SAMPLE_RATE)
    gaps = [(spans[i]["end"], spans[i + 1]["start"]) for i in range(len(spans) - 1)]
    if limit < n or ended:
        gaps.append((spans[-1]["end"], limit))
    best = 0
    for a, b in gaps:
        mid = (a + b) // 2
        if lo <= mid <= limit and b - a >= int(0.2 * SAMPLE_RATE):
            best = max(best, mid)
    if best:
        return best, True
    if seconds >= settings.max_chunk_s:
        return limit, False
    return 0, False


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


def seed_sampling(seed: int) -> None:
    """Make Whisper's temperature-fallback sampling repeatable (both engines)."""
    import ctranslate2

    ctranslate2.set_random_seed(seed)
    with contextlib.suppress(ImportError):
        import torch

        torch.manual_seed(seed)


def _die_with_parent(parent_pid: int) -> None:
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(1.0)

    threading.Thread(target=watch, daemon=True).start()


def run_chunks(
    engine: Engine,
    read: Reader,
    folder: Path,
    settings: LiveSettings,
    language: str | None,
    stopped: Callable[[], bool],
    emit: Callable[[list[Segment], float], None],
    wait: Callable[[float], None] = time.sleep,
) -> float:
    """Follow a recording until ``stopped()`` and its tail is done; emit merged segments.
    ``wait(seconds)`` sleeps between polls (a simulated clock in tests and benchmarks).

    Returns:
        The seconds of recording transcribed.
    """
    chunk_start = 0.0
    committed_end = 0.0
    last_word: str | None = None
    lang = language
    while True:
        ended = stopped()
        try:
            audio = read(folder, chunk_start, chunk_start + settings.max_chunk_s + 2.0)
        except AudioError:
            if ended or chunk_start > 0:
                raise
            wait(settings.poll_s)  # the recorder has not created its folder yet
            continue
        cut, at_silence = find_cut(audio, settings, ended)
        if cut == 0:
            if ended:
                break
            wait(settings.poll_s)
            continue
        final = ended and cut == len(audio)
        chunk = audio[:cut]
        segments: list[Segment] = []
        if len(chunk) > SAMPLE_RATE // 4:
            stream, info = engine.transcribe(
                chunk,
                language=lang,
                beam_size=settings.beam_size,
                offset=chunk_start,
            )
            if lang is None and info.language_probability > 0.8:
                lang = info.language  # keep the detected language for later chunks
            segments = list(stream)
        cut_s = chunk_start + cut / SAMPLE_RATE
        commit_until = None if (final or at_silence) else cut_s - settings.holdback_s
        kept, committed_end = merge_words(segments, committed_end, commit_until, last_word)
        if kept:
            last_word = kept[-1].words[-1].word
        progress = max(committed_end, cut_s if at_silence else 0.0)
        emit(kept, progress)
        if final:
            return cut_s
        # Start the next chunk at the end of the last committed word (minus overlap_s), not
        # at the cut, so words Whisper left out at the end of this chunk are heard again;
        # merge_words drops the ones already committed.
        if kept:
            following = committed_end - settings.overlap_s
        else:
            following = cut_s if at_silence else cut_s - settings.holdback_s
        chunk_start = max(following, chunk_start + settings.min_chunk_s / 2)
    return chunk_start


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
) -> float:
    """Follow a recording in the batch run's decoding windows until ``stopped()`` and its
    tail is done; emit each stretch's segments (gaps filled) and how far it reached.
    ``wait(seconds)`` sleeps between polls (a simulated clock in tests and benchmarks).

    Returns:
        The seconds of recording transcribed.
    """
    from audio.gaps import fill_gaps

    seek = 0.0  # where the batch run's next window starts
    committed_end = 0.0
    last_word: str | None = None
    lang = language
    span = max(settings.span_s, WINDOW_S + 1.0)
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
        segments = fill_gaps(
            lambda: engine,
            done,
            [s for s in segments if s.start < reached],
            language=lang,
            offset=seek,
        )
        # a word a gap's transcription heard at the edge of the stretch is not repeated
        kept, committed_end = merge_words(segments, committed_end, None, last_word)
        if kept:  # merge_words keeps only segments with words
            last_word = kept[-1].words[-1].word
        emit(kept, reached)
        if final:
            return reached
        seek = reached


def _child(
    folder: Path,
    engine_name: str,
    model: str,
    language: str | None,
    settings: LiveSettings,
    reader: Reader | None,
    parent_pid: int,
    control: Any,
    out: Any,
) -> None:
    """The child process: follow the recording, transcribe chunks, send segments."""
    _die_with_parent(parent_pid)
    with contextlib.suppress(OSError):
        os.nice(10)
    from audio.engines import get_engine

    try:
        kw: dict[str, Any] = {"cpu_threads": settings.cpu_threads}
        if engine_name != "openai-whisper":
            kw["compute_type"] = settings.compute_type
        engine = get_engine(engine_name, model, **kw)
        if settings.seed is not None:
            seed_sampling(settings.seed)
        state = {"ended": False}

        def stopped() -> bool:
            with contextlib.suppress(queue.Empty):
                if control.get_nowait() == "stop":
                    state["ended"] = True
            return state["ended"]

        run = run_windows if settings.mode == "windows" else run_chunks
        end = run(
            engine,
            reader or default_reader(),
            folder,
            settings,
            language,
            stopped,
            lambda kept, progress: out.put(("segments", kept, progress)),
        )
        out.put(("done", None, end))
    except KvaleError as exc:
        out.put(("error", exc.sentence, 0.0))
    except Exception as exc:  # report, never die silently
        log.exception("live transcription failed")
        out.put(("error", f"Live transcription stopped ({exc!r}).", 0.0))


class LiveTranscriber:
    """Transcribe a growing recording in a separate, lower-priority process.

    Args:
        recording_folder: the recorder's folder (numbered chunks + manifest, read with
            `audio.recording.read_recording`).
        engine: ``auto``, ``faster-whisper`` or ``openai-whisper``.
        model: model name or path (resolved offline in the child).
        language: Whisper code, or None to detect (then fixed after the first sure chunk).
        settings: chunking and CPU settings.
        reader: ``reader(folder, start_s, end_s) -> float32 16 kHz`` (module-level function,
            picklable); default `audio.recording.read_recording`, else `read_wav_chunks`.
    """

    def __init__(
        self,
        recording_folder: Path,
        *,
        engine: str = "auto",
        model: str = "base",
        language: str | None = None,
        settings: LiveSettings | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.folder = Path(recording_folder)
        self.engine = engine
        self.model = model
        self.language = language
        self.settings = settings or LiveSettings()
        self.reader = reader
        self._ctx = mp.get_context("spawn")
        self._control: Any = self._ctx.Queue()
        self._out: Any = self._ctx.Queue()
        self._process: Any = None
        self._segments: list[Segment] = []
        self._progress = 0.0
        self._done = False
        self._error: str | None = None

    @property
    def progress(self) -> float:
        """Seconds of the recording transcribed and committed so far."""
        self._drain()
        return self._progress

    def start(self) -> None:
        """Start the child process."""
        self._process = self._ctx.Process(
            target=_child,
            args=(
                self.folder,
                self.engine,
                self.model,
                self.language,
                self.settings,
                self.reader,
                os.getpid(),
                self._control,
                self._out,
            ),
            daemon=True,
            name="kvale-live-transcriber",
        )
        self._process.start()

    def _handle(self, message: tuple[str, Any, float]) -> None:
        kind, payload, progress = message
        if kind == "segments":
            for seg in payload:
                self._segments.append(replace(seg, id=len(self._segments)))
            self._progress = max(self._progress, progress)
        elif kind == "done":
            self._done = True
            self._progress = max(self._progress, progress)
        elif kind == "error":
            self._error = payload
            self._done = True

    def _drain(self) -> None:
        while True:
            try:
                self._handle(self._out.get_nowait())
            except queue.Empty:
                return

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise TranscriptionError(
                f"{self._error} The recording is kept; transcribe it afterwards with "
                "`kvale transcribe`."
            )

    def segments_so_far(self) -> list[Segment]:
        """All segments received so far (non-blocking).

        Raises:
            TranscriptionError: the child process failed (the sentence says why).
        """
        self._drain()
        self._raise_if_failed()
        return list(self._segments)

    def finish(self, timeout: float | None = None) -> list[Segment]:
        """Tell the child the recording stopped, wait for the tail, return every segment.

        Raises:
            TranscriptionError: the child failed, or did not finish within ``timeout``.
        """
        if self._process is None:
            raise TranscriptionError("The live transcriber was never started.")
        self._control.put("stop")
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._done:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                self.cancel()
                raise TranscriptionError(
                    f"Transcribing the end of the recording took longer than {timeout:.0f} s. "
                    "The recording is kept; transcribe it with `kvale transcribe`."
                )
            try:
                self._handle(self._out.get(timeout=min(0.5, left) if left else 0.5))
            except queue.Empty:
                if not self._process.is_alive():
                    self._drain()
                    if not self._done:
                        self._error = "The transcription process ended unexpectedly."
                        self._done = True
        self._raise_if_failed()
        self._process.join(timeout=10)
        return list(self._segments)

    def cancel(self) -> None:
        """Stop the child now; segments already received stay available."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
        self._drain()
        self._done = True
