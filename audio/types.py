"""Typed results of a transcription engine (see `audio.engines`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Word:
    start: float  # seconds from the start of the audio
    end: float
    word: str  # as the engine gives it, with its leading space
    probability: float


@dataclass(frozen=True)
class Segment:
    id: int
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 0.0
    window: float = 0.0  # start of the 30 s decoding window it came from (seconds)
    # the decoder's own tokens and the temperature its window was decoded at: the next
    # window's context (`audio.follow` passes them on; not part of the transcript)
    tokens: tuple[int, ...] = field(default=(), repr=False, compare=False)
    temperature: float = 0.0


@dataclass(frozen=True)
class TranscriptionInfo:
    language: str
    language_probability: float
    duration: float  # seconds of audio
    engine: str  # "faster-whisper" or "openai-whisper"
    model: str  # model name or path


@dataclass(frozen=True)
class Removal:
    """Text a step after the engine took out of the transcript, kept so the researcher
    can see it and put it back (confirm screen, ``kvale import``'s summary).

    Attributes:
        start, end: where it was, seconds on the recording's timeline.
        text: the words removed, as the engine wrote them.
        reason: ``no speech`` (no voice activity under it at all), ``loop`` (copies of a
            phrase beyond what a person says, or over no speech), ``piled`` (words with
            no duration stacked at one instant) or ``duplicate`` (speech heard again that
            the transcript already has).
        words: the words removed, with their times (empty for a whole segment's text
            that came without words).
    """

    start: float
    end: float
    text: str
    reason: str
    words: tuple[Word, ...] = ()


def with_words(segment: Segment, words: tuple[Word, ...]) -> Segment:
    """``segment`` holding only ``words`` (non-empty): its text and times rebuilt from them."""
    text = "".join(w.word for w in words).strip()
    return replace(segment, start=words[0].start, end=words[-1].end, text=text, words=words)
