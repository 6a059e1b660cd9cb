"""Play a span of a recording through the default output device (sounddevice)."""

from __future__ import annotations

import logging
from typing import Any

from kvale_errors import N_, AudioError

log = logging.getLogger(__name__)


def play(audio: Any, samplerate: int = 16000) -> None:
    """Play samples through the default output device; blocks until done.

    Raises:
        AudioError: no samples (the recording is not there), or no output device (the
            sentence says what to check).
    """
    if audio is None or len(audio) == 0:
        raise AudioError.said(
            N_(
                "There is no recorded sound for this passage: the recording is not in the "
                "project folder (deleted, or never kept)."
            )
        )
    try:
        import sounddevice as sd

        sd.play(audio, samplerate)
        sd.wait()
    except Exception as exc:  # PortAudio errors come in several types
        raise AudioError.said(
            N_(
                "The passage cannot be played ({problem}). Check that a loudspeaker or "
                "headphones are connected."
            ),
            problem=exc,
        ) from exc
