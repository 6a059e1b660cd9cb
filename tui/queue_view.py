"""The import queue as the app's home screen shows it."""

from __future__ import annotations

from pathlib import Path

from kvale_errors import KvaleError
from tui.import_queue import DONE, FAILED, PENDING, RUNNING, load_queue, queue_summary

STATUS_WORDS = {
    DONE: "imported",
    FAILED: "failed",
    PENDING: "waiting",
    RUNNING: "interrupted, waiting",
}


def queue_lines(project_dir: Path) -> tuple[list[str], bool]:
    """The queue for the app's home screen: lines to show, and whether work is left.

    Recordings imported in earlier queues stay listed until a new one is planned; a damaged
    queue file is one line saying so.
    """
    try:
        entries = load_queue(Path(project_dir))
    except KvaleError as exc:
        return [f"Import queue: {exc.sentence}"], True
    if not entries:
        return [], False
    waiting = any(e.status in (PENDING, RUNNING) for e in entries)
    lines = [f"Import queue: {queue_summary(entries)}."]
    for e in entries:
        what = STATUS_WORDS.get(e.status, e.status)
        if e.status == DONE and e.interview:
            what += f" (interview {e.interview})"
        elif e.status == FAILED and e.error:
            what += f": {e.error}"
        lines.append(f"  {e.participant:<8} {e.name:<28} {what}")
    if waiting:
        lines.append(
            f"To go on, close the app and run `kvale import --guide GUIDE --project "
            f"{project_dir}` (no files)."
        )
    return lines, waiting
