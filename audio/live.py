"""Transcription while recording, in a separate low-priority process.

`LiveTranscriber` follows a growing recording folder. A child process (multiprocessing
*spawn*, ``os.nice(10)``, few CPU threads) reads new audio, transcribes it in the batch
run's own decoding windows (`audio.follow.run_windows`) and sends segments back through a
queue. When the interview stops, `finish` asks the child to transcribe the tail and
returns every segment. The child dies with its parent (``PR_SET_PDEATHSIG`` plus a parent
watchdog).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from audio.engines import seed_sampling
from audio.follow import LiveSettings, Reader, run_windows
from audio.recording import read_recording
from audio.types import Segment
from kvale_errors import N_, KvaleError, TranscriptionError

log = logging.getLogger(__name__)


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
    """The child process: follow the recording, transcribe its windows, send segments."""
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

        end = run_windows(
            engine,
            reader or read_recording,
            folder,
            settings,
            language,
            stopped,
            lambda kept, progress: out.put(("segments", kept, progress)),
            preview=lambda provisional: out.put(("preview", provisional, 0.0)),
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
        language: Whisper code, or None to detect (then fixed after the first window).
        settings: span and CPU settings.
        reader: ``reader(folder, start_s, end_s) -> float32 16 kHz`` (module-level function,
            picklable); default `audio.recording.read_recording`.
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
        self._preview: list[Segment] = []
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
            # provisional text the committed segments now cover is gone
            self._preview = [s for s in self._preview if s.end > self._progress]
        elif kind == "preview":
            self._preview = [s for s in payload if s.end > self._progress]
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

    def provisional(self) -> list[Segment]:
        """Provisional text of the newest audio, after `segments_so_far` (shown while the
        interview runs, never part of the transcript; non-blocking)."""
        self._drain()
        return list(self._preview)

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
                raise TranscriptionError.said(
                    N_(
                        "Transcribing the end of the recording took longer than {seconds} s. "
                        "The recording is kept; transcribe it with `kvale transcribe`."
                    ),
                    seconds=f"{timeout:.0f}",
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
