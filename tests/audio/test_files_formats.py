"""Audio files as phones and recorders make them, decoded with PyAV.

The files are made here from the JFK clip with PyAV's encoders (AAC in M4A, Opus in Ogg,
MP3, WMA, and an MP4 video with an H.264 picture and an AAC sound track).
"""

from __future__ import annotations

import logging
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf
from media import encode, video
from speech_helpers import JFK

from audio.files import load_audio
from kvale_errors import AudioError

SR = 16_000


@pytest.fixture(scope="module")
def jfk() -> np.ndarray:
    return load_audio(JFK)


@pytest.mark.parametrize(
    ("name", "fmt", "codec"),
    [
        ("phone.m4a", "mp4", "aac"),
        ("voice.opus", "ogg", "libopus"),
        ("memo.mp3", "mp3", "libmp3lame"),
        ("dictaphone.wma", "asf", "wmav2"),
    ],
)
def test_phone_formats_decode_whole(
    jfk: np.ndarray, tmp_path: Path, name: str, fmt: str, codec: str
) -> None:
    rate = 44100 if codec == "wmav2" else 48000
    samples = load_audio(encode(jfk, tmp_path / name, fmt, codec, rate))
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert abs(len(samples) / SR - len(jfk) / SR) < 0.2
    assert 0.3 < float(np.max(np.abs(samples))) <= 1.0  # channels averaged, not summed
    # the same speech: correlated with the original once aligned
    min(len(samples), len(jfk))
    lag = int(np.argmax(np.correlate(samples[8000 : 8000 + 4000], jfk[8000:12000], "full"))) - 3999
    assert abs(lag) < 2000


def test_a_video_files_sound_track(jfk: np.ndarray, tmp_path: Path) -> None:
    samples = load_audio(video(jfk, tmp_path / "interview.mp4"))
    assert abs(len(samples) / SR - len(jfk) / SR) < 0.2


def test_any_rate_and_channel_count(jfk: np.ndarray, tmp_path: Path) -> None:
    six = np.repeat(jfk[:, None], 6, axis=1) * 0.5
    path = tmp_path / "surround.wav"
    sf.write(path, six, 16000)
    path8 = tmp_path / "narrow.flac"
    sf.write(path8, jfk[::2], 8000)
    assert abs(len(load_audio(path)) - len(jfk)) < 10
    assert abs(len(load_audio(path8)) - len(jfk)) < 50


def test_a_truncated_flac_gives_what_can_be_read_and_says_so(
    jfk: np.ndarray, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    whole = tmp_path / "whole.flac"
    sf.write(whole, jfk, SR)
    cut = tmp_path / "cut.flac"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with caplog.at_level(logging.WARNING, logger="audio.files"):
        samples = load_audio(cut)
    seconds = len(samples) / SR
    assert 3.0 < seconds < len(jfk) / SR - 1.0
    assert any("cut short" in r.getMessage() and "11.0 s" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("content", [b"not audio at all\n" * 100, b"RIFF\x00\x00garbage"])
def test_a_file_that_is_not_audio_is_a_sentence(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "notes.m4a"
    bad.write_bytes(content)
    with pytest.raises(AudioError, match="cannot be read as audio"):
        load_audio(bad)


def test_an_empty_file_says_the_copy_is_not_whole(tmp_path: Path) -> None:
    """A 0-byte file is what a copy cut short leaves (a phone unplugged too early): the
    sentence says so, in the UI's language too."""
    from kvale_i18n import translator

    empty = tmp_path / "opptak.m4a"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match=r"opptak\.m4a is empty \(0 bytes\)") as err:
        load_audio(empty)
    said = translator("nb").gettext(err.value.template).format(**err.value.params)
    assert said.startswith("opptak.m4a er tom (0 byte)")


def test_a_file_with_only_a_picture_is_a_sentence(tmp_path: Path) -> None:
    out = tmp_path / "silent.mp4"
    with av.open(str(out), "w", format="mp4") as container:
        picture = container.add_stream("mpeg4", rate=10)
        picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), "rgb24")
        for packet in [*picture.encode(frame), *picture.encode(None)]:
            container.mux(packet)
    with pytest.raises(AudioError, match="no sound track"):
        load_audio(out)


@pytest.mark.parametrize("channels", [2, 6])
def test_the_engine_gets_the_samples_it_would_read_itself(
    jfk: np.ndarray, tmp_path: Path, channels: int
) -> None:
    """A stereo (or 5.1) file at 44.1 kHz gives exactly faster-whisper's own samples: the
    floor bench compares kvale with the plain engine reading the file itself, and one
    16-bit step of difference (the channels averaged by kvale) changed 2 words in 114."""
    from faster_whisper.audio import decode_audio

    # different speech on each channel (JFK forwards and backwards), loud enough to clip
    # a downmix that adds the channels
    left = jfk / np.abs(jfk).max() * 0.95
    planes = [left if k % 2 == 0 else left[::-1] for k in range(channels)]
    path = tmp_path / f"{channels}ch.wav"
    sf.write(path, np.stack(planes, axis=1), 44_100, subtype="PCM_16")
    ours = load_audio(path)
    assert np.array_equal(ours, decode_audio(str(path)))
    assert np.abs(ours).max() < 1.0
    assert load_audio(path, keep_channels=True).shape == (len(ours), channels)
