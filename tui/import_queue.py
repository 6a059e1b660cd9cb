"""Many recordings, one queue: `kvale import` of several files or a folder.

The queue is a file in the project folder (`QUEUE_FILE`), written atomically before and
after every recording, so a queue stopped by Ctrl-C, a kill or a reboot resumes where it
stopped when the same command (or ``kvale import --resume``) runs again:

* a recording whose interview was saved is never transcribed again: each import is one
  project operation (`tui.session.import_recording`: the whole interview, or nothing),
  and the queue marks it done with the interview's id. A kill between the two is found
  out too: the entry being imported remembers the project's interviews before it started,
  and an interview of that participant that appeared since is the finished import;
* the recording that was being transcribed when the process died left no interview (the
  project's journal undoes the half-done import when the project is next opened), and is
  transcribed again from its start.

Each recording's participant code comes from its file name (the name without its
extension, e.g. ``I3.m4a`` → ``I3``) or from a CSV file with the columns ``file`` and
``participant``. The source recordings are not touched.

Progress is the share of the queue's audio that is transcribed; the ETA uses the speed
measured in this run, or before the first recording finishes, the model's RTF measured on
this machine (`audio.calibrate`), when there is one.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kvale_errors import KvaleError
from tui.i18n import N_, error_text
from tui.import_sources import (
    AUDIO_SUFFIXES,
    code_from_name,
    expand_sources,
    probe_duration,
    read_participants_csv,
    refuse_file_name_codes,
)
from tui.people import DEFAULT_PEOPLE

if TYPE_CHECKING:
    from guide.model import Guide
    from store import Project
    from store.model import Interview

log = logging.getLogger(__name__)

QUEUE_FILE = ".kvale-import-queue.json"

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"

#: (done seconds of audio, total seconds, ETA seconds or None, entry being imported)
QueueProgress = Callable[[float, float, float | None, "QueueEntry | None"], None]


@dataclass
class QueueEntry:
    """One recording in the queue.

    Attributes:
        source: absolute path of the recording (file or recording folder).
        size, mtime_ns: the file as it was queued (the same file is not queued twice).
        participant: the participant code.
        duration_s: length in seconds (None when it could not be read without decoding).
        status: ``pending``, ``running``, ``done`` or ``failed``.
        interview: the interview's id once done.
        error: the sentence when it failed.
        attempts: how many times its import started.
        before: interview ids in the project when its import last started.
    """

    source: str
    size: int
    mtime_ns: int
    participant: str
    duration_s: float | None = None
    status: str = PENDING
    interview: str | None = None
    error: str | None = None
    attempts: int = 0
    before: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.source).name

    @property
    def key(self) -> tuple[Path, int, int]:
        """The file as it was queued (`file_key`)."""
        return Path(self.source).expanduser().resolve(), self.size, self.mtime_ns


def queue_path(project_dir: Path) -> Path:
    return Path(project_dir) / QUEUE_FILE


def load_queue(project_dir: Path) -> list[QueueEntry]:
    """The project's queue (empty if there is none). In an encrypted project the file is
    sealed with the project's key like every other document.

    Raises:
        KvaleError: the queue file is damaged (the sentence says how to start over).
    """
    from store import crypto

    path = queue_path(project_dir)
    try:
        blob = path.read_bytes()
        if crypto.is_sealed(blob):
            cipher = crypto.cipher_for(project_dir)
            if cipher is None:
                raise ValueError("sealed, but the project is not encrypted")
            blob = cipher.open(blob, str(path))
        raw = json.loads(blob.decode("utf-8"))
        return [QueueEntry(**e) for e in raw.get("entries", [])]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError) as exc:
        raise KvaleError.said(
            N_(
                "The import queue {path} is damaged ({problem}). The interviews already "
                "imported are safe; delete that file and run the import again (recordings "
                "already imported will then be imported again: leave them out)."
            ),
            title=N_("Import queue problem"),
            path=path,
            problem=exc,
        ) from exc


def save_queue(project_dir: Path, entries: Sequence[QueueEntry]) -> None:
    """Write the queue atomically (a crash leaves the old or the new file, never half),
    sealed in an encrypted project, readable by its owner only (0600)."""
    from store import crypto

    path = queue_path(project_dir)
    tmp = path.with_name(path.name + ".tmp")
    blob = json.dumps({"entries": [asdict(e) for e in entries]}, indent=1).encode("utf-8")
    cipher = crypto.cipher_for(project_dir)
    if cipher is not None:
        blob = cipher.seal(blob)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def forget_participant(project_dir: Path, code: str | None) -> int:
    """A withdrawal: the queue keeps no entry of participant ``code`` (None: of anyone;
    the file goes). Returns how many entries were removed."""
    path = queue_path(project_dir)
    if not path.exists():
        return 0
    entries = load_queue(project_dir)
    kept = [e for e in entries if code is not None and e.participant != code]
    if not kept:
        path.unlink()
    elif len(kept) != len(entries):
        save_queue(project_dir, kept)
    return len(entries) - len(kept)


def file_key(source: Path) -> tuple[Path, int, int]:
    """A recording as the queue tells it apart: its resolved path (one given relative to
    another folder is the same file), size and modification time (ns)."""
    st = source.stat()
    return source.expanduser().resolve(), st.st_size, st.st_mtime_ns


def already_imported(project_dir: Path, source: Path) -> QueueEntry | None:
    """The queue's entry for ``source`` when it was imported already (and is unchanged)."""
    key = file_key(source)
    return next((e for e in load_queue(project_dir) if e.status == DONE and e.key == key), None)


