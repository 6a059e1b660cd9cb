"""The voices bench's real recordings (bench/data/voices): every clip has reference turns
that fit inside it, is 16 kHz as the bench reads it, is listed in the README beside it
(origin and licence), and the clips added as held out are not calibration rows."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile as sf

from bench.voices import CALIBRATION
from bench.voices_recordings import DATA, read_rttm

CLIPS = sorted(DATA.glob("*.flac"))
# the two-person stretches of AMI meetings added as held-out rows (README there)
HELD_OUT_AMI = [
    "ami-es2004a-1300",
    "ami-es2004c-1840",
    "ami-es2004c-3500",
    "ami-en2002b-1530",
    "ami-is1009b-1630",
    "ami-es2004a-1230",
    "ami-en2002b-1500",
]


def test_there_are_clips() -> None:
    assert len(CLIPS) >= 16


@pytest.mark.parametrize("clip", CLIPS, ids=lambda p: p.stem)
def test_clip_has_reference_turns_inside_it(clip: Path) -> None:
    info = sf.info(str(clip))
    assert info.samplerate == 16_000
    turns = read_rttm(clip.with_suffix(".rttm"))
    assert turns, f"{clip.stem}: no SPEAKER lines"
    length = info.frames / info.samplerate
    for start, end, speaker in turns:
        assert 0 <= start < end <= length + 0.01, (clip.stem, start, end, speaker)


@pytest.mark.parametrize("clip", CLIPS, ids=lambda p: p.stem)
def test_clip_is_in_the_readme(clip: Path) -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert clip.stem in readme


@pytest.mark.parametrize("name", HELD_OUT_AMI)
def test_added_two_person_clips_are_held_out_with_two_main_speakers(name: str) -> None:
    assert (DATA / f"{name}.flac").is_file()
    assert name not in CALIBRATION
    speech: dict[str, float] = {}
    for start, end, speaker in read_rttm(DATA / f"{name}.rttm"):
        speech[speaker] = speech.get(speaker, 0.0) + end - start
    first, second, *rest = sorted(speech.values(), reverse=True)
    # mostly two people: the others together under a sixth of the two main speakers'
    assert second > 5 and sum(rest) < (first + second) / 6, speech


def test_real_one_voice_clip_is_held_out_with_one_speaker() -> None:
    turns = read_rttm(DATA / "one-libri-reverb.rttm")
    assert {speaker for _, _, speaker in turns} == {"1088"}
    assert "one-libri-reverb" not in CALIBRATION
