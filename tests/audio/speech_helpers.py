"""Shared helpers of the audio tests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from audio.types import Segment

FIXTURES = Path(__file__).parent.parent / "fixtures"
JFK = FIXTURES / "jfk.flac"
JFK_WORDS = (
    "and so my fellow americans ask not what your country can do for you "
    "ask what you can do for your country"
)


def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces."""
    return " ".join(re.findall(r"[\w']+", text.lower()))


def words_of(segments: Iterable[Segment]) -> str:
    """The normalised words of segments, from their word timestamps."""
    return normalise(" ".join(w.word for s in segments for w in s.words))
