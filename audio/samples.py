"""Samples as kvale keeps them: 16 kHz, mono, float32 in [-1, 1].

The lowest layer of `audio`: the recorder, the file decoder and the voices all convert
through here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import soxr

TARGET_RATE = 16000


def to_mono(data: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Average the channels of a (frames, channels) array; 1-D input is returned as is."""
    if data.ndim == 1:
        return data
    if data.shape[1] == 1:
        return np.ascontiguousarray(data[:, 0])
    mono: npt.NDArray[np.float32] = data.mean(axis=1, dtype=np.float32)
    return mono


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
