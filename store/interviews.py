"""A project's interviews: one document each, markers in an append-only log, and the
summaries the project document keeps so that listing never parses every interview.

One document per interview: saving one never rewrites another, and a participant's
withdrawal deletes whole files. Markers are appended to a per-interview log (append +
fsync) rather than rewriting the interview document, so a key press costs the same
whether the transcript has 0 or 50 000 words; the log is folded in on load.

`InterviewDocuments` is part of `store.project.Project`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from guide.transcript import Marker, Passage, Removed, Segment
from kvale_errors import N_, StoreError
from store import codec
from store.layout import INTERVIEWS, doc_name, markers_name, now_iso, recording_rel
from store.model import (
    Consent,
    DeletionRecord,
    Interview,
    InterviewStatus,
    InterviewSummary,
    Participant,
    PurgeRecord,
    RecordingRef,
)
from store.privacy import check_code
from store.storage import (
    TEMP_MARK,
    Backend,
    DiskBackend,
    damaged_document,
    private_dir,
)

NO_INTERVIEW = N_("There is no interview {iid} in this project.")

_EMPTY = Interview(id="", participant="", guide_hash="", language=None)


class InterviewDocuments:
    """The interview documents of a `store.project.Project`."""

    path: Path
    backend: Backend
    _db: TinyDB
    _journal: dict[str, Any] | None
    _fresh: dict[str, dict[str, Any]]
    _gone: set[str]

    _doc_name = staticmethod(doc_name)
    _markers_name = staticmethod(markers_name)
    _recording_rel = staticmethod(recording_rel)

    if TYPE_CHECKING:

        @property
        def read_only(self) -> bool: ...

        def add_participant(self, code: str, consent: Consent | None = None) -> Participant: ...

        def _write_journal(self, journal: dict[str, Any]) -> None: ...

    # --- interviews -------------------------------------------------------------------

    def new_interview(
        self,
        participant: str,
        guide_hash: str,
        language: str | None,
        people: int | None = None,
    ) -> Interview:
        """Create an interview (the participant is added if new); returns it, saved.
        ``people``: how many take part, interviewer included (None: not said)."""
        code = check_code(participant)
        if not self._db.table("participants").contains(Query().code == code):
            self.add_participant(code)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        iid = f"{code}-{stamp}"
        n = 2
        while self._id_taken(iid):
            iid = f"{code}-{stamp}-{n}"
            n += 1
        if self._journal is not None:
            self._journal["created"].append(iid)
            self._write_journal(self._journal)
        interview = Interview(
            id=iid,
            participant=code,
            guide_hash=guide_hash,
            language=language,
            created=now_iso(),
            people=people,
        )
        self.save_interview(interview)
        return interview

    def _id_taken(self, iid: str) -> bool:
        """An id is never given twice: not while its document, summary or recording exists."""
        if self.backend.exists(self._doc_name(iid)) or self.backend.exists(self._markers_name(iid)):
            return True
        if self._db.table("interviews").contains(Query().id == iid):
            return True
        return self.holds_recording(iid)

    def holds_recording(self, iid: str) -> bool:
        """Whether the project holds a recording of interview ``iid``: one recorded here
        and not deleted. An imported recording is never copied in: its file stays where
        the researcher keeps it (`tui.session.importing`)."""
        return (self.path / self._recording_rel(iid)).exists()

    def _body(self, iid: str) -> tuple[TinyDB, dict[str, Any]]:
        name = self._doc_name(iid)
        if not self.backend.exists(name):
            raise StoreError.said(NO_INTERVIEW, iid=iid)
        db = self.backend.db(name)
        body = db.table("interview").get(doc_id=1)
        if not isinstance(body, dict):
            raise damaged_document(str(self.path / name), "no interview record")
        return db, dict(body)

    def interview(self, iid: str) -> Interview:
        """The whole interview: markers, transcript, passages, lifecycle.

        Raises:
            StoreError: no such interview, or its document is damaged (the sentence names
                the file; the other interviews are unaffected).
        """
        _db, body = self._body(iid)
        try:
            return codec.interview_from(body, self._read_markers(iid))
        except (KeyError, TypeError, ValueError) as exc:
            where = str(self.path / self._doc_name(iid))
            raise damaged_document(where, f"bad field {exc}") from exc

    def _read_markers(self, iid: str) -> list[Marker]:
        name = self._markers_name(iid)
        return codec.markers_from_lines(self.backend.read_lines(name), str(self.path / name))

    def save_interview(self, interview: Interview) -> None:
        """Write the whole interview (and its summary); markers are rewritten only if changed."""
        name = self._doc_name(interview.id)
        db = self.backend.db(name)
        db.table("interview").upsert(Document(codec.interview_to(interview), doc_id=1))
        if self._read_markers(interview.id) != list(interview.markers):
            self.backend.write_lines(
                self._markers_name(interview.id), codec.marker_lines(list(interview.markers))
            )
        self._write_summary(interview)

    def _write_summary(self, interview: Interview) -> None:
        self._write_summary_row(codec.summary_to(interview.summary()))

    def _write_summary_row(self, row: dict[str, Any]) -> None:
        row["stamp"] = self.backend.stamp(self._doc_name(row["id"]))
        self._db.table("interviews").upsert(row, Query().id == row["id"])

    def _update(self, iid: str, body: dict[str, Any], **changes: Any) -> None:
        """Write changed fields into an interview document without decoding it (fast)."""
        encoded = codec.interview_to(replace(_EMPTY, **changes))
        body.update({k: encoded[k] for k in changes})
        self.backend.db(self._doc_name(iid)).storage.write({"interview": {"1": body}})
        self._write_summary_row(codec.summary_from_body(body))

    def add_marker(self, iid: str, marker: Marker) -> None:
        """Append one marker, durably, before returning (one short append + fsync)."""
        name = self._markers_name(iid)
        if not self.backend.exists(self._doc_name(iid)):
            raise StoreError.said(NO_INTERVIEW, iid=iid)
        if not self.backend.exists(name):
            self.backend.write_lines(name, codec.marker_lines([]))
        self.backend.append_line(name, json.dumps(codec.marker_to(marker), ensure_ascii=False))

    def edit_marker_text(self, iid: str, marker: Marker, text: str) -> Marker:
        """Change a note's or bookmark's text (the marker at that time, of that kind).

        Raises:
            StoreError: no such interview or marker.
        """
        if not self.backend.exists(self._doc_name(iid)):
            raise StoreError.said(NO_INTERVIEW, iid=iid)
        markers = self._read_markers(iid)
        for i, old in enumerate(markers):
            if old.kind == marker.kind and abs(old.time - marker.time) < 1e-6:
                markers[i] = replace(old, text=text)
                self.backend.write_lines(self._markers_name(iid), codec.marker_lines(markers))
                return markers[i]
        raise StoreError(
            f"The interview {iid} has no {marker.kind.value} at {marker.time:.1f} s; "
            "nothing was changed."
        )

    def set_transcript(self, iid: str, segments: list[Segment]) -> None:
        """Store the transcript; the duration grows to its last segment's end if longer."""
        _db, body = self._body(iid)
        end = max((s.end for s in segments), default=0.0)
        duration = max(float(body.get("duration", 0.0)), round(end, 3))
        self._update(iid, body, segments=list(segments), duration=duration)

    def set_removed(self, iid: str, removed: list[Removed]) -> None:
        """Store what the guards took out of the transcript (replacing the list)."""
        _db, body = self._body(iid)
        self._update(iid, body, removed=list(removed))

    def restore_removed(self, iid: str, index: int) -> Segment:
        """Put the removal at ``index`` back into the transcript, where it was.

        Returns:
            The segment put back (its words marked for review: probability 0).

        Raises:
            StoreError: no such interview or removal.
        """
        iv = self.interview(iid)
        if not 0 <= index < len(iv.removed):
            raise StoreError.said(
                N_("Interview {iid} has no removed text number {number}."),
                iid=iid,
                number=index + 1,
            )
        gone = iv.removed[index]
        words = tuple(replace(w, probability=0.0) for w in gone.words)
        back = Segment(gone.start, gone.end, gone.text, words)
        segments = sorted([*iv.segments, back], key=lambda s: (s.start, s.end))
        removed = [r for k, r in enumerate(iv.removed) if k != index]
        _db, body = self._body(iid)
        self._update(iid, body, segments=segments, removed=removed)
        return back

    def set_passages(self, iid: str, passages: list[Passage]) -> None:
        """Store the tagged passages (replacing the previous ones)."""
        _db, body = self._body(iid)
        self._update(iid, body, passages=list(passages))

    def set_status(self, iid: str, status: InterviewStatus | str) -> None:
        """Move an interview to a status; recording start and end times follow it.

        Raises:
            StoreError: not a status, or no such interview.
        """
        new = InterviewStatus.parse(status)
        _db, body = self._body(iid)
        changes: dict[str, Any] = {"status": new}
        if new == InterviewStatus.RECORDING:
            changes["ended_at"] = None
            if body.get("started_at") is None:
                changes["started_at"] = now_iso()
        elif body.get("status") == InterviewStatus.RECORDING.value and not body.get("ended_at"):
            changes["ended_at"] = now_iso()
        self._update(iid, body, **changes)

    def set_recording_info(
        self,
        iid: str,
        *,
        duration: float | None = None,
        samplerate: int | None = None,
        engine: str | None = None,
        model: str | None = None,
    ) -> None:
        """Record facts about the recording and its transcription."""
        _db, body = self._body(iid)
        changes: dict[str, Any] = {}
        if duration is not None:
            changes["duration"] = float(duration)
        if samplerate is not None:
            rec = body.get("recording") or {}
            changes["recording"] = RecordingRef(
                str(rec.get("path", self._recording_rel(iid))), samplerate
            )
        if engine is not None:
            changes["engine"] = engine
        if model is not None:
            changes["model"] = model
        self._update(iid, body, **changes)

    def interviews(self) -> list[InterviewSummary]:
        """Every interview's summary, oldest first, without reading the interviews.

        A damaged interview is listed too (see `damaged` for its sentence).
        """
        rows = {str(d["id"]): dict(d) for d in self._db.table("interviews").all()}
        if self.read_only:  # refreshed in memory at open; nothing was written
            rows.update({k: v for k, v in self._fresh.items() if k not in self._gone})
            for iid in self._gone:
                rows.pop(iid, None)
        else:
            for iid, row in self._fresh.items():
                rows.setdefault(iid, row)
        found = [codec.summary_from(d) for d in rows.values()]
        return sorted(found, key=lambda s: (s.created, s.id))

    def interrupted_interviews(self) -> list[Interview]:
        """Interviews cut off while recording (status recording, never ended): to resume."""
        found = []
        for s in self.interviews():
            if s.status != InterviewStatus.RECORDING:
                continue
            interview = self.interview(s.id)
            if interview.ended_at is None:
                found.append(interview)
        return found

    # --- recordings -------------------------------------------------------------------

    def recordings_dir(self, iid: str) -> Path:
        """The interview's recording folder in the project (created; the recorder writes there)."""
        if not self.backend.exists(self._doc_name(iid)):
            raise StoreError.said(NO_INTERVIEW, iid=iid)
        folder = self.path / self._recording_rel(iid)
        try:
            private_dir(folder)
        except OSError as exc:
            raise StoreError.said(
                N_(
                    "kvale cannot create the recording folder {folder} ({reason}). Check that "
                    "the project folder is writable."
                ),
                folder=folder,
                reason=exc.strerror or exc,
            ) from exc
        return folder

    # --- records kept after deletions -------------------------------------------------

    def deletion_records(self) -> list[DeletionRecord]:
        """Every recording deletion (what, when, size, hash; never content), oldest first."""
        return [codec.deletion_from(d) for d in self._db.table("deletions").all()]

    def purge_records(self) -> list[PurgeRecord]:
        return [
            PurgeRecord(str(d["code"]), str(d["when"]), int(d["files"]))
            for d in self._db.table("purges").all()
        ]

    # --- used by store.lifecycle ------------------------------------------------------

    def _record_deletion(self, iid: str, record: DeletionRecord) -> None:
        self._db.table("deletions").upsert(codec.deletion_to(record), Query().interview_id == iid)
        _db, body = self._body(iid)
        self._update(iid, body, deletion=record, status=InterviewStatus.RECORDING_DELETED)

    def _forget_interview(self, iid: str) -> list[str]:
        """Delete an interview's documents (and stale temp files); returns deleted names."""
        deleted = []
        for name in (self._doc_name(iid), self._markers_name(iid)):
            if self.backend.remove(name):
                deleted.append(name)
        if isinstance(self.backend, DiskBackend):
            folder = self.path / INTERVIEWS
            for p in folder.glob(f".{iid}.*{TEMP_MARK}*"):
                p.unlink(missing_ok=True)
                deleted.append(f"{INTERVIEWS}/{p.name}")
        self._db.table("interviews").remove(Query().id == iid)
        self._db.table("deletions").remove(Query().interview_id == iid)
        return deleted

    def _forget_participant(self, code: str, files: int, op_id: str = "") -> None:
        """Remove the participant; record that a withdrawal happened and when, never whose
        (no code); keep the highest "I<n>" given apart, so codes are not reused."""
        mt = re.match(r"^I(\d+)$", code)
        doc = self._db.table("project").get(doc_id=1)
        if mt and isinstance(doc, dict) and int(mt[1]) > int(doc.get("highest_code_number", 0)):
            row = {**doc, "highest_code_number": int(mt[1])}
            self._db.table("project").upsert(Document(row, doc_id=1))
        self._db.table("participants").remove(Query().code == code)
        purges = self._db.table("purges")
        if op_id and purges.contains(Query().op == op_id):
            return  # a completed purge run again after a crash: recorded already
        purges.insert({"code": "", "when": now_iso(), "files": files, "op": op_id})
