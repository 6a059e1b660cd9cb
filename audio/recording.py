"""The recording folder: its format, reading and recovery (`audio.writer` writes it).

Format of a recording folder (version 1)::

    manifest.json        {"format": "kvale-recording", "version": 1, "state": "recording" |
                          "complete", "samplerate": 16000, "channels": 1,
                          "sample_format": "int16", "chunks": [{"file": ..., "frames": N}],
                          "overflows": 0, "device": "...", "input_samplerate": 48000}
    chunk-00001.wav      PCM int16 WAV, at most `audio.writer.CHUNK_SECONDS` long;
                         numbered in time order
    chunk-00002.wav
    .lock                flock-ed by the process that is recording into the folder

In an encrypted project the chunks are ``chunk-00001.kvs`` instead: the same PCM sealed
with the recording's key in records of at most `audio.sealed.SEAL_SECONDS` (see
`audio.sealed`); the manifest says ``"sealed": true`` and holds no audio. Every reader
and the writer take ``key=`` for those.

Audio is appended to the current chunk with ``os.write`` as soon as the writer thread gets
it (so a SIGKILL loses only what had not yet left the PortAudio callback), and every
`audio.writer.FLUSH_SECONDS` the WAV header sizes are rewritten and the file is
``fdatasync``-ed. The manifest is replaced atomically (write + rename) when a chunk
starts or ends. A reader never trusts the header of the last chunk: frames = (file size
− 44) // bytes per frame, so `read_recording` works on a folder that is being written.
`recover_recording` turns a folder left in state "recording" (the process died) into a
complete one: it fixes every header from the file size, drops a torn chunk (shorter than
its header), and marks the manifest complete. `find_interrupted` lists such folders,
skipping ones whose lock is held by a live recorder.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from audio import sealed
from audio.samples import TARGET_RATE, resample, to_mono
from kvale_errors import N_, AudioError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LOCK = ".lock"
HEADER_BYTES = 44
SAMPLE_BYTES = 2  # int16
FORMAT_NAME = "kvale-recording"


@dataclass(frozen=True)
class RecordingInfo:
    """A finished (or recovered) recording."""

    path: Path  # the recording folder
    duration: float  # seconds of audio stored
    samplerate: int  # stored rate
    frames: int
    overflows: int = 0


def wav_header(frames: int, samplerate: int, channels: int) -> bytes:
    """A 44-byte PCM int16 WAV header for ``frames`` frames."""
    block_align = channels * SAMPLE_BYTES
    data_bytes = frames * block_align
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,
        channels,
        samplerate,
        samplerate * block_align,
        block_align,
        16,
        b"data",
        data_bytes,
    )


def chunk_name(number: int, is_sealed: bool = False) -> str:
    """The file name of chunk ``number`` (1-based); ``.kvs`` when sealed."""
    return f"chunk-{number:05d}{sealed.SUFFIX if is_sealed else '.wav'}"


def _is_sealed(path: Path) -> bool:
    return path.suffix == sealed.SUFFIX


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None when there is none or it cannot be parsed."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Replace the manifest atomically (temporary file 0600, fsync, rename)."""
    tmp = folder / (MANIFEST + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / MANIFEST)


def _chunk_files(folder: Path, manifest: dict[str, Any] | None) -> list[Path]:
    names = {c["file"] for c in (manifest or {}).get("chunks", [])}
    names |= {p.name for p in folder.glob("chunk-*.wav")}
    names |= {p.name for p in folder.glob(f"chunk-*{sealed.SUFFIX}")}
    return [folder / n for n in sorted(names) if (folder / n).exists()]


