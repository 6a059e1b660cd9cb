"""A file-backed ALSA microphone for tests: the real sounddevice → PortAudio → ALSA path.

Recipe (shared/docs/audio-testing.md): a socketpair whose read end is an ALSA ``type file``
PCM's ``infile``; a feeder thread writes the signal's raw samples in 10 ms chunks at real
time pace, then zeros. ``ALSA_CONFIG_PATH`` keeps ``/usr/share/alsa/alsa.conf`` first and
PortAudio is re-initialised so it sees the device.

Use in-process::

    with fake_microphone(signal, 16000, "int16") as mic:
        rec = Recorder(folder); rec.start() ...

or for a child process: ``subprocess.Popen(..., env=mic.env, pass_fds=mic.pass_fds)``.
The fed samples must match the stream's dtype, rate and channels exactly (the recorder
opens int16 streams).
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

ALSA_CONF = "/usr/share/alsa/alsa.conf"


@dataclass
class FakeMicrophone:
    """A running fake microphone: its environment, fds to pass and feeding progress."""

    env: dict[str, str]
    pass_fds: tuple[int, ...]
    config_path: Path
    samplerate: int
    fed_frames: int = 0
    signal_done: threading.Event = field(default_factory=threading.Event)


def reinit_portaudio() -> None:
    """Make PortAudio re-read the ALSA configuration (it reads it when it initialises)."""
    import sounddevice as sd

    sd._terminate()
    sd._initialize()


def _feed(
    sock: socket.socket,
    raw: bytes,
    frame_bytes: int,
    samplerate: int,
    stop: threading.Event,
    mic: FakeMicrophone,
) -> None:
    chunk_frames = samplerate // 100
    chunk = chunk_frames * frame_bytes
    zeros = bytes(chunk)
    t0 = time.monotonic()
    sent = 0
    pos = 0
    while not stop.is_set():
        if pos < len(raw):
            data = raw[pos : pos + chunk]
            pos += len(data)
            if pos >= len(raw):
                mic.signal_done.set()
        else:
            data = zeros
        try:
            sock.sendall(data)
        except OSError:
            return
        sent += len(data) // frame_bytes
        mic.fed_frames = min(sent, len(raw) // frame_bytes)
        delay = t0 + sent / samplerate - time.monotonic()
        if delay > 0:
            time.sleep(delay)


@contextlib.contextmanager
def fake_microphone(
    signal: npt.NDArray[np.generic], samplerate: int, dtype: str = "int16", *, reinit: bool = True
) -> Iterator[FakeMicrophone]:
    """Provide a default ALSA capture device that plays ``signal`` in real time.

    Args:
        signal: (frames,) or (frames, channels) samples, converted to ``dtype``.
        samplerate: the pace of the feeder (must equal the stream's rate).
        dtype: the sample type of the stream that will read it ("int16" or "float32").
        reinit: re-initialise PortAudio in this process on entry and exit.
    """
    data = np.ascontiguousarray(np.asarray(signal).astype(dtype))
    channels = 1 if data.ndim == 1 else data.shape[1]
    frame_bytes = data.dtype.itemsize * channels
    read_end, write_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    read_end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, 1 << 30)
    write_end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)
    fd = read_end.fileno()
    os.set_inheritable(fd, True)
    conf_dir = Path(tempfile.mkdtemp(prefix="kvale-fakemic-"))
    conf = conf_dir / "asoundrc"
    conf.write_text(
        f'pcm.fakemic {{ type file slave.pcm "null" file "/dev/null" infile {fd} '
        'format "raw" }\npcm.!default "fakemic"\n',
        encoding="utf-8",
    )
    saved = os.environ.get("ALSA_CONFIG_PATH")
    os.environ["ALSA_CONFIG_PATH"] = f"{ALSA_CONF}:{conf}"
    env = dict(os.environ)
    mic = FakeMicrophone(env=env, pass_fds=(fd,), config_path=conf, samplerate=samplerate)
    stop = threading.Event()
    feeder = threading.Thread(
        target=_feed,
        args=(write_end, data.tobytes(), frame_bytes, samplerate, stop, mic),
        daemon=True,
    )
    feeder.start()
    try:
        if reinit:
            reinit_portaudio()
        yield mic
    finally:
        # streams are closed by now; restore the environment, then stop the feeder
        if saved is None:
            os.environ.pop("ALSA_CONFIG_PATH", None)
        else:
            os.environ["ALSA_CONFIG_PATH"] = saved
        if reinit:
            reinit_portaudio()
        stop.set()
        feeder.join(timeout=2)
        write_end.close()
        read_end.close()
        with contextlib.suppress(OSError):
            conf.unlink()
            conf_dir.rmdir()


@contextlib.contextmanager
def alsa_config(text: str, *, reinit: bool = True) -> Iterator[dict[str, str]]:
    """Run PortAudio with an extra ALSA config (e.g. one with no capture device)."""
    conf_dir = Path(tempfile.mkdtemp(prefix="kvale-alsa-"))
    conf = conf_dir / "asoundrc"
    conf.write_text(text, encoding="utf-8")
    saved = os.environ.get("ALSA_CONFIG_PATH")
    os.environ["ALSA_CONFIG_PATH"] = f"{ALSA_CONF}:{conf}"
    try:
        if reinit:
            reinit_portaudio()
        yield dict(os.environ)
    finally:
        if saved is None:
            os.environ.pop("ALSA_CONFIG_PATH", None)
        else:
            os.environ["ALSA_CONFIG_PATH"] = saved
        if reinit:
            reinit_portaudio()
        conf.unlink()
        conf_dir.rmdir()


def record_in_child_then_kill(
    code: str,
    arg: Path,
    fed: npt.NDArray[np.generic],
    *,
    env: dict[str, str] | None = None,
    seconds: float = 5.0,
) -> tuple[int, float]:
    """Run ``code`` in a child Python (``sys.argv[1]`` = ``arg``) that records from a fake
    microphone fed ``fed`` (16 kHz) and prints its elapsed seconds every 0.1 s; kill it
    with SIGKILL once it has printed ``seconds``.

    Returns:
        The child's return code and the last elapsed seconds it printed.
    """
    import signal
    import subprocess
    import sys

    with fake_microphone(fed, 16000, reinit=False) as mic:
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(arg)],
            env={**mic.env, "PYTHONPATH": str(Path(__file__).parents[2]), **(env or {})},
            pass_fds=mic.pass_fds,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        elapsed = 0.0
        for line in child.stdout:
            elapsed = float(line)
            if elapsed >= seconds:
                break
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    return child.returncode, elapsed
