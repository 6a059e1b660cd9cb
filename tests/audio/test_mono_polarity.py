"""A stereo recording with one channel's polarity inverted (a microphone or cable wired
the wrong way round, a file saved with one side turned over) is heard, not cancelled.

Before, both ways to mono (FFmpeg's downmix in `load_audio`, the mean in `to_mono`, which
`kvale import` and the app's two-channel recordings use) averaged the channels as they
were: the voice, the same on both sides with opposite signs, summed to zero, and a
one-minute interview imported as "0 words" (the guards then removed the two words Whisper
still wrote, as no speech). Real speech: LJSpeech LJ001-0002, in tests/fixtures.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from audio.files import load_audio
from audio.samples import to_mono
from audio.speakers import speech_stretches
from tests.audio.speech_helpers import FIXTURES

CLIP = FIXTURES / "LJ001-0002.wav"


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def _stereo(tmp_path: Path, sign: float) -> tuple[Path, np.ndarray]:
    voice, rate = sf.read(CLIP, dtype="float32")
    path = tmp_path / f"stereo{'-inverted' if sign < 0 else ''}.wav"
    sf.write(path, np.stack([voice, sign * voice], axis=1), rate)
    return path, load_audio(CLIP)


def test_an_inverted_channel_is_heard_when_a_file_is_read_as_mono(tmp_path: Path) -> None:
    path, mono = _stereo(tmp_path, -1.0)
    got = load_audio(path)
    assert got.shape == mono.shape
    assert _rms(got) > 0.9 * _rms(mono)
    assert np.max(np.abs(got - mono)) <= 2 / 32768  # the voice, to a 16-bit step or two
    assert speech_stretches(got)


def test_an_inverted_channel_is_heard_in_the_mean_of_the_channels(tmp_path: Path) -> None:
    # the import's way: the channels kept (for the voices), then made mono
    path, mono = _stereo(tmp_path, -1.0)
    both = load_audio(path, keep_channels=True)
    assert both.shape == (len(mono), 2)
    assert _rms(both[:, 0] + both[:, 1]) < 1e-3 * _rms(mono)  # (they do cancel as they are)
    got = to_mono(both)
    assert _rms(got) > 0.9 * _rms(mono)
    assert speech_stretches(got)


def test_channels_that_run_together_are_read_as_before(tmp_path: Path) -> None:
    # FFmpeg's downmix, as faster-whisper decodes, sample for sample; and the plain mean
    path, mono = _stereo(tmp_path, 1.0)
    assert np.array_equal(load_audio(path), mono)
    both = load_audio(path, keep_channels=True)
    assert np.array_equal(to_mono(both), both.mean(axis=1, dtype=np.float32))
