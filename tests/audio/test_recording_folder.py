"""FileSource, the recording folder (chunks, pause, continue, recovery) and load_audio."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from speech_helpers import assert_wait

import audio.recording as recording
import audio.writer as writer
from audio.capture import FileSource, Recorder, read_recording, recover_recording
from audio.files import load_audio
from audio.recording import find_interrupted, read_manifest
from kvale_errors import AudioError


def as_int16(x: np.ndarray) -> np.ndarray:
    return np.round(x * 32768).astype(np.int16)


@pytest.fixture
def speech_wav(speech16k: np.ndarray, tmp_path: Path) -> Path:
    path = tmp_path / "speech.wav"
    sf.write(str(path), speech16k, 16000, subtype="PCM_16")
    return path


def test_file_source_fast_records_the_whole_file_and_finishes(
    speech_wav: Path, speech16k: np.ndarray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "CHUNK_SECONDS", 2)  # several chunk files
    source = FileSource(speech_wav, realtime=False)
    rec = Recorder(tmp_path / "rec", source=source)
    rec.start()
    assert_wait(lambda: rec.finished, 10)
    info = rec.stop()
    assert rec.state == "stopped"
    assert info.frames == len(speech16k)
    assert len(list((tmp_path / "rec").glob("chunk-*.wav"))) == 6
    assert np.array_equal(as_int16(read_recording(tmp_path / "rec")), speech16k)
    # a span across a chunk boundary
    assert np.array_equal(
        as_int16(read_recording(tmp_path / "rec", 1.5, 4.5)), speech16k[24000:72000]
    )
    # every chunk is a normal WAV file
    data, rate = sf.read(str(tmp_path / "rec" / "chunk-00002.wav"), dtype="int16")
    assert rate == 16000 and np.array_equal(data, speech16k[32000:64000])


def test_file_source_realtime_is_paced_and_pause_excludes_time(
    speech_wav: Path, speech16k: np.ndarray, tmp_path: Path
) -> None:
    rec = Recorder(tmp_path / "rec", source=FileSource(speech_wav, realtime=True))
    t0 = time.monotonic()
    rec.start()
    time.sleep(1.0)
    # paced by the wall clock, not as fast as possible (the file is 11 s long); bounds by
    # the time that really passed, so that a loaded machine cannot fail it
    assert 0.0 < rec.elapsed <= time.monotonic() - t0 + 0.15  # + its first 0.05-s blocks
    rec.pause()
    assert rec.state == "paused"
    at_pause = rec.elapsed
    p0 = time.monotonic()
    time.sleep(0.6)
    assert rec.elapsed - at_pause < 0.1
    rec.resume()
    paused = time.monotonic() - p0
    time.sleep(0.5)
    info = rec.stop()
    took = time.monotonic() - t0
    assert 0.5 <= info.duration <= took - paused + 0.25  # + a block each side of the pause
    # the file was paused too: what was kept is the file's start, without a gap
    assert np.array_equal(as_int16(read_recording(tmp_path / "rec")), speech16k[: info.frames])


def test_continuing_in_the_same_folder_appends(
    speech_wav: Path, speech16k: np.ndarray, tmp_path: Path
) -> None:
    folder = tmp_path / "rec"
    for _ in range(2):
        rec = Recorder(folder, source=FileSource(speech_wav, realtime=False))
        rec.start()
        assert_wait(lambda r=rec: r.finished, 10)  # type: ignore[misc]
        info = rec.stop()
    assert info.frames == 2 * len(speech16k)
    assert np.array_equal(as_int16(read_recording(folder)), np.tile(speech16k, 2))


def test_status_reports_disk_and_warnings(speech_wav: Path, tmp_path: Path) -> None:
    silent = tmp_path / "silent.wav"
    sf.write(str(silent), np.zeros(16000 * 3, np.int16), 16000, subtype="PCM_16")
    rec = Recorder(tmp_path / "rec", source=FileSource(silent, realtime=False), silence_seconds=2)
    rec.start()
    assert_wait(lambda: rec.finished, 10)
    time.sleep(0.3)
    status = rec.status()
    rec.stop()
    assert status.silence_warning and not status.clipping_warning
    assert status.free_bytes > 0
    assert status.minutes_left == pytest.approx(status.free_bytes / (16000 * 2 * 60))
    assert status.elapsed == pytest.approx(3.0)
    assert status.overflows == 0 and status.error is None


def test_recover_drops_a_torn_chunk_and_cuts_half_frames(
    speech_wav: Path, speech16k: np.ndarray, tmp_path: Path
) -> None:
    folder = tmp_path / "rec"
    rec = Recorder(folder, source=FileSource(speech_wav, realtime=False))
    rec.start()
    assert_wait(lambda: rec.finished, 10)
    rec.stop()
    # simulate a crash: manifest back to "recording", stale header, half a sample, torn chunk
    manifest = read_manifest(folder)
    assert manifest is not None
    manifest["state"] = "recording"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    chunk = folder / "chunk-00001.wav"
    with open(chunk, "r+b") as f:
        f.write(recording.wav_header(0, 16000, 1))
        f.seek(0, 2)
        f.write(b"\x01")
    (folder / "chunk-00002.wav").write_bytes(b"RIFF\x00")
    assert find_interrupted(tmp_path) == [folder]
    info = recover_recording(folder)
    assert info.frames == len(speech16k)
    assert not (folder / "chunk-00002.wav").exists()
    assert sf.info(str(chunk)).frames == len(speech16k)  # header fixed
    assert find_interrupted(tmp_path) == []
    assert recover_recording(folder) == info  # idempotent


def test_read_recording_of_a_non_recording_folder(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="holds no kvale recording"):
        read_recording(tmp_path)


def test_load_audio_resamples_and_reports_bad_files(tmp_path: Path) -> None:
    t = np.arange(44100) / 44100
    sf.write(str(tmp_path / "a.flac"), np.stack([np.sin(2 * np.pi * 440 * t)] * 2, 1) * 0.5, 44100)
    audio = load_audio(tmp_path / "a.flac")
    assert audio.dtype == np.float32 and len(audio) == 16000
    assert float(np.max(np.abs(audio[100:-100]))) == pytest.approx(0.5, abs=0.01)
    (tmp_path / "bad.wav").write_bytes(b"RIFF garbage")
    with pytest.raises(AudioError, match="cannot be read as audio"):
        load_audio(tmp_path / "bad.wav")
    with pytest.raises(AudioError, match="does not exist"):
        load_audio(tmp_path / "missing.wav")
