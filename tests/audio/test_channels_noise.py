"""A two-channel recording whose second channel carries nobody, only its input's mains
hum or hiss (a stereo recorder with one microphone plugged in, a second input left
open), is not told apart by channel.

Before, the level difference between the speech channel and the steady noise had two
modes either side of 0 dB (loud speech above the noise, its quiet frames below it), so
the channels were taken for one person each and "who speaks" followed the loudness of
one voice: 61-67 % of 10 ms frames given to the right person on a one-minute
two-person recording (espeak questions, LJSpeech answers), against 100 % from the
speaker model. Real speech here: LJSpeech (tests/fixtures).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from audio.files import load_audio
from audio.voices import find_voices
from tests.audio.speech_helpers import FIXTURES

RATE = 16_000


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    clips = [load_audio(FIXTURES / f"LJ001-000{k}.wav") for k in (2, 3, 4, 5)]
    gap = np.zeros(int(0.6 * RATE), np.float32)
    return np.concatenate([x for c in clips for x in (c, gap)])


def _hum(n: int, dbfs: float) -> np.ndarray:
    amplitude = np.sqrt(2) * 10 ** (dbfs / 20)  # a sine's RMS is its amplitude / sqrt(2)
    return (amplitude * np.sin(2 * np.pi * 50 * np.arange(n) / RATE)).astype(np.float32)


def _hiss(n: int, dbfs: float) -> np.ndarray:
    return (10 ** (dbfs / 20) * np.random.default_rng(5).standard_normal(n)).astype(np.float32)


@pytest.mark.parametrize(("noise", "dbfs"), [(_hum, -33.0), (_hum, -43.0), (_hiss, -40.0)])
def test_a_channel_of_hum_or_hiss_alone_carries_no_person(
    speech: np.ndarray, noise: Callable[[int, float], np.ndarray], dbfs: float
) -> None:
    floor = _hiss(len(speech), -70.0)
    stereo = np.stack([speech + floor, noise(len(speech), dbfs) + floor[::-1]], axis=1)
    assert not find_voices(stereo).channels


def test_a_person_on_each_channel_is_still_told_by_channel(speech: np.ndarray) -> None:
    # the same speech split in two people by turns, each heard 20 dB lower on the other
    # microphone, over the same hiss
    n = len(speech)
    first = np.zeros(n, np.float32)
    second = np.zeros(n, np.float32)
    cut = n // 2
    first[:cut], second[cut:] = speech[:cut], speech[cut:]
    hiss = _hiss(n, -40.0)
    stereo = np.stack([first + 0.1 * second + hiss, second + 0.1 * first + hiss[::-1]], axis=1)
    voices = find_voices(stereo)
    assert voices.channels and voices.count == 2
