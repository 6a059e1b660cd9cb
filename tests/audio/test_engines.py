"""Both engines on real speech (jfk, 11 s) with the real packaged weights."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from speech_helpers import FIXTURES, JFK, JFK_WORDS, normalise, words_of

from audio.engines import (
    Engine,
    FasterWhisperEngine,
    OpenAIWhisperEngine,
    get_engine,
    normalize_language,
)
from audio.files import load_audio
from audio.types import Segment
from kvale_errors import AudioError, TranscriptionError
from kvale_i18n import translator

pytestmark = pytest.mark.slow

_engines: dict[tuple[str, str, str], Engine] = {}


def engine(name: str, model: str, compute_type: str = "int8") -> Engine:
    """Load each (engine, model) once per test session."""
    key = (name, model, compute_type)
    if key not in _engines:
        kw = {"compute_type": compute_type} if name == "faster-whisper" else {}
        _engines[key] = get_engine(name, model, cpu_threads=2, **kw)
    return _engines[key]


def check_timestamps(segments: list[Segment], duration: float) -> None:
    last = 0.0
    for seg in segments:
        assert seg.words, seg
        for w in seg.words:
            assert seg.start - 0.01 <= w.start <= w.end <= seg.end + 0.01, (seg, w)
            assert w.start >= last - 0.01
            assert 0.0 <= w.probability <= 1.0
            last = w.end
        assert seg.end <= duration + 0.05


@pytest.mark.parametrize("name", ["faster-whisper", "openai-whisper"])
def test_tiny_en_transcribes_jfk_words(name: str) -> None:
    eng = engine(name, "tiny.en")
    stream, info = eng.transcribe(JFK)
    segments = list(stream)
    assert info.engine == name
    assert info.language == "en"
    assert info.duration == pytest.approx(11.0, abs=0.1)
    assert words_of(segments) == JFK_WORDS
    assert normalise(" ".join(s.text for s in segments)) == JFK_WORDS
    check_timestamps(segments, info.duration)


@pytest.mark.parametrize("name", ["faster-whisper", "openai-whisper"])
def test_base_detects_english_and_transcribes_jfk(name: str) -> None:
    eng = engine(name, "base")
    stream, info = eng.transcribe(load_audio(JFK), beam_size=1)
    assert info.language == "en"
    assert info.language_probability > 0.5
    segments = list(stream)
    assert words_of(segments) == JFK_WORDS
    check_timestamps(segments, info.duration)


def test_same_weights_same_words_on_both_engines() -> None:
    """faster-whisper float32 and openai-whisper fp32, greedy, the same converted weights.

    Three different recordings (no repeated text: a repeat raises the compression ratio,
    which triggers Whisper's temperature fallback, and sampling is random in both engines).
    """
    fw = engine("faster-whisper", "tiny.en", "float32")
    ow = engine("openai-whisper", "tiny.en")
    gap = np.zeros(16000, np.float32)
    lj1, lj3 = (load_audio(FIXTURES / f"LJ001-000{i}.wav") for i in (1, 3))
    audio = np.concatenate([load_audio(JFK), gap, lj1, gap, lj3])
    a = list(fw.transcribe(audio, beam_size=1)[0])
    b = list(ow.transcribe(audio, beam_size=1)[0])
    assert len(a) >= 3  # three sentences
    assert [s.text for s in a] == [s.text for s in b]
    assert [w.word for s in a for w in s.words] == [w.word for s in b for w in s.words]
    starts_a = [w.start for s in a for w in s.words]
    assert starts_a == pytest.approx([w.start for s in b for w in s.words], abs=0.03)
    # both say which 30 s decoding window each segment came from (live `windows` mode)
    windows = [s.window for s in a]
    assert windows == pytest.approx([s.window for s in b])
    assert windows[0] == 0.0 and max(windows) > 0.0 and windows == sorted(windows)


def test_offset_shifts_every_timestamp() -> None:
    eng = engine("faster-whisper", "tiny.en")
    plain = list(eng.transcribe(JFK)[0])
    shifted = list(eng.transcribe(JFK, offset=100.0)[0])
    assert [s.start + 100.0 for s in plain] == pytest.approx([s.start for s in shifted])
    assert [s.window + 100.0 for s in plain] == pytest.approx([s.window for s in shifted])
    assert shifted[0].words[0].start >= 100.0


def _long_audio() -> np.ndarray:
    jfk = load_audio(JFK)
    gap = np.zeros(8000, np.float32)
    return np.concatenate([jfk, gap, jfk, gap, jfk, gap, jfk])  # ~46 s, two windows


def test_cancel_stops_faster_whisper_early() -> None:
    eng = engine("faster-whisper", "tiny.en")
    full = list(eng.transcribe(_long_audio())[0])
    cancel = threading.Event()
    stream, _ = eng.transcribe(_long_audio(), cancel=cancel)
    got = []
    for seg in stream:  # ends cleanly, no exception
        got.append(seg)
        cancel.set()
    assert len(got) == 1 < len(full)


def test_cancel_stops_openai_whisper_before_decoding() -> None:
    eng = engine("openai-whisper", "tiny.en")
    cancel = threading.Event()
    cancel.set()
    stream, info = eng.transcribe(_long_audio(), cancel=cancel)
    assert list(stream) == []
    assert info.duration > 40
    # and the model still works afterwards (the cancel hook is removed)
    assert words_of(eng.transcribe(JFK)[0]) == JFK_WORDS


def test_engine_classes_meet_the_protocol() -> None:
    assert isinstance(engine("faster-whisper", "tiny.en"), FasterWhisperEngine)
    assert isinstance(engine("openai-whisper", "tiny.en"), OpenAIWhisperEngine)
    assert isinstance(engine("faster-whisper", "tiny.en"), Engine)


def test_auto_picks_faster_whisper_for_ct2_weights() -> None:
    assert get_engine("auto", "tiny.en").name == "faster-whisper"


def test_unknown_engine_is_a_sentence() -> None:
    with pytest.raises(TranscriptionError, match="no transcription engine called 'whispr'"):
        get_engine("whispr", "tiny.en")


@pytest.mark.parametrize(
    ("given", "code"), [("nb", "no"), ("no", "no"), ("nn", "nn"), (None, None), ("EN", "en")]
)
def test_norwegian_codes(given: str | None, code: str | None) -> None:
    assert normalize_language(given) == code


def test_unknown_language_is_a_sentence() -> None:
    with pytest.raises(TranscriptionError, match="does not know the language 'klingon'") as caught:
        normalize_language("klingon")
    said = translator("nn").gettext(caught.value.template or "").format(**caught.value.params)
    assert said.startswith("Whisper kjenner ikkje språket «klingon»"), said


def test_corrupt_audio_is_an_audio_error(tmp_path: Path) -> None:
    bad = tmp_path / "interview.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage")
    with pytest.raises(AudioError):
        engine("faster-whisper", "tiny.en").transcribe(bad)
    with pytest.raises(AudioError, match="no audio file"):
        load_audio(tmp_path / "missing.wav")


def test_stereo_44k_file_is_resampled(tmp_path: Path) -> None:
    import math

    jfk = load_audio(JFK)
    t = np.arange(int(len(jfk) * 44100 / 16000))
    up = np.interp(t * 16000 / 44100, np.arange(len(jfk)), jfk).astype(np.float32)
    path = tmp_path / "stereo.wav"
    sf.write(path, np.stack([up, up], axis=1), 44100)
    audio = load_audio(path)
    assert math.isclose(len(audio), len(jfk), rel_tol=0.001)
    assert words_of(engine("faster-whisper", "tiny.en").transcribe(audio)[0]) == JFK_WORDS


@pytest.mark.parametrize("name", ["faster-whisper", "openai-whisper"])
def test_vad_keeps_the_words_and_the_timeline(name: str) -> None:
    """VAD skips a leading 5 s silence and keeps timestamps on the original timeline."""
    audio = np.concatenate([np.zeros(5 * 16000, np.float32), load_audio(JFK)])
    stream, info = engine(name, "tiny.en").transcribe(audio, vad=True)
    segments = list(stream)
    assert words_of(segments) == JFK_WORDS
    assert segments[0].words[0].start >= 4.8
    assert info.duration == pytest.approx(16.0, abs=0.1)


@pytest.mark.parametrize("name", ["faster-whisper", "openai-whisper"])
def test_norwegian_with_an_english_only_model_is_a_sentence(name: str) -> None:
    with pytest.raises(TranscriptionError, match="understands English only"):
        engine(name, "tiny.en").transcribe(JFK, language="nb")
