"""Telling voices apart (`audio.voices`: the real GE2E encoder, Silero VAD, scikit-learn) on
real and synthetic speech, no mocks."""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from audio.files import load_audio
from audio.voices import (
    Voices,
    VoiceTurn,
    find_voices,
    find_voices_in_file,
    voice_of,
)
from kvale_errors import AudioError

FIXTURES = Path(__file__).parents[1] / "fixtures"
RATE = 16_000
# JFK's sentence parts (seconds), cut at his own pauses
JFK_PARTS = [(0.2, 2.2), (3.1, 4.4), (5.3, 7.6), (8.0, 10.9)]

Audio = npt.NDArray[np.float32]
Piece = tuple[float, float, int]  # start, end, true voice


def _trim(x: Audio) -> Audio:
    loud = np.flatnonzero(np.abs(x) > 0.02)
    return x[max(0, loud[0] - 800) : loud[-1] + 800] if len(loud) else x


def build_track(clips: list[tuple[Audio, int]], seed: int = 1) -> tuple[Audio, list[Piece]]:
    """Join ``(clip, voice)`` with 0.5-2 s pauses of faint room noise (-60 dBFS)."""
    rng = np.random.default_rng(seed)
    parts: list[Audio] = []
    truth: list[Piece] = []
    t = 0
    for clip, voice in clips:
        pause = int(rng.uniform(0.5, 2.0) * RATE)
        parts.append((rng.standard_normal(pause) * 1e-3).astype(np.float32))
        t += pause
        parts.append(clip)
        truth.append((t / RATE, (t + len(clip)) / RATE, voice))
        t += len(clip)
    tail = (rng.standard_normal(RATE) * 1e-3).astype(np.float32)
    return np.concatenate([*parts, tail]), truth


def score(voices: Voices, truth: list[Piece]) -> tuple[float, float, float]:
    """(share of labelled speech time with the right voice, share of speech time labelled,
    worst distance in s between a true turn change and the found one), best label mapping."""
    step = 0.01
    t = np.arange(0.0, max(e for _, e, _ in truth) + 1.0, step)
    want = np.full(len(t), -1)
    for s, e, v in truth:
        want[(t >= s) & (t < e)] = v
    got = np.full(len(t), -1)
    for turn in voices.turns:
        got[(t >= turn.start) & (t < turn.end)] = turn.voice
    speech = want >= 0
    labelled = speech & (got >= 0)
    right = max(
        np.mean(got[labelled] == want[labelled]), np.mean(got[labelled] == 1 - want[labelled])
    )
    coverage = labelled.sum() / speech.sum()
    true_changes = [
        (a[1], b[0]) for a, b in pairwise(truth) if a[2] != b[2]
    ]  # the pause in which the voice changes
    found = [(a.end + b.start) / 2 for a, b in pairwise(voices.turns) if a.voice != b.voice]
    worst = 0.0
    for lo, hi in true_changes:
        dist = min((max(lo - f, f - hi, 0.0) for f in found), default=np.inf)
        worst = max(worst, dist)
    if len(found) != len(true_changes):
        worst = max(worst, np.inf)
    return float(right), float(coverage), float(worst)


@pytest.fixture(scope="module")
def jfk() -> Audio:
    return load_audio(FIXTURES / "jfk.flac")


@pytest.fixture(scope="module")
def lj() -> list[Audio]:
    return [_trim(load_audio(FIXTURES / f"LJ001-000{k}.wav")) for k in range(1, 7)]


@pytest.fixture(scope="module")
def real_track(jfk: Audio, lj: list[Audio]) -> tuple[Audio, list[Piece]]:
    clips: list[tuple[Audio, int]] = []
    for k, (a, b) in enumerate(JFK_PARTS):
        clips.append((jfk[int(a * RATE) : int(b * RATE)], 0))
        clips.append((lj[k], 1))
    clips.append((lj[4], 1))  # a participant going on after a pause
    clips.append((jfk[int(0.2 * RATE) : int(2.2 * RATE)], 0))
    clips.append((lj[5], 1))
    return build_track(clips)


def test_real_voices_are_told_apart(real_track: tuple[Audio, list[Piece]]) -> None:
    audio, truth = real_track
    voices = find_voices(audio)
    right, coverage, worst = score(voices, truth)
    assert voices.two
    assert right >= 0.95, (right, voices)
    assert coverage >= 0.85
    assert worst <= 0.5, (worst, voices.turns)
    assert voices.turns[0].voice == 0  # voice 0 is heard first
    assert all(a.voice != b.voice for a, b in pairwise(voices.turns))


