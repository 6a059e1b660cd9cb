"""Writing a recording folder (format: `audio.recording`), crash-safe.

`ChunkWriter` appends int16 frames to numbered WAV chunks with ``os.write`` as soon as
the recorder's writer thread has them, rewrites the headers and ``fdatasync`` s every
`FLUSH_SECONDS`, and starts a new chunk every `CHUNK_SECONDS`. Write failures become
`AudioError` sentences (`write_error`, `disk_full_error`).

Given a ``key`` (an encrypted project), the chunks are sealed instead (`audio.sealed`):
PCM is buffered in memory and appended as AES-GCM records of at most
`audio.sealed.SEAL_SECONDS` (and at every flush), so no plain sample reaches the disk and
a kill -9 loses at most that much beyond the queue. Folders are created 0700.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from audio import sealed
from audio.recording import (
    FORMAT_NAME,
    HEADER_BYTES,
    LOCK,
    SAMPLE_BYTES,
    RecordingInfo,
    chunk_name,
    read_manifest,
    recover_recording,
    wav_header,
    write_manifest,
)
from kvale_errors import AudioError
from kvale_i18n import N_

log = logging.getLogger(__name__)

CHUNK_SECONDS = 60
FLUSH_SECONDS = 1.0


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
            raise write_error(self.folder, exc) from exc
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self._lock_fd)
            raise AudioError.said(
                N_("Another kvale is already recording into {folder}. Close it first."),
                folder=self.folder,
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
            raise write_error(self.folder, exc) from exc
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
        name = chunk_name(number, is_sealed)
        while (self.folder / name).exists() or (
            self.folder / chunk_name(number, not is_sealed)
        ).exists():  # never overwrite audio
            number += 1
            name = chunk_name(number, is_sealed)
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


def write_error(folder: Path, exc: OSError) -> AudioError:
    """The researcher's sentence for an OSError while writing a recording."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return AudioError.said(
            N_(
                "kvale may not write to {folder}, so it cannot record there. Choose a folder "
                "you own, or fix its permissions, then try again."
            ),
            folder=folder,
        )
    if exc.errno == errno.ENOSPC:
        return disk_full_error(folder)
    return AudioError.said(
        N_(
            "The recording cannot be saved in {folder} ({problem}). Check the disk "
            "and the folder, then try again."
        ),
        folder=folder,
        problem=exc.strerror or exc,
    )


def disk_full_error(folder: Path) -> AudioError:
    """The sentence for a full disk during recording."""
    return AudioError.said(
        N_(
            "The disk is full, so recording stopped. What was recorded until now is kept in "
            "{folder}. Free some space (delete or move files) before recording again."
        ),
        folder=folder,
    )
