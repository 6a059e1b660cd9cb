"""The project's records as dataclasses, and their JSON form (dicts only at this boundary)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from guide.transcript import (
    Marker,
    MarkerKind,
    Passage,
    Removed,
    Segment,
    Speaker,
    Tag,
    TagSource,
    Word,
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

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)

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

    def describe(self) -> str:
        who = "every participant" if self.code == "*" else f"participant {self.code}"
        text = (
            f"Deleted {len(self.interviews)} interview(s) of {who}: "
            f"{self.files} file(s), {self.bytes} bytes"
        )
        if self.codebook_items:
            text += f", {self.codebook_items} coded span(s) or note(s)"
        if self.list_entries:
            text += f", {self.list_entries} name(s) from the project's name lists"
        if self.exports_removed:
            text += f", {self.exports_removed} export file(s) (make them again with kvale export)"
        text += "."
        if self.outside_exports:
            files = "\n".join(f"  {p}" for p in self.outside_exports)
            text += (
                f"\nkvale wrote these exports outside the project; they hold {who}'s data "
                f"and kvale cannot delete them for you. Delete them (and any copies):\n{files}"
            )
        else:
            text += " kvale knows of no export of theirs outside the project folder."
        return text


# --- JSON form --------------------------------------------------------------------------


def _words_to(words: tuple[Word, ...]) -> list[list[Any]]:
    return [
        [w.start, w.end, w.text, w.probability] + ([] if w.voice is None else [w.voice])
        for w in words
    ]


def _words_from(rows: list[list[Any]]) -> tuple[Word, ...]:
    # [start, end, text, probability] and, since voices were added, an optional voice
    return tuple(
        Word(float(r[0]), float(r[1]), str(r[2]), float(r[3]), int(r[4]) if len(r) > 4 else None)
        for r in rows
    )


def marker_to(m: Marker) -> dict[str, Any]:
    d: dict[str, Any] = {"t": m.time, "k": m.kind.value}
    if m.question_id is not None:
        d["q"] = m.question_id
    if m.probe_id is not None:
        d["p"] = m.probe_id
    if m.text:
        d["x"] = m.text
    if m.wall_time:
        d["w"] = m.wall_time
    return d


def marker_from(d: dict[str, Any]) -> Marker:
    return Marker(
        time=float(d["t"]),
        kind=MarkerKind(d["k"]),
        question_id=d.get("q"),
        probe_id=d.get("p"),
        text=d.get("x", ""),
        wall_time=d.get("w", ""),
    )


def segment_to(s: Segment) -> dict[str, Any]:
    return {"s": s.start, "e": s.end, "x": s.text, "w": _words_to(s.words)}


def segment_from(d: dict[str, Any]) -> Segment:
    return Segment(float(d["s"]), float(d["e"]), str(d["x"]), _words_from(d.get("w", [])))


def _tag_to(t: Tag) -> list[Any]:
    return [t.question_id, t.source.value, t.confidence]


def _tag_from(row: list[Any]) -> Tag:
    return Tag(str(row[0]), TagSource(row[1]), float(row[2]))


def passage_to(p: Passage) -> dict[str, Any]:
    return {
        "s": p.start,
        "e": p.end,
        "x": p.text,
        "w": _words_to(p.words),
        "p": _tag_to(p.primary) if p.primary else None,
        "sec": [_tag_to(t) for t in p.secondary],
        "sp": p.speaker.value,
        "c": list(p.codes),
    }


def passage_from(d: dict[str, Any]) -> Passage:
    return Passage(
        start=float(d["s"]),
        end=float(d["e"]),
        text=str(d["x"]),
        words=_words_from(d.get("w", [])),
        primary=_tag_from(d["p"]) if d.get("p") else None,
        secondary=tuple(_tag_from(t) for t in d.get("sec", [])),
        speaker=Speaker(d.get("sp", Speaker.UNKNOWN.value)),
        codes=tuple(d.get("c", [])),
    )


def consent_to(c: Consent | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "interview": c.interview,
        "audio": c.audio,
        "video": c.video,
        "date": c.date,
        "recorded_at": c.recorded_at,
    }


def consent_from(d: dict[str, Any] | None) -> Consent | None:
    if d is None:
        return None
    return Consent(
        interview=bool(d["interview"]),
        audio=bool(d["audio"]),
        video=bool(d.get("video", False)),
        date=str(d.get("date", "")),
        recorded_at=str(d.get("recorded_at", "")),
    )


def deletion_to(r: DeletionRecord) -> dict[str, Any]:
    return {
        "interview_id": r.interview_id,
        "what": list(r.what),
        "when": r.when,
        "size": r.size,
        "sha256": r.sha256,
    }


def deletion_from(d: dict[str, Any]) -> DeletionRecord:
    return DeletionRecord(
        interview_id=str(d["interview_id"]),
        what=tuple(d["what"]),
        when=str(d["when"]),
        size=int(d["size"]),
        sha256=str(d["sha256"]),
    )


def summary_to(s: InterviewSummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "participant": s.participant,
        "date": s.date,
        "duration": s.duration,
        "words": s.words,
        "status": s.status.value,
        "recording_deleted": s.recording_deleted,
        "created": s.created,
    }


def summary_from(d: dict[str, Any]) -> InterviewSummary:
    return InterviewSummary(
        id=str(d["id"]),
        participant=str(d["participant"]),
        date=str(d.get("date", "")),
        duration=float(d.get("duration", 0.0)),
        words=int(d.get("words", 0)),
        status=InterviewStatus.parse(d.get("status", "new")),
        recording_deleted=bool(d.get("recording_deleted", False)),
        created=str(d.get("created", "")),
    )


def summary_from_body(d: dict[str, Any]) -> dict[str, Any]:
    """The summary row of an interview document's body, without decoding the transcript."""
    deletion = d.get("deletion")
    return {
        "id": d["id"],
        "participant": d["participant"],
        "date": str(d.get("started_at") or d.get("created") or "")[:10],
        "duration": float(d.get("duration", 0.0)),
        "words": sum(len(str(s["x"]).split()) for s in d.get("segments", [])),
        "status": InterviewStatus.parse(d.get("status", "new")).value,
        "recording_deleted": deletion is not None,
        "created": str(d.get("created", "")),
    }


