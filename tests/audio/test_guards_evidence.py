"""The guards remove only what is surely not speech, and keep what they removed.

Speech here is real (the JFK clip); silence is digital zeros. No model is loaded.
"""

from __future__ import annotations

import numpy as np
import pytest
from speech_helpers import JFK

from audio.files import load_audio
from audio.guards import GuardSettings, copy_runs, guard_segments, token, without_loops
from audio.speech import normalised, speech_spans
from audio.types import Removal, Segment, Word

SR = 16_000


def seg(text: str, start: float, end: float, no_speech: float = 0.0) -> Segment:
    parts = text.split()
    step = (end - start) / max(1, len(parts))
    words = tuple(
        Word(round(start + i * step, 3), round(start + (i + 1) * step, 3), " " + w, 0.9)
        for i, w in enumerate(parts)
    )
    return Segment(0, start, end, text, words, no_speech_prob=no_speech)


@pytest.fixture(scope="module")
def jfk_then_silence() -> np.ndarray:
    """11 s of JFK, then 10 s of digital silence."""
    return np.concatenate([load_audio(JFK), np.zeros(10 * SR, np.float32)])


@pytest.mark.parametrize("dbfs", [-6, -20, -30, -40, -50])
def test_speech_is_found_at_any_level(dbfs: int) -> None:
    jfk = load_audio(JFK)
    quiet = jfk * (10 ** (dbfs / 20) / float(np.max(np.abs(jfk))))
    spans = speech_spans(quiet.astype(np.float32))
    covered = sum(b - a for a, b in spans)
    assert covered > 8.0, (dbfs, spans)


def test_normalising_keeps_silence_silent() -> None:
    assert not np.any(normalised(np.zeros(SR, np.float32)))
    assert speech_spans(np.zeros(5 * SR, np.float32)) == []


def test_text_over_no_speech_is_removed_and_kept(jfk_then_silence: np.ndarray) -> None:
    said = seg("and so my fellow americans", 0.3, 3.0)
    invented = seg("Thank you for watching.", 14.0, 17.0, no_speech=0.9)
    removed: list[Removal] = []
    kept = list(guard_segments([said, invented], jfk_then_silence, removed=removed))
    assert kept == [said]
    assert [(r.text, r.reason) for r in removed] == [("Thank you for watching.", "no speech")]
    assert removed[0].words == invented.words  # restorable with its times


def test_a_quiet_speaker_is_speech(jfk_then_silence: np.ndarray) -> None:
    """A segment over speech at −50 dBFS stays (an absolute loudness floor removed it)."""
    quiet = jfk_then_silence * (10 ** (-50 / 20) / float(np.max(np.abs(jfk_then_silence))))
    said = seg("ask not what your country can do for you", 4.0, 8.0)
    removed: list[Removal] = []
    assert list(guard_segments([said], quiet.astype(np.float32), removed=removed)) == [said]
    assert removed == []


def test_a_person_repeating_a_phrase_keeps_every_copy(jfk_then_silence: np.ndarray) -> None:
    text = "jeg vet ikke, jeg vet ikke, jeg vet ikke, jeg vet ikke."
    s = seg(text, 1.0, 9.0)  # all of it over speech
    removed: list[Removal] = []
    assert list(guard_segments([s], jfk_then_silence, removed=removed)) == [s]
    assert removed == []


def test_loop_copies_over_no_speech_are_removed(jfk_then_silence: np.ndarray) -> None:
    """Whisper stuck on a phrase runs on past the speech: the copies over silence go."""
    text = "I'm going to do it. " * 6
    s = seg(text.strip(), 8.0, 20.0)  # 8-11 s speech, the rest silence
    removed: list[Removal] = []
    [kept] = guard_segments([s], jfk_then_silence, removed=removed)
    assert kept.text.lower().count("going to do it") >= 1
    assert kept.end <= 12.0
    assert {r.reason for r in removed} == {"loop"}
    assert (
        sum(r.text.lower().count("going") for r in removed) + kept.text.lower().count("going") == 6
    )


def test_more_copies_than_a_person_says_are_a_loop() -> None:
    s = seg("okay " * 20, 0.0, 10.0)
    kept, removed = without_loops(s, None)
    assert kept is not None
    assert len(kept.words) == GuardSettings().max_copies
    assert sum(len(r.words) for r in removed) == 20 - GuardSettings().max_copies


def test_copy_runs_finds_the_longest_phrase() -> None:
    tokens = [
        token(w)
        for w in [
            "so",
            "I",
            "said",
            "no",
            "no",
            "no",
            "and",
            "then",
            "we",
            "went",
            "we",
            "went",
            "we",
            "went",
        ]
    ]
    assert copy_runs(tokens) == [(3, 1, 3), (8, 2, 3)]


def test_words_piled_at_one_instant_are_removed_and_kept() -> None:
    piled = tuple(Word(5.0, 5.0, f" w{k}", 0.9) for k in range(6))
    said = (Word(5.0, 5.4, " Mostly", 0.9), Word(5.4, 6.0, " pressure.", 0.9))
    s = Segment(0, 5.0, 6.0, "x", piled + said)
    removed: list[Removal] = []
    [kept] = guard_segments([s], removed=removed)
    assert kept.text == "Mostly pressure."
    assert [(r.reason, len(r.words)) for r in removed] == [("piled", 6)]


def test_only_words_beside_written_ones_in_time_may_be_a_second_hearing() -> None:
    """`audio.overlap`: the model decides which words heard again are already written, but
    only among those the neighbouring words meet in time; a copy of a neighbour written
    over no speech (its times are off) lets the model judge them all."""
    from audio.overlap import _open

    before = list(seg("and then what happened No.", 8.0, 10.5).words)
    later = seg("No. I said no", 20.0, 21.6).words  # said again 10 s on: a new answer
    assert _open(later, before, None) == 0
    same_place = seg("No. I said no", 10.5, 12.5).words  # starts where "No." ends
    assert _open(same_place, before, None) == 1
    after = list(seg("what are you gonna do", 21.8, 23.0).words)
    assert _open(later[::-1], after, None, after=True) == 1  # "no" meets "what" in time
    speech = [(15.0, 25.0)]  # the words before lie over no speech: written at the wrong time
    assert _open(later, before, speech) == len(later)
    assert _open(later, before, [(0.0, 25.0)]) == 0


def test_whispered_speech_the_engine_heard_stays(jfk_then_silence: np.ndarray) -> None:
    """Whispering has no voicing, so the VAD finds nothing; Whisper heard words
    (no_speech_prob 0.10 on the real whispered clip): both must agree to remove."""
    whispered = seg("this is all very whisper", 14.0, 16.0, no_speech=0.1)
    removed: list[Removal] = []
    assert list(guard_segments([whispered], jfk_then_silence, removed=removed)) == [whispered]
    assert removed == []
