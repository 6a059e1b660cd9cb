"""The data's lifecycle: delete recordings, purge a participant, purge everything.

Deletion unlinks every file and then checks that nothing is left. What that
guarantees depends on encryption (docs/privacy.md, the README):

* encrypted project: the audio on disk was only ever sealed with the recording's
  own key; deletion overwrites that key's file in place and unlinks it
  (`store.recording_keys.shred_file`), so the audio left in free blocks cannot be
  decrypted (crypto-shredding). On copy-on-write file systems and SSDs an old
  copy of the key file may survive, still wrapped by the project key: then
  someone with the passphrase *and* a forensic copy of the free space could
  recover it.
* plain project: the files are removed, nothing more; their blocks stay in the
  disk's free space until reused. Overwriting the audio itself would promise
  more than it delivers (journaling, copy-on-write, SSD wear levelling put the
  new bytes elsewhere), so kvale does not pretend to: full-disk encryption is
  what protects deleted blocks there, and the dialog and the README say so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvale_errors import StoreError
from kvale_i18n import N_
from store import codebook, crypto, privacy, recording_keys
from store.layout import JOURNAL, RECORDINGS, doc_name, markers_name, now_iso
from store.lock import exports_lock
from store.model import DeletionRecord, Interview, PurgeReport
from store.storage import fsync_dir

if TYPE_CHECKING:
    from store.project import Project

log = logging.getLogger(__name__)

EXPORTS = "exports"


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def _remove_tree(folder: Path) -> tuple[list[str], int, str]:
    """Hash, then delete every file under ``folder`` and the folder; (names, bytes, sha256)."""
    if not folder.exists():
        return [], 0, hashlib.sha256().hexdigest()
    files = _files_under(folder)
    digest = hashlib.sha256()
    names: list[str] = []
    size = 0
    for p in files:
        rel = p.relative_to(folder).as_posix()
        names.append(rel)
        digest.update(rel.encode("utf-8") + b"\0")
        if p.is_file() and not p.is_symlink():
            with p.open("rb") as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
                    size += len(block)
    try:
        for p in files:
            if p.name == crypto.RECORDING_KEY_FILE and not p.is_symlink():
                recording_keys.shred_file(p)  # the key dies first: the audio is unreadable from now
        for p in files:
            p.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=False)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StoreError.said(
            N_(
                "kvale could not delete every file of the recording in {folder} ({reason}). "
                "Check the folder's permissions and delete it again."
            ),
            folder=folder,
            reason=exc.strerror or exc,
        ) from exc
    fsync_dir(folder.parent)
    if folder.exists():
        left = [p.relative_to(folder).as_posix() for p in folder.rglob("*")]
        raise StoreError.said(
            N_(
                "Some recording files are still in {folder}: {files}. Close any program using "
                "them and delete the recording again."
            ),
            folder=folder,
            files=", ".join(left) or "—",
        )
    return names, size, digest.hexdigest()


ENCRYPTED_GUARANTEE = N_(
    "This deletes the recording and destroys its key: the audio cannot be recovered, "
    "not even from the disk's free space."
)
PLAIN_GUARANTEE = N_(
    "This removes the recording's files. The project is not encrypted, so their bytes may "
    "stay readable in the disk's free space until they are reused; only full-disk "
    "encryption (or an encrypted project: `kvale encrypt`) makes sure nobody can recover them."
)


NO_COPY = N_(
    "kvale keeps no copy of a recording it imported: the file you imported is where it "
    "was, unchanged. Delete that file yourself when the consent form says the recording "
    "is deleted."
)


def deletion_guarantee(project: Project) -> str:
    """What deleting a recording guarantees in this project, in one honest sentence."""
    return ENCRYPTED_GUARANTEE if crypto.is_encrypted(project.path) else PLAIN_GUARANTEE


def delete_recording(project: Project, interview_id: str) -> DeletionRecord:
    """Delete an interview's recording (its key first) and record that it was done.

    Encrypted project: the recording's key is shredded, so the audio is unrecoverable
    even from free blocks. Plain project: the files are removed; their blocks remain in
    free space until reused (see the module's docstring).

    Idempotent: a second call returns the first record; a missing folder is not
    an error (the record then lists no files).

    Raises:
        StoreError: no such interview, or a file could not be deleted.
    """
    interview = project.interview(interview_id)
    folder = project.path / RECORDINGS / interview_id
    if interview.recording is not None:
        folder = project.path / interview.recording.path
    if interview.deletion is not None and not folder.exists():
        return interview.deletion
    if interview.recording is None and not folder.exists():
        # an import: there never was a copy here, so there is nothing to delete or to
        # record as deleted (a record would say the participant's voice is gone)
        raise StoreError.said(NO_COPY, title=N_("No recording in the project"))
    names, size, sha = _remove_tree(folder)
    record = DeletionRecord(
        interview_id=interview_id, what=tuple(names), when=now_iso(), size=size, sha256=sha
    )
    project._record_deletion(interview_id, record)
    log.info("deleted the recording of %s: %d files, %d bytes", interview_id, len(names), size)
    return record


def _remove_exports(project: Project) -> int:
    """Exports are derived from every interview: remove them (they can be made again)."""
    folder = project.path / EXPORTS
    if not folder.exists():
        return 0
    count = len([p for p in _files_under(folder)])
    shutil.rmtree(folder)
    fsync_dir(project.path)
    return count


def purge_participant(project: Project, code: str) -> PurgeReport:
    """Delete everything about a participant: interviews, recordings, consent, coded spans.

    Kept: a content-free record (code, date, number of files). Exports inside the
    project are removed too (they mix participants; make them again with kvale export).

    Raises:
        StoreError: there is no such participant, or a file could not be deleted.
    """
    pending = project._read_journal()
    if pending is not None and pending.get("op") == "purge" and pending.get("code") == code:
        return complete_purge(project, pending)  # an earlier purge of theirs was cut short
    known = {p.code for p in project.participants()}
    summaries = [s for s in project.interviews() if s.participant == code]
    if code not in known and not summaries:
        group, _, number = code.rpartition("-")
        if number.isdigit() and any(s.participant == group for s in project.interviews()):
            # "I3-2", as a couple's exports name one of them: their interview is I3's
            raise StoreError.said(
                N_(
                    "There is no participant {code} in this project; nothing was deleted. "
                    "{code} is how exports name one of the people interviewed together as "
                    "{group}: their words are kept in {group}'s interview, and kvale purge "
                    "{group} deletes it for all of them."
                ),
                code=code,
                group=group,
            )
        raise StoreError.said(
            N_("There is no participant {code} in this project; nothing was deleted."), code=code
        )
    return _purge(project, code, [s.id for s in summaries])


def _purge(project: Project, code: str, ids: list[str]) -> PurgeReport:
    """Purge under a journal: once it is written, the purge completes, now or at next open."""
    op_id = uuid.uuid4().hex
    with project.operation("purge", code=code, ids=ids, op_id=op_id):
        return _purge_steps(project, code, ids, op_id)


def complete_purge(project: Project, journal: dict[str, Any]) -> PurgeReport:
    """Finish a purge recorded in the journal (every step is safe to run again)."""
    ids = [str(i) for i in journal.get("ids", [])]
    report = _purge_steps(project, str(journal["code"]), ids, str(journal.get("op_id", "")))
    project.backend.remove(JOURNAL)
    return report


def _purge_lists(project: Project, ids: list[str]) -> int:
    """Remove from the redaction list and the "not a name" list what only they said."""
    theirs: set[str] = set()
    for iid in ids:
        try:
            theirs |= privacy.interview_words(project.interview(iid))
        except StoreError:
            continue  # damaged or already gone (a purge completed after a crash)
    others: set[str] = set()
    for s in project.interviews():
        if s.id in ids:
            continue
        try:
            others |= privacy.interview_words(project.interview(s.id))
        except StoreError:
            continue
    return drop_list_entries(project, theirs, others)


def drop_list_entries(project: Project, theirs: set[str], others: set[str]) -> int:
    """Remove the redaction names and "not a name" words that occur in ``theirs`` (the
    words of a participant who withdrew, case-folded) and not in ``others`` (everyone
    else's); returns how many went."""
    if not theirs:
        return 0
    settings = project.settings
    book = (
        codebook.Codebook.load(project.path)
        if (project.path / codebook.FILENAME).exists()
        else None
    )
    names, words, removed = privacy.purge_lists(
        list(settings.redaction_names), list(book.not_names if book else []), theirs, others
    )
    if removed:
        if names != list(settings.redaction_names):
            project.update_settings(redaction_names=names)
        if book is not None and words != book.not_names:
            book.not_names = words
            book.save(project.path)
    return removed


def _purge_steps(project: Project, code: str, ids: list[str], op_id: str) -> PurgeReport:
    files = 0
    size = 0
    with exports_lock(project.path):  # no export may write their words back meanwhile
        listed = _purge_lists(project, ids)  # before their interviews go
        outside = [e.path for e in privacy.forget_outside_exports(project.path, code)]
        for iid in ids:
            names, nbytes, _sha = _remove_tree(project.path / RECORDINGS / iid)
            files += len(names)
            size += nbytes
            for name in doc_name(iid), markers_name(iid):
                path = project.path / name
                if path.exists():
                    size += path.stat().st_size
            files += len(project._forget_interview(iid))
        items = codebook.purge_participant(project.path, code, ids)
        exports = _remove_exports(project)
        project._forget_participant(code, files, op_id)
        # an interrupted save's copy may hold their data
        project._remove_stale_temp_files(always=True)
    report = PurgeReport(code, tuple(ids), files, size, items, exports, listed, tuple(outside))
    log.info(
        "purged %d interview(s): %d files, %d bytes, %d codebook items, %d list entries",
        len(ids),
        files,
        size,
        items,
        listed,
    )
    return report


def purge_all(project: Project) -> PurgeReport:
    """Delete every participant's data (the project's end date has passed).

    The project folder, its settings and guides stay, with content-free purge records.
    """
    codes = {p.code for p in project.participants()} | {s.participant for s in project.interviews()}
    ids: list[str] = []
    files = size = items = exports = listed = 0
    outside: list[str] = []
    for code in sorted(codes):
        report = purge_participant(project, code)
        ids += report.interviews
        files += report.files
        size += report.bytes
        items += report.codebook_items
        exports += report.exports_removed
        listed += report.list_entries
        outside += report.outside_exports
    with exports_lock(project.path):
        outside += [e.path for e in privacy.forget_outside_exports(project.path, None)]
    listed += _clear_lists(project)
    # recordings of interviews whose document was lost
    for leftover in sorted((project.path / RECORDINGS).glob("*")):
        names, nbytes, _ = _remove_tree(leftover) if leftover.is_dir() else ([leftover.name], 0, "")
        if leftover.is_file():
            nbytes = leftover.stat().st_size
            leftover.unlink()
        files += len(names)
        size += nbytes
    return PurgeReport(
        "*", tuple(ids), files, size, items, exports, listed, tuple(dict.fromkeys(outside))
    )


def _clear_lists(project: Project) -> int:
    """Every participant is gone: the name lists hold nothing anyone still needs."""
    removed = len(project.settings.redaction_names)
    if removed:
        project.update_settings(redaction_names=[])
    if (project.path / codebook.FILENAME).exists():
        book = codebook.Codebook.load(project.path)
        if book.not_names or book.notes or book.spans:
            removed += len(book.not_names)
            book.not_names = []
            book.notes = {k: v for k, v in book.notes.items() if "|" not in k}
            book.spans = []
            book.save(project.path)
    return removed


def is_expired(project: Project, today: dt.date | None = None) -> bool:
    """Whether the project's end date has passed."""
    end = project.settings.end_date
    return end is not None and (today or dt.date.today()) > end


def remaining_interviews(project: Project) -> list[Interview]:
    """Every interview still stored (for the purge command's confirmation)."""
    return [project.interview(s.id) for s in project.interviews()]


__all__ = [
    "delete_recording",
    "is_expired",
    "purge_all",
    "purge_participant",
    "remaining_interviews",
]
