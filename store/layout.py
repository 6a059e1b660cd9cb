"""Where a project keeps what: file and folder names inside the project folder.

Layout::

    <project>/kvale-project.json            settings, guides (source text by hash),
                                            participants, interview summaries,
                                            deletion and purge records
    <project>/interviews/<id>.json          one document per interview
    <project>/interviews/<id>.markers.jsonl its markers, append-only (one line per key press)
    <project>/recordings/<id>/              the recorder's folder (deleted as a whole)
    <project>/.kvale-journal.json           an operation under way (`store.recovery`)

Names are relative to the project folder, with ``/`` separators (the backend's names).
"""

from __future__ import annotations

import datetime as dt

PROJECT_FILE = "kvale-project.json"
JOURNAL = ".kvale-journal.json"
INTERVIEWS = "interviews"
RECORDINGS = "recordings"
MARKERS_SUFFIX = ".markers.jsonl"


def doc_name(iid: str) -> str:
    """The interview's document, e.g. ``interviews/I3-20260105-1000.json``."""
    return f"{INTERVIEWS}/{iid}.json"


def markers_name(iid: str) -> str:
    """The interview's append-only marker log."""
    return f"{INTERVIEWS}/{iid}{MARKERS_SUFFIX}"


def recording_rel(iid: str) -> str:
    """The interview's recording folder."""
    return f"{RECORDINGS}/{iid}"


def now_iso() -> str:
    """The local time now, ISO 8601 to the second, with its UTC offset."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
