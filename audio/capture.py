"""Recording an interview: microphone (sounddevice/PortAudio) or a file, to a crash-safe folder.

Threads (style: python-sounddevice's rec_unlimited.py): the PortAudio callback — or the
`FileSource` thread, which calls the very same function — only copies each block onto an
unbounded queue, puts the block's `Level` on a one-slot queue (the old one is dropped) and
counts input overflows. A writer thread drains the queue: downmix, silence/clipping
tracking, resampling to the stored rate (soxr streaming) and `audio.writer.ChunkWriter`,
which appends to disk at once and flushes headers + fdatasync every second. Pause and resume
travel through the same queue as markers, so they cut the audio exactly; stop puts a
sentinel and joins. The folder format is described in `audio.recording`.

Faults become `AudioError` sentences: no microphone, a device name not found, the device
lost mid-recording (the stream finishes by itself, or no audio arrives for
`STALL_SECONDS`), disk full and no permission to write. What was recorded is kept.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import soxr

from audio.devices import NO_MICROPHONE, InputDevice, list_input_devices
from audio.levels import Level, LevelTracker, block_level
from audio.recording import RecordingInfo, find_interrupted, read_recording, recover_recording
from audio.sources import AudioSource, FileSource, MicrophoneSource
from audio.writer import (
    CHUNK_SECONDS,
    FLUSH_SECONDS,
    ChunkWriter,
    disk_full_error,
    write_error,
)
from kvale_errors import AudioError

__all__ = [
    "CHUNK_SECONDS",
    "NO_MICROPHONE",
    "AudioSource",
    "FileSource",
    "InputDevice",
    "Level",
    "MicrophoneSource",
    "Recorder",
    "RecorderStatus",
    "RecordingInfo",
    "find_interrupted",
    "list_input_devices",
    "read_recording",
    "recover_recording",
]

log = logging.getLogger(__name__)

STALL_SECONDS = 3.0
_PAUSE, _RESUME, _ENDED = "pause", "resume", "ended"  # markers in the block queue


@dataclass(frozen=True)
class RecorderStatus:
    """What the level meter and the status line show (see `Recorder.status`)."""

    elapsed: float
    level: Level
    silence_warning: bool
    clipping_warning: bool
    overflows: int
    free_bytes: int
    minutes_left: float | None
    error: AudioError | None = None
    state: str = "idle"

    @property
    def level_dbfs(self) -> float:
        return self.level.rms_dbfs


class Recorder:
    """Records from a microphone or an `AudioSource` into a crash-safe recording folder.

    Args:
        out_dir: the recording folder (created; an existing recording in it is continued).
        device: input device: None = system default, a device index or part of its name.
        samplerate: the stored rate (16 kHz by default). If the device cannot run at it, the
            device's native rate is recorded and resampled.
        channels: stored channels (1 = mono, the default).
        source: record from this source (e.g. `FileSource`) instead of the microphone.
        silence_seconds: warn after this long without sound.
        input_samplerate: force the device's rate (e.g. 48000) instead of negotiating.
    """

    def __init__(
        self,
        out_dir: Path,
        *,
        device: int | str | None = None,
        samplerate: int = 16000,
        channels: int = 1,
        source: AudioSource | None = None,
        silence_seconds: float = 10.0,
        input_samplerate: int | None = None,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.device = device
        self.samplerate = samplerate
        self.channels = channels
        self.source: Any = source
        self.silence_seconds = silence_seconds
        self.input_samplerate = input_samplerate
        self._state = "idle"
        self._blocks: queue.Queue[Any] = queue.Queue()
        self._levels: queue.Queue[Level] = queue.Queue(maxsize=1)
        self._level = Level()
        self._overflows = 0
        self._frames_in = 0
        self._error: AudioError | None = None
        self._writer: ChunkWriter | None = None
        self._thread: threading.Thread | None = None
        self._info: RecordingInfo | None = None
        self._tracker = LevelTracker(samplerate, silence_seconds=silence_seconds)
        self._disk: tuple[float, int] = (0.0, 0)
        self._stopping = False
        self._error_raised = False
        self.cpu_seconds = 0.0  # writer thread CPU time (for the benchmark)

    # --- the real-time path ------------------------------------------------------------

    def _on_block(self, block: npt.NDArray[np.int16], overflowed: bool) -> None:
        """Called by the PortAudio callback (or the file thread): copy, level, count."""
        if overflowed:
            self._overflows += 1
        self._blocks.put_nowait(block.copy())
        level = block_level(block)
        with contextlib.suppress(queue.Empty):
            self._levels.get_nowait()
        with contextlib.suppress(queue.Full):
            self._levels.put_nowait(level)

    def _on_finished(self) -> None:
        self._blocks.put_nowait(_ENDED)

    # --- control -----------------------------------------------------------------------

    def start(self) -> None:
        """Open the folder, then the source, and start recording.

        Raises:
            AudioError: no microphone / not found / cannot be opened, or the folder cannot
                be written.
        """
        if self._state != "idle":
            return
        if self.source is None:
            self.source = MicrophoneSource(
                self.device,
                samplerate=self.samplerate,
                channels=self.channels,
                input_samplerate=self.input_samplerate,
            )
        self._writer = ChunkWriter(
            self.out_dir,
            self.samplerate,
            self.channels,
            device=self.source.name,
            input_samplerate=self.source.samplerate,
        )
        self.samplerate = self._writer.samplerate
        self.channels = self._writer.channels
        self._tracker = LevelTracker(self.samplerate, silence_seconds=self.silence_seconds)
        self._thread = threading.Thread(target=self._write_loop, name="kvale-writer", daemon=True)
        self._thread.start()
        try:
            self.source.start(self._on_block, self._on_finished)
        except AudioError:
            self._blocks.put(None)
            self._thread.join()
            self._state = "failed"
            raise
        self._state = "recording"

    def pause(self) -> None:
        """Stop keeping audio until `resume` (the elapsed time stops too)."""
        if self._state == "recording":
            self._state = "paused"
            self.source.pause()
            self._blocks.put(_PAUSE)

    def resume(self) -> None:
        if self._state == "paused":
            self._state = "recording"
            self._blocks.put(_RESUME)
            self.source.resume()

    def stop(self) -> RecordingInfo:
        """Stop, finish the folder and return what was recorded.

        Raises:
            AudioError: once, if recording failed (device lost, disk full); the audio
                recorded until then is kept and a second call returns its info.
        """
        if self._state == "idle":
            raise AudioError("The recording was never started, so there is nothing to stop.")
        if self._thread is not None:
            self._stopping = True
            if self.source is not None:
                self.source.stop()
            self._blocks.put(None)
            self._thread.join()
            self._thread = None
        if self._state != "failed":
            self._state = "stopped"
        if self._error is not None and not self._error_raised:
            self._error_raised = True
            raise self._error
        assert self._info is not None
        return self._info

    # --- the writer thread ---------------------------------------------------------------

    def _write_loop(self) -> None:
        writer = self._writer
        assert writer is not None
        t_cpu = time.thread_time()
        in_rate = self.source.samplerate
        resampler = (
            None
            if in_rate == self.samplerate
            else soxr.ResampleStream(in_rate, self.samplerate, self.channels, dtype="float32")
        )
        paused = False
        last_flush = last_block = time.monotonic()
        try:
            while True:
                try:
                    item = self._blocks.get(timeout=0.25)
                except queue.Empty:
                    item = ""
                if item is None:
                    break
                now = time.monotonic()
                if isinstance(item, str):
                    if item == _PAUSE:
                        paused = True
                    elif item == _RESUME:
                        paused = False
                        last_block = now
                    elif item == _ENDED and getattr(self.source, "is_live", False):
                        if not self._stopping:
                            raise _DeviceLost
                    elif (
                        item == ""
                        and not paused
                        and getattr(self.source, "is_live", False)
                        and now - last_block > STALL_SECONDS
                    ):
                        raise _DeviceLost
                else:
                    last_block = now
                    # A microphone keeps sending while paused: drop that. A file source
                    # pauses itself, so a block it sent as the pause came is the next
                    # piece of the file and is kept (dropping it would cut a gap).
                    if not paused or not getattr(self.source, "is_live", False):
                        self._store(item, writer, resampler)
                if now - last_flush >= FLUSH_SECONDS:
                    writer.flush()
                    last_flush = now
            if resampler is not None:
                tail = resampler.resample_chunk(np.zeros((0, self.channels), np.float32), last=True)
                writer.write(_to_int16(tail))
            self._info = writer.close(self._overflows)
        except _DeviceLost:
            self._fail(
                AudioError(
                    "The microphone stopped sending sound (was it unplugged?), so recording "
                    f"stopped. What was recorded until then is kept in {self.out_dir}. "
                    "Reconnect it and start recording again."
                )
            )
        except OSError as exc:
            self._fail(
                disk_full_error(self.out_dir) if exc.errno == 28 else write_error(self.out_dir, exc)
            )
        except Exception as exc:  # never leave a recording without an error
            log.exception("recording writer failed")
            self._fail(
                AudioError(
                    f"Recording stopped unexpectedly ({exc}). What was "
                    f"recorded is kept in {self.out_dir}."
                )
            )
        finally:
            self.cpu_seconds = time.thread_time() - t_cpu

    def _store(self, block: npt.NDArray[np.int16], writer: ChunkWriter, resampler: Any) -> None:
        if block.shape[1] != self.channels:
            mono = block.mean(axis=1, keepdims=True)
            block = np.repeat(mono, self.channels, axis=1).astype(np.int16)
        self._frames_in += len(block)
        if resampler is None:
            self._tracker.update(block)
            writer.write(block)
            return
        out = _to_int16(resampler.resample_chunk(block.astype(np.float32) / 32768.0))
        self._tracker.update(out)
        writer.write(out)

    def _fail(self, error: AudioError) -> None:
        log.warning("recording failed: %s", error)
        self._error = error
        self._state = "failed"
        if self.source is not None:
            with contextlib.suppress(Exception):
                if threading.current_thread() is not getattr(self.source, "_thread", None):
                    self.source.stop()
        writer = self._writer
        if writer is not None:
            writer.abort(self._overflows)
            total = writer.frames_before + writer.frames
            self._info = RecordingInfo(
                self.out_dir, total / self.samplerate, self.samplerate, total, self._overflows
            )
        # drain so the queue does not grow while nobody reads it
        with contextlib.suppress(queue.Empty):
            while True:
                self._blocks.get_nowait()

    # --- observation ----------------------------------------------------------------------

    @property
    def state(self) -> str:
        """ "idle", "recording", "paused", "stopped" or "failed"."""
        return self._state

    @property
    def elapsed(self) -> float:
        """Seconds recorded in this session, pauses excluded."""
        rate = self.source.samplerate if self.source is not None else self.samplerate
        return self._frames_in / rate

    @property
    def finished(self) -> bool:
        """True when the source ended by itself (a `FileSource` at its end)."""
        return bool(self.source is not None and self.source.finished)

    @property
    def error(self) -> AudioError | None:
        return self._error

    def status(self) -> RecorderStatus:
        """The meter's data: level, warnings, elapsed, overflows, free disk, error."""
        with contextlib.suppress(queue.Empty):
            self._level = self._levels.get_nowait()
        now = time.monotonic()
        if now - self._disk[0] > 1.0:
            try:
                free = shutil.disk_usage(self.out_dir).free
            except OSError:
                free = 0
            self._disk = (now, free)
        free = self._disk[1]
        per_minute = self.samplerate * self.channels * 2 * 60
        return RecorderStatus(
            elapsed=self.elapsed,
            level=self._level,
            silence_warning=self._tracker.silence_warning,
            clipping_warning=self._tracker.clipping_warning,
            overflows=self._overflows,
            free_bytes=free,
            minutes_left=free / per_minute if per_minute else None,
            error=self._error,
            state=self._state,
        )


class _DeviceLost(Exception):
    pass


def _to_int16(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.int16]:
    scaled = np.clip(np.rint(audio * 32768.0), -32768, 32767)
    out: npt.NDArray[np.int16] = scaled.astype(np.int16)
    return out
