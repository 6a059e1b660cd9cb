"""Samples as kvale keeps them: 16 kHz, mono, float32 in [-1, 1].

The lowest layer of `audio`: the recorder, the file decoder and the voices all convert
through here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import soxr

TARGET_RATE = 16000
# a channel whose normalised correlation with the first is at or below this is mostly the
# first turned over: halfway between channels that share nothing (0) and one that is the
# other with its sign inverted (-1)
INVERTED = -0.5


def to_mono(data: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Average the channels of a (frames, channels) array; 1-D input is returned as is.

    A channel that is mostly the first turned over (`against_first`: a microphone or
    cable wired with its polarity inverted, a stereo file with one side turned over) is
    turned back over first: averaged as it is, a voice both channels carry cancels out
    and the recording reads as silence. Other channels, the same voice or different
    ones, are averaged as they are.
    """
    if data.ndim == 1:
        return data
    if data.shape[1] == 1:
        return np.ascontiguousarray(data[:, 0])
    against = against_first(data)
    if not against:
        mono: npt.NDArray[np.float32] = data.mean(axis=1, dtype=np.float32)
        return mono
    out = np.zeros(len(data), dtype=np.float32)
    for k in range(data.shape[1]):
        if k in against:
            out -= data[:, k]
        else:
            out += data[:, k]
    out /= np.float32(data.shape[1])
    return out


def against_first(data: npt.NDArray[np.float32] | npt.NDArray[np.int16]) -> list[int]:
    """The channels of a (frames, channels) array that are mostly the first turned over:
    their normalised correlation with it is ``INVERTED`` or less (`to_mono`)."""
    first = _dot(data[:, 0], data[:, 0])
    out = []
    for k in range(1, data.shape[1]):
        scale = np.sqrt(first * _dot(data[:, k], data[:, k]))
        if scale > 0 and _dot(data[:, 0], data[:, k]) / scale <= INVERTED:
            out.append(k)
    return out


def _dot(a: npt.NDArray[np.generic], b: npt.NDArray[np.generic]) -> float:
    """The sum of ``a * b``, accumulated in float64 a million samples at a time."""
    step = 1 << 20
    return sum(
        float(np.dot(a[i : i + step].astype(np.float64), b[i : i + step].astype(np.float64)))
        for i in range(0, len(a), step)
    )


def resample(
    audio: npt.NDArray[np.float32], rate_in: int, rate_out: int = TARGET_RATE
) -> npt.NDArray[np.float32]:
    """Resample mono or (frames, channels) float32 audio with soxr (HQ)."""
    if rate_in == rate_out or audio.shape[0] == 0:
        return audio.astype(np.float32, copy=False)
    out: npt.NDArray[np.float32] = soxr.resample(
        audio.astype(np.float32, copy=False), rate_in, rate_out, quality="HQ"
    )
    return out.astype(np.float32, copy=False)
