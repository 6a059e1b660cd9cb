"""Hallucination guards, subtitle writers and the batch transcribe_file."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from speech_helpers import JFK, JFK_WORDS, words_of

from audio.engines import load_audio
from audio.guards import (
    compression_ratio,
    guard_segments,
    is_loop,
    low_confidence_words,
    max_ngram_repeats,
)
from audio.subtitles import segments_to_json, segments_to_srt, segments_to_vtt
from audio.transcribe import initial_prompt_from, transcribe_file
from audio.types import Segment, TranscriptionInfo, Word

LOOP = "thank you for watching " * 12


def seg(text: str, start: float = 0.0, end: float = 2.0, **kw: float) -> Segment:
    words = tuple(
        Word(start + i * 0.1, start + i * 0.1 + 0.1, " " + w, 0.9)
        for i, w in enumerate(text.split())
    )
    return Segment(0, start, end, text, words, **kw)


def test_loop_measures() -> None:
    assert compression_ratio(LOOP) > 2.4
    assert max_ngram_repeats(LOOP) >= 10
    assert max_ngram_repeats("and so my fellow americans") == 1
    assert is_loop(seg(LOOP))
    assert not is_loop(seg("And so my fellow Americans, ask not what your country can do."))


def test_guard_drops_loops_and_text_over_silence() -> None:
    audio = np.zeros(16000 * 10, np.float32)
    audio[: 16000 * 4] = 0.1 * np.sin(np.arange(16000 * 4) * 0.3)  # energy in 0-4 s only
    kept = seg("we talked about the workload", 0.0, 3.0)
    segments = [
        kept,
        seg(LOOP, 3.0, 4.0),
        seg("Thanks for watching", 5.0, 8.0),  # no energy there
        seg("something", 1.0, 2.0, no_speech_prob=0.9, avg_logprob=-1.5),
        seg("   ", 1.0, 2.0),
    ]
    assert list(guard_segments(segments, audio)) == [kept]
    # without audio the energy check is skipped, the others still apply
    assert [s.text for s in guard_segments(segments)] == [kept.text, "Thanks for watching"]


def test_short_mostly_silent_segment_is_dropped_but_not_a_long_one() -> None:
    """Whisper's "Thank you." at a chunk's end: 0.12 s of the last word, then silence."""
    audio = np.zeros(16000 * 20, np.float32)
    tone = lambda n: 0.1 * np.sin(np.arange(n) * 0.3)  # noqa: E731
    audio[: int(16000 * 1.12)] = tone(int(16000 * 1.12))  # speech ends at 1.12 s
    audio[16000 * 3 : int(16000 * 3.4)] = tone(int(16000 * 0.4))  # a short "Yes." at 3.0 s
    audio[16000 * 5 : int(16000 * 7.5)] = tone(int(16000 * 2.5))  # 2.5 s of speech at 5 s
    invented = seg("Thank you.", 1.0, 1.48)
    yes = seg("Yes.", 3.0, 3.45)
    long = seg("a long answer whose end time Whisper put far too late", 5.0, 15.0)
    assert [s.text for s in guard_segments([invented, yes, long], audio)] == [yes.text, long.text]


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


def test_initial_prompt_from_question_texts() -> None:
    questions = ["Hva styrker trivselen din på jobb?", "  Hva   reduserer\n trivselen? ", ""]
    assert initial_prompt_from(questions) == (
        "Hva styrker trivselen din på jobb? Hva reduserer trivselen?"
    )
    assert initial_prompt_from(["a b c d"], max_words=2) == "a b"
    # whole questions only: a question that does not fit is left out, not cut
    assert initial_prompt_from(["Hva styrker trivselen?", "Og hva reduserer den?"], 5) == (
        "Hva styrker trivselen?"
    )
    assert initial_prompt_from([]) is None


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
