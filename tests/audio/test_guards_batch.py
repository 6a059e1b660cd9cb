"""Hallucination guards, subtitle writers and the batch transcribe_file (the guards' evidence
is tested in test_guards_evidence)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from speech_helpers import JFK, JFK_WORDS, words_of

from audio.files import load_audio
from audio.guards import guard_segments, low_confidence_words
from audio.subtitles import segments_to_json, segments_to_srt, segments_to_vtt
from audio.transcribe import transcribe_file
from audio.types import Segment, TranscriptionInfo, Word


def seg(text: str, start: float = 0.0, end: float = 2.0, **kw: float) -> Segment:
    words = tuple(
        Word(start + i * 0.1, start + i * 0.1 + 0.1, " " + w, 0.9)
        for i, w in enumerate(text.split())
    )
    return Segment(0, start, end, text, words, **kw)


def test_low_confidence_words_are_flagged() -> None:
    s = Segment(0, 0, 1, "a b c", (Word(0, 0.1, " a", 0.9), Word(0.1, 0.2, " b", 0.2)))
    assert low_confidence_words(s) == [1]


def test_writers() -> None:
    segments = [seg("Hello there", 0.0, 1.5), seg("Second line", 61.25, 3725.5)]
    vtt = segments_to_vtt(segments)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello there\n")
    assert "00:01:01.250 --> 01:02:05.500\nSecond line" in vtt
    srt = segments_to_srt(segments)
    assert srt.startswith("1\n00:00:00,000 --> 00:00:01,500\nHello there\n\n2\n")
    info = TranscriptionInfo("en", 1.0, 3725.5, "faster-whisper", "tiny.en")
    doc = json.loads(segments_to_json(segments, info))
    assert doc["segments"][1]["words"][0]["word"] == " Second"
    assert doc["info"]["model"] == "tiny.en"
    assert "tokens" not in doc["segments"][0]  # the decoder's ids are not the transcript


@pytest.mark.slow
def test_transcribe_file_reports_progress_and_words() -> None:
    seen: list[tuple[float, float | None]] = []
    segments, info = transcribe_file(
        JFK, engine="faster-whisper", model="tiny.en", on_progress=lambda f, e: seen.append((f, e))
    )
    assert words_of(segments) == JFK_WORDS
    assert info.language == "en"
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert seen[-1] == (1.0, 0.0)
    assert all(e is None or e >= 0 for _, e in seen)


@pytest.mark.slow
def test_transcribe_file_cancel_returns_what_it_has(tmp_path: Path) -> None:
    jfk = load_audio(JFK)
    long = tmp_path / "long.wav"
    sf.write(long, np.concatenate([jfk, np.zeros(8000, np.float32)] * 4), 16000)
    cancel = threading.Event()
    segments, _ = transcribe_file(
        long,
        engine="faster-whisper",
        model="tiny.en",
        on_progress=lambda f, e: cancel.set(),
        cancel=cancel,
    )
    assert len(segments) == 1


def test_words_piled_at_one_instant_are_dropped() -> None:
    """The shape of a live window in the demo: a sentence heard 15 s later written with
    every word at 60.74 s, before the words really said there."""
    from audio.guards import without_piles

    piled = [Word(60.74, 60.74, f" w{k}", 0.9) for k in range(12)]
    said = [
        Word(60.74, 61.1, " reduces", 0.9),
        Word(61.1, 61.6, " well-being?", 0.9),
        Word(63.9, 64.4, " Mostly", 0.9),
        Word(64.4, 64.4, " the", 0.9),  # a zero-length word alone is nothing unusual
        Word(64.4, 65.0, " pressure.", 0.9),
    ]
    before = Word(60.18, 60.74, " What", 0.9)
    s = Segment(0, 60.18, 65.0, "x", (before, *piled, *said))
    [kept] = guard_segments([s])
    assert [w.word for w in kept.words] == [" What", *(w.word for w in said)]
    assert kept.text == "What reduces well-being? Mostly the pressure."
    assert (kept.start, kept.end) == (60.18, 65.0)
    # four in a row are left alone; a segment that is all pile goes
    four = Segment(0, 60.74, 61.1, "x", (*piled[:4], said[0]))
    assert without_piles(four) is four
    assert list(guard_segments([Segment(0, 60.74, 60.74, "x", tuple(piled))])) == []
