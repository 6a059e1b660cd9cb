"""Sealed recordings: audio encrypted as it is written, read back, recovered after kill -9.

The kill test records through the real PortAudio path (file-backed fake ALSA microphone,
as in test_capture_real) in a child process that is SIGKILLed mid-recording.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from fakemic import record_in_child_then_kill
from speech_helpers import assert_wait

import audio.writer as writer_module
from audio import sealed
from audio.capture import FileSource, Recorder, read_recording, recover_recording
from audio.recording import find_interrupted, read_manifest
from kvale_errors import AudioError

KEY = bytes(range(32))


def as_int16(x: np.ndarray) -> np.ndarray:
    return np.round(x * 32768).astype(np.int16)


def _windows(pcm: np.ndarray, n: int = 12) -> list[bytes]:
    """64-byte windows of the loud parts of a signal (what a scan of the disk looks for)."""
    raw = pcm.astype("<i2").tobytes()
    step = max(64, len(raw) // (n + 1))
    out = [raw[i : i + 64] for i in range(step, len(raw) - 64, step)]
    return [w for w in out if len(set(w)) > 24]


def test_a_sealed_recording_reads_back_sample_for_sample_and_holds_no_plain_audio(
    speech16k: np.ndarray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "CHUNK_SECONDS", 2)  # several chunks
    wav = tmp_path / "speech.wav"
    sf.write(str(wav), speech16k, 16000, subtype="PCM_16")
    rec = Recorder(tmp_path / "rec", source=FileSource(wav, realtime=False), key=KEY)
    rec.start()
    assert_wait(lambda: rec.finished, 20)
    info = rec.stop()
    assert info.frames == len(speech16k)
    chunks = sorted((tmp_path / "rec").glob("chunk-*"))
    assert chunks and all(p.suffix == ".kvs" for p in chunks)
    assert read_manifest(tmp_path / "rec")["sealed"] is True
    assert np.array_equal(as_int16(read_recording(tmp_path / "rec", key=KEY)), speech16k)
    assert np.array_equal(
        as_int16(read_recording(tmp_path / "rec", 1.5, 4.5, key=KEY)), speech16k[24000:72000]
    )
    windows = _windows(speech16k)
    assert len(windows) >= 8
    for p in (tmp_path / "rec").iterdir():
        data = p.read_bytes()
        assert not any(w in data for w in windows), p
    # the same scan finds the audio in a plain recording (it can fail)
    plain = Recorder(tmp_path / "plain", source=FileSource(wav, realtime=False))
    plain.start()
    assert_wait(lambda: plain.finished, 20)
    plain.stop()
    assert any(w in p.read_bytes() for p in (tmp_path / "plain").iterdir() for w in windows)


def test_no_key_a_wrong_key_or_a_changed_byte_is_a_sentence(
    speech16k: np.ndarray, tmp_path: Path
) -> None:
    writer = writer_module.ChunkWriter(tmp_path / "rec", 16000, 1, key=KEY)
    writer.write(speech16k[:48000].reshape(-1, 1))
    writer.close()
    with pytest.raises(AudioError, match="not given its key"):
        read_recording(tmp_path / "rec")
    with pytest.raises(AudioError, match="cannot be decrypted"):
        read_recording(tmp_path / "rec", key=bytes(32))
    chunk = next((tmp_path / "rec").glob("*.kvs"))
    data = bytearray(chunk.read_bytes())
    data[len(sealed.MAGIC) + 100] ^= 0x10
    chunk.write_bytes(bytes(data))
    with pytest.raises(AudioError, match="changed or damaged"):
        read_recording(tmp_path / "rec", key=KEY)


def test_a_torn_last_record_is_cut_by_recovery(speech16k: np.ndarray, tmp_path: Path) -> None:
    writer = writer_module.ChunkWriter(tmp_path / "rec", 16000, 1, key=KEY)
    writer.write(speech16k[:40000].reshape(-1, 1))
    writer.flush()  # 2.5 s sealed in records of at most SEAL_SECONDS
    chunk = next((tmp_path / "rec").glob("*.kvs"))
    with open(chunk, "ab") as f:  # a record the writer was killed in the middle of
        f.write(b"\x40\x1f\x00\x00" + os.urandom(300))
    writer._release()
    info = recover_recording(tmp_path / "rec")
    assert info.frames == 40000
    assert np.array_equal(as_int16(read_recording(tmp_path / "rec", key=KEY)), speech16k[:40000])


CHILD = """
import sys, time
from pathlib import Path
from audio.capture import Recorder
from store import Project
project = Project.open(sys.argv[1])  # unlocked from KVALE_PASSPHRASE
iid = project.interviews()[0].id
rec = Recorder(project.recordings_dir(iid) / "part-01", key=project.recording_key(iid))
rec.start()
while True:
    time.sleep(0.1)
    print(f"{rec.elapsed:.3f}", flush=True)
"""
PASS = "kill test passphrase"


def test_sigkill_mid_encrypted_recording_loses_at_most_one_second(
    portaudio: None, speech16k: np.ndarray, tmp_path: Path
) -> None:
    from store import Project, crypto

    project = Project.init(tmp_path / "p", passphrase=PASS, kdf_n=2**12)
    iid = project.new_interview("I1", "h", "en").id
    project.close()
    crypto.forget()
    folder = tmp_path / "p" / "recordings" / iid / "part-01"
    fed = np.tile(speech16k, 2)
    returncode, elapsed = record_in_child_then_kill(
        CHILD, tmp_path / "p", fed, env={"KVALE_PASSPHRASE": PASS}
    )
    assert returncode == -signal.SIGKILL
    assert read_manifest(folder)["state"] == "recording"
    assert find_interrupted(tmp_path) == [folder]
    info = recover_recording(folder)
    lost = elapsed - info.duration
    print(f"encrypted kill -9: recorded {elapsed:.2f} s, recovered {info.duration:.2f} s")
    assert lost <= 1.0, (info.duration, elapsed)
    # read back with the passphrase: unlock, the project gives the recording's key
    with pytest.raises(AudioError, match="not given its key"):
        read_recording(folder)
    crypto.unlock(tmp_path / "p", PASS)
    reopened = Project.open(tmp_path / "p")
    key = reopened.recording_key(iid)
    reopened.close()
    crypto.forget()
    stored = read_recording(folder, key=key)
    x = fed.astype(np.float32) / 32768
    n = min(len(stored), len(x))
    assert float(np.corrcoef(stored[:n], x[:n])[0, 1]) > 0.999
    windows = _windows(fed[: len(stored)])
    assert not any(w in p.read_bytes() for p in folder.iterdir() for w in windows)