def test_a_wrong_labelling_fails_the_score(real_track: tuple[Audio, list[Piece]]) -> None:
    """The score used above can fail: everything as one voice, or turns shifted by 1 s."""
    _, truth = real_track
    one = Voices(tuple(VoiceTurn(s, e, 0) for s, e, _ in truth), 2, 5.0)
    assert score(one, truth)[0] < 0.95
    shifted = Voices(tuple(VoiceTurn(s + 1.0, e + 1.0, v) for s, e, v in truth), 2, 5.0)
    assert score(shifted, truth)[0] < 0.95 or score(shifted, truth)[2] > 0.5
    perfect = Voices(tuple(VoiceTurn(s, e, 1 - v) for s, e, v in truth), 2, 5.0)
    assert score(perfect, truth)[0] == 1.0  # labels are anonymous


def test_real_sample_rate_is_resampled(real_track: tuple[Audio, list[Piece]]) -> None:
    audio, truth = real_track
    from audio.samples import resample

    voices = find_voices(resample(audio, RATE, 22_050), 22_050)
    assert voices.two
    assert score(voices, truth)[0] >= 0.95


def test_one_voice_is_one(lj: list[Audio]) -> None:
    audio, _ = build_track([(clip, 0) for clip in lj])
    voices = find_voices(audio)
    assert not voices.two, voices.separation
    assert voices.turns
    assert {t.voice for t in voices.turns} == {0}
    assert voice_of(voices, voices.turns[0].start, voices.turns[0].end) is None


def test_one_male_voice_is_one(jfk: Audio) -> None:
    # (not the parts twice: equal windows on both sides of the cross-validated Fisher
    # criterion would measure the repetition, not the voice)
    audio, _ = build_track([(jfk[int(a * RATE) : int(b * RATE)], 0) for a, b in JFK_PARTS])
    assert not find_voices(audio).two


ENGLISH = [
    "How long have you worked here?",
    "I have worked here for about eight years, and I like it.",
    "What about your colleagues?",
    "They are very supportive, and we often help each other with hard cases.",
    "And your manager?",
    "She is busy.",
    "Can you say more about that?",
    "Sometimes I feel alone with difficult decisions.",
]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize(
    ("first", "second", "lines"),
    [
        pytest.param(
            ("nb", 150),
            ("nb+f2", 160),
            [
                "Hvor lenge har du jobbet her?",
                "Jeg har jobbet her i omtrent åtte år, og trives godt.",
                "Hva med kollegene dine?",
                "De er veldig hjelpsomme, og vi hjelper hverandre med vanskelige saker.",
                "Og lederen din?",
                "Hun har mye å gjøre.",
                "Kan du si mer om det?",
                "Noen ganger føler jeg meg alene med vanskelige beslutninger.",
            ],
            id="nb/nb+f2",
        ),
        pytest.param(("en-us", 155), ("en+f3", 165), ENGLISH, id="en-us/en+f3"),
        pytest.param(("en-us", 155), ("en-us+f3", 165), ENGLISH, id="en-us/en-us+f3"),
    ],
)
def test_synthetic_voices_are_told_apart(
    first: tuple[str, int], second: tuple[str, int], lines: list[str]
) -> None:
    from tui.demo.synth import speak

    clips = [
        (speak(text, *(first if k % 2 == 0 else second), trim=True), k % 2)
        for k, text in enumerate(lines)
    ]
    audio, truth = build_track(clips, seed=2)
    voices = find_voices(audio)
    right, coverage, worst = score(voices, truth)
    assert voices.two, voices.separation
    assert right >= 0.95, (right, voices)
    assert coverage >= 0.85
    assert worst <= 0.5, (worst, voices.turns)


def test_voices_alike_are_taken_for_one() -> None:
    # espeak-ng 1.51 ignores +f3 after en-gb: the same male voice (F0 ~100 Hz) with
    # another accent. These features do not tell accents apart, and saying "one voice"
    # is the safe answer: the tagger then goes by the words alone
    from tui.demo.synth import speak

    clips = [
        (speak(text, *(("en-us", 155) if k % 2 == 0 else ("en-gb+f3", 165)), trim=True), k % 2)
        for k, text in enumerate(ENGLISH)
    ]
    audio, _truth = build_track(clips, seed=2)
    voices = find_voices(audio)
    assert not voices.two, voices.separation
    assert voice_of(voices, 0.0, 1e9) is None


@pytest.mark.parametrize(
    "audio",
    [
        np.zeros(0, dtype=np.float32),
        np.zeros(5, dtype=np.float32),
        np.zeros(RATE * 5, dtype=np.float32),
        (np.random.default_rng(0).standard_normal(RATE * 3) * 1e-4).astype(np.float32),
    ],
    ids=["empty", "tiny", "digital-silence", "faint-noise"],
)
def test_no_speech_no_turns(audio: Audio) -> None:
    voices = find_voices(audio)
    assert voices.turns == ()
    assert not voices.two


