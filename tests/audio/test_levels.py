"""Level meter data, silence and clipping warnings on synthetic signals."""

from __future__ import annotations

import numpy as np
import pytest

from audio.levels import FLOOR_DBFS, LevelTracker, block_level


def sine(db: float, seconds: float, rate: int = 16000, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (10 ** (db / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_sine_at_minus_6_dbfs_has_rms_minus_9() -> None:
    level = block_level(sine(-6.0, 0.05))
    assert level.peak_dbfs == pytest.approx(-6.0, abs=0.05)
    assert level.rms_dbfs == pytest.approx(-9.01, abs=0.05)
    assert float(level) == level.rms_dbfs


def test_int16_full_scale_square_and_silence() -> None:
    square = np.full(800, 32767, np.int16)
    square[::2] = -32768
    level = block_level(square.reshape(-1, 1))
    assert level.peak_dbfs == pytest.approx(0.0, abs=0.01)
    assert level.rms_dbfs == pytest.approx(0.0, abs=0.01)
    quiet = block_level(np.zeros(800, np.int16))
    assert quiet.rms_dbfs == FLOOR_DBFS and quiet.peak_dbfs == FLOOR_DBFS


def test_silence_warning_after_n_seconds_and_cleared_by_sound() -> None:
    tracker = LevelTracker(16000, silence_seconds=3.0)
    noise_floor = sine(-70.0, 0.05)
    for _ in range(59):  # 2.95 s
        tracker.update(noise_floor)
    assert not tracker.silence_warning
    tracker.update(noise_floor)  # 3.0 s
    assert tracker.silence_warning
    tracker.update(sine(-30.0, 0.05))
    assert not tracker.silence_warning


def test_clipping_warning_holds_then_clears() -> None:
    tracker = LevelTracker(16000, clip_hold_seconds=1.0)
    tracker.update(sine(-3.0, 0.5))
    assert not tracker.clipping_warning
    clipped = np.clip(sine(3.0, 0.05), -1.0, 1.0)
    tracker.update(clipped)
    assert tracker.clipping_warning
    for _ in range(19):
        tracker.update(sine(-20.0, 0.05))
    assert tracker.clipping_warning  # 0.95 s after
    tracker.update(sine(-20.0, 0.05))
    assert not tracker.clipping_warning
