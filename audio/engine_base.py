"""What every transcription engine shares: the `Engine` interface, decoding settings,
and the small steps both engines take (language codes, input arrays, language
detection on speech). The engines are `audio.engines` (faster-whisper) and
`audio.openai_engine`; `audio.engines.get_engine` builds one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from audio.files import load_audio
from audio.speech import Spans, speech_only, speech_spans
from audio.types import Segment, TranscriptionInfo
from kvale_errors import N_, AudioError, TranscriptionError

SAMPLE_RATE = 16_000
FRAME_S = 0.01  # one mel frame (hop 160 samples at 16 kHz): the unit of a window's seek
DETECT_S = 30.0  # seconds of speech language detection listens to
CONDITION_ON_PREVIOUS_TEXT = True  # as faster-whisper does by default; see `audio.engines`
PROMPT_RESET_ON_TEMPERATURE = 0.5  # faster-whisper's default: a window decoded hotter than
# this is no context for the next one
Audio = Path | str | npt.NDArray[np.float32]


def ms(seconds: float) -> float:
    """A timestamp as a plain float rounded to milliseconds."""
    return round(float(seconds), 3)


class Cancelled(Exception):
    """Raised inside openai-whisper's loop to stop it; never leaves `audio.openai_engine`."""


def normalize_language(language: str | None) -> str | None:
    """Whisper's code for a language: ``nb`` and ``no`` → ``no``; ``nn`` stays; None = detect.

    Raises:
        TranscriptionError: Whisper does not know the language.
    """
    if language is None or language in ("", "auto"):
        return None
    code = language.strip().lower()
    code = {"nb": "no", "nob": "no", "nno": "nn", "eng": "en"}.get(code, code)
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    if code not in _LANGUAGE_CODES:
        raise TranscriptionError.said(
            N_(
                "Whisper does not know the language '{language}'. Use a code such as no "
                "(bokmål), nn (nynorsk) or en, or leave the language out to detect it."
            ),
            language=language,
        )
    return code


def english_only(model: str, lang: str | None) -> str:
    """English-only models (``*.en``): English, or a sentence for any other language."""
    if lang not in (None, "en"):
        raise TranscriptionError.said(
            N_(
                "The model '{model}' understands English only. For language '{language}' choose "
                "a multilingual model such as base or small (--model base)."
            ),
            model=model,
            language=lang,
        )
    return "en"


def as_array(audio: Audio) -> npt.NDArray[np.float32]:
    """``audio`` as a mono float32 array at 16 kHz (a path is decoded)."""
    if isinstance(audio, (str, Path)):
        return load_audio(audio)
    arr = np.asarray(audio, dtype=np.float32)
    if arr.ndim != 1:
        raise AudioError("Audio for transcription must be mono (one channel) at 16 kHz.")
    return arr


def speech_of(samples: npt.NDArray[np.float32], speech: Spans | None) -> npt.NDArray[np.float32]:
    """Up to `DETECT_S` seconds of the speech in ``samples``, for language detection."""
    spans = speech if speech is not None else speech_spans(samples)
    return speech_only(samples, spans, DETECT_S)


def context_of(segments: Sequence[Segment]) -> list[int]:
    """The previous text a decoder conditions its next window on, after ``segments`` (the
    engine's own segments of the windows so far, in order): their tokens since the last
    window decoded hotter than `PROMPT_RESET_ON_TEMPERATURE`, as faster-whisper's
    ``transcribe`` keeps them (it then uses the last 223). Empty without conditioning."""
    if not CONDITION_ON_PREVIOUS_TEXT:
        return []
    since = 0
    for i, seg in enumerate(segments):
        if seg.temperature > PROMPT_RESET_ON_TEMPERATURE:
            since = i + 1
    return [t for seg in segments[since:] for t in seg.tokens]


@runtime_checkable
class Engine(Protocol):
    """What every transcription engine offers."""

    name: str
    model_name: str

    def transcribe(
        self,
        audio: Audio,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        cancel: threading.Event | None = None,
        word_timestamps: bool = True,
        beam_size: int = 5,
        vad: bool = False,
        offset: float = 0.0,
        speech: Spans | None = None,
        context: Sequence[int] | None = None,
    ) -> tuple[Iterator[Segment], TranscriptionInfo]:
        """Transcribe audio lazily; see the module docstring for cancellation.

        ``context``: the decoder's tokens of the windows before ``audio`` (`context_of`),
        so that a recording decoded in several calls is conditioned as one call would be.
        """
        ...
