"""Reading audio files: whatever phones and recorders make, or a kvale recording folder.

`load_audio` returns what the transcription engines want: 16 kHz mono float32. Files are
decoded with PyAV (FFmpeg's libraries, the decoder faster-whisper itself uses): WAV and
FLAC at any rate and channel count, MP3, M4A/AAC, Opus and Vorbis in Ogg/WebM, WMA, and
the sound track of video files (MP4, MOV, MKV ...). FFmpeg's resampler makes the mono
16-bit 16 kHz samples, with the very settings of faster-whisper's own ``decode_audio``, so
the engine gets from kvale the samples it would read itself (on stereo, FFmpeg's downmix is
the channels' mean to within half a 16-bit step, without clipping; but a channel that
runs against the first, wired or saved with its polarity inverted, is turned back over
before the mean, `audio.samples.to_mono`, or the voices cancel). A damaged or truncated
file gives what can be read of it, with a warning that says how much; a file with nothing
readable is an `AudioError`.

Sample-level helpers (the 16 kHz rate, channel averaging, soxr resampling) are in
`audio.samples`.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from audio.recording import read_recording
from audio.samples import TARGET_RATE, against_first, to_mono
from kvale_errors import AudioError
from kvale_i18n import N_

log = logging.getLogger(__name__)


def load_audio(path: Path | str, *, keep_channels: bool = False) -> npt.NDArray[np.float32]:
    """Decode an audio (or video) file or a kvale recording folder to 16 kHz mono float32.

    Args:
        path: a file PyAV can decode (see the module docstring) or a recording folder
            written by `audio.capture.Recorder` (also one a killed process left behind).
        keep_channels: a file of two or more channels is returned as (frames, channels)
            instead of averaged to mono (`audio.voices` tells people apart by channel).

    Returns:
        The samples; shape (n,) (or (n, channels) with ``keep_channels``), float32, 16 kHz.

    Raises:
        AudioError: the file does not exist, cannot be opened, has no sound, or nothing
            of it can be decoded.
    """
    p = Path(path)
    if p.is_dir():
        return read_recording(p)
    if not p.exists():
        raise AudioError.said(
            N_(
                "There is no audio file at {path}: it does not exist. Check the name and "
                "the folder."
            ),
            path=p,
        )
    if p.stat().st_size == 0:
        raise AudioError.said(
            N_(
                "{name} is empty (0 bytes): the recording was not copied whole. Copy it "
                "again from the phone or recorder, and check that the copy is as large as "
                "the original."
            ),
            name=p.name,
        )
    samples, expected = _decode(p, keep_channels)
    got = len(samples) / TARGET_RATE
    if expected is not None and got < expected - 0.5:
        log.warning(
            "%s is damaged or cut short: kvale read the first %.1f s of %.1f s; "
            "the rest could not be decoded.",
            p.name,
            got,
            expected,
        )
    return samples


def _decode(p: Path, keep_channels: bool = False) -> tuple[npt.NDArray[np.float32], float | None]:
    """(samples, the duration the file declares or None) of the file's first sound track;
    samples (n,) mono, or (n, channels) with ``keep_channels`` and two or more channels."""
    import av

    unreadable = AudioError.said(
        N_(
            "{name} cannot be read as audio. kvale reads WAV, FLAC, MP3, M4A/AAC, Opus, Ogg, "
            "WMA and the sound of video files; if it is one of these, it may be damaged — "
            "try exporting it again from the recorder."
        ),
        name=p.name,
    )
    try:
        container = av.open(str(p), metadata_errors="ignore")
    except PermissionError as exc:
        raise AudioError(
            f"{p} cannot be opened ({exc.strerror}). Check that you may read it."
        ) from exc
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise unreadable from exc
    pieces: list[npt.NDArray[np.float32]] = []
    with container:
        if not container.streams.audio:
            raise AudioError.said(
                N_("{name} has no sound track. Choose the file with the recording."),
                name=p.name,
            )
        stream = container.streams.audio[0]
        expected = None
        if stream.duration is not None and stream.time_base is not None:
            expected = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            expected = container.duration / av.time_base
        # 16-bit at 16 kHz, downmixed by FFmpeg as faster-whisper's own decode_audio does,
        # so the engine gets its very samples (averaging the channels here instead differed
        # by one 16-bit step, enough to change 2 words of 114 in a stereo LibriVox reading);
        # the file's own layout only when the caller keeps the channels
        resampler = av.AudioResampler(
            format="s16p", layout=None if keep_channels else "mono", rate=TARGET_RATE
        )
        # the channels too, to tell whether one runs against another (then FFmpeg's mean
        # cancels the voices: the mono is made from them, `audio.samples.to_mono`)
        channels: list[npt.NDArray[np.int16]] = []  # (16-bit: half the memory)
        both = None
        if not keep_channels and (stream.codec_context.channels or 1) > 1:
            both = av.AudioResampler(format="s16p", layout=None, rate=TARGET_RATE)
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.InvalidDataError:
                    continue  # one damaged packet: go on with the next
                for frame in frames:
                    if both is not None:
                        channels.extend(_int16(f) for f in both.resample(frame))
                    pieces.extend(_planes(f, keep_channels) for f in resampler.resample(frame))
        except (av.FFmpegError, OSError, EOFError) as exc:
            log.warning("%s: decoding stopped early (%s)", p.name, type(exc).__name__)
        with contextlib.suppress(av.FFmpegError, ValueError):
            pieces.extend(_planes(f, keep_channels) for f in resampler.resample(None))
            if both is not None:
                channels.extend(_int16(f) for f in both.resample(None))
    if not pieces or sum(len(x) for x in pieces) == 0:
        raise unreadable
    out: npt.NDArray[np.float32] = np.concatenate(pieces).astype(np.float32, copy=False)
    if channels:
        kept = np.concatenate(channels)
        if kept.shape[1] > 1 and against_first(kept):
            out = to_mono(kept.astype(np.float32) / np.float32(32768.0))
    return out, expected


def _int16(frame: Any) -> npt.NDArray[np.int16]:
    """A planar 16-bit frame as (n, channels) 16-bit samples."""
    out: npt.NDArray[np.int16] = np.asarray(frame.to_ndarray().T, dtype=np.int16)
    return out


def _planes(frame: Any, keep_channels: bool) -> npt.NDArray[np.float32]:
    """A planar 16-bit frame as float (n,) mono, or (n, channels) when keeping the channels."""
    if keep_channels and len(frame.layout.channels) > 1:
        both: npt.NDArray[np.float32] = frame.to_ndarray().T.astype(np.float32) / 32768.0
        return both
    return _mono(frame)


def _mono(frame: Any) -> npt.NDArray[np.float32]:
    """A planar 16-bit frame's channels as float in [-1, 1), averaged: shape (n,)."""
    planes: npt.NDArray[np.float32] = frame.to_ndarray().astype(np.float32) / 32768.0
    if planes.shape[0] == 1:
        first: npt.NDArray[np.float32] = planes[0]
        return first
    mono: npt.NDArray[np.float32] = planes.mean(axis=0, dtype=np.float32)
    return mono
