"""Reading audio files: anything soundfile reads, or a kvale recording folder.

`load_audio` returns what the transcription engines want: 16 kHz mono float32. Resampling
uses soxr (the SoX resampler, "HQ" quality), which is also what the recorder uses to store
16 kHz when the microphone only runs at its native rate.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf
import soxr

from kvale_errors import AudioError

log = logging.getLogger(__name__)

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


def load_audio(path: Path | str, *, keep_channels: bool = False) -> npt.NDArray[np.float32]:
    """Decode an audio file or a kvale recording folder to 16 kHz mono float32.

    Args:
        path: a file soundfile can read (WAV, FLAC, OGG, MP3 with libsndfile ≥ 1.1, ...)
            or a recording folder written by `audio.capture.Recorder`.
        keep_channels: a file of two or more channels is returned as (frames, channels)
            instead of averaged to mono (`audio.voices` tells people apart by channel).

    Raises:
        AudioError: the file does not exist, is not audio, or is damaged.
    """
    p = Path(path)
    if p.is_dir():
        from audio.recording import read_recording

        return read_recording(p)
    if not p.exists():
        raise AudioError(f"The audio file {p} does not exist. Check the name and the folder.")
    try:
        data, rate = sf.read(str(p), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioError(
            f"{p.name} cannot be read as audio ({exc}). Use a WAV, FLAC, OGG or MP3 file; "
            "if it is one, it may be damaged — try exporting it again from the recorder."
        ) from exc
    except OSError as exc:
        raise AudioError(
            f"{p} cannot be opened ({exc.strerror or exc}). Check that you may read it."
        ) from exc
    if keep_channels and data.shape[1] > 1:
        return resample(data, int(rate), TARGET_RATE)
    return resample(to_mono(data), int(rate), TARGET_RATE)
