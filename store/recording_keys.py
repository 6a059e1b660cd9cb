"""Per-recording keys: made on first use, kept wrapped by the project key, shredded on
deletion (crypto-shredding). See `store.crypto` for the key hierarchy and docs/privacy.md
for what shredding guarantees on which file systems.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from store import crypto


def recording_key(root: Path | str, folder: Path) -> bytes | None:
    """The key that seals the audio in a recording folder (made on first use).

    None for a project without encryption. The key is stored wrapped by the project
    key in ``<folder>/recording.key``; `shred_file` destroys it.
    """
    key = crypto.project_key(root)
    if key is None:
        return None
    path = folder / crypto.RECORDING_KEY_FILE
    outer = crypto.Cipher(key)
    if path.exists():
        return outer.open(path.read_bytes(), str(path), aad=b"kvale-recording-key")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    new = AESGCM.generate_key(bit_length=256)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, outer.seal(new, aad=b"kvale-recording-key"))
        os.fsync(fd)
    finally:
        os.close(fd)
    crypto.fsync_folder(folder)
    return new


def shred_file(path: Path) -> bool:
    """Overwrite a small file with random bytes in place (fsync), then unlink it.

    On file systems that write in place (ext4, xfs) the key's blocks are gone; on
    copy-on-write ones and SSDs the old blocks may survive, but they hold only the key
    wrapped by the project key (see docs/privacy.md). Returns whether it existed.
    """
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return False
    try:
        size = os.fstat(fd).st_size
        for _ in range(2):
            os.pwrite(fd, os.urandom(max(size, 1)), 0)
            os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink()
    return True
