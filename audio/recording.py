"""The recording folder: crash-safe chunks on disk, reading, recovery.

Format of a recording folder (version 1)::

    manifest.json        {"format": "kvale-recording", "version": 1, "state": "recording" |
                          "complete", "samplerate": 16000, "channels": 1,
                          "sample_format": "int16", "chunks": [{"file": ..., "frames": N}],
                          "overflows": 0, "device": "...", "input_samplerate": 48000}
    chunk-00001.wav      PCM int16 WAV, at most CHUNK_SECONDS long; numbered in time order
    chunk-00002.wav
    .lock                flock-ed by the process that is recording into the folder

In an encrypted project the chunks are ``chunk-00001.kvs`` instead: the same PCM sealed
with the recording's key in records of at most `audio.sealed.SEAL_SECONDS` (see
`audio.sealed`); the manifest says ``"sealed": true`` and holds no audio. Every reader
and the writer take ``key=`` for those.

Audio is appended to the current chunk with ``os.write`` as soon as the writer thread gets
it (so a SIGKILL loses only what had not yet left the PortAudio callback), and every
`FLUSH_SECONDS` the WAV header sizes are rewritten and the file is ``fdatasync``-ed. The
manifest is replaced atomically (write + rename) when a chunk starts or ends. A reader
never trusts the header of the last chunk: frames = (file size − 44) // bytes per frame, so
`read_recording` works on a folder that is being written. `recover_recording` turns a
folder left in state "recording" (the process died) into a complete one: it fixes every
header from the file size, drops a torn chunk (shorter than its header), and marks the
manifest complete. `find_interrupted` lists such folders, skipping ones whose lock is
held by a live recorder.
"""

from __future__ import annotations

import contextlib
import errno
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
from audio.files import TARGET_RATE, resample, to_mono
from kvale_errors import AudioError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LOCK = ".lock"
CHUNK_SECONDS = 60
FLUSH_SECONDS = 1.0
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


def _chunk_name(number: int, is_sealed: bool = False) -> str:
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
        raise AudioError(
            f"{folder} holds no kvale recording (no manifest.json and no chunk files). "
            "Check that you chose the interview's recording folder."
        )
    rate = int((manifest or {}).get("samplerate", TARGET_RATE))
    channels = int((manifest or {}).get("channels", 1))
    chunks = [(p, _frames_on_disk(p, channels)) for p in _chunk_files(folder, manifest)]
    return rate, channels, chunks


def recording_frames(folder: Path) -> tuple[int, int]:
    """(frames stored so far, stored samplerate) of a recording folder."""
    rate, _, chunks = _layout(folder)
    return sum(n for _, n in chunks), rate