def _frames_on_disk(path: Path, channels: int) -> int:
    if _is_sealed(path):
        return sealed.plain_bytes(path) // (channels * SAMPLE_BYTES)
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return max(0, (size - HEADER_BYTES) // (channels * SAMPLE_BYTES))


def _layout(folder: Path) -> tuple[int, int, list[tuple[Path, int]]]:
    manifest = read_manifest(folder)
    if manifest is None and not any(folder.glob("chunk-*.*")):
        raise AudioError.said(
            N_(
                "{folder} holds no kvale recording (no manifest.json and no chunk files). "
                "Check that you chose the interview's recording folder."
            ),
            folder=folder,
        )
    rate = int((manifest or {}).get("samplerate", TARGET_RATE))
    channels = int((manifest or {}).get("channels", 1))
    chunks = [(p, _frames_on_disk(p, channels)) for p in _chunk_files(folder, manifest)]
    return rate, channels, chunks


def recording_frames(folder: Path) -> tuple[int, int]:
    """(frames stored so far, stored samplerate) of a recording folder."""
    rate, _, chunks = _layout(folder)
    return sum(n for _, n in chunks), rate


def recording_channels(folder: Path) -> int:
    """How many channels a recording folder stores (1: mono; 2: one microphone per
    person, as the new-interview form offers for a two-channel device).

    Raises:
        AudioError: the folder holds no recording.
    """
    return _layout(folder)[1]


def read_recording(
    folder: Path,
    start_s: float = 0.0,
    end_s: float | None = None,
    key: bytes | None = None,
    *,
    keep_channels: bool = False,
) -> npt.NDArray[np.float32]:
    """Read [start_s, end_s) of a recording folder as 16 kHz float32: mono (frames,), or
    with ``keep_channels`` and a recording of two or more channels, (frames, channels).

    Works while the recording is being written (completed chunks plus what has been
    flushed of the current one) and on a finished or recovered folder. ``key``: the
    recording's 32-byte key, for sealed chunks (encrypted projects).

    Raises:
        AudioError: the folder holds no recording, a chunk cannot be read, or a sealed
            chunk has no key or was changed.
    """
    folder = Path(folder)
    rate, channels, chunks = _layout(folder)
    a = max(0, round(start_s * rate))
    b = None if end_s is None else max(a, round(end_s * rate))
    parts: list[npt.NDArray[np.int16]] = []
    pos = 0
    for path, n in chunks:
        lo, hi = max(a, pos), n + pos if b is None else min(b, pos + n)
        if hi > lo and _is_sealed(path):
            plain = sealed.read_chunk(path, key)
            a_byte = (lo - pos) * channels * SAMPLE_BYTES
            raw = plain[a_byte : a_byte + (hi - lo) * channels * SAMPLE_BYTES]
            usable = len(raw) // (channels * SAMPLE_BYTES) * channels * SAMPLE_BYTES
            parts.append(np.frombuffer(raw[:usable], dtype="<i2").reshape(-1, channels))
        elif hi > lo:
            offset = HEADER_BYTES + (lo - pos) * channels * SAMPLE_BYTES
            count = (hi - lo) * channels
            try:
                with open(path, "rb") as f:
                    f.seek(offset)
                    raw = f.read(count * SAMPLE_BYTES)
            except OSError as exc:
                raise AudioError.said(
                    sealed.PART_UNREADABLE, part=path.name, reason=exc.strerror or exc
                ) from exc
            usable = len(raw) // (channels * SAMPLE_BYTES) * channels * SAMPLE_BYTES
            parts.append(np.frombuffer(raw[:usable], dtype="<i2").reshape(-1, channels))
        pos += n
        if b is not None and pos >= b:
            break
    keep = keep_channels and channels > 1
    if not parts:
        return np.zeros((0, channels) if keep else 0, np.float32)
    pcm = np.concatenate(parts).astype(np.float32) / 32768.0
    return resample(pcm if keep else to_mono(pcm), rate, TARGET_RATE)


def is_locked(folder: Path) -> bool:
    """True while a live recorder holds the folder's lock."""
    try:
        fd = os.open(folder / LOCK, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def find_interrupted(root: Path) -> list[Path]:
    """Recording folders under ``root`` that were cut off (manifest still "recording")."""
    found = []
    for manifest_path in sorted(Path(root).rglob(MANIFEST)):
        folder = manifest_path.parent
        manifest = read_manifest(folder)
        if (
            manifest
            and manifest.get("format") == FORMAT_NAME
            and manifest.get("state") == "recording"
            and not is_locked(folder)
        ):
            found.append(folder)
    return found


def recover_recording(folder: Path) -> RecordingInfo:
    """Turn an interrupted recording folder into a normal, complete one.

    Every chunk's WAV header is rewritten from its size, a trailing partial frame is cut,
    a torn chunk (shorter than a header) is dropped, and the manifest is marked complete.
    A complete folder is returned unchanged.

    Raises:
        AudioError: the folder holds no recording, is being recorded into, or is read-only.
    """
    folder = Path(folder)
    if is_locked(folder):
        raise AudioError.said(
            N_(
                "{folder} is still being recorded into by a running kvale. Stop that recording "
                "first."
            ),
            folder=folder,
        )
    manifest = read_manifest(folder)
    rate, channels, _ = _layout(folder)
    if manifest is None:
        manifest = {
            "format": FORMAT_NAME,
            "version": 1,
            "samplerate": rate,
            "channels": channels,
            "sample_format": "int16",
            "overflows": 0,
        }
    chunks: list[dict[str, Any]] = []
    try:
        for path in _chunk_files(folder, manifest):
            if _is_sealed(path):
                kept = sealed.repair(path)
                if kept < 0:
                    log.warning("dropping torn chunk %s", path)
                    path.unlink()
                    continue
                chunks.append({"file": path.name, "frames": kept // (channels * SAMPLE_BYTES)})
                continue
            size = path.stat().st_size
            if size < HEADER_BYTES:
                log.warning("dropping torn chunk %s (%d bytes)", path, size)
                path.unlink()
                continue
            frames = (size - HEADER_BYTES) // (channels * SAMPLE_BYTES)
            with open(path, "r+b") as f:
                f.truncate(HEADER_BYTES + frames * channels * SAMPLE_BYTES)
                f.seek(0)
                f.write(wav_header(frames, rate, channels))
            chunks.append({"file": path.name, "frames": frames})
        was = manifest.get("state")
        manifest["chunks"] = chunks
        manifest["state"] = "complete"
        write_manifest(folder, manifest)
    except OSError as exc:
        raise AudioError.said(
            N_(
                "The interrupted recording in {folder} cannot be repaired ({reason}). Check "
                "that the disk has free space and that you may write to the folder."
            ),
            folder=folder,
            reason=exc.strerror or exc,
        ) from exc
    frames = sum(int(c["frames"]) for c in chunks)
    if was != "complete":
        log.info("recovered %s: %.1f s", folder, frames / rate)
    return RecordingInfo(folder, frames / rate, rate, frames, int(manifest.get("overflows", 0)))


def recording_info(folder: Path) -> RecordingInfo:
    """Duration and format of a recording folder (finished or in progress)."""
    frames, rate = recording_frames(folder)
    overflows = int((read_manifest(folder) or {}).get("overflows", 0))
    return RecordingInfo(Path(folder), frames / rate, rate, frames, overflows)
