"""Shared helpers of the audio tests."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
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


def assert_wait(cond: Callable[[], object], timeout: float) -> None:
    """Poll ``cond()`` every 20 ms until it is true; fail after ``timeout`` seconds."""
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.02)