def interview_to(iv: Interview) -> dict[str, Any]:
    """The interview document's body (markers live in their own log)."""
    return {
        "id": iv.id,
        "participant": iv.participant,
        "guide_hash": iv.guide_hash,
        "language": iv.language,
        "status": iv.status.value,
        "created": iv.created,
        "started_at": iv.started_at,
        "ended_at": iv.ended_at,
        "duration": iv.duration,
        "segments": [segment_to(s) for s in iv.segments],
        "passages": [passage_to(p) for p in iv.passages],
        "recording": (
            {"path": iv.recording.path, "samplerate": iv.recording.samplerate}
            if iv.recording
            else None
        ),
        "deletion": deletion_to(iv.deletion) if iv.deletion else None,
        "engine": iv.engine,
        "model": iv.model,
        "removed": [
            {"s": r.start, "e": r.end, "x": r.text, "r": r.reason, "w": _words_to(r.words)}
            for r in iv.removed
        ],
    }


def interview_from(d: dict[str, Any], markers: list[Marker]) -> Interview:
    rec = d.get("recording")
    deletion = d.get("deletion")
    return Interview(
        id=str(d["id"]),
        participant=str(d["participant"]),
        guide_hash=str(d["guide_hash"]),
        language=d.get("language"),
        status=InterviewStatus.parse(d.get("status", "new")),
        created=str(d.get("created", "")),
        started_at=d.get("started_at"),
        ended_at=d.get("ended_at"),
        duration=float(d.get("duration", 0.0)),
        markers=markers,
        segments=[segment_from(s) for s in d.get("segments", [])],
        passages=[passage_from(p) for p in d.get("passages", [])],
        recording=RecordingRef(str(rec["path"]), rec.get("samplerate")) if rec else None,
        deletion=deletion_from(deletion) if deletion else None,
        engine=d.get("engine"),
        model=d.get("model"),
        removed=[
            Removed(float(r["s"]), float(r["e"]), str(r["x"]), str(r["r"]), _words_from(r["w"]))
            for r in d.get("removed", [])
        ],
    )
