"""Who is speaking when the researcher says how many people take part (`people`): real
AMI meeting excerpts with three and four speakers (held out of the calibration of
bench/voices.py), the real GE2E encoder, Silero VAD and scikit-learn, no mocks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from audio.counted import MAX_AHC, counted_labels
from audio.files import load_audio
from audio.voices import MAX_PEOPLE, NO_SPEECH_S, Voices, check_people, find_voices
from tests.audio.test_voices_meeting import _reference as frame_reference

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _reference(name: str, n: int) -> tuple[np.ndarray, int]:
    """Per 10 ms frame: the one reference speaker (0, 1, …), -1 none, -2 overlap; and
    how many speakers there are."""
    path = FIXTURES / f"{name}.rttm"
    names = {line.split()[7] for line in path.read_text("utf-8").splitlines()}
    return frame_reference(path, n), len(names)


def _right(name: str, voices: Voices) -> float:
    """The share of the excerpt's single-speaker frames that the voices found give
    their speaker (the best one-to-one mapping of voices to speakers; unlabelled frames
    count as wrong)."""
    n = round(30.0 * 100) + 100
    want, speakers = _reference(name, n)
    got = np.full(n, -1)
    for turn in voices.turns:
        got[round(turn.start * 100) : round(turn.end * 100)] = turn.voice
    single = want >= 0
    counts = np.zeros((speakers, max(voices.count, 1)))
    for w, g in zip(want[single], got[single], strict=True):
        if g >= 0:
            counts[w, g] += 1
    rows, cols = linear_sum_assignment(-counts)
    return float(counts[rows, cols].sum() / single.sum())


@pytest.fixture(scope="module")
def trn00() -> np.ndarray:
    return load_audio(FIXTURES / "ami-trn00.flac")


@pytest.fixture(scope="module")
def tst00() -> np.ndarray:
    return load_audio(FIXTURES / "ami-tst00.flac")


def test_three_people_given_three_voices(trn00: np.ndarray) -> None:
    """AMI trn00: three speakers (12, 8 and 3 s). Not told, the eigengap finds one
    voice; told three, three voices, and more of the speech goes to its speaker."""
    alone = find_voices(trn00)
    told = find_voices(trn00, people=3)
    assert alone.count == 1, alone  # as before this change
    assert told.count == 3, told
    assert _right("ami-trn00", told) > _right("ami-trn00", alone) + 0.1, (
        _right("ami-trn00", told),
        _right("ami-trn00", alone),
    )


def test_four_people_given_four_voices(tst00: np.ndarray) -> None:
    """AMI tst00: four speakers of 11-18 s each. Told four, four voices, each with
    some speech of its own."""
    told = find_voices(tst00, people=4)
    assert told.count == 4, told
    seconds = np.zeros(4)
    for t in told.turns:
        seconds[t.voice] += t.end - t.start
    assert seconds.min() >= NO_SPEECH_S, seconds


def test_not_told_and_two_people_as_before(tst00: np.ndarray) -> None:
    """None: the eigengap's choice, as before (three voices in tst00); 2 (an individual
    interview, the app's default): at most two, so the same recording gets two; the
    one-speaker-plus-a-moment excerpt stays one voice with 2 as with None."""
    assert find_voices(tst00).count == 3
    assert find_voices(tst00, people=2).count == 2
    trn03 = load_audio(FIXTURES / "ami-trn03.flac")
    assert find_voices(trn03, people=2).count == find_voices(trn03).count == 1
    dev01 = load_audio(FIXTURES / "ami-dev01.flac")
    assert find_voices(dev01, people=2).count == 2


def test_one_person_is_one_voice() -> None:
    dev01 = load_audio(FIXTURES / "ami-dev01.flac")
    voices = find_voices(dev01, people=1)
    assert voices.count == 1
    assert not voices.two


def test_given_count_leaves_out_a_voice_with_no_speech() -> None:
    """One speaker (JFK) told as four people: the windows cannot hold four voices with
    speech each, so fewer are found; never more than told."""
    jfk = load_audio(FIXTURES / "jfk.flac")
    voices = find_voices(jfk, people=4)
    assert 1 <= voices.count <= 4
    seconds: dict[int, float] = {}
    for t in voices.turns:
        seconds[t.voice] = seconds.get(t.voice, 0.0) + t.end - t.start
    assert all(s >= NO_SPEECH_S for s in seconds.values()) or voices.count == 1


@pytest.mark.parametrize("bad", [0, -2, MAX_PEOPLE + 1, 2.5, True, "3"])
def test_bad_people_count_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        check_people(bad)
    with pytest.raises(ValueError):
        find_voices(np.zeros(16_000, dtype=np.float32), people=bad)  # type: ignore[arg-type]


def test_people_count_accepts_whole_numbers() -> None:
    assert check_people(None) is None
    assert check_people(np.int64(3)) == 3
    assert check_people(MAX_PEOPLE) == MAX_PEOPLE


def test_two_channels_with_three_people_use_the_speaker_model(trn00: np.ndarray) -> None:
    """Two microphones cannot carry one person each when three take part: the channels
    (here the excerpt's first half on the left, its second on the right, each heard
    20 dB lower on the other side) are averaged and the speaker model finds the voices."""
    half = len(trn00) // 2
    left, right = trn00.copy(), trn00.copy()
    left[half:] = 0.0
    right[:half] = 0.0
    bleed = np.float32(0.1)
    stereo = np.stack([left + bleed * right, right + bleed * left], axis=1)
    assert find_voices(stereo).channels  # not told: one person per channel
    voices = find_voices(stereo, people=3)
    assert not voices.channels
    assert 2 <= voices.count <= 3


def test_counted_labels_keeps_unequal_groups() -> None:
    """Average-linkage AHC: a big group and two small ones stay as they are (the
    spectral k-means split the big one); over MAX_AHC windows every window gets a
    voice from the subsample's groups."""
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((3, 32))
    sizes = [200, 12, 8]
    emb = np.concatenate(
        [c + 0.15 * rng.standard_normal((s, 32)) for c, s in zip(centres, sizes, strict=True)]
    )
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    labs = counted_labels(emb, 3)
    assert sorted(np.bincount(labs).tolist()) == sorted(sizes)
    big = np.repeat(emb, (MAX_AHC // len(emb)) + 2, axis=0)
    labs_big = counted_labels(big, 3)
    assert len(labs_big) == len(big)
    assert sorted(np.bincount(labs_big).tolist()) == sorted(
        s * ((MAX_AHC // 220) + 2) for s in sizes
    )
    with pytest.raises(ValueError):
        counted_labels(emb[:2], 3)
