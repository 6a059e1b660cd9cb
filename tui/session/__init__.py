"""The interview pipeline, headless: record, mark, transcribe, tag, confirm, delete.

The screens, the CLI and the tests drive the same objects; nothing here imports
Textual. `InterviewSession` (`interview`) runs one interview: the recorder, the live
transcriber and the clock, with the guide navigation of `navigation` and the work after
the interview of `processing`; `import_recording` (`importing`) turns a recording made
elsewhere into an interview. Engine output becomes transcript types in `convert`.

The store is `store.Project` itself (no stand-ins); the other packages' heavy objects
(recorder, engines, tagger) are imported when first needed, so that importing the
session stays cheap.
"""

from tui.session.convert import find_voices_or_none, to_removed, to_transcript_segments
from tui.session.importing import import_recording
from tui.session.interview import InterviewSession, SessionOptions, suggest_participant_code
from tui.session.navigation import Coverage
from tui.session.processing import (
    STATUS_CONFIRMED,
    STATUS_PROCESSING,
    STATUS_RECORDED,
    STATUS_RECORDING,
    STATUS_TRANSCRIBED,
    ProgressCallback,
)

__all__ = [
    "STATUS_CONFIRMED",
    "STATUS_PROCESSING",
    "STATUS_RECORDED",
    "STATUS_RECORDING",
    "STATUS_TRANSCRIBED",
    "Coverage",
    "InterviewSession",
    "ProgressCallback",
    "SessionOptions",
    "find_voices_or_none",
    "import_recording",
    "suggest_participant_code",
    "to_removed",
    "to_transcript_segments",
]
