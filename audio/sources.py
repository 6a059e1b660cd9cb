"""Where the recorder's audio comes from: the microphone, or a file played as if it were.

Both call the recorder's block sink from their own thread (PortAudio's callback, or the
file thread) with int16 blocks of 1/`BLOCKS_PER_SECOND` s and an overflow flag.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import soundfile as sf

from audio.devices import portaudio, resolve_device
from kvale_errors import AudioError
from kvale_i18n import N_

log = logging.getLogger(__name__)

BLOCKS_PER_SECOND = 20  # level meter updates per second
BlockSink = Callable[[npt.NDArray[np.int16], bool], None]


class AudioSource(Protocol):
    """Where the recorder's blocks come from: the microphone or a file."""

    samplerate: int
    channels: int
    name: str

    def start(self, sink: BlockSink, on_finished: Callable[[], None]) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def stop(self) -> None: ...

    @property
    def finished(self) -> bool: ...


class MicrophoneSource:
    """A sounddevice `InputStream` (int16) whose callback feeds the recorder's sink."""

    is_live = True

    def __init__(
        self,
        device: int | str | None = None,
        *,
        samplerate: int = 16000,
        channels: int = 1,
        input_samplerate: int | None = None,
    ) -> None:
        self.device = resolve_device(device)
        self.name = self.device.name
        self.channels = min(channels, self.device.channels)
        self.samplerate = input_samplerate or self._choose_rate(samplerate)
        self._stream: Any = None
        self._finished = False

    def _choose_rate(self, wanted: int) -> int:
        sd = portaudio()
        try:
            sd.check_input_settings(
                device=self.device.index, samplerate=wanted, channels=self.channels, dtype="int16"
            )
            return wanted
        except Exception:  # the device cannot do it: record natively, resample
            native = int(self.device.default_samplerate)
            log.info("%s cannot record at %d Hz; using %d Hz", self.name, wanted, native)
            return native

    def start(self, sink: BlockSink, on_finished: Callable[[], None]) -> None:
        sd = portaudio()

        def callback(indata: Any, frames: int, t: Any, status: Any) -> None:
            sink(indata, bool(status.input_overflow))

        def finished() -> None:
            self._finished = True
            on_finished()

        try:
            self._stream = sd.InputStream(
                device=self.device.index,
                samplerate=self.samplerate,
                channels=self.channels,
                dtype="int16",
                blocksize=self.samplerate // BLOCKS_PER_SECOND,
                callback=callback,
                finished_callback=finished,
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError, ValueError...
            raise AudioError.said(
                N_(
                    "The microphone {name} cannot be opened ({problem}). Check that it is "
                    "plugged in and not used by another program, then press r to try again."
                ),
                name=repr(self.name),
                problem=exc,
            ) from exc

    def pause(self) -> None:
        """The stream keeps running; the writer drops what comes while paused."""

    def resume(self) -> None:
        """See `pause`."""

    def stop(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            with contextlib.suppress(Exception):
                stream.stop()
            with contextlib.suppress(Exception):
                stream.close()

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def active(self) -> bool:
        return self._stream is not None and bool(self._stream.active)


class FileSource:
    """An audio file played into the recorder as if it came from a microphone.

    A real thread reads the file in blocks of 50 ms (int16) and calls the recorder's sink,
    the same function the PortAudio callback calls. Paced in real time (``realtime``, at
    ``speed`` × real time) or as fast as possible; it ends by itself at the end of the file
    (`finished` becomes True). Pausing the recorder pauses the file.

    Raises:
        AudioError: the file cannot be read as audio.
    """

    is_live = False

    def __init__(self, path: Path | str, *, realtime: bool = True, speed: float = 1.0) -> None:
        self.path = Path(path)
        try:
            info = sf.info(str(self.path))
        except Exception as exc:
            raise AudioError(
                f"{self.path.name} cannot be read as audio ({exc}). Use a WAV or FLAC file."
            ) from exc
        self.samplerate = int(info.samplerate)
        self.channels = int(info.channels)
        self.name = f"file {self.path.name}"
        self.realtime = realtime
        self.speed = speed
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._finished = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, sink: BlockSink, on_finished: Callable[[], None]) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(sink, on_finished), name="kvale-file-source", daemon=True
        )
        self._thread.start()

    def _run(self, sink: BlockSink, on_finished: Callable[[], None]) -> None:
        block = self.samplerate // BLOCKS_PER_SECOND
        sent = 0
        t0 = time.monotonic()
        try:
            with sf.SoundFile(str(self.path)) as f:
                while not self._stop.is_set():
                    if not self._running.is_set():
                        paused_at = time.monotonic()
                        while not self._running.wait(0.05) and not self._stop.is_set():
                            pass
                        t0 += time.monotonic() - paused_at
                        continue
                    data = f.read(block, dtype="int16", always_2d=True)
                    if len(data) == 0:
                        break
                    if self.realtime:
                        due = t0 + sent / (self.samplerate * self.speed)
                        delay = due - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                    if not self._running.is_set():  # paused while this block was due
                        paused_at = time.monotonic()
                        while not self._running.wait(0.05) and not self._stop.is_set():
                            pass
                        t0 += time.monotonic() - paused_at
                    sink(data, False)
                    sent += len(data)
        except Exception:
            log.exception("file source %s failed", self.path)
        finally:
            self._finished.set()
            on_finished()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    @property
    def finished(self) -> bool:
        return self._finished.is_set()