def test_short_speech_is_one_voice(jfk: Audio) -> None:
    voices = find_voices(jfk[int(0.2 * RATE) : int(1.2 * RATE)])
    assert not voices.two
    assert all(t.voice == 0 for t in voices.turns)


def test_voice_of_words() -> None:
    voices = Voices(
        (VoiceTurn(1.0, 3.0, 0), VoiceTurn(3.5, 6.0, 1), VoiceTurn(7.0, 8.0, 0)), 2, 5.0
    )
    assert voice_of(voices, 1.2, 1.5) == 0
    assert voice_of(voices, 4.0, 4.3) == 1
    assert voice_of(voices, 2.9, 3.8) == 1  # 0.1 s of voice 0, 0.3 s of voice 1
    assert voice_of(voices, 2.5, 3.6) == 0  # mostly voice 0
    assert voice_of(voices, 6.2, 6.6) == 1  # in a pause, 0.2 s after voice 1's turn
    assert voice_of(voices, 6.4, 6.8) == 0  # ... 0.2 s before voice 0's
    assert voice_of(voices, 9.0, 9.5) is None  # after the end, further than NEAR_WORD_S
    assert voice_of(voices, 7.5, 7.5) == 0  # zero-length word
    three = Voices((*voices.turns, VoiceTurn(9.0, 10.0, 2)), 3, 5.0)
    assert voice_of(three, 9.2, 9.4) == 2
    one = Voices(voices.turns, 1, 1.0)
    assert voice_of(one, 1.2, 1.5) is None


def test_voice_of_on_found_voices(real_track: tuple[Audio, list[Piece]]) -> None:
    audio, truth = real_track
    voices = find_voices(audio)
    words = [(s + k * 0.3, s + k * 0.3 + 0.25, v) for s, e, v in truth for k in range(3)]
    got = [voice_of(voices, s, e) for s, e, _ in words]
    flip = got[0] != words[0][2]
    assert got == [v ^ flip for _, _, v in words]


def test_file_is_read(tmp_path: Path) -> None:
    voices = find_voices_in_file(FIXTURES / "jfk.flac")
    assert voices.turns
    assert not voices.two


def test_corrupt_file_is_an_audio_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.flac"
    bad.write_bytes(b"this is not audio at all" * 100)
    with pytest.raises(AudioError, match="cannot be read as audio"):
        find_voices_in_file(bad)
    with pytest.raises(AudioError, match="does not exist"):
        find_voices_in_file(tmp_path / "missing.flac")


def test_stereo_is_averaged(real_track: tuple[Audio, list[Piece]]) -> None:
    audio, truth = real_track
    voices = find_voices(np.stack([audio, audio], axis=1))
    assert voices.two
    assert score(voices, truth)[0] >= 0.95


def _rttm(path: Path) -> list[Piece]:
    rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    names = sorted({r[7] for r in rows})
    return [(float(r[3]), float(r[3]) + float(r[4]), names.index(r[7])) for r in rows]


def test_real_conversation_has_two_voices() -> None:
    """pyannote's sample: two people talking, reference turns from its RTTM (overlapped
    speech left out of the score)."""
    audio = load_audio(FIXTURES / "pyannote-sample.flac")
    truth = _rttm(FIXTURES / "pyannote-sample.rttm")
    voices = find_voices(audio)
    assert voices.count == 2, voices.separation
    t = np.arange(0.0, 30.0, 0.01)
    want = np.full(len(t), -1)
    for s, e, v in truth:
        inside = (t >= s) & (t < e)
        want[inside & (want >= 0) & (want != v)] = -2  # overlap
        want[inside & (want == -1)] = v
    got = np.full(len(t), -1)
    for turn in voices.turns:
        got[(t >= turn.start) & (t < turn.end)] = turn.voice
    scored = (want >= 0) & (got >= 0)
    right = max(np.mean(got[scored] == want[scored]), np.mean(got[scored] == 1 - want[scored]))
    assert right >= 0.85, right
    assert scored.sum() >= 0.7 * (want >= 0).sum()  # most of the speech is labelled


def test_read_sentences_at_8_khz_are_one_voice(lj: list[Audio]) -> None:
    from audio.samples import resample

    audio, _ = build_track([(clip, 0) for clip in lj])
    narrow = resample(resample(audio, RATE, 8000), 8000, RATE)
    voices = find_voices(narrow)
    assert voices.count == 1, voices.separation


