"""Play a span of a recording through the default output device (sounddevice)."""

from __future__ import annotations

import logging
from pathlib import Path

from kvale_errors import AudioError

log = logging.getLogger(__name__)


def play_span(folder: Path, start: float, end: float, samplerate: int = 16000) -> None:
    """Play [start, end) of the recording in ``folder``; blocks until done.

    Raises:
        AudioError: no output device, or the recording cannot be read.
    """
    try:
        from audio.capture import read_recording
    except ImportError:
        from audio.live import read_wav_chunks as read_recording
    audio = read_recording(folder, start, end)
    try:
        import sounddevice as sd

        sd.play(audio, samplerate)
        sd.wait()
    except Exception as exc:  # PortAudio errors come in several types
        raise AudioError(
            f"The passage cannot be played ({exc}). Check that a loudspeaker or headphones "
            "are connected."
        ) from exc