def record_imported(project_dir: Path, source: Path, participant: str, interview: str) -> None:
    """Note a recording imported on its own (`kvale import FILE --participant CODE`) in the
    queue, so that importing it again, alone or in a queue, is caught."""
    key = file_key(source)
    entries = [e for e in load_queue(project_dir) if e.key != key]
    entries.append(
        QueueEntry(
            str(source.expanduser().absolute()),
            key[1],
            key[2],
            participant,
            probe_duration(source),
            DONE,
            interview,
        )
    )
    save_queue(project_dir, entries)


def plan_queue(
    project_dir: Path,
    sources: Sequence[Path],
    *,
    participant: str | None = None,
    participants: dict[str, str] | None = None,
) -> list[QueueEntry]:
    """The queue after adding ``sources``: entries already queued (the same file, unchanged)
    keep their state; new ones are added as pending. Saved before anything is imported.

    Raises:
        KvaleError: a code is missing (a CSV without the file), a file's name is no code,
            or one code was given for several files.
    """
    if participant and len(sources) > 1:
        raise KvaleError.said(
            N_(
                "--participant names one participant; for several recordings the code comes "
                "from each file's name, or from a CSV given with --participants."
            ),
            title=N_("Import problem"),
        )
    entries = load_queue(project_dir)
    known, missing = {e.key: e for e in entries}, []
    if not participant and participants is None:  # the codes come from the file names
        refuse_file_name_codes([s for s in sources if file_key(s) not in known])
    for src in sources:
        key = file_key(src)
        queued = known.get(key)
        if queued is not None:
            if queued.status == FAILED:  # asked for again: try again
                queued.status, queued.error = PENDING, None
            continue
        if participant:
            code = participant
        elif participants is not None:
            code = participants.get(src.name) or participants.get(str(src)) or ""
            if not code:
                missing.append(src.name)
                continue
        else:
            code = code_from_name(src)
        entry = QueueEntry(str(src), key[1], key[2], code, probe_duration(src))
        entries.append(entry)
        known[key] = entry
    if missing:
        raise KvaleError.said(
            N_(
                "The participant list has no code for {files}. Add a row for each recording "
                "(columns: file, participant); nothing was imported."
            ),
            title=N_("Import problem"),
            files=", ".join(missing),
        )
    save_queue(project_dir, entries)
    return entries


