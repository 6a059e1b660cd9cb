"""The real capture path: sounddevice → PortAudio → ALSA (file-backed fake microphone)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import numpy as np
import pytest
import soxr
from fakemic import record_in_child_then_kill

from audio.capture import Recorder, list_input_devices, read_recording, recover_recording
from audio.recording import find_interrupted, read_manifest


def corr_at_lag0(a: np.ndarray, b: np.ndarray) -> float:
    n = min(len(a), len(b))
    return float(np.corrcoef(a[:n], b[:n])[0, 1])


def record(folder: Path, seconds: float, **kw: object) -> tuple[Recorder, object]:
    rec = Recorder(folder, **kw)  # type: ignore[arg-type]
    rec.start()
    levels = []
    while rec.elapsed < seconds:
        time.sleep(0.05)
        levels.append(rec.status().level.rms_dbfs)
    return rec, rec.stop()


def test_ten_seconds_through_portaudio_equal_the_fed_signal(
    fake_mic, speech16k, tmp_path: Path
) -> None:
    fed = speech16k[: 16000 * 11]
    with fake_mic(fed, 16000):
        assert any(d.is_default for d in list_input_devices())
        _rec, info = record(tmp_path / "rec", 11.5)
    assert info.samplerate == 16000 and info.duration >= 11.0
    assert info.overflows == 0
    stored = read_recording(tmp_path / "rec")
    x = fed.astype(np.float32) / 32768
    assert corr_at_lag0(stored, x) > 0.999
    assert np.array_equal(np.round(stored[: len(x)] * 32768).astype(np.int16), fed)  # bit-exact
    assert read_manifest(tmp_path / "rec")["state"] == "complete"
    # a slice by time
    part = read_recording(tmp_path / "rec", 2.0, 3.0)
    assert np.array_equal(part, stored[32000:48000])


def test_48k_device_is_stored_at_16k(fake_mic, speech16k, tmp_path: Path) -> None:
    speech = speech16k[: 16000 * 10].astype(np.float32) / 32768
    at48 = soxr.resample(speech, 16000, 48000, quality="HQ")
    fed = np.clip(np.rint(at48 * 32768), -32768, 32767).astype(np.int16)
    with fake_mic(fed, 48000):
        _, info = record(tmp_path / "rec", 10.5, input_samplerate=48000)
    assert info.samplerate == 16000
    assert read_manifest(tmp_path / "rec")["input_samplerate"] == 48000
    stored = read_recording(tmp_path / "rec")
    assert corr_at_lag0(stored, speech) > 0.999


def test_level_meter_updates_at_least_ten_times_a_second(fake_mic, tmp_path: Path) -> None:
    rate = 16000
    t = np.arange(rate * 4) / rate
    fed = (0.5 * 32767 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    with fake_mic(fed, rate):
        rec = Recorder(tmp_path / "rec")
        rec.start()
        seen = []
        t0 = time.monotonic()
        while time.monotonic() - t0 < 2.0:
            rec._level = None  # type: ignore[assignment]
            time.sleep(0.05)
            level = rec.status().level
            if level is not None:
                seen.append(level)
        rec.stop()
    assert len(seen) >= 20  # every 50 ms poll found a fresh level
    assert np.median([lv.peak_dbfs for lv in seen]) == pytest.approx(-6.0, abs=0.2)
    assert np.median([lv.rms_dbfs for lv in seen]) == pytest.approx(-9.0, abs=0.2)


CHILD = """
import sys, time
from pathlib import Path
from audio.capture import Recorder
rec = Recorder(Path(sys.argv[1]))
rec.start()
while True:
    time.sleep(0.1)
    print(f"{rec.elapsed:.3f}", flush=True)
"""


def test_sigkill_mid_recording_loses_at_most_one_second(
    portaudio: None, speech16k, tmp_path: Path
) -> None:
    folder = tmp_path / "rec"
    fed = np.tile(speech16k, 2)
    returncode, elapsed = record_in_child_then_kill(CHILD, folder, fed)
    assert returncode == -signal.SIGKILL
    assert read_manifest(folder)["state"] == "recording"
    assert find_interrupted(tmp_path) == [folder]
    info = recover_recording(folder)
    assert info.duration >= elapsed - 1.0, (info.duration, elapsed)
    assert find_interrupted(tmp_path) == []
    stored = read_recording(folder)
    x = fed.astype(np.float32) / 32768
    assert corr_at_lag0(stored, x) > 0.999
    # a resumed interview records on in the same folder
    assert read_manifest(folder)["state"] == "complete"


def test_device_that_cannot_do_16k_records_natively_and_resamples(
    fake_mic, speech16k, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake ALSA device accepts any rate, so a 44.1 kHz-only microphone is imitated by
    # making PortAudio's settings check refuse 16 kHz (the one mocked call); the stream,
    # the capture and the resampling are real.
    import sounddevice as sd

    real_check = sd.check_input_settings

    def only_native(*args: object, samplerate: float | None = None, **kw: object) -> None:
        if samplerate != 44100:
            raise sd.PortAudioError("Invalid sample rate")
        real_check(*args, samplerate=samplerate, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sd, "check_input_settings", only_native)
    speech = speech16k[: 16000 * 10].astype(np.float32) / 32768
    fed = np.clip(np.rint(soxr.resample(speech, 16000, 44100) * 32768), -32768, 32767)
    with fake_mic(fed.astype(np.int16), 44100):
        _, info = record(tmp_path / "rec", 10.2)
    assert read_manifest(tmp_path / "rec")["input_samplerate"] == 44100
    assert info.samplerate == 16000
    assert corr_at_lag0(read_recording(tmp_path / "rec"), speech) > 0.999
