"""A project after a crash: summaries brought in line with the files, temporary files
of dead writers removed, and operations of several writes finished or undone.

Operations of several writes (an import, the start of an interview, a purge) run inside
`ProjectRecovery.operation`: a journal (``.kvale-journal.json``) records what they change
before they change it. If the process dies, the next writer to open the project undoes
an unfinished import or start (the project document is restored and the new files
removed) and completes an unfinished purge, and says so in ``Project.recovered``.

`ProjectRecovery` is part of `store.project.Project`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB

from kvale_errors import N_, StoreError
from store import codec
from store.layout import INTERVIEWS, JOURNAL, doc_name, markers_name, now_iso, recording_rel
from store.lock import WriterLock, pid_alive
from store.model import Interview, InterviewStatus, InterviewSummary
from store.storage import TEMP_MARK, Backend, DiskBackend, temp_owner

log = logging.getLogger(__name__)

#: operations completed when cut short (the others are undone): a purge, and one
#: participant of a couple or group withdrawing (`store.withdrawal`)
COMPLETED = ("purge", "withdraw")


def damaged_summary(iid: str) -> InterviewSummary:
    """The list row of an interview whose document cannot be read."""
    participant = iid.split("-", 1)[0]
    return InterviewSummary(iid, participant, "", 0.0, 0, InterviewStatus.NEW)


class ProjectRecovery:
    """Reconciling, cleaning up and journalled operations of a `store.project.Project`."""

    path: Path
    backend: Backend
    _db: TinyDB
    _lock: WriterLock | None
    _journal: dict[str, Any] | None
    recovered: list[str]
    damaged: dict[str, str]
    _fresh: dict[str, dict[str, Any]]
    _gone: set[str]

    if TYPE_CHECKING:

        @property
        def read_only(self) -> bool: ...

        def interview(self, iid: str) -> Interview: ...

        def _write_summary(self, interview: Interview) -> None: ...

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
            stamp = self.backend.stamp(doc_name(iid))
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
                        **codec.summary_to(damaged_summary(iid)),
                        "damaged": exc.sentence,
                    }
                continue
            if self.read_only:
                self._fresh[iid] = codec.summary_to(interview.summary())
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
        recordings) or "purge" / "withdraw" (completed if unfinished; ``facts`` holds
        ``code`` and what the completion needs). An exception inside undoes an import
        or start at once.
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
        if kind not in COMPLETED:
            journal["project_doc"] = self._db.storage.read()
        self._write_journal(journal)
        self._journal = journal
        try:
            yield
        except BaseException:
            self._journal = None
            if kind not in COMPLETED:
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
            raise StoreError.said(
                N_(
                    "The project's journal {where} is damaged (it is not a kvale journal). "
                    "Restore it from your backup, or delete it."
                ),
                where=self.path / JOURNAL,
            )
        return journal

    def unfinished_deletion(self) -> str | None:
        """The code of a purge or withdrawal that was cut short and is not completed yet
        (its process is gone; it completes when the project is next opened for writing),
        or None. What it deletes is still on disk: nothing may export it."""
        if self._journal is not None:
            return None  # this process is running it
        journal = self._read_journal()
        if journal is None or journal.get("op") not in COMPLETED:
            return None
        pid = journal.get("pid")
        if isinstance(pid, int) and pid != os.getpid() and pid_alive(pid):
            return None  # running in another process, which holds the exports lock
        return str(journal.get("code") or "")

    def _undo(self, journal: dict[str, Any]) -> None:
        for iid in journal.get("created", []):
            for name in (doc_name(iid), markers_name(iid)):
                self.backend.remove(name)
            folder = self.path / recording_rel(iid)
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
        if kind in COMPLETED:
            from store import lifecycle, withdrawal  # they work on the whole Project

            complete = (
                lifecycle.complete_purge if kind == "purge" else withdrawal.complete_withdrawal
            )
            try:
                complete(self, journal)  # type: ignore[arg-type]  # a Project
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