def read_recording(
    folder: Path,
    start_s: float = 0.0,
    end_s: float | None = None,
    key: bytes | None = None,
) -> npt.NDArray[np.float32]:
    """Read [start_s, end_s) of a recording folder as 16 kHz mono float32.

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
                raise AudioError(
                    f"Part of the recording ({path.name}) cannot be read ({exc.strerror}). "
                    "Check that the project folder is still there and readable."
                ) from exc
            usable = len(raw) // (channels * SAMPLE_BYTES) * channels * SAMPLE_BYTES
            parts.append(np.frombuffer(raw[:usable], dtype="<i2").reshape(-1, channels))
        pos += n
        if b is not None and pos >= b:
            break
    if not parts:
        return np.zeros(0, np.float32)
    pcm = np.concatenate(parts).astype(np.float32) / 32768.0
    return resample(to_mono(pcm), rate, TARGET_RATE)


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
        raise AudioError(
            f"{folder} is still being recorded into by a running kvale. Stop that recording first."
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
        raise AudioError(
            f"The interrupted recording in {folder} cannot be repaired ({exc.strerror}). "
            "Check that the disk has free space and that you may write to the folder."
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


class ChunkWriter:
    """Appends int16 frames to a recording folder (used by the recorder's writer thread).

    Opening takes the folder's lock, recovers an interrupted recording left in it, and
    continues after the chunks already there (a resumed interview records on).

    Raises:
        AudioError: the folder cannot be created or written (permission), or another
            kvale is recording into it.
    """

    def __init__(
        self,
        folder: Path,
        samplerate: int,
        channels: int,
        *,
        device: str = "",
        input_samplerate: int | None = None,
        key: bytes | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.key = key
        try:
            _private_dir(self.folder)
            self._lock_fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise _write_error(self.folder, exc) from exc
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self._lock_fd)
            raise AudioError(
                f"Another kvale is already recording into {self.folder}. Close it first."
            ) from exc
        old = read_manifest(self.folder)
        try:
            if old is not None and old.get("state") == "recording":
                self._unlocked_recover()
                old = read_manifest(self.folder)
            if old is not None:  # continue an existing recording at its format
                samplerate = int(old.get("samplerate", samplerate))
                channels = int(old.get("channels", channels))
            self.samplerate = samplerate
            self.channels = channels
            self.manifest: dict[str, Any] = old or {
                "format": FORMAT_NAME,
                "version": 1,
                "samplerate": samplerate,
                "channels": channels,
                "sample_format": "int16",
                "chunks": [],
                "overflows": 0,
            }
            self.manifest["state"] = "recording"
            if key is not None:
                self.manifest["sealed"] = True
            self.manifest["device"] = device
            self.manifest["input_samplerate"] = input_samplerate or samplerate
            self._base_overflows = int(self.manifest.get("overflows", 0))
            self.frames_before = sum(int(c["frames"]) for c in self.manifest["chunks"])
            write_manifest(self.folder, self.manifest)
        except OSError as exc:
            self._release()
            raise _write_error(self.folder, exc) from exc
        self.frame_bytes = channels * SAMPLE_BYTES
        self.chunk_limit = CHUNK_SECONDS * samplerate
        self.seal_bytes = max(1, round(sealed.SEAL_SECONDS * samplerate)) * self.frame_bytes
        self._sealed: sealed.SealedChunkFile | None = None
        self._fd: int | None = None
        self._chunk_frames = 0
        self.frames = 0  # written by this writer
        self.closed = False

    def _unlocked_recover(self) -> None:
        # recover_recording refuses a locked folder; we hold the lock ourselves.
        fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        try:
            recover_recording(self.folder)
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _open_chunk(self) -> None:
        is_sealed = self.key is not None
        number = len(self.manifest["chunks"]) + 1
        name = _chunk_name(number, is_sealed)
        while (self.folder / name).exists() or (
            self.folder / _chunk_name(number, not is_sealed)
        ).exists():  # never overwrite audio
            number += 1
            name = _chunk_name(number, is_sealed)
        self.manifest["chunks"].append({"file": name, "frames": 0})
        write_manifest(self.folder, self.manifest)
        self._chunk_frames = 0
        if self.key is not None:
            self._sealed = sealed.SealedChunkFile(self.folder / name, self.key)
            self._fd = self._sealed.fd
            return
        fd = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fd = fd
        os.write(fd, wav_header(0, self.samplerate, self.channels))

    def _close_chunk(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if self._sealed is not None:
            chunk, self._sealed = self._sealed, None
            chunk.close()
        else:
            try:
                os.pwrite(fd, wav_header(self._chunk_frames, self.samplerate, self.channels), 0)
                os.fdatasync(fd)
            finally:
                os.close(fd)
        self.manifest["chunks"][-1]["frames"] = self._chunk_frames

    def write(self, pcm: npt.NDArray[np.int16]) -> None:
        """Append (frames, channels) int16 samples; raises OSError (ENOSPC, EACCES...)."""
        data = np.ascontiguousarray(pcm, dtype="<i2")
        while len(data):
            if self._fd is None:
                self._open_chunk()
            room = self.chunk_limit - self._chunk_frames
            part, data = data[:room], data[room:]
            if self._sealed is not None:  # sealed in memory, appended as a whole record
                self._sealed.add(part.tobytes(), self.seal_bytes)
            else:
                view = memoryview(part.tobytes())
                while view:
                    n = os.write(self._fd, view)  # type: ignore[arg-type]
                    view = view[n:]
            self._chunk_frames += len(part)
            self.frames += len(part)
            if self._chunk_frames >= self.chunk_limit:
                self._close_chunk()
                write_manifest(self.folder, self.manifest)

    def flush(self) -> None:
        """Rewrite the current chunk's header (seal what is buffered) and push it to the disk."""
        if self._sealed is not None:
            self._sealed.seal()
            os.fdatasync(self._sealed.fd)
        elif self._fd is not None:
            os.pwrite(self._fd, wav_header(self._chunk_frames, self.samplerate, self.channels), 0)
            os.fdatasync(self._fd)

    def close(self, overflows: int = 0) -> RecordingInfo:
        """Finish the current chunk, mark the manifest complete, release the lock."""
        if not self.closed:
            self.closed = True
            try:
                self._close_chunk()
                self.manifest["overflows"] = self._base_overflows + overflows
                self.manifest["state"] = "complete"
                write_manifest(self.folder, self.manifest)
            finally:
                self._release()
        total = self.frames_before + self.frames
        return RecordingInfo(
            self.folder, total / self.samplerate, self.samplerate, total, overflows
        )

    def abort(self, overflows: int = 0) -> None:
        """After a write error: cut a partial frame, keep what is on disk, try to finish."""
        if self._sealed is not None:
            chunk, self._sealed = self._sealed, None
            self._fd = None
            with contextlib.suppress(OSError):
                chunk.close()
        elif self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, HEADER_BYTES + self._chunk_frames * self.frame_bytes)
        try:
            self.close(overflows)
        except OSError as exc:  # e.g. no room for the manifest: recovery will finish it
            log.warning("recording left for recovery in %s: %s", self.folder, exc)
            self._release()

    def _release(self) -> None:
        if self._lock_fd >= 0:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
                os.close(self._lock_fd)
            self._lock_fd = -1


def _private_dir(folder: Path) -> None:
    """Create the folder (and missing parents) 0700, whatever the umask."""
    missing = []
    p = folder
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(exist_ok=True, mode=0o700)
        os.chmod(d, 0o700)
    if folder.stat().st_mode & 0o777 != 0o700:
        os.chmod(folder, 0o700)


def _write_error(folder: Path, exc: OSError) -> AudioError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return AudioError(
            f"kvale may not write to {folder}, so it cannot record there. Choose a folder you "
            "own, or fix its permissions, then try again."
        )
    if exc.errno == errno.ENOSPC:
        return disk_full_error(folder)
    return AudioError(
        f"The recording cannot be saved in {folder} ({exc.strerror or exc}). Check the disk "
        "and the folder, then try again."
    )


def disk_full_error(folder: Path) -> AudioError:
    """The sentence for a full disk during recording."""
    return AudioError(
        f"The disk is full, so recording stopped. What was recorded until now is kept in "
        f"{folder}. Free some space (delete or move files) before recording again."
    )


def write_error(folder: Path, exc: OSError) -> AudioError:
    """The researcher's sentence for an OSError while writing a recording."""
    return _write_error(folder, exc)
