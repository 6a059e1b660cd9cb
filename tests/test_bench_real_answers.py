"""The tagging bench's interviews with recorded answers (`bench.tagging_real`): how an
answer is made from recorded clips. The clips here are made up in the test (noise with
quiet gaps): the tests never read the shared speech folder, which a checkout lacks."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

import bench.tagging_real as real
from bench.synth import RATE


def _clip(name: str, seconds: float, words: str = "") -> real.Clip:
    rng = np.random.default_rng(len(name))
    audio = (0.1 * rng.standard_normal(int(seconds * RATE))).astype(np.float32)
    return real.Clip(name, audio, words)


def test_an_english_answer_takes_whole_clips_in_turn_with_their_words() -> None:
    pool = [_clip(f"mfa_{k}.flac", 2.5, f"words of {k}") for k in range(6)]
    rng, cursor = random.Random(3), [4]
    audio, words, used = real.answer_audio("en", pool, rng, cursor)
    assert used[:3] == ["mfa_4.flac", "mfa_5.flac", "mfa_0.flac"]
    assert words.split(" words of ")[0] == "words of 4"
    assert words.count("words of") == len(used)
    assert len(audio) >= real.ANSWER_SECONDS[0] * RATE
    # the clips and the pauses between them, no more
    clips = len(used) * len(pool[0].audio)
    assert clips < len(audio) < clips + len(used) * RATE
    assert cursor == [4 + len(used)]


def test_a_norwegian_answer_is_a_stretch_cut_where_it_is_quiet() -> None:
    pool = [_clip("nrk.mp3", 60.0)]
    # a quiet 0.1 s every second, so each cut has one within its reach (0.75 s)
    for k in range(60):
        pool[0].audio[k * RATE : k * RATE + RATE // 10] = 0.0
    audio, words, used = real.answer_audio("nb", pool, random.Random(5), [0])
    assert words == ""
    lo, hi = real.ANSWER_SECONDS
    assert (lo - 1.6) * RATE <= len(audio) <= (hi + 1.6) * RATE
    # both ends at a quiet 20 ms
    assert np.abs(audio[: RATE // 50]).max() == 0.0
    assert used[0].startswith("nrk.mp3[")


def test_the_reference_markup_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import soundfile as sf

    folder = tmp_path / "en" / "conversational"
    folder.mkdir(parents=True)
    sf.write(str(folder / "mfa_a.flac"), np.zeros(2 * RATE, np.float32), RATE)
    (folder / "mfa_a.ref.txt").write_text(
        "[laughter] montreal <hes-forced> aligner <cutoff-x> i hardly know 'er\n"
    )
    sf.write(str(folder / "mfa_short.flac"), np.zeros(RATE // 2, np.float32), RATE)
    monkeypatch.setattr(real, "SPEECH", tmp_path)
    (clip,) = real.clip_pool("en")
    assert clip.words == "montreal aligner i hardly know 'er"


def test_without_the_shared_speech_folder_the_table_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(real, "SPEECH", tmp_path / "missing")
    assert real.build_real("en", 1) is None
    assert "not run" in real.real_table([1])
