"""The import queue as the app's home screen shows it, and a resumed queue's retries."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kvale_errors import KvaleError
from tui.i18n import N_, _, error_text, ngettext
from tui.import_queue import (
    DONE,
    FAILED,
    PENDING,
    RUNNING,
    QueueEntry,
    load_queue,
    save_queue,
)

STATUS_WORDS = {
    DONE: N_("imported"),
    FAILED: N_("failed"),
    PENDING: N_("waiting"),
    RUNNING: N_("interrupted, waiting"),
}


def queue_lines(project_dir: Path) -> tuple[list[str], bool]:
    """The queue for the app's home screen: lines to show, and whether work is left.

    Recordings imported in earlier queues stay listed until a new one is planned; a damaged
    queue file is one line saying so.
    """
    try:
        entries = load_queue(Path(project_dir))
    except KvaleError as exc:
        return [_("Import queue: {problem}").format(problem=error_text(exc)[1])], True
    if not entries:
        return [], False
    waiting = any(e.status in (PENDING, RUNNING) for e in entries)
    lines = [_("Import queue: {summary}.").format(summary=queue_summary(entries))]
    for e in entries:
        what = _(STATUS_WORDS[e.status]) if e.status in STATUS_WORDS else e.status
        if e.status == DONE and e.interview:
            what = _("imported (interview {id})").format(id=e.interview)
        elif e.status == FAILED and e.error:
            what += f": {e.error}"
        lines.append(f"  {e.participant:<8} {e.name:<28} {what}")
    if waiting:
        lines.append(
            _(
                "To go on, close the app and run `kvale import --guide GUIDE --project "
                "{folder}` (no files)."
            ).format(folder=project_dir)
        )
    return lines, waiting


def retry_failed(project_dir: Path) -> bool:
    """Before a queue is resumed (`kvale import` without files): the recordings that
    failed are tried again (the researcher may have fixed the cause: added consent,
    copied a file whole again), as when they are named again. Returns whether anything
    is left to do."""
    entries = load_queue(Path(project_dir))
    failed = [e for e in entries if e.status == FAILED]
    for e in failed:
        e.status, e.error = PENDING, None
    if failed:
        save_queue(Path(project_dir), entries)
    return any(e.status in (PENDING, RUNNING) for e in entries)


def queue_summary(entries: Sequence[QueueEntry]) -> str:
    """'3 of 5 recordings imported, 1 failed, 1 waiting' for the app and the command."""
    done = sum(e.status == DONE for e in entries)
    failed = sum(e.status == FAILED for e in entries)
    waiting = sum(e.status in (PENDING, RUNNING) for e in entries)
    parts = [
        ngettext(
            "{done} of {n} recording imported", "{done} of {n} recordings imported", len(entries)
        ).format(done=done, n=len(entries))
    ]
    if failed:
        parts.append(_("{n} failed").format(n=failed))
    if waiting:
        parts.append(_("{n} waiting").format(n=waiting))
    return ", ".join(parts)
