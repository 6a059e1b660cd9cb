"""Plain transcript types that tagging works on (no Whisper, no tinydb).

The pipeline turns an engine's segments into these; the store saves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class MarkerKind(StrEnum):
    """What the interviewer did, as recorded by a key press."""

    ASKED = "asked"  # moved to / asked a question (next, prev, jump)
    SKIPPED = "skipped"  # marked a question as skipped
    RETURNED = "returned"  # came back to a question asked earlier
    PROBE = "probe"  # marked a probe as asked (probe_id set)
    NOTE = "note"  # a free note (text set)
    BOOKMARK = "bookmark"  # "remember this moment"
    PAUSE = "pause"  # recording paused
    RESUME = "resume"  # recording resumed


@dataclass(frozen=True)
class Marker:
    time: float  # seconds on the recording's timeline
    kind: MarkerKind
    question_id: str | None = None
    probe_id: str | None = None
    text: str = ""
    wall_time: str = ""  # ISO 8601 wall clock, for the record


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str
    probability: float = 1.0
    # which of the recording's voices spoke it (0, 1, … anonymous; `audio.voices`),
    # None when unknown
    voice: int | None = None


@dataclass(frozen=True)
class Segment:
    """A transcript segment: what an engine produced, possibly corrected."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Removed:
    """Text a step after the engine took out of the transcript (`audio.guards`), kept in
    the interview so the researcher can see it and put it back.

    Attributes:
        start, end: seconds on the recording's timeline.
        text: the words, as the engine wrote them.
        reason: ``no speech``, ``loop``, ``piled`` or ``duplicate``.
        words: the words with their times (may be empty).
    """

    start: float
    end: float
    text: str
    reason: str
    words: tuple[Word, ...] = ()


class TagSource(StrEnum):
    MARKER = "marker"  # the question on screen when it was spoken
    DETECTED = "detected"  # the interviewer was heard asking the question
    CONTENT = "content"  # the passage's words resemble the question's
    MANUAL = "manual"  # the researcher said so; always wins
    FOLLOWED = "followed"  # changed by the tagger to follow a manual tag (a retag)


#: the question id of a manual tag saying that a passage answers no guide question (small
#: talk, the intro, the closing): it wins over the tagger's as any manual tag does
NO_QUESTION = ""


@dataclass(frozen=True)
class Tag:
    question_id: str
    source: TagSource
    confidence: float  # in [0, 1]


class Speaker(StrEnum):
    INTERVIEWER = "interviewer"
    PARTICIPANT = "participant"
    UNKNOWN = "unknown"


class SpeakerSource(StrEnum):
    """Who said who speaks a passage."""

    TAGGER = "tagger"  # the tagger, from the voices or the turns
    PASSAGE = "passage"  # the researcher, for this passage; re-tagging keeps it
    VOICE = "voice"  # the researcher, for every passage in its voice (the interviewer's
    # voice named: `guide.tagging.tagger.researcher_voice`); re-tagging keeps it


@dataclass(frozen=True)
class Passage:
    """A stretch of transcript with the guide question it answers.

    A passage is a segment, or a word span of one when a segment straddles a
    question boundary.
    """

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    primary: Tag | None = None
    secondary: tuple[Tag, ...] = ()
    speaker: Speaker = Speaker.UNKNOWN
    codes: tuple[str, ...] = field(default=())
    speaker_source: SpeakerSource = SpeakerSource.TAGGER
    # the voice that speaks it where its words do not say (which participant the
    # researcher said it is, in a couple or group interview: `participant_voices`; or
    # its words' voice, kept when an edit dropped the words); None: as its words say
    said_voice: int | None = None


def word_text(words: Sequence[Word]) -> str:
    """The words joined as the transcript shows them (an engine's words carry their
    leading space; words without one are joined with a space)."""
    if any(w.text[:1].isspace() for w in words):
        return "".join(w.text for w in words).strip()
    return " ".join(w.text.strip() for w in words).strip()


def voice_of(passage: Passage) -> int | None:
    """The voice that speaks the passage: the one the researcher said (``said_voice``),
    or else its words' (`recorded_voice`); None when neither is known."""
    if passage.said_voice is not None:
        return passage.said_voice
    return recorded_voice(passage)


def recorded_voice(passage: Passage) -> int | None:
    """The voice (``Word.voice``, as found in the recording) of most of the passage's
    words; None when its words have no voice (a tie: the voice heard first)."""
    voices = [w.voice for w in passage.words if w.voice is not None]
    return max(dict.fromkeys(voices), key=voices.count) if voices else None


def participant_voices(
    passages: Sequence[Passage], withdrawn: Sequence[int] = ()
) -> dict[int, int]:
    """In a couple or group interview, each participant's voice → their number, 1, 2, …
    in the order of the voices (`audio.voices` numbers them as they are first heard in
    the recording; a voice the researcher added comes after them), among the voices of
    the participants' passages (`voice_of`) and the ``withdrawn`` ones (the voices of
    participants who withdrew alone, whose words are gone: the others keep their
    numbers, and a partner left alone is still "I3-1").

    The numbers stay as they are when one passage's speaker, words or neighbours change,
    unless that passage was the last in its voice. The interviewer's voice, the one most
    of the interviewer's passages' words are in, is no participant's (a passage the
    voices got wrong keeps the participant's code alone). {} when the participants'
    passages are in fewer than two voices (an individual interview, or one whose
    recording told no voices apart), or when no interviewer's passage has a voice (which
    voice is whose is not known).
    """
    heard: dict[int, int] = {}
    for p in passages:
        if p.speaker is Speaker.INTERVIEWER:
            for w in p.words:
                if w.voice is not None:
                    heard[w.voice] = heard.get(w.voice, 0) + 1
    if not heard:  # whose voice is the interviewer's is not known: no one's is numbered
        return {}
    interviewer = max(heard, key=lambda v: heard[v])
    voices = {voice_of(p) for p in passages if p.speaker is Speaker.PARTICIPANT}
    voices |= set(withdrawn)
    voices -= {None, interviewer}
    ordered = sorted(v for v in voices if v is not None)
    return {v: n for n, v in enumerate(ordered, start=1)} if len(ordered) >= 2 else {}


def speaker_said(passage: Passage) -> bool:
    """Whether the researcher said who speaks the passage (re-tagging keeps it)."""
    return passage.speaker_source is not SpeakerSource.TAGGER


def is_manual(passage: Passage) -> bool:
    """Whether the passage's question was given by the researcher (a manual tag, which
    always wins)."""
    return passage.primary is not None and passage.primary.source is TagSource.MANUAL
