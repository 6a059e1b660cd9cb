"""Media files made for the tests with PyAV's encoders (what phones and recorders write)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

SR = 16_000


def encode(
    samples: np.ndarray,
    out: Path,
    fmt: str,
    codec: str,
    rate: int = 48000,
    bit_rate: int = 64000,
) -> Path:
    """``samples`` (16 kHz mono float) encoded to ``out`` (stereo, ``rate``)."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    stereo = np.repeat(pcm[None, :], 2, axis=0).T.reshape(1, -1)  # packed s16 stereo
    with av.open(str(out), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = "stereo"
        stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(stereo, format="s16", layout="stereo")
        frame.sample_rate = SR
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out


def video(samples: np.ndarray, out: Path) -> Path:
    """An MP4 with 2 s of a grey H.264 picture and the speech as AAC."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)[None, :]
    with av.open(str(out), "w", format="mp4") as container:
        picture = container.add_stream("mpeg4", rate=10)
        picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        sound = container.add_stream("aac", rate=SR)
        sound.layout = "mono"
        for k in range(20):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 128, np.uint8), "rgb24")
            frame.pts = k
            frame.time_base = Fraction(1, 10)
            for packet in picture.encode(frame):
                container.mux(packet)
        for packet in picture.encode(None):
            container.mux(packet)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = SR
        for packet in sound.encode(frame):
            container.mux(packet)
        for packet in sound.encode(None):
            container.mux(packet)
    return out
