"""Deleted is gone: a forensic scan of a loop-mounted ext4 image's raw blocks.

A plain project and an encrypted one record a known signal on a real ext4 file system
(an image file, loop-mounted), delete the recording through `store.lifecycle`, and the
raw bytes of the unmounted image are searched:

* plain project: the signal is still in the free blocks (the control: the scan finds
  what is there, and it is why the dialog says full-disk encryption is needed);
* encrypted project: the signal never reached the disk in plain; after deletion the
  sealed chunks are still in the free blocks, but no copy of the recording's wrapped
  key is left anywhere, so even with the passphrase they cannot be decrypted.

Mounting needs root and a loop device (this machine and CI have both); where either is
missing the test skips and says which.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from audio.writer import ChunkWriter
from store import Project, crypto, lifecycle

PASS = "a long enough passphrase"


def _mount(image: Path, mnt: Path) -> str | None:
    """Make and mount an ext4 image; None, or why it cannot be done here."""
    if shutil.which("mkfs.ext4") is None:
        return "mkfs.ext4 is not installed (e2fsprogs)"
    if os.geteuid() != 0:
        return "mounting a loop device needs root"
    with open(image, "wb") as f:
        f.truncate(48 << 20)
    made = subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], capture_output=True, text=True)
    if made.returncode:
        return f"mkfs.ext4 failed: {made.stderr.strip()}"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-o", "loop", str(image), str(mnt)], capture_output=True, text=True
    )
    if done.returncode:
        return f"cannot loop-mount here: {done.stderr.strip()}"
    return None


def _signal(seed: int, seconds: float = 8.0) -> np.ndarray:
    """A known, loud, noise-like signal: every 64-byte window of it is unique."""
    rng = np.random.default_rng(seed)
    return (rng.normal(0, 6000, int(16000 * seconds))).clip(-32000, 32000).astype(np.int16)


def _windows(pcm: np.ndarray) -> list[bytes]:
    raw = pcm.astype("<i2").tobytes()
    return [raw[i : i + 64] for i in range(4096, len(raw) - 64, len(raw) // 20)]


def _found(image: bytes, windows: list[bytes]) -> int:
    return sum(w in image for w in windows)


def _record(project: Project, code: str, pcm: np.ndarray) -> str:
    iid = project.new_interview(code, "h", "en").id
    key = project.recording_key(iid)
    writer = ChunkWriter(project.recordings_dir(iid) / "part-01", 16000, 1, key=key)
    for block in np.array_split(pcm, 40):
        writer.write(block.reshape(-1, 1))
    writer.flush()
    writer.close()
    return iid


def test_after_deletion_the_audio_cannot_be_recovered_from_free_blocks(tmp_path: Path) -> None:
    image, mnt = tmp_path / "disk.img", tmp_path / "mnt"
    why = _mount(image, mnt)
    if why is not None:
        pytest.skip(why)
    plain_pcm, sealed_pcm = _signal(1), _signal(2)
    try:
        plain = Project.init(mnt / "plain")
        enc = Project.init(mnt / "enc", passphrase=PASS, kdf_n=2**12)
        plain_iid = _record(plain, "I1", plain_pcm)
        enc_iid = _record(enc, "I2", sealed_pcm)
        key_file = enc.path / "recordings" / enc_iid / crypto.RECORDING_KEY_FILE
        wrapped = key_file.read_bytes()
        recording_key = enc.recording_key(enc_iid)
        assert recording_key is not None
        chunk = next((enc.path / "recordings" / enc_iid / "part-01").glob("*.kvs")).read_bytes()
        os.sync()
        before = image.read_bytes()
        assert _found(before, _windows(plain_pcm)) >= 15
        assert _found(before, _windows(sealed_pcm)) == 0, "plain audio of an encrypted project"
        assert wrapped in before and chunk[64:1024] in before  # the scan sees the files

        lifecycle.delete_recording(plain, plain_iid)
        lifecycle.delete_recording(enc, enc_iid)
        plain.close()
        enc.close()
    finally:
        os.sync()
        subprocess.run(["umount", str(mnt)], check=False)
    after = image.read_bytes()
    # plain: removed, but readable in the free blocks (what the dialog warns about)
    assert _found(after, _windows(plain_pcm)) >= 15
    # encrypted: the sealed audio may still lie in free blocks ...
    print(f"sealed chunk bytes still in free blocks: {chunk[64:1024] in after}")
    # ... but never in plain, and its key is gone: not raw, not wrapped
    assert _found(after, _windows(sealed_pcm)) == 0
    assert recording_key not in after
    assert wrapped not in after
    # even with the passphrase: no sealed blob left on the disk opens as a recording key
    cipher = crypto.Cipher(crypto.project_key(mnt / "enc") or b"")  # still in memory
    start, opened = 0, 0
    while (at := after.find(crypto.MAGIC, start)) >= 0:
        blob = after[at : at + len(wrapped)]
        try:
            cipher.open(blob, "scan", aad=b"kvale-recording-key")
            opened += 1
        except Exception:
            pass
        start = at + 1
    assert opened == 0
