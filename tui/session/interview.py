"""One interview from the first key press to the deleted recording, headless.

`InterviewSession` is a plain object (no Textual) that the conduct screens, the CLI and
the tests drive alike. It owns the recorder, the live transcriber, the markers and the
clock. Every marker is saved to the project at once, so a crash loses nothing but the
audio still in the recorder's buffer (which `audio.recording.recover_recording`
salvages). Navigation through the guide is `QuestionNavigation`, the work after the
interview `AfterInterview`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from typing_extensions import Unpack

from guide.model import Guide
from guide.transcript import MarkerKind
from kvale_errors import KvaleError
from kvale_i18n import N_
from tui.session.navigation import QuestionNavigation
from tui.session.processing import STATUS_RECORDED, STATUS_RECORDING, AfterInterview

if TYPE_CHECKING:
    from audio import types as engine_types
    from audio.capture import AudioSource, Recorder, RecorderStatus
    from audio.engines import Engine
    from audio.follow import LiveSettings
    from audio.live import LiveTranscriber
    from store import Project
    from store.model import DeletionRecord

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class SessionOptions(TypedDict, total=False):
    """How a session transcribes and keeps time (see `InterviewSession`)."""

    engine: str
    model: str
    live: bool
    clock: Clock | None
    live_settings: LiveSettings | None


class InterviewSession(QuestionNavigation, AfterInterview):
    """One interview from the first key press to the deleted recording.

    Args:
        project: the open `store.Project`.
        interview_id: the interview's id in the project.
        guide: the guide the interview follows.
        language: Whisper language code (``en``, ``nb`` ...) or None to detect.
        engine: transcription engine (``auto``, ``faster-whisper``, ``openai-whisper``).
        model: model name or path.
        live: transcribe while the interview runs.
        clock: monotonic seconds, injected so tests and snapshots are deterministic. When
            none is given, the recording's own clock (`Recorder.elapsed`: samples recorded)
            is the timeline, so markers line up with the audio even when a `FileSource`
            plays faster than real time.
        live_settings: `audio.live.LiveSettings` for the live transcriber (optional).
    """

    def __init__(
        self,
        project: Project,
        interview_id: str,
        guide: Guide,
        *,
        language: str | None = None,
        engine: str = "auto",
        model: str = "base",
        live: bool = True,
        clock: Clock | None = None,
        live_settings: LiveSettings | None = None,
    ) -> None:
        self.project = project
        self._recorder_time = clock is None
        self.interview_id = interview_id
        self.guide = guide
        self.language = language
        self.engine = engine
        self.model = model
        self.live = live
        self.clock: Clock = clock or time.monotonic
        self.live_settings = live_settings
        self._init_navigation(guide)
        self.recorder: Recorder | None = None
        self.transcriber: LiveTranscriber | None = None
        self._loaded: Engine | None = None  # the engine, once this process needs one
        self.started = False
        self.stopped = False
        self.paused = False
        self._t0 = 0.0
        self._end = 0.0
        self._paused_total = 0.0
        self._paused_at: float | None = None
        self._offset = 0.0  # recording seconds before a resumed session's start
        self.resumed = False
        self.deletion: DeletionRecord | None = None  # once the recording is gone

    # --- construction ------------------------------------------------------------

    @classmethod
    def new(
        cls,
        project: Project,
        guide: Guide,
        participant: str,
        language: str | None,
        people: int | None = None,
        **kw: Unpack[SessionOptions],
    ) -> InterviewSession:
        """Store the guide, create the interview record, and return its session.
        ``people``: how many take part, interviewer included (kept with the interview;
        the voices are found with it, `audio.voices.find_voices`)."""
        guide_hash = project.add_guide(guide)
        interview = project.new_interview(participant, guide_hash, language, people)
        return cls(project, interview.id, guide, language=language, **kw)

    @classmethod
    def resume_interrupted(
        cls,
        project: Project,
        interview_id: str,
        guide: Guide | None = None,
        **kw: Unpack[SessionOptions],
    ) -> InterviewSession:
        """Reopen an interview that was cut off (quit or crash) where it was.

        The recording is recovered (`audio.recording.recover_recording`), the stored
        markers are replayed so coverage and the current question are as they were, and
        a new recording continues in the same folder.
        """
        from audio.recording import recover_recording

        interview = project.interview(interview_id)
        if guide is None:
            guide = project.guide(interview.guide_hash)
        session = cls(project, interview_id, guide, language=interview.language, **kw)
        recorded = 0.0
        for part in session.parts():
            try:
                recorded += float(recover_recording(part).duration)
            except KvaleError as exc:
                log.warning("recovering %s: %s", part, exc)
        for marker in interview.markers:
            session._replay(marker)
        session._offset = max([recorded, *(m.time for m in session.markers)])
        session.resumed = True
        return session

    @classmethod
    def reopen(
        cls, project: Project, interview_id: str, **kw: Unpack[SessionOptions]
    ) -> InterviewSession:
        """A stopped interview whose recording was kept: to transcribe it again, confirm
        it and delete the recording (the home screen's kept recordings). Nothing records."""
        interview = project.interview(interview_id)
        guide = project.guide(interview.guide_hash)
        session = cls(project, interview_id, guide, language=interview.language, **kw)
        for marker in interview.markers:
            session._replay(marker)
        session._offset = float(interview.duration or 0.0)
        session.started = session.stopped = True
        return session

    # --- recording ---------------------------------------------------------------

    @property
    def recording_dir(self) -> Path:
        """The interview's recording folder (all parts, deleted as a whole)."""
        return Path(self.project.recordings_dir(self.interview_id))

    def parts(self) -> list[Path]:
        """The recording's parts in time order: one per start (a resume adds a part)."""
        root = self.recording_dir
        if not root.is_dir():
            return []
        return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("part-"))

    @property
    def current_part(self) -> Path:
        parts = self.parts()
        return parts[-1] if parts else self.recording_dir / "part-01"

    def start(
        self,
        source: AudioSource | None = None,
        device: int | str | None = None,
        channels: int | None = None,
    ) -> None:
        """Start recording (``source``: an `audio.capture.FileSource` instead of the mic).

        ``channels``: 2 records one channel per microphone (one person each: who speaks
        is then found from the channels), 1 mono; None keeps what the recording's parts
        so far store (a resumed interview goes on as it began), mono for a new one.

        Raises:
            KvaleError: consent to audio recording is not stored for this participant.
            AudioError: the microphone cannot be opened (the sentence says what to do).
        """
        if self.started:
            return
        self._check_consent()
        from audio.capture import Recorder

        parts = self.parts()
        if channels is None:
            channels = stored_channels(parts[0]) if parts else 1
        folder = self.recording_dir / f"part-{len(parts) + 1:02d}"
        self.recorder = Recorder(
            folder, device=device, source=source, key=self.recording_key, channels=channels
        )
        self.recorder.start()
        self._t0 = self.clock()
        self.started = True
        self._set_status(STATUS_RECORDING)
        if self.live:
            self._start_live()

    def _start_live(self) -> None:
        try:
            from audio.live import LiveTranscriber

            key = self.recording_key
            reader = None
            if key is not None:  # the key goes to the child through its pipe, not the disk
                import functools

                from audio.recording import read_recording

                reader = functools.partial(read_recording, key=key)
            self.transcriber = LiveTranscriber(
                self.current_part,
                engine=self.engine,
                model=self.model,
                language=self.language,
                settings=self.live_settings,
                reader=reader,
            )
            self.transcriber.start()
        except KvaleError as exc:
            log.warning("live transcription not started: %s", exc)
            self.transcriber = None

    def _check_consent(self) -> None:
        participant = self.project.interview(self.interview_id).participant
        if not self.project.has_audio_consent(participant):
            raise KvaleError.said(
                N_(
                    "Participant {participant} has no recorded consent to audio recording. "
                    "Tick the consent boxes on the new-interview screen before recording."
                ),
                title=N_("Consent needed"),
                participant=participant,
            )

    def elapsed(self) -> float:
        """Seconds on the recording's timeline (pauses excluded)."""
        if not self.started:
            return self._offset
        if self._recorder_time and self.recorder is not None:
            return self._offset + float(self.recorder.elapsed)
        now = self._paused_at if self._paused_at is not None else self.clock()
        return self._offset + max(0.0, now - self._t0 - self._paused_total)

    def pause(self) -> None:
        if not self.started or self.paused or self.stopped or self.recorder is None:
            return
        self.recorder.pause()
        self._account_section()
        self._paused_at = self.clock()
        self.paused = True
        self._save(MarkerKind.PAUSE, self.current_id)

    def resume(self) -> None:
        if not self.paused or self.recorder is None:
            return
        self.recorder.resume()
        assert self._paused_at is not None
        self._paused_total += self.clock() - self._paused_at
        self._paused_at = None
        self.paused = False
        self._section_since = self.elapsed()
        self._save(MarkerKind.RESUME, self.current_id)

    def toggle_pause(self) -> None:
        if self.paused:
            self.resume()
        else:
            self.pause()

    def status(self) -> RecorderStatus | None:
        """The recorder's status (level, warnings, minutes left), or None before start."""
        if self.recorder is None:
            return None
        return self.recorder.status()

    def live_segments(self) -> list[engine_types.Segment]:
        """Segments the live transcriber has produced so far (empty if it is off)."""
        if self.transcriber is None:
            return []
        try:
            return self.transcriber.segments_so_far()
        except KvaleError as exc:
            log.warning("live transcription stopped: %s", exc)
            self.transcriber = None
            return []

    def live_provisional(self) -> list[engine_types.Segment]:
        """Provisional text of the newest audio (shown in the tail, never kept)."""
        if self.transcriber is None:
            return []
        provisional = getattr(self.transcriber, "provisional", None)
        return list(provisional()) if provisional is not None else []

    def stop(self) -> None:
        """Stop recording; the files stay until `confirm_and_delete`."""
        if not self.started or self.stopped or self.recorder is None:
            return
        if self.paused:
            self._paused_total += self.clock() - (self._paused_at or self.clock())
            self._paused_at = None
            self.paused = False
        self._account_section()
        self._end = self.elapsed()
        self.recorder.stop()
        self.stopped = True
        self._set_status(STATUS_RECORDED)
        self.project.set_recording_info(
            self.interview_id, duration=round(self._end, 3), samplerate=16000
        )

    def close(self) -> None:
        """Release the recorder and the live transcriber (on quit); files stay."""
        if self.recorder is not None and not self.stopped:
            try:
                self.recorder.stop()
            except KvaleError as exc:
                log.warning("stopping the recorder: %s", exc)
        if self.transcriber is not None:
            self.transcriber.cancel()
            self.transcriber = None


def suggest_participant_code(existing: Sequence[str]) -> str:
    """The next free code I1, I2, … (no names needed)."""
    used = set(existing)
    n = 1
    while f"I{n}" in used:
        n += 1
    return f"I{n}"


def stored_channels(part: Path) -> int:
    """The channels a recording part stores; 1 when it holds nothing readable."""
    from audio.recording import recording_channels
    from kvale_errors import AudioError

    try:
        return recording_channels(part)
    except AudioError:
        return 1
