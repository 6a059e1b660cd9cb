"""Sealed audio chunks: a recording encrypted as it is written (AES-256-GCM).

audio/ imports no other kvale package, so this small writer and reader live here,
built on `cryptography` like `store.crypto`; the key comes from the caller (the app
asks the store for the interview's recording key and hands it to the recorder). The
store never sees audio and the recorder never sees the project key.

Format of a sealed chunk (``chunk-00001.kvs``)::

    MAGIC (8 bytes: b"KVAUD1\\0\\0")
    record*  = length (u32 little-endian, of what follows the nonce)
               nonce (12 random bytes)
               AES-GCM(key, int16 PCM frames; associated data = chunk name + record index)

A record holds at most `SEAL_SECONDS` of audio, sealed in memory before it touches the
disk, so no plaintext sample is ever written. A process killed mid-append leaves a torn
last record: readers stop before it and `repair` cuts it off (what was in it, at most
`SEAL_SECONDS` plus what the writer had not yet received, is lost). The associated data
binds each record to its chunk and place, so records cannot be reordered or moved
between chunks unnoticed; a changed byte is an `AudioError` sentence.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kvale_errors import N_, AudioError

PART_UNREADABLE = N_(
    "Part of the recording ({part}) cannot be read ({reason}). Check that the project folder "
    "is still there and readable."
)

MAGIC = b"KVAUD1\0\0"
SUFFIX = ".kvs"
NONCE = 12
TAG = 16
LENGTH = struct.Struct("<I")
#: seconds of audio per sealed record: the most a kill -9 can lose beyond the queue.
SEAL_SECONDS = 0.5
WAV_HEADER_BYTES = 44  # the plain chunks' header (`audio.recording.wav_header`)


def _aad(name: str, index: int) -> bytes:
    return name.encode("utf-8") + struct.pack("<Q", index)


def seal_record(aead: AESGCM, name: str, index: int, pcm: bytes) -> bytes:
    """One record: length, nonce, ciphertext+tag."""
    nonce = os.urandom(NONCE)
    ct = aead.encrypt(nonce, pcm, _aad(name, index))
    return LENGTH.pack(len(ct)) + nonce + ct


def records(blob: bytes) -> list[tuple[int, int]]:
    """(offset of the nonce, ciphertext length) of every complete record in a chunk."""
    out: list[tuple[int, int]] = []
    pos = len(MAGIC)
    while pos + LENGTH.size + NONCE <= len(blob):
        (n,) = LENGTH.unpack_from(blob, pos)
        start = pos + LENGTH.size
        if n < TAG or start + NONCE + n > len(blob):
            break
        out.append((start, n))
        pos = start + NONCE + n
    return out


def plain_bytes(path: Path) -> int:
    """Bytes of PCM in the chunk's complete records (no key needed)."""
    try:
        blob = path.read_bytes()
    except OSError:
        return 0
    if not blob.startswith(MAGIC):
        return 0
    return sum(n - TAG for _, n in records(blob))


def read_chunk(path: Path, key: bytes | None) -> bytes:
    """The PCM of every complete record of a sealed chunk.

    Raises:
        AudioError: no key (the project is locked), or the chunk was changed.
    """
    if key is None:
        raise AudioError.said(
            N_(
                "The recording {folder} is encrypted and kvale was not given its key. Open the "
                "project with its passphrase and try again."
            ),
            folder=path.parent,
        )
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise AudioError.said(PART_UNREADABLE, part=path.name, reason=exc.strerror or exc) from exc
    if not blob.startswith(MAGIC):
        return b""  # torn before its magic was written: holds nothing
    aead = AESGCM(key)
    parts = []
    for index, (start, n) in enumerate(records(blob)):
        nonce = blob[start : start + NONCE]
        try:
            parts.append(
                aead.decrypt(nonce, blob[start + NONCE : start + NONCE + n], _aad(path.name, index))
            )
        except InvalidTag as exc:
            raise AudioError.said(
                N_(
                    "Part of the recording ({part}) cannot be decrypted: it was changed or "
                    "damaged after kvale wrote it, or belongs to another recording."
                ),
                part=path.name,
            ) from exc
    return b"".join(parts)


def repair(path: Path) -> int:
    """Cut a torn last record off a sealed chunk; returns the PCM bytes kept (-1: no magic)."""
    blob = path.read_bytes()
    if not blob.startswith(MAGIC):
        return -1
    found = records(blob)
    end = found[-1][0] + NONCE + found[-1][1] if found else len(MAGIC)
    if end < len(blob):
        with open(path, "r+b") as f:
            f.truncate(end)
            f.flush()
            os.fsync(f.fileno())
    return sum(n - TAG for _, n in found)


class SealedChunkFile:
    """Appends sealed records to one chunk file (the recorder's writer thread)."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.name = path.name
        self._aead = AESGCM(key)
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._index = 0
        self._pending = bytearray()
        os.write(self.fd, MAGIC)

    @property
    def pending_bytes(self) -> int:
        return len(self._pending)

    def add(self, pcm: bytes, seal_at: int) -> None:
        """Buffer PCM in memory; seal and append a record once ``seal_at`` bytes are held."""
        self._pending += pcm
        if len(self._pending) >= seal_at:
            self.seal()

    def seal(self) -> None:
        """Seal what is buffered into one record and append it."""
        if not self._pending:
            return
        record = seal_record(self._aead, self.name, self._index, bytes(self._pending))
        view = memoryview(record)
        start = os.lseek(self.fd, 0, os.SEEK_END)
        try:
            while view:
                n = os.write(self.fd, view)
                view = view[n:]
        except OSError:
            os.ftruncate(self.fd, start)  # never a torn record before the next one
            raise
        self._index += 1
        self._pending.clear()

    def close(self) -> None:
        try:
            self.seal()
            os.fdatasync(self.fd)
        finally:
            os.close(self.fd)


def seal_wav_chunk(wav: Path, key: bytes, samplerate: int, frame_bytes: int) -> tuple[Path, int]:
    """Convert a plain WAV chunk into a sealed one beside it (`kvale encrypt`).

    The sealed file is written under a temporary name, fsynced and renamed; the WAV is
    then removed. Returns (sealed path, frames). Run again after a crash, it finishes.
    """
    target = wav.with_suffix(SUFFIX)
    if target.exists():  # sealed already (killed before the WAV was removed)
        wav.unlink(missing_ok=True)
        return target, plain_bytes(target) // frame_bytes
    data = wav.read_bytes()[WAV_HEADER_BYTES:]
    data = data[: len(data) // frame_bytes * frame_bytes]
    tmp = wav.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    chunk = SealedChunkFile(tmp, key)
    chunk.name = target.name  # the records are bound to the final name
    step = max(1, round(SEAL_SECONDS * samplerate)) * frame_bytes
    for i in range(0, len(data), step):
        chunk.add(data[i : i + step], step)
    chunk.close()
    os.replace(tmp, target)
    wav.unlink()
    return target, len(data) // frame_bytes