def _settle_interrupted(project: Project, entries: list[QueueEntry]) -> None:
    """An entry left 'running' by a killed run: done if its interview was saved, else pending."""
    now = {s.id: s for s in project.interviews()}
    for e in entries:
        if e.status != RUNNING:
            continue
        new = [
            iid for iid, s in now.items() if iid not in e.before and s.participant == e.participant
        ]
        if new:
            e.status, e.interview = DONE, new[0]
            log.info("queue: %s was imported before the stop (%s)", e.name, new[0])
        else:
            e.status = PENDING


def run_queue(
    project: Project,
    guide: Guide,
    *,
    language: str | None,
    engine: str = "auto",
    model: str = "base",
    on_progress: QueueProgress | None = None,
    on_entry: Callable[[int, int, QueueEntry], None] | None = None,
    importer: Callable[..., Interview] | None = None,
    rtf_hint: float | None = None,
    people: int | None = DEFAULT_PEOPLE,
) -> list[QueueEntry]:
    """Import every pending recording of the project's queue, one after another.

    Args:
        project: the open project.
        guide: the interview guide for every recording.
        language: the interviews' language (None: the guide's, else detected).
        engine, model: transcription engine and model.
        on_progress: ``(done audio s, total audio s, ETA s or None, current entry)``.
        on_entry: ``(position 1.., count, entry)`` when an entry finishes (done or failed).
        importer: the import of one recording (default `tui.session.import_recording`).
        rtf_hint: the model's RTF on this machine, for the ETA before the first
            recording is done.
        people: how many take part in each interview, interviewer included (passed to
            the importer; `tui.session.import_recording`).

    Returns:
        The queue's entries with their final state. A recording kvale cannot read is
        marked failed with its sentence; the others go on.
    """
    if importer is None:
        from tui.session import import_recording

        importer = import_recording
    entries = load_queue(project.path)
    _settle_interrupted(project, entries)
    save_queue(project.path, entries)
    report = on_progress or (lambda done, total, eta, entry: None)
    total = sum(e.duration_s or 0.0 for e in entries)
    done_s = sum(e.duration_s or 0.0 for e in entries if e.status in (DONE, FAILED))
    spent = 0.0  # processing seconds in this run
    processed = 0.0  # audio seconds imported in this run
    count = len(entries)

    def eta(remaining: float) -> float | None:
        rate = spent / processed if processed > 0 else rtf_hint
        return remaining * rate if rate is not None else None

    for position, entry in enumerate(entries, start=1):
        if entry.status in (DONE, FAILED):
            continue
        entry.status, entry.attempts = RUNNING, entry.attempts + 1
        entry.before = [s.id for s in project.interviews()]
        save_queue(project.path, entries)
        length = entry.duration_s or 0.0
        report(done_s, total, eta(total - done_s), entry)
        started = time.monotonic()

        def step(
            stage: str,
            fraction: float,
            _eta: float | None,
            entry: QueueEntry = entry,
            before: float = done_s,
        ) -> None:
            if stage == "transcribing":
                so_far = before + fraction * (entry.duration_s or 0.0)
                report(so_far, total, eta(total - so_far), entry)

        try:
            interview = importer(
                project,
                Path(entry.source),
                guide,
                participant=entry.participant,
                language=language,
                engine=engine,
                model=model,
                on_progress=step,
                people=people,
            )
        except KvaleError as exc:
            entry.status, entry.error = FAILED, error_text(exc)[1]  # in the UI's language
            log.info("queue: %s failed", entry.name)
        else:
            entry.status, entry.interview, entry.error = DONE, interview.id, None
            spent += time.monotonic() - started
            processed += length
        entry.before = []
        done_s += length
        save_queue(project.path, entries)
        report(done_s, total, eta(total - done_s), None)
        if on_entry is not None:
            on_entry(position, count, entry)
    return entries


__all__ = [
    "AUDIO_SUFFIXES",
    "DONE",
    "FAILED",
    "PENDING",
    "RUNNING",
    "QueueEntry",
    "expand_sources",
    "load_queue",
    "plan_queue",
    "read_participants_csv",
    "run_queue",
    "save_queue",
]
