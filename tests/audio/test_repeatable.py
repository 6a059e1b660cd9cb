"""A recording transcribed again gives the same words: Whisper's temperature-fallback
sampling is seeded when kvale loads an engine (`audio.engines.get_engine`). Real
weights; Norwegian espeak-ng speech, which base follows so poorly that it falls back to
sampling: unseeded (before 2026-12-03), the second transcription of this minute wrote
other words from its 98th on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audio.transcribe import transcribe_file
from bench.synth import RATE, VOICES, load_answers, speak

pytestmark = pytest.mark.slow


def _spoken_answers(out: Path) -> Path:
    """The bench's Norwegian answers to the guide's first questions, read by espeak-ng
    with pauses (about a minute)."""
    voice, speed = VOICES["nb"]["participant"]
    pause = np.zeros(RATE // 2, np.float32)
    pieces = []
    for answer in list(load_answers("nb").values())[:8]:
        pieces += [speak(str(answer["text"]), voice, speed), pause]
    path = out / "answers-nb.flac"
    sf.write(path, np.concatenate(pieces), RATE)
    return path


def _words(path: Path) -> list[tuple[str, float, float]]:
    segments, _ = transcribe_file(path, model="base", language="nb")
    return [(w.word, w.start, w.end) for s in segments for w in s.words]


def test_the_same_recording_gives_the_same_words(tmp_path: Path) -> None:
    path = _spoken_answers(tmp_path)
    first = _words(path)
    assert first, "nothing was transcribed"
    assert _words(path) == first
