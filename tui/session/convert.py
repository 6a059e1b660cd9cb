"""Engine output as the transcript types the tagger and the store keep.

`audio.types` (what the engines give: `Segment` with `Word.word`, `Removal`) becomes
`guide.transcript` (`Segment`, `Word` with a voice, `Removed`); the voices
(`audio.voices`) are attached word by word.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from audio import types as engine_types
from guide.transcript import Removed, Segment, Word

if TYPE_CHECKING:
    from audio.voices import Voices

log = logging.getLogger(__name__)


def to_transcript_segments(
    segments: Sequence[engine_types.Segment], voices: Voices | None = None
) -> list[Segment]:
    """Convert an engine's segments to the plain transcript type tagging and the store use.

    With ``voices`` (`audio.voices`, found in the same recording), each word carries the
    voice that spoke most of it.
    """
    from audio.voices import voice_of

    out: list[Segment] = []
    for seg in segments:
        words = tuple(
            Word(
                start=w.start,
                end=w.end,
                text=w.word.strip(),
                probability=w.probability,
                voice=voice_of(voices, w.start, w.end) if voices is not None else None,
            )
            for w in seg.words
        )
        out.append(Segment(start=seg.start, end=seg.end, text=seg.text.strip(), words=words))
    return out


def to_removed(removals: Sequence[engine_types.Removal]) -> list[Removed]:
    """The guards' removals (`audio.types.Removal`) as the store keeps them."""
    return [
        Removed(
            start=r.start,
            end=r.end,
            text=r.text,
            reason=r.reason,
            words=tuple(Word(w.start, w.end, w.word.strip(), w.probability) for w in r.words),
        )
        for r in removals
    ]


def find_voices_or_none(audio: npt.NDArray[np.float32], people: int | None = None) -> Voices | None:
    """The voices of a recording (`audio.voices`; ``audio`` float32 at 16 kHz, mono or
    (frames, 2) with one person per channel), or None when there are fewer than two or
    finding them fails. ``people``: how many take part, as the researcher said (the
    interview's record; None: not said), with `audio.voices.find_voices`'s rule: 2 at
    most two, 3 or more exactly that many unless one has no speech.

    The voices only help the tagger; a failure here must never cost the transcript, so
    it is logged and tagging goes on from the words alone.
    """
    from audio.voices import find_voices

    try:
        voices = find_voices(audio, people=people)
    except Exception as exc:  # any failure: tag from the words alone
        log.warning("could not tell the voices apart (%s); tagging from the words alone", exc)
        return None
    log.info("voices: %d found, separation %.1f", voices.count, voices.separation)
    return voices if voices.two else None
