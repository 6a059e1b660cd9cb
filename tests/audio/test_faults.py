"""Faults while recording: each one gives a sentence and keeps what was recorded."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from fakemic import alsa_config

from audio.capture import NO_MICROPHONE, FileSource, Recorder, list_input_devices, read_recording
from audio.recording import read_manifest
from kvale_errors import AudioError

ROOT = Path(__file__).parents[2]


def wait_for(cond, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return True
        time.sleep(0.05)
    return False


def test_no_input_device_gives_the_sentence(no_alsa_config: None, tmp_path: Path) -> None:
    # This machine has no sound card: without the fake mic PortAudio lists nothing.
    assert list_input_devices() == []
    rec = Recorder(tmp_path / "rec")
    with pytest.raises(AudioError) as err:
        rec.start()
    assert str(err.value) == NO_MICROPHONE
    assert rec.state == "idle"  # "press r to try again": start() may be called again
    assert not (tmp_path / "rec").exists()  # nothing half-made


def test_unknown_device_name_lists_the_real_ones(fake_mic, tmp_path: Path) -> None:
    with fake_mic(np.zeros(1600, np.int16), 16000):
        rec = Recorder(tmp_path / "rec", device="Blue Yeti")
        with pytest.raises(AudioError, match=r"No microphone called 'Blue Yeti'.*fakemic"):
            rec.start()
        with pytest.raises(AudioError, match="No microphone called 99"):
            Recorder(tmp_path / "rec", device=99).start()


@pytest.fixture
def pulse_daemon(portaudio: None) -> Iterator[subprocess.Popen[bytes]]:
    """A private PulseAudio daemon (null sink) that the default ALSA device talks to."""
    if shutil.which("pulseaudio") is None:
        pytest.skip("pulseaudio is not installed (Makefile APT_PACKAGES installs it)")
    if not Path("/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so").exists():
        pytest.skip("libasound2-plugins (ALSA pulse plugin) is not installed")
    run = Path(tempfile.mkdtemp(prefix="kvale-pa-"))
    sock = run / "native"
    script = run / "default.pa"
    script.write_text(
        "load-module module-null-sink sink_name=nullsink\n"
        f"load-module module-native-protocol-unix socket={sock} auth-anonymous=1\n"
        "set-default-source nullsink.monitor\n"
    )
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(run),
        "HOME": str(run),
        "PULSE_RUNTIME_PATH": str(run),
    }
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "-F",
            str(script),
            "--log-target=stderr",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not wait_for(sock.exists, 10):
        daemon.kill()
        pytest.skip("the private PulseAudio daemon did not start")
    conf = f'pcm.!default {{ type pulse server "unix:{sock}" }}\n'
    conf += f'ctl.!default {{ type pulse server "unix:{sock}" }}\n'
    with alsa_config(conf):
        yield daemon
    if daemon.poll() is None:
        daemon.kill()
        daemon.wait()
    shutil.rmtree(run, ignore_errors=True)


def test_device_lost_mid_recording_keeps_the_audio(pulse_daemon, tmp_path: Path) -> None:
    folder = tmp_path / "rec"
    rec = Recorder(folder)
    rec.start()
    assert wait_for(lambda: rec.elapsed >= 2.0)
    pulse_daemon.send_signal(signal.SIGKILL)  # the "microphone" vanishes
    pulse_daemon.wait()
    assert wait_for(lambda: rec.state == "failed", 10)
    status = rec.status()
    assert status.error is not None and "stopped sending sound" in str(status.error)
    with pytest.raises(AudioError, match="What was recorded until then is kept"):
        rec.stop()
    info = rec.stop()  # the second call gives what was kept
    assert info.duration >= 1.9
    assert read_manifest(folder)["state"] == "complete"
    assert len(read_recording(folder)) == info.frames


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs (we are root in the test container; otherwise skip)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        why = done.stderr.decode().strip()
        pytest.skip(f"cannot mount a small tmpfs ({why}); the RLIMIT_FSIZE test covers it")
    yield mnt
    subprocess.run(["umount", str(mnt)], check=False)


def test_disk_full_stops_with_a_sentence_and_keeps_the_audio(
    small_disk: Path, speech16k: np.ndarray, tmp_path: Path
) -> None:
    long = np.tile(speech16k, 3)  # 33 s = 1 MiB of int16: more than the disk holds
    src = tmp_path / "long.wav"
    sf.write(str(src), long, 16000, subtype="PCM_16")
    folder = small_disk / "rec"
    rec = Recorder(folder, source=FileSource(src, realtime=False))
    rec.start()
    assert wait_for(lambda: rec.state == "failed", 20)
    with pytest.raises(AudioError, match="The disk is full"):
        rec.stop()
    kept = read_recording(folder)
    assert len(kept) > 16000 * 10  # most of the 512 KiB is audio
    assert np.array_equal(np.round(kept * 32768).astype(np.int16), long[: len(kept)])


PERMISSION_CHILD = """
import os, sys
from pathlib import Path
from audio.capture import FileSource, Recorder  # import first: the stdlib may be root-only
from kvale_errors import AudioError
os.setuid(65534)  # root ignores chmod: drop privileges to 'nobody'
try:
    Recorder(Path(sys.argv[1]), source=FileSource(sys.argv[2])).start()
except AudioError as exc:
    print(exc)
"""


def test_no_permission_to_write_gives_a_sentence(speech16k: np.ndarray, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to drop to uid 65534 (as non-root, chmod itself would do)")
    locked = Path(tempfile.mkdtemp(prefix="kvale-locked-"))
    src = locked / "in.wav"
    sf.write(str(src), speech16k[:1600], 16000)
    os.chmod(src, 0o644)
    os.chmod(locked, 0o555)  # nobody may read and enter it, not create anything
    try:
        out = subprocess.run(
            [sys.executable, "-c", PERMISSION_CHILD, str(locked / "rec"), str(src)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.chmod(locked, 0o755)
        shutil.rmtree(locked)
    assert "kvale may not write to" in out.stdout, out.stderr[-2000:]


FSIZE_CHILD = """
import resource, signal, sys, time
from pathlib import Path
from audio.capture import FileSource, Recorder, read_recording
from kvale_errors import AudioError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, 512 * 1024))
rec = Recorder(Path(sys.argv[1]), source=FileSource(sys.argv[2], realtime=False))
rec.start()
while rec.state == "recording" and not rec.finished:
    time.sleep(0.05)
try:
    rec.stop()
except AudioError as exc:
    print(exc)
print(len(read_recording(Path(sys.argv[1]))))
"""


def test_file_size_limit_stops_with_a_sentence_and_keeps_the_audio(
    speech16k: np.ndarray, tmp_path: Path
) -> None:
    # The fallback where mounting a small tmpfs is not permitted (and a check of another
    # write error): the same writer path fails with EFBIG under RLIMIT_FSIZE in a child.
    src = tmp_path / "long.wav"
    sf.write(str(src), np.tile(speech16k, 3), 16000, subtype="PCM_16")
    out = subprocess.run(
        [sys.executable, "-c", FSIZE_CHILD, str(tmp_path / "rec"), str(src)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = out.stdout.splitlines()
    assert lines and "cannot be saved" in lines[0] and "File too large" in lines[0], out.stderr
    assert int(lines[-1]) > 16000 * 10  # what fitted under the limit is kept and readable
