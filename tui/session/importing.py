"""`kvale import`: a recording made elsewhere becomes a transcribed, tagged interview.

One operation in the project's journal: a whole interview, or (killed, failed) nothing.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from audio import types as engine_types
from guide.model import Guide
from kvale_errors import AudioError, KvaleError
from tui.import_sources import NO_AUDIO_FILE
from tui.people import DEFAULT_PEOPLE
from tui.session.convert import find_voices_or_none, to_removed, to_transcript_segments
from tui.session.processing import STATUS_TRANSCRIBED, ProgressCallback, _no_progress

if TYPE_CHECKING:
    from store import Project
    from store.model import Interview

log = logging.getLogger(__name__)


def import_recording(
    project: Project,
    audio_path: Path | str,
    guide: Guide,
    participant: str,
    language: str | None,
    *,
    engine: str = "auto",
    model: str = "base",
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    people: int | None = DEFAULT_PEOPLE,
) -> Interview:
    """Transcribe and tag a recording made elsewhere (`kvale import`); returns the interview.

    The file is decoded before anything is written to the project: a file kvale cannot
    read leaves the project as it was. A recording folder (one a killed `kvale record`
    left behind, too) is accepted like a file. The language is ``language``, else the
    guide's, else detected from the speech. There are no markers, so passages are tagged
    by question detection and content only. What the guards took out is kept with the
    interview (``interview.removed``). The source is not touched; the researcher decides
    what to do with it. ``people``: how many take part, interviewer included (kept with
    the interview; 2, an individual interview, unless told: `audio.voices.find_voices`
    then finds one voice or two). The project's journal (`store.Project.operation`) undoes a
    half-done import at once on an error, or at the next open after a crash, and says so.

    Raises:
        AudioError: the file cannot be read (nothing was written).
        TranscriptionError: the model is missing or failed.
        ValueError: ``people`` is not None or a whole number 1 … 8 (nothing was written).
    """
    from audio.engines import get_engine
    from audio.files import load_audio
    from audio.samples import to_mono
    from audio.transcribe import transcribe_audio
    from audio.voices import check_people
    from guide.tagging import tag_transcript
    from store.askings import vouched_askings

    people = check_people(people)
    path = Path(audio_path)
    if not (path.is_file() or path.is_dir()):
        raise AudioError.said(NO_AUDIO_FILE, path=path)
    report = on_progress or _no_progress
    # refused here, before the project is touched; read once, for the transcription
    # (mono) and the voices (one person per microphone is told apart by level)
    audio = load_audio(path, keep_channels=True)
    eng = get_engine(engine, model)
    language = language or guide.language
    with project.operation("import", participant=participant):
        guide_hash = project.add_guide(guide)
        iid = project.new_interview(participant, guide_hash, language, people).id
        # the interview's length is the recording's, not the end of its last word
        project.set_recording_info(iid, duration=round(len(audio) / 16000, 3))
        removed: list[engine_types.Removal] = []
        segments, info = transcribe_audio(
            eng,
            to_mono(audio),
            language=language,
            on_progress=lambda frac, eta: report("transcribing", frac, eta),
            cancel=cancel,
            removed=removed,
        )
        report("transcribing", 1.0, 0.0)
        project.set_transcript(iid, to_transcript_segments(segments))  # saved at once
        project.set_removed(iid, to_removed(removed))
        report("tagging", 0.0, None)
        # a two-channel file keeps its channels here
        voices = find_voices_or_none(audio, people)
        transcript = to_transcript_segments(segments, voices)
        project.set_transcript(iid, transcript)
        # tagged with how this interviewer asked in the project's earlier interviews
        passages = tag_transcript(
            guide,
            transcript,
            [],
            language=language or info.language,
            askings=vouched_askings(project, guide, exclude=iid),
        )
        project.set_passages(iid, passages)
        report("tagging", 1.0, 0.0)
        try:
            project.set_status(iid, STATUS_TRANSCRIBED)
        except (KvaleError, ValueError) as exc:
            log.warning("could not set status: %s", exc)
        return project.interview(iid)
