"""`kvale encrypt` converts a plain project with a kept recording, in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from audio.recording import read_recording
from audio.writer import ChunkWriter
from guide.transcript import Segment
from store import Project, crypto

ROOT = Path(__file__).parents[2]
PASS = "convert me please"


def _kvale(*args: str, passphrase: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        env={**os.environ, "KVALE_PASSPHRASE": passphrase},
    )


def test_kvale_encrypt_seals_documents_and_a_kept_recording(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    iid = project.new_interview("I1", "h", "en").id
    project.set_transcript(iid, [Segment(0.0, 2.0, "the orange tractor hums", ())])
    pcm = (np.random.default_rng(5).normal(0, 5000, 48000)).astype(np.int16)
    part = project.recordings_dir(iid) / "part-01"
    writer = ChunkWriter(part, 16000, 1)
    writer.write(pcm.reshape(-1, 1))
    writer.close()
    project.close()
    assert list(part.glob("*.wav"))

    done = _kvale("--project", str(tmp_path / "p"), "encrypt", passphrase=PASS)
    assert done.returncode == 0, done.stderr
    assert "Encrypted the project" in done.stdout and "free space" in done.stdout
    assert not list(part.glob("*.wav")) and list(part.glob("*.kvs"))
    raw = pcm.astype("<i2").tobytes()
    for p in (tmp_path / "p").rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert b"orange tractor" not in data and raw[3000:3064] not in data, p

    listed = _kvale("--project", str(tmp_path / "p"), "list", passphrase=PASS)
    assert listed.returncode == 0 and iid in listed.stdout, listed.stderr
    wrong = _kvale("--project", str(tmp_path / "p"), "list", passphrase="not the one!")
    assert wrong.returncode == 2 and "does not open" in wrong.stderr
    again = _kvale("--project", str(tmp_path / "p"), "encrypt", passphrase=PASS)
    assert again.returncode == 2 and "encrypted already" in again.stderr

    crypto.unlock(tmp_path / "p", PASS)
    reopened = Project.open(tmp_path / "p")
    key = reopened.recording_key(iid)
    back = read_recording(part, key=key)
    assert np.array_equal(np.round(back * 32768).astype(np.int16), pcm)
    assert "orange tractor" in reopened.interview(iid).segments[0].text
    reopened.close()
    crypto.forget()
