"""The JSON form of the project's records (`store.model`): dicts only at this boundary.

``x_to`` gives the dict written to disk, ``x_from`` reads one back; words are compact
rows ``[start, end, text, probability(, voice)]``.
"""

from __future__ import annotations

import json
from typing import Any

from guide.transcript import (
    Marker,
    MarkerKind,
    Passage,
    Removed,
    Segment,
    Speaker,
    SpeakerSource,
    Tag,
    TagSource,
    Word,
    speaker_said,
)
from kvale_errors import N_, StoreError
from store.model import (
    Consent,
    DeletionRecord,
    Interview,
    InterviewStatus,
    InterviewSummary,
    RecordingRef,
    transcript_words,
)
from store.storage import SCHEMA_VERSION, damaged_document


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
    return (
        {
            "s": p.start,
            "e": p.end,
            "x": p.text,
            "w": _words_to(p.words),
            "p": _tag_to(p.primary) if p.primary else None,
            "sec": [_tag_to(t) for t in p.secondary],
            "sp": p.speaker.value,
            "c": list(p.codes),
        }
        | ({"sps": p.speaker_source.value} if speaker_said(p) else {})
        | ({"sv": p.said_voice} if p.said_voice is not None else {})
    )


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
        speaker_source=SpeakerSource(d.get("sps", SpeakerSource.TAGGER.value)),
        said_voice=_whole(d.get("sv"), 0),  # the voice said, a whole number ≥ 0
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
        "words": transcript_words(
            [str(p["x"]) for p in d.get("passages", [])],
            [str(s["x"]) for s in d.get("segments", [])],
        ),
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
        "people": iv.people,
        "withdrawn": list(iv.withdrawn),
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
        people=_whole(d.get("people"), 1),  # how many take part, ≥ 1
        withdrawn=tuple(
            v for v in (_whole(x, 0) for x in d.get("withdrawn") or []) if v is not None
        ),
        removed=[
            Removed(float(r["s"]), float(r["e"]), str(r["x"]), str(r["r"]), _words_from(r["w"]))
            for r in d.get("removed", [])
        ],
    )


def _whole(value: Any, least: int) -> int | None:
    """A stored whole number of at least ``least`` (the number of people, a passage's
    said voice), or None (not said, or not such a number)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= least:
        return value
    return None


def marker_lines(markers: list[Marker]) -> list[str]:
    """A markers file's lines: a header with the schema version, then one marker per line."""
    header = json.dumps({"schema_version": SCHEMA_VERSION, "kind": "markers"})
    return [header, *(json.dumps(marker_to(x), ensure_ascii=False) for x in markers)]


def markers_from_lines(lines: list[str], where: str) -> list[Marker]:
    """The markers of a markers file's ``lines`` (none for an empty file).

    Raises:
        StoreError: ``where`` has no schema version, an unreadable line, or was written by
            a newer kvale.
    """
    if not lines:
        return []
    try:
        version = int(json.loads(lines[0])["schema_version"])
    except (ValueError, KeyError, TypeError) as exc:
        raise damaged_document(where, "no schema version") from exc
    if version > SCHEMA_VERSION:
        raise StoreError.said(
            N_(
                "{where} was written by a newer kvale (version {version}). Update kvale to "
                "open it; nothing was changed."
            ),
            where=where,
            version=version,
        )
    markers = []
    for i, line in enumerate(lines[1:], start=2):
        try:
            markers.append(marker_from(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise damaged_document(where, f"line {i} is unreadable") from exc
    return markers
