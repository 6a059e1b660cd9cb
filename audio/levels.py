"""Level meter data and the silence and clipping warnings, computed from sample blocks.

`block_level` is cheap enough for the PortAudio callback (one pass for the peak, one
dot product for the energy). `LevelTracker` runs in the recorder's writer thread and
turns the stream of blocks into the two warnings:

* silence: no sample above ``silence_dbfs`` (default −50 dBFS) for ``silence_seconds`` of
  recorded audio — "the microphone may be muted";
* clipping: a sample at full scale (≥ −0.1 dBFS) within the last ``clip_hold_seconds``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FLOOR_DBFS = -120.0  # what digital silence reports instead of −inf
INT16_FULL_SCALE = 32768.0


@dataclass(frozen=True)
class Level:
    """Level of the latest block, in dB relative to full scale (0 dBFS = loudest)."""

    rms_dbfs: float = FLOOR_DBFS
    peak_dbfs: float = FLOOR_DBFS

    def __float__(self) -> float:
        return self.rms_dbfs


def to_dbfs(amplitude: float) -> float:
    """An amplitude relative to full scale (1.0) in dBFS, floored at `FLOOR_DBFS`."""
    if amplitude <= 0.0:
        return FLOOR_DBFS
    return max(FLOOR_DBFS, 20.0 * math.log10(amplitude))


def block_peak_rms(block: npt.NDArray[np.generic]) -> tuple[float, float]:
    """Peak and RMS of a block as fractions of full scale (int16 or float samples)."""
    if block.size == 0:
        return 0.0, 0.0
    flat = block.reshape(-1)
    scale = INT16_FULL_SCALE if flat.dtype == np.int16 else 1.0
    as_float = flat.astype(np.float32) if flat.dtype != np.float32 else flat
    peak = float(max(-float(as_float.min()), float(as_float.max()))) / scale
    energy = float(np.dot(as_float, as_float)) / flat.size
    return peak, math.sqrt(energy) / scale


def block_level(block: npt.NDArray[np.generic]) -> Level:
    """The `Level` of one block (a sine at −6 dBFS peak has RMS ≈ −9 dBFS)."""
    peak, rms = block_peak_rms(block)
    return Level(rms_dbfs=to_dbfs(rms), peak_dbfs=to_dbfs(peak))


class LevelTracker:
    """Follows recorded blocks and decides the silence and clipping warnings.

    Args:
        samplerate: frames per second of the blocks fed to `update`.
        silence_seconds: how long the input must stay below ``silence_dbfs`` to warn.
        silence_dbfs: the loudest peak that still counts as silence.
        clip_dbfs: a peak at or above this counts as clipping.
        clip_hold_seconds: how long the clipping warning stays after the last clip.
    """

    def __init__(
        self,
        samplerate: int,
        *,
        silence_seconds: float = 10.0,
        silence_dbfs: float = -50.0,
        clip_dbfs: float = -0.1,
        clip_hold_seconds: float = 2.0,
    ) -> None:
        self.samplerate = samplerate
        self.silence_frames = int(silence_seconds * samplerate)
        self.silence_amplitude = 10.0 ** (silence_dbfs / 20.0)
        self.clip_amplitude = 10.0 ** (clip_dbfs / 20.0)
        self.clip_hold_frames = int(clip_hold_seconds * samplerate)
        self.frames = 0
        self.quiet_frames = 0  # frames since the last sample above the silence threshold
        self.last_clip_frame: int | None = None
        self.clipped_blocks = 0

    def update(self, block: npt.NDArray[np.generic]) -> None:
        """Account one block of recorded audio."""
        n = int(block.shape[0])
        peak, _ = block_peak_rms(block)
        self.frames += n
        if peak > self.silence_amplitude:
            self.quiet_frames = 0
        else:
            self.quiet_frames += n
        if peak >= self.clip_amplitude:
            self.last_clip_frame = self.frames
            self.clipped_blocks += 1

    @property
    def silence_warning(self) -> bool:
        """True after ``silence_seconds`` with nothing above the silence threshold."""
        return self.quiet_frames >= self.silence_frames

    @property
    def clipping_warning(self) -> bool:
        """True while a clip happened within the last ``clip_hold_seconds``."""
        if self.last_clip_frame is None:
            return False
        return self.frames - self.last_clip_frame < self.clip_hold_frames
