"""A kvale project: a folder the researcher chose, with its documents and recordings.

Layout::

    <project>/kvale-project.json            settings, guides (source text by hash),
                                            participants, interview summaries,
                                            deletion and purge records
    <project>/interviews/<id>.json          one document per interview
    <project>/interviews/<id>.markers.jsonl its markers, append-only (one line per key press)
    <project>/recordings/<id>/              the recorder's folder (deleted as a whole)

One document per interview: saving one never rewrites another, and a
participant's withdrawal deletes whole files. Every write is atomic (see
`store.storage`). Markers are appended to a per-interview log (append + fsync)
rather than rewriting the interview document, so a key press costs the same
whether the transcript has 0 or 50 000 words; the log is folded in on load.

The project document keeps a summary of each interview (participant, date,
duration, words, status) so listing a project never parses every interview;
each summary records the interview file's size/mtime stamp, and `Project.open`
refreshes any summary whose file changed behind it (a crash between the two
writes).

Threads: a `Project` is written from one thread (the app's worker or the main
thread), one process at a time; reads may happen anywhere once a write has returned.

Processes: a writer holds the project's lock (`store.lock`) from `open` to
`close` (or its exit); a second writer meets `store.lock.ProjectBusy`.
``Project.open(path, read_only=True)`` takes no lock and refuses every write:
exports and listings use it while the app is open. Only the lock holder cleans
up temporary files, and only those whose writing process is gone.

Operations of several writes (an import, the start of an interview, a purge)
run inside `Project.operation`: a journal (``.kvale-journal.json``) records
what they change before they change it. If the process dies, the next writer
to open the project undoes an unfinished import or start (the project document
is restored and the new files removed) and completes an unfinished purge, and
says so in `Project.recovered`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from guide.model import Guide
from guide.transcript import Marker, Passage, Removed, Segment
from kvale_errors import StoreError
from store import model as m
from store.lock import WriterLock, acquire_writer, pid_alive
from store.model import (
    Consent,
    DeletionRecord,
    Interview,
    InterviewStatus,
    InterviewSummary,
    Participant,
    ProjectSettings,
    PurgeRecord,
    RecordingRef,
)
from store.storage import (
    SCHEMA_VERSION,
    TEMP_MARK,
    Backend,
    DiskBackend,
    ReadOnlyBackend,
    corrupt_sentence,
    temp_owner,
)

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

PROJECT_FILE = "kvale-project.json"
JOURNAL = ".kvale-journal.json"
INTERVIEWS = "interviews"
RECORDINGS = "recordings"
MARKERS_SUFFIX = ".markers.jsonl"
# letters of any alphabet (Ø2, Å1), digits, - and _: one word, safe as a file name
CODE_RE = re.compile(r"^[^\W_][\w-]{0,39}$")
NUMBERED_CODE = re.compile(r"^I(\d+)$")


_EMPTY = Interview(id="", participant="", guide_hash="", language=None)


def _damaged_summary(iid: str) -> InterviewSummary:
    participant = iid.split("-", 1)[0]
    return InterviewSummary(iid, participant, "", 0.0, 0, InterviewStatus.NEW)


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _check_code(code: str) -> str:
    code = unicodedata.normalize("NFC", code.strip())
    if not CODE_RE.match(code):
        raise StoreError(
            f"'{code}' cannot be a participant code: a code is one word of up to 40 "
            "letters and digits (- and _ allowed inside), such as I3 or Ø2, never the "
            "participant's name."
        )
    return code


class Project:
    """A kvale project folder: the repository over its documents.

    Open one with `Project.open` or create one with `Project.init`; never
    construct it directly.
    """

    def __init__(self, path: Path, backend: Backend, *, lock: WriterLock | None = None) -> None:
        self.path = Path(path)
        self.backend = backend
        self._db: TinyDB = backend.db(PROJECT_FILE)
        self._guides: dict[str, Guide] = {}
        self._lock = lock
        self._journal: dict[str, Any] | None = None
        #: sentences about work the last open completed or undid (an interrupted purge,
        #: import or start); the CLI prints them, the app shows them.
        self.recovered: list[str] = []
        #: interview id -> the sentence saying why its document cannot be read.
        self.damaged: dict[str, str] = {}
        self._fresh: dict[str, dict[str, Any]] = {}  # summaries refreshed in memory only
        self._gone: set[str] = set()  # summaries whose document is gone (read-only)

    @property
    def read_only(self) -> bool:
        """Opened with ``read_only=True``: every write is refused with a sentence."""
        return isinstance(self.backend, ReadOnlyBackend)

    def close(self) -> None:
        """Give up the right to write (the lock); the object must not be used to write again."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        path: Path | str,
        *,
        name: str | None = None,
        backend: Callable[[Path], Backend] | None = None,
    ) -> Project:
        """Create a project in ``path`` (created if missing; must be empty if it exists).

        Raises:
            StoreError: the folder is already a project, is not empty, or cannot be written.
        """
        path = Path(path).expanduser().absolute()
        store = (backend or DiskBackend)(path)
        if store.exists(PROJECT_FILE):
            raise StoreError(f"{path} is already a kvale project. Open it with --project {path}.")
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path} is a file, not a folder. Choose a folder for the project.")
        if path.is_dir() and any(p for p in path.iterdir() if not p.name.startswith(".")):
            raise StoreError(
                f"{path} is not empty and is not a kvale project. Choose a new or empty folder "
                "so the project's personal data stays apart from other files."
            )
        try:
            for sub in (path, path / INTERVIEWS, path / RECORDINGS):
                sub.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"kvale cannot create the project folder {path} ({exc.strerror}). "
                "Choose a folder you can write to."
            ) from exc
        lock = acquire_writer(path) if isinstance(store, DiskBackend) else None
        project = cls(path, store, lock=lock)
        settings = ProjectSettings(name=name or path.name)
        project._db.table("project").upsert(
            Document({"created": now_iso(), "settings": settings.to_dict()}, doc_id=1)
        )
        log.info("created project %s", path)
        return project

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        allow_expired: bool = False,
        read_only: bool = False,
        backend: Callable[[Path], Backend] | None = None,
    ) -> Project:
        """Open the project in ``path``.

        Args:
            path: the project folder.
            allow_expired: open even after the project's end date (for purging).
            read_only: take no lock and refuse every write (exports, listings): works
                while another process writes the project.
            backend: where documents live (default: files in the folder).

        Raises:
            ProjectBusy: (not read-only) another process is writing the project.
            StoreError: no project there, a damaged project document, or the end date passed.
        """
        path = Path(path).expanduser().absolute()
        store: Backend = (backend or DiskBackend)(path)
        if not store.exists(PROJECT_FILE):
            raise StoreError(
                f"{path} has no kvale project. Create one with `kvale init DIR` or pass --project."
            )
        if read_only:
            project = cls(path, ReadOnlyBackend(store))
        else:
            lock = acquire_writer(path) if isinstance(store, DiskBackend) else None
            project = cls(path, store, lock=lock)
        try:
            project._project_doc()  # reads and checks the document now
            if not read_only:
                project._recover_journal()
            project._reconcile()
            if not allow_expired:
                project._check_retention()
        except BaseException:
            project.close()
            raise
        return project

    def _project_doc(self) -> dict[str, Any]:
        doc = self._db.table("project").get(doc_id=1)
        if not isinstance(doc, dict):
            raise StoreError(corrupt_sentence(str(self.path / PROJECT_FILE), "no project record"))
        return dict(doc)

    def _check_retention(self) -> None:
        end = self.settings.end_date
        if end is None or dt.date.today() <= end:
            return
        if not self._db.table("interviews").all() and not self._db.table("participants").all():
            return
        raise StoreError(
            f"This project's end date was {end.isoformat()}: its data should have been deleted. "
            f"Run `kvale purge --all --project {self.path}` to delete it, or change the end "
            "date if your approval was extended.",
            title="Project past its end date",
        )

    def _reconcile(self) -> None:
        """Bring interview summaries in line with the interview files (after a crash).

        Read-only, nothing is written: the summaries are refreshed in memory only
        (`damaged` still lists the interviews whose document cannot be read).
        """
        table = self._db.table("interviews")
        summaries = {d["id"]: d for d in table.all()}
        files = {
            n[len(INTERVIEWS) + 1 : -len(".json")]
            for n in self.backend.names(INTERVIEWS, ".json")
            if TEMP_MARK not in n
        }
        changed = False
        for iid in files:
            stamp = self.backend.stamp(self._doc_name(iid))
            known = summaries.get(iid)
            if known is not None and known.get("stamp") == stamp:
                continue
            log.warning("refreshing the summary of interview %s from its document", iid)
            try:
                interview = self.interview(iid)
            except StoreError as exc:  # a damaged interview must not stop the others
                log.error("%s", exc)
                self.damaged[iid] = exc.sentence
                if known is None:  # still listed, as damaged
                    self._fresh[iid] = {
                        **m.summary_to(_damaged_summary(iid)),
                        "damaged": exc.sentence,
                    }
                continue
            if self.read_only:
                self._fresh[iid] = m.summary_to(interview.summary())
            else:
                self._write_summary(interview)
            changed = True
        for iid in set(summaries) - files:
            if not self.read_only:
                table.remove(Query().id == iid)
            changed = True
        self._gone = set(summaries) - files
        if self.read_only:
            # an operation under way (or killed, to be undone or completed by the next
            # writer): its interviews are not the project's yet, or no longer
            try:
                journal = self._read_journal()
            except StoreError:
                journal = None
            if journal is not None:
                pending = {*journal.get("created", []), *journal.get("ids", [])}
                self._gone |= {str(i) for i in pending}
        if changed:
            log.info("project summaries reconciled")
        self._remove_stale_temp_files()
        self._recover_exports()

    def _recover_exports(self) -> None:
        """Undo a killed export's staging (the writer's first open; skipped while one runs)."""
        if not isinstance(self.backend, DiskBackend) or self._lock is None or not self._lock.first:
            return
        if not (self.path / "exports").is_dir():
            return
        from store.exports import staging
        from store.lock import exports_lock_nowait

        with exports_lock_nowait(self.path) as held:
            if held:
                staging.recover(self.path / "exports")

    def _remove_stale_temp_files(self, *, always: bool = False) -> None:
        """Remove temporary files whose writer died (only the lock holder, on its first open).

        A temporary file names its writer's pid; one whose writer still runs is left
        alone even here (belt and braces: under the lock no other writer exists).
        """
        if not isinstance(self.backend, DiskBackend) or self._lock is None:
            return
        if not (self._lock.first or always):
            return
        for folder in (self.path, self.path / INTERVIEWS):
            if not folder.is_dir():
                continue
            for p in folder.iterdir():
                if p.name.startswith(".") and TEMP_MARK in p.name:
                    owner = temp_owner(p.name)
                    if owner is not None and pid_alive(owner):
                        continue
                    log.info("removing a temporary file left by an interrupted save: %s", p)
                    p.unlink(missing_ok=True)

    # --- operations that finish or never happened ------------------------------------

    @contextlib.contextmanager
    def operation(self, kind: str, **facts: Any) -> Iterator[None]:
        """Run several writes as one: all of them, or (after a failure or a crash) none.

        ``kind`` is "import" or "start" (undone if unfinished: the project document is
        restored as it was and the interviews created inside are removed with their
        recordings) or "purge" (completed if unfinished; ``facts`` holds ``code`` and
        ``ids``). An exception inside undoes an import or start at once.
        """
        if self._journal is not None:  # nested: the outer operation covers it
            yield
            return
        journal = {
            "op": kind,
            "pid": os.getpid(),
            "started": now_iso(),
            "created": [],
            **facts,
        }
        if kind != "purge":
            journal["project_doc"] = self._db.storage.read()
        self._write_journal(journal)
        self._journal = journal
        try:
            yield
        except BaseException:
            self._journal = None
            if kind != "purge":
                self._undo(journal)
                self.backend.remove(JOURNAL)
            raise
        self._journal = None
        self.backend.remove(JOURNAL)

    def _write_journal(self, journal: dict[str, Any]) -> None:
        self.backend.write_lines(JOURNAL, [json.dumps(journal, ensure_ascii=False)])

    def _read_journal(self) -> dict[str, Any] | None:
        if not self.backend.exists(JOURNAL):
            return None
        lines = self.backend.read_lines(JOURNAL)
        try:
            journal = json.loads(lines[0]) if lines else None
        except ValueError:
            journal = None
        if not isinstance(journal, dict) or "op" not in journal:
            # written atomically, so only a foreign edit gets here: it is not ours to act on
            raise StoreError(
                corrupt_sentence(str(self.path / JOURNAL), "not a kvale journal").replace(
                    "the other interviews are unaffected", "or delete it"
                )
            )
        return journal

    def _undo(self, journal: dict[str, Any]) -> None:
        for iid in journal.get("created", []):
            for name in (self._doc_name(iid), self._markers_name(iid)):
                self.backend.remove(name)
            folder = self.path / self._recording_rel(iid)
            if isinstance(self.backend, DiskBackend) and folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
        doc = journal.get("project_doc")
        if isinstance(doc, dict):
            self._db.storage.write(doc)

    def _recover_journal(self) -> None:
        journal = self._read_journal()
        if journal is None:
            return
        kind = str(journal["op"])
        when = str(journal.get("started", ""))[:16].replace("T", " ")
        who = journal.get("participant") or journal.get("code") or ""
        about = f" of participant {who}" if who else ""
        if kind == "purge":
            from store import lifecycle  # lifecycle imports this module

            try:
                lifecycle.complete_purge(self, journal)
            except StoreError as exc:  # the project still opens; the journal stays
                self.recovered.append(
                    f"The purge{about} started {when} was interrupted and could not be "
                    f"completed yet: {exc.sentence} Then run `kvale purge {who}` again."
                )
            else:
                self.recovered.append(
                    f"The purge{about} started {when} was interrupted; it has now been "
                    "completed: nothing of theirs is left in the project."
                )
        else:
            self._undo(journal)
            self.backend.remove(JOURNAL)
            what = {"import": "import", "start": "start of an interview"}.get(kind, kind)
            self.recovered.append(
                f"The {what}{about} started {when} was interrupted and has been undone: "
                "the project is as it was before it."
            )
        for sentence in self.recovered:
            log.warning("%s", sentence)

    # --- settings ---------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.settings.name or self.path.name

    @property
    def settings(self) -> ProjectSettings:
        return ProjectSettings.from_dict(self._project_doc().get("settings", {}))

    def save_settings(self, settings: ProjectSettings) -> None:
        doc = self._project_doc()
        doc["settings"] = settings.to_dict()
        self._db.table("project").upsert(Document(doc, doc_id=1))

    def update_settings(self, **changes: Any) -> ProjectSettings:
        """Change some settings (``update_settings(redaction_names=[...])``); returns them."""
        try:
            new = replace(self.settings, **changes)
        except TypeError as exc:
            raise StoreError(f"Unknown project setting: {exc}.") from exc
        self.save_settings(new)
        return new

    # --- guides -----------------------------------------------------------------------

    def add_guide(self, guide: Guide) -> str:
        """Store the guide's exact source text; returns its content hash."""
        digest = guide.content_hash
        table = self._db.table("guides")
        if not table.contains(Query().hash == digest):
            table.insert({"hash": digest, "title": guide.title, "source": guide.source})
        self._guides[digest] = guide
        return digest

    def guide(self, guide_hash: str) -> Guide:
        """The guide with this hash, re-parsed from the exact text stored with it."""
        if guide_hash in self._guides:
            return self._guides[guide_hash]
        row = self._db.table("guides").get(Query().hash == guide_hash)
        if not isinstance(row, dict):
            raise StoreError(
                f"The project has no guide {guide_hash[:12]}; the interview cannot be shown "
                "with its guide. Restore kvale-project.json from your backup."
            )
        from guide.parser import parse_guide  # imported late: the parser is a heavier module

        guide = parse_guide(str(row["source"]))
        self._guides[guide_hash] = guide
        return guide

    # --- participants -----------------------------------------------------------------

    def next_participant_code(self) -> str:
        """The next code "I<n>": one more than any ever used (purged codes are not reused)."""
        used = [p.code for p in self.participants()]
        used += [s.participant for s in self.interviews()]
        used += [r.code for r in self.purge_records()]
        numbers = [int(mt.group(1)) for c in used if (mt := NUMBERED_CODE.match(c))]
        return f"I{max(numbers, default=0) + 1}"

    def add_participant(self, code: str, consent: Consent | None = None) -> Participant:
        """Add a participant; for one that exists, a given consent replaces the stored one."""
        code = _check_code(code)
        if consent is not None and not consent.recorded_at:
            consent = replace(consent, recorded_at=now_iso())
        table = self._db.table("participants")
        row = table.get(Query().code == code)
        if isinstance(row, dict):
            if consent is not None:
                table.update({"consent": m.consent_to(consent)}, Query().code == code)
            return self.participant(code)
        created = now_iso()
        table.insert({"code": code, "consent": m.consent_to(consent), "created": created})
        return Participant(code, consent, created)

    def record_consent(self, code: str, consent: Consent) -> Participant:
        """Store (or replace) a participant's consent."""
        return self.add_participant(code, consent)

    def participant(self, code: str) -> Participant:
        row = self._db.table("participants").get(Query().code == code)
        if not isinstance(row, dict):
            raise StoreError(f"There is no participant {code} in this project.")
        return Participant(str(row["code"]), m.consent_from(row.get("consent")), row["created"])

    def participants(self) -> list[Participant]:
        return [
            Participant(str(r["code"]), m.consent_from(r.get("consent")), str(r["created"]))
            for r in self._db.table("participants").all()
        ]

    def has_audio_consent(self, code: str) -> bool:
        """Whether the participant agreed to take part and to audio recording."""
        try:
            consent = self.participant(code).consent
        except StoreError:
            return False
        return consent is not None and consent.interview and consent.audio

    # --- interviews -------------------------------------------------------------------

    @staticmethod
    def _doc_name(iid: str) -> str:
        return f"{INTERVIEWS}/{iid}.json"

    @staticmethod
    def _markers_name(iid: str) -> str:
        return f"{INTERVIEWS}/{iid}{MARKERS_SUFFIX}"

    def new_interview(self, participant: str, guide_hash: str, language: str | None) -> Interview:
        """Create an interview (the participant is added if new); returns it, saved."""
        code = _check_code(participant)
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
        )
        self.save_interview(interview)
        return interview

    def _id_taken(self, iid: str) -> bool:
        """An id is never given twice: not while its document, summary or recording exists."""
        if self.backend.exists(self._doc_name(iid)) or self.backend.exists(self._markers_name(iid)):
            return True
        if self._db.table("interviews").contains(Query().id == iid):
            return True
        return (self.path / self._recording_rel(iid)).exists()

    def _body(self, iid: str) -> tuple[TinyDB, dict[str, Any]]:
        name = self._doc_name(iid)
        if not self.backend.exists(name):
            raise StoreError(f"There is no interview {iid} in this project.")
        db = self.backend.db(name)
        body = db.table("interview").get(doc_id=1)
        if not isinstance(body, dict):
            raise StoreError(corrupt_sentence(str(self.path / name), "no interview record"))
        return db, dict(body)

    def interview(self, iid: str) -> Interview:
        """The whole interview: markers, transcript, passages, lifecycle.

        Raises:
            StoreError: no such interview, or its document is damaged (the sentence names
                the file; the other interviews are unaffected).
        """
        _db, body = self._body(iid)
        try:
            return m.interview_from(body, self._read_markers(iid))
        except (KeyError, TypeError, ValueError) as exc:
            where = str(self.path / self._doc_name(iid))
            raise StoreError(corrupt_sentence(where, f"bad field {exc}")) from exc

    def _read_markers(self, iid: str) -> list[Marker]:
        name = self._markers_name(iid)
        lines = self.backend.read_lines(name)
        if not lines:
            return []
        where = str(self.path / name)
        try:
            header = json.loads(lines[0])
            version = int(header["schema_version"])
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(corrupt_sentence(where, "no schema version")) from exc
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{where} was written by a newer kvale (version {version}). Update kvale to "
                "open it; nothing was changed."
            )
        markers = []
        for i, line in enumerate(lines[1:], start=2):
            try:
                markers.append(m.marker_from(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise StoreError(corrupt_sentence(where, f"line {i} is unreadable")) from exc
        return markers

    @staticmethod
    def _marker_lines(markers: list[Marker]) -> list[str]:
        header = json.dumps({"schema_version": SCHEMA_VERSION, "kind": "markers"})
        return [header, *(json.dumps(m.marker_to(x), ensure_ascii=False) for x in markers)]

    def save_interview(self, interview: Interview) -> None:
        """Write the whole interview (and its summary); markers are rewritten only if changed."""
        name = self._doc_name(interview.id)
        db = self.backend.db(name)
        db.table("interview").upsert(Document(m.interview_to(interview), doc_id=1))
        if self._read_markers(interview.id) != list(interview.markers):
            self.backend.write_lines(
                self._markers_name(interview.id), self._marker_lines(list(interview.markers))
            )
        self._write_summary(interview)

    def _write_summary(self, interview: Interview) -> None:
        self._write_summary_row(m.summary_to(interview.summary()))

    def _write_summary_row(self, row: dict[str, Any]) -> None:
        row["stamp"] = self.backend.stamp(self._doc_name(row["id"]))
        self._db.table("interviews").upsert(row, Query().id == row["id"])

    def _update(self, iid: str, body: dict[str, Any], **changes: Any) -> None:
        """Write changed fields into an interview document without decoding it (fast)."""
        encoded = m.interview_to(replace(_EMPTY, **changes))
        body.update({k: encoded[k] for k in changes})
        self.backend.db(self._doc_name(iid)).storage.write({"interview": {"1": body}})
        self._write_summary_row(m.summary_from_body(body))

    def add_marker(self, iid: str, marker: Marker) -> None:
        """Append one marker, durably, before returning (one short append + fsync)."""
        name = self._markers_name(iid)
        if not self.backend.exists(self._doc_name(iid)):
            raise StoreError(f"There is no interview {iid} in this project.")
        if not self.backend.exists(name):
            self.backend.write_lines(name, self._marker_lines([]))
        self.backend.append_line(name, json.dumps(m.marker_to(marker), ensure_ascii=False))

    def edit_marker_text(self, iid: str, marker: Marker, text: str) -> Marker:
        """Change a note's or bookmark's text (the marker at that time, of that kind).

        Raises:
            StoreError: no such interview or marker.
        """
        if not self.backend.exists(self._doc_name(iid)):
            raise StoreError(f"There is no interview {iid} in this project.")
        markers = self._read_markers(iid)
        for i, old in enumerate(markers):
            if old.kind == marker.kind and abs(old.time - marker.time) < 1e-6:
                markers[i] = replace(old, text=text)
                self.backend.write_lines(self._markers_name(iid), self._marker_lines(markers))
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
            raise StoreError(f"Interview {iid} has no removed text number {index + 1}.")
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
        found = [m.summary_from(d) for d in rows.values()]
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

    @staticmethod
    def _recording_rel(iid: str) -> str:
        return f"{RECORDINGS}/{iid}"

    def recordings_dir(self, iid: str) -> Path:
        """The interview's recording folder in the project (created; the recorder writes there)."""
        if not self.backend.exists(self._doc_name(iid)):
            raise StoreError(f"There is no interview {iid} in this project.")
        folder = self.path / self._recording_rel(iid)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"kvale cannot create the recording folder {folder} ({exc.strerror}). "
                "Check that the project folder is writable."
            ) from exc
        return folder

    # --- records kept after deletions -------------------------------------------------

    def deletion_records(self) -> list[DeletionRecord]:
        """Every recording deletion (what, when, size, hash; never content), oldest first."""
        return [m.deletion_from(d) for d in self._db.table("deletions").all()]

    def purge_records(self) -> list[PurgeRecord]:
        return [
            PurgeRecord(str(d["code"]), str(d["when"]), int(d["files"]))
            for d in self._db.table("purges").all()
        ]

    # --- used by store.lifecycle ------------------------------------------------------

    def _record_deletion(self, iid: str, record: DeletionRecord) -> None:
        self._db.table("deletions").upsert(m.deletion_to(record), Query().interview_id == iid)
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
        """Remove the participant and keep a content-free record (once per purge)."""
        self._db.table("participants").remove(Query().code == code)
        purges = self._db.table("purges")
        if op_id and purges.contains(Query().op == op_id):
            return  # a completed purge run again after a crash: recorded already
        purges.insert({"code": code, "when": now_iso(), "files": files, "op": op_id})