def _stereo(audio: Audio, truth: list[Piece], bleed_db: float = -20.0) -> Audio:
    left = np.zeros_like(audio)
    right = np.zeros_like(audio)
    for s, e, v in truth:
        a, b = int(s * RATE) - 800, int(e * RATE) + 800
        (left if v == 0 else right)[max(0, a) : b] += audio[max(0, a) : b]
    bleed = np.float32(10 ** (bleed_db / 20))
    return np.stack([left + bleed * right, right + bleed * left], axis=1)


def test_two_channels_one_person_each(real_track: tuple[Audio, list[Piece]]) -> None:
    audio, truth = real_track
    voices = find_voices(_stereo(audio, truth))
    assert voices.channels
    assert voices.count == 2
    right, coverage, worst = score(voices, truth)
    assert right >= 0.99, (right, voices.turns)
    assert coverage >= 0.85
    assert worst <= 0.5
    # the same at 44.1 kHz, through a file
    from audio.samples import resample

    assert find_voices(resample(_stereo(audio, truth), RATE, 44_100), 44_100).channels


def test_a_whisper_on_its_own_microphone_is_that_persons_voice(jfk: Audio) -> None:
    """A quiet voice on its own channel (here real whispered speech): the voice activity
    detector hears little of it, the level of its microphone does. Before, the whisperer's
    frames were left out, the level difference had one mode, and the recording went to
    the speaker model (one voice in one build of this test, 72 % of words right in
    another)."""
    whisper = load_audio(FIXTURES / "whisper2.flac")
    # on a headset a whisper is quieter than a voice but well above the noise floor:
    # 15 dB below JFK's speech (the file itself is recorded at -51 dBFS)
    rms = float(np.sqrt(np.mean(jfk**2)))
    whisper = _trim(whisper * np.float32(rms * 10 ** (-15 / 20) / np.sqrt(np.mean(whisper**2))))
    size = len(whisper) // 4
    clips: list[tuple[Audio, int]] = []
    for k, (a, b) in enumerate(JFK_PARTS):
        clips += [(jfk[int(a * RATE) : int(b * RATE)], 0), (whisper[k * size : (k + 1) * size], 1)]
    audio, truth = build_track(clips, seed=7)
    noise = np.random.default_rng(7).standard_normal((len(audio), 2)).astype(np.float32) * 1e-3
    voices = find_voices(_stereo(audio, truth) + noise)
    assert voices.channels and voices.count == 2
    right, _coverage, _worst = score(voices, truth)
    assert right >= 0.99, (right, voices.turns)
    # most of the whispered time is labelled, not only the bits the detector heard
    whispered = sum(e - s for s, e, v in truth if v == 1)
    heard = sum(
        max(0.0, min(e, t.end) - max(s, t.start))
        for s, e, v in truth
        if v == 1
        for t in voices.turns
    )
    assert heard >= 0.8 * whispered, (heard, whispered)


def test_two_channel_file_keeps_its_channels(
    tmp_path: Path, real_track: tuple[Audio, list[Piece]]
) -> None:
    import soundfile as sf

    audio, truth = real_track
    path = tmp_path / "two.flac"
    sf.write(str(path), _stereo(audio, truth), RATE)
    voices = find_voices_in_file(path)
    assert voices.channels and voices.count == 2


def test_one_microphone_twice_is_not_two_channels(lj: list[Audio]) -> None:
    audio, _ = build_track([(clip, 0) for clip in lj])
    same = find_voices(np.stack([audio, audio * 0.5], axis=1))  # one signal, two levels
    assert not same.channels
    assert same.count == 1
    silent = find_voices(np.stack([audio, np.zeros_like(audio)], axis=1))
    assert not silent.channels
    assert silent.count == 1


def test_three_voices(jfk: Audio, lj: list[Audio]) -> None:
    """A small group: JFK, the LJSpeech reader and an espeak voice take turns."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    from tui.demo.synth import speak

    third = [speak(text, "en+f3", 165, trim=True) for text in ENGLISH[1::2]]
    clips: list[tuple[Audio, int]] = []
    for k, (a, b) in enumerate(JFK_PARTS):
        clips += [(jfk[int(a * RATE) : int(b * RATE)], 0), (lj[k], 1), (third[k], 2)]
    audio, truth = build_track(clips, seed=3)
    voices = find_voices(audio)
    assert voices.count == 3, voices
    words = [((s + e) / 2 - 0.1, (s + e) / 2 + 0.1, v) for s, e, v in truth]
    got = [voice_of(voices, s, e) for s, e, _ in words]
    assert got == [v for _, _, v in words]  # voices numbered in the order first heard


def test_samples_that_are_not_numbers_are_refused() -> None:
    with pytest.raises(ValueError):
        find_voices(np.array(["a", "b"]))  # type: ignore[arg-type]
    nan = np.full(RATE * 2, np.nan, dtype=np.float32)
    assert find_voices(nan).turns == ()
