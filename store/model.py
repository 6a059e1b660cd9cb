"""The project's records as dataclasses (their JSON form is `store.codec`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from guide.transcript import (
    Marker,
    MarkerKind,
    Passage,
    Removed,
    Segment,
)
from kvale_errors import StoreError


class InterviewStatus(StrEnum):
    """Where an interview is in its life."""

    NEW = "new"
    RECORDING = "recording"
    RECORDED = "recorded"
    TRANSCRIBING = "transcribing"
    TRANSCRIBED = "transcribed"
    CONFIRMED = "confirmed"
    RECORDING_DELETED = "recording_deleted"

    @classmethod
    def _missing_(cls, value: object) -> InterviewStatus | None:
        text = str(value).strip().lower().replace(" ", "_")
        if text == "processing":  # the pipeline's word for transcribing + tagging
            return cls.TRANSCRIBING
        for member in cls:
            if member.value == text:
                return member
        return None

    @classmethod
    def parse(cls, value: InterviewStatus | str) -> InterviewStatus:
        try:
            return cls(value)
        except ValueError:
            known = ", ".join(m.value for m in cls)
            raise StoreError(f"'{value}' is not an interview status (known: {known}).") from None


@dataclass
class ProjectSettings:
    """A project's own settings (the researcher's defaults live in `tui.settings`)."""

    name: str = ""
    language: str | None = None  # default interview language
    engine: str = "auto"
    model: str = "base"
    auto_delete_after_transcription: bool = False
    end_date: dt.date | None = None  # after it the data must be deleted
    redaction_names: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "language": self.language,
            "engine": self.engine,
            "model": self.model,
            "auto_delete_after_transcription": self.auto_delete_after_transcription,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "redaction_names": list(self.redaction_names),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ProjectSettings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in d.items() if k in known}
        end = values.get("end_date")
        values["end_date"] = dt.date.fromisoformat(end) if isinstance(end, str) else None
        values["redaction_names"] = list(values.get("redaction_names") or [])
        return cls(**values)


@dataclass(frozen=True)
class Consent:
    """What the participant agreed to on the signed consent form."""

    interview: bool
    audio: bool
    video: bool = False
    date: str = ""  # ISO date the form was signed
    recorded_at: str = ""  # ISO time it was entered in kvale


@dataclass(frozen=True)
class Participant:
    code: str  # "I3": a pseudonym, never a name
    consent: Consent | None
    created: str


@dataclass(frozen=True)
class RecordingRef:
    path: str  # folder relative to the project ("recordings/I3-20260313-1405")
    samplerate: int | None = None


@dataclass(frozen=True)
class DeletionRecord:
    """Proof that a recording was deleted, without its content."""

    interview_id: str
    what: tuple[str, ...]  # file names relative to the recording folder
    when: str  # ISO time
    size: int  # bytes deleted
    sha256: str  # over the deleted files' names and bytes, computed before deletion


@dataclass(frozen=True)
class InterviewSummary:
    """One row of the project's interview list (kept in the project document)."""

    id: str
    participant: str
    date: str  # ISO date
    duration: float  # seconds
    words: int
    status: InterviewStatus
    recording_deleted: bool = False
    created: str = ""


@dataclass
class Interview:
    """One interview: its markers, transcript, tagged passages and lifecycle."""

    id: str
    participant: str
    guide_hash: str
    language: str | None
    status: InterviewStatus = InterviewStatus.NEW
    created: str = ""
    started_at: str | None = None
    ended_at: str | None = None
    duration: float = 0.0  # seconds of recording
    markers: list[Marker] = field(default_factory=list)  # notes are markers of kind NOTE
    segments: list[Segment] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    recording: RecordingRef | None = None
    deletion: DeletionRecord | None = None
    engine: str | None = None
    model: str | None = None
    # what the guards took out of the transcript (`guide.transcript.Removed`), restorable
    removed: list[Removed] = field(default_factory=list)
    # how many people take part, as the researcher said (interviewer included: 2 for an
    # individual interview); None in interviews made before kvale asked (`audio.voices`)
    people: int | None = None
    # the voices (``Word.voice``) of participants who withdrew alone from a couple or
    # group interview: their words are gone, their numbers stay taken (`store.withdrawal`)
    withdrawn: tuple[int, ...] = ()

    @property
    def word_count(self) -> int:
        """Words in the transcript as the researcher has it now (`transcript_words`)."""
        return transcript_words([p.text for p in self.passages], [s.text for s in self.segments])

    @property
    def notes(self) -> list[Marker]:
        """The interviewer's free notes (markers of kind NOTE), in time order."""
        return [m for m in self.markers if m.kind == MarkerKind.NOTE]

    @property
    def recording_deleted(self) -> bool:
        return self.deletion is not None

    @property
    def date(self) -> str:
        return (self.started_at or self.created or "")[:10]

    def summary(self) -> InterviewSummary:
        return InterviewSummary(
            id=self.id,
            participant=self.participant,
            date=self.date,
            duration=self.duration,
            words=self.word_count,
            status=self.status,
            recording_deleted=self.recording_deleted,
            created=self.created,
        )


def transcript_words(passages: Sequence[str], segments: Sequence[str]) -> int:
    """Whitespace-separated words of an interview's transcript as the researcher has it
    now: its passages' texts (edits, removals and restorations included, as review
    counts them), or the engine's segments' texts before there are passages."""
    return sum(len(text.split()) for text in passages or segments)


@dataclass(frozen=True)
class PurgeRecord:
    """What is kept after a purge: no content, only that it happened."""

    code: str  # "" (a withdrawal keeps no code) or, in records before kvale 0.2, the code
    when: str
    files: int


@dataclass(frozen=True)
class PurgeReport:
    """What a purge deleted."""

    code: str
    interviews: tuple[str, ...]
    files: int
    bytes: int
    codebook_items: int = 0
    exports_removed: int = 0
    list_entries: int = 0  # redaction names / "not a name" words that were theirs only
    outside_exports: tuple[str, ...] = ()  # files outside the project holding their data


@dataclass(frozen=True)
class WithdrawalReport:
    """What a withdrawal of one participant of a couple or group deleted.

    Attributes:
        code: how the exports named them ("I3-2").
        interviews: the interviews their words were deleted from.
        passages: passages deleted whole (theirs alone).
        words: words deleted (in passages they shared as well).
        others_words: of ``words``, those in a passage of another speaker (the
            recording gave them their voice): worth a look on the review screen.
        unknown: passages left whose speaker nobody knows (kept: nothing says whose).
        files, bytes: recording files deleted.
        codebook_items: coded spans on their words, deleted.
        list_entries: name-list entries only they said, deleted.
        exports_removed: export files inside the project, deleted.
        outside_exports: exports kvale wrote outside the project holding their words.
        imported: interviews whose recording was imported: its file, outside the
            project, still holds their voice.
    """

    code: str
    interviews: tuple[str, ...]
    passages: int = 0
    words: int = 0
    others_words: int = 0
    unknown: int = 0
    files: int = 0
    bytes: int = 0
    codebook_items: int = 0
    list_entries: int = 0
    exports_removed: int = 0
    outside_exports: tuple[str, ...] = ()
    imported: tuple[str, ...] = ()
