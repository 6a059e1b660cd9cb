"""The interview pipeline, headless: record, mark, transcribe, tag, confirm, delete.

`InterviewSession` is a plain object (no Textual) that the conduct screens, the CLI and
the tests drive alike. It owns the recorder, the live transcriber, the markers and the
clock. Every marker is saved to the project at once, so a crash loses nothing but the
audio still in the recorder's buffer (which `audio.capture.recover_recording` salvages).

The recorder, live transcriber and tagger are the other packages' objects
(`audio.capture.Recorder`, `audio.live.LiveTranscriber`, `guide.tagging.tag_transcript`);
they are imported lazily so that `import tui.pipeline` stays cheap.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audio import types as engine_types
from guide.model import Guide, Question
from guide.transcript import Marker, MarkerKind, Passage, Removed, Segment, Word
from kvale_errors import AudioError, KvaleError

if TYPE_CHECKING:
    from audio.voices import Voices

log = logging.getLogger(__name__)

Clock = Callable[[], float]
ProgressCallback = Callable[[str, float, float | None], None]
"""``on_progress(stage, fraction 0..1, eta seconds or None)``; stage is
``"transcribing"`` or ``"tagging"``."""

# Interview statuses written to the store.
STATUS_RECORDING = "recording"
STATUS_RECORDED = "recorded"
STATUS_PROCESSING = "processing"
STATUS_TRANSCRIBED = "transcribed"
STATUS_CONFIRMED = "confirmed"


@dataclass
class Coverage:
    """What happened to one question during the interview."""

    asked: bool = False
    skipped: bool = False
    probes: set[str] = field(default_factory=set)


def to_transcript_segments(
    segments: Sequence[engine_types.Segment], voices: Voices | None = None
) -> list[Segment]:
    """Convert an engine's segments to the plain transcript type tagging and the store use.

    With ``voices`` (`audio.voices`, found in the same recording), each word carries the
    voice that spoke most of it.
    """
    from audio.voices import voice_of

    out: list[Segment] = []
    for seg in segments:
        words = tuple(
            Word(
                start=w.start,
                end=w.end,
                text=w.word.strip(),
                probability=w.probability,
                voice=voice_of(voices, w.start, w.end) if voices is not None else None,
            )
            for w in seg.words
        )
        out.append(Segment(start=seg.start, end=seg.end, text=seg.text.strip(), words=words))
    return out


def to_removed(removals: Sequence[engine_types.Removal]) -> list[Removed]:
    """The guards' removals (`audio.types.Removal`) as the store keeps them."""
    return [
        Removed(
            start=r.start,
            end=r.end,
            text=r.text,
            reason=r.reason,
            words=tuple(Word(w.start, w.end, w.word.strip(), w.probability) for w in r.words),
        )
        for r in removals
    ]


def find_voices_or_none(audio: Any) -> Voices | None:
    """The voices of a recording (`audio.voices`; ``audio`` float32 at 16 kHz, mono or
    (frames, 2) with one person per channel), or None when there are fewer than two or
    finding them fails.

    The voices only help the tagger; a failure here must never cost the transcript, so
    it is logged and tagging goes on from the words alone.
    """
    from audio.voices import find_voices

    try:
        voices = find_voices(audio)
    except Exception as exc:  # any failure: tag from the words alone
        log.warning("could not tell the voices apart (%s); tagging from the words alone", exc)
        return None
    log.info("voices: %d found, separation %.1f", voices.count, voices.separation)
    return voices if voices.two else None


class InterviewSession:
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
        project: Any,
        interview_id: str,
        guide: Guide,
        *,
        language: str | None = None,
        engine: str = "auto",
        model: str = "base",
        live: bool = True,
        clock: Clock | None = None,
        live_settings: Any = None,
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
        self.questions: list[Question] = list(guide.questions())
        self.index = -1  # -1: the intro script is on screen
        self.coverage: dict[str, Coverage] = {q.id: Coverage() for q in self.questions}
        self.section_seconds: dict[str, float] = {s.id: 0.0 for s in guide.sections}
        self.markers: list[Marker] = []
        self.recorder: Any = None
        self.transcriber: Any = None
        self._loaded: Any = None  # the engine, once this process needs one
        self.started = False
        self.stopped = False
        self.paused = False
        self._t0 = 0.0
        self._paused_total = 0.0
        self._paused_at: float | None = None
        self._section_since: float | None = None
        self._lock = threading.Lock()
        self._offset = 0.0  # recording seconds before a resumed session's start
        self.resumed = False
        self.deletion: Any = None  # the DeletionRecord once the recording is gone

    # --- construction ------------------------------------------------------------

    @classmethod
    def new(
        cls,
        project: Any,
        guide: Guide,
        participant: str,
        language: str | None,
        **kw: Any,
    ) -> InterviewSession:
        """Store the guide, create the interview record, and return its session."""
        guide_hash = project.add_guide(guide)
        interview = project.new_interview(participant, guide_hash, language)
        return cls(project, _interview_id(interview), guide, language=language, **kw)

    @classmethod
    def resume_interrupted(
        cls, project: Any, interview_id: str, guide: Guide | None = None, **kw: Any
    ) -> InterviewSession:
        """Reopen an interview that was cut off (quit or crash) where it was.

        The recording is recovered (`audio.capture.recover_recording`), the stored markers
        are replayed so coverage and the current question are as they were, and a new
        recording continues in the same folder.
        """
        interview = project.interview(interview_id)
        if guide is None:
            guide = project.guide(_attr(interview, "guide_hash"))
        language = kw.pop("language", _attr(interview, "language", None))
        session = cls(project, interview_id, guide, language=language, **kw)
        recorded = 0.0
        for part in session.parts():
            try:
                from audio.capture import recover_recording

                recorded += float(recover_recording(part).duration)
            except KvaleError as exc:
                log.warning("recovering %s: %s", part, exc)
        for marker in _attr(interview, "markers", ()) or ():
            session._replay(marker)
        session._offset = max([recorded, *(m.time for m in session.markers)])
        session.resumed = True
        return session

    @classmethod
    def reopen(cls, project: Any, interview_id: str, **kw: Any) -> InterviewSession:
        """A stopped interview whose recording was kept: to transcribe it again, confirm
        it and delete the recording (the home screen's kept recordings). Nothing records."""
        interview = project.interview(interview_id)
        guide = project.guide(_attr(interview, "guide_hash"))
        language = kw.pop("language", _attr(interview, "language", None))
        session = cls(project, interview_id, guide, language=language, **kw)
        for marker in _attr(interview, "markers", ()) or ():
            session._replay(marker)
        session._offset = float(_attr(interview, "duration", 0.0) or 0.0)
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

    def start(self, source: Any = None, device: Any = None) -> None:
        """Start recording (``source``: an `audio.capture.FileSource` instead of the mic).

        Raises:
            KvaleError: consent to audio recording is not stored for this participant.
            AudioError: the microphone cannot be opened (the sentence says what to do).
        """
        if self.started:
            return
        self._check_consent()
        from audio.capture import Recorder

        folder = self.recording_dir / f"part-{len(self.parts()) + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        self.recorder = Recorder(folder, device=device, source=source)
        self.recorder.start()
        self._t0 = self.clock()
        self.started = True
        self._set_status(STATUS_RECORDING)
        if self.live:
            self._start_live()

    def _start_live(self) -> None:
        try:
            from audio.live import LiveTranscriber

            self.transcriber = LiveTranscriber(
                self.current_part,
                engine=self.engine,
                model=self.model,
                language=self.language,
                settings=self.live_settings,
            )
            self.transcriber.start()
        except KvaleError as exc:
            log.warning("live transcription not started: %s", exc)
            self.transcriber = None

    def _check_consent(self) -> None:
        check = getattr(self.project, "has_audio_consent", None)
        interview = self._interview()
        participant = _attr(interview, "participant", None)
        if check is not None and participant is not None and not check(participant):
            raise KvaleError(
                f"Participant {participant} has no recorded consent to audio recording. "
                "Tick the consent boxes on the new-interview screen before recording.",
                title="Consent needed",
            )

    def _interview(self) -> Any:
        getter = getattr(self.project, "interview", None)
        return getter(self.interview_id) if getter else None

    def elapsed(self) -> float:
        """Seconds on the recording's timeline (pauses excluded)."""
        if not self.started:
            return self._offset
        if self._recorder_time and self.recorder is not None:
            return self._offset + float(self.recorder.elapsed)
        now = self._paused_at if self._paused_at is not None else self.clock()
        return self._offset + max(0.0, now - self._t0 - self._paused_total)

    def pause(self) -> None:
        if not self.started or self.paused or self.stopped:
            return
        self.recorder.pause()
        self._account_section()
        self._paused_at = self.clock()
        self.paused = True
        self._save(MarkerKind.PAUSE, self.current_id)

    def resume(self) -> None:
        if not self.paused:
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

    def status(self) -> Any:
        """The recorder's status (level, warnings, minutes left), or None before start."""
        if self.recorder is None:
            return None
        return self.recorder.status()

    def live_segments(self) -> list[engine_types.Segment]:
        """Segments the live transcriber has produced so far (empty if it is off)."""
        if self.transcriber is None:
            return []
        try:
            segments: list[engine_types.Segment] = self.transcriber.segments_so_far()
        except KvaleError as exc:
            log.warning("live transcription stopped: %s", exc)
            self.transcriber = None
            return []
        return segments

    def stop(self) -> None:
        """Stop recording; the files stay until `confirm_and_delete`."""
        if not self.started or self.stopped:
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
        setter = getattr(self.project, "set_recording_info", None)
        if setter is not None:
            setter(self.interview_id, duration=round(self._end, 3), samplerate=16000)

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

    # --- navigation and markers ------------------------------------------------------

    @property
    def current(self) -> Question | None:
        return self.questions[self.index] if 0 <= self.index < len(self.questions) else None

    @property
    def current_id(self) -> str | None:
        q = self.current
        return q.id if q else None

    def next(self) -> Marker | None:
        """Go to the next question (marked as asked)."""
        if self.index + 1 >= len(self.questions):
            return None
        return self.jump(self.questions[self.index + 1].id)

    def previous(self) -> Marker | None:
        """Go back to the previous question (marked as returned)."""
        if self.index <= 0:
            return None
        return self.jump(self.questions[self.index - 1].id)

    def jump(self, question_id: str) -> Marker:
        """Go to any question; asked the first time, returned after that."""
        idx = next((i for i, q in enumerate(self.questions) if q.id == question_id), None)
        if idx is None:
            raise KvaleError(f"The guide has no question {question_id}.")
        kind = MarkerKind.RETURNED if self.coverage[question_id].asked else MarkerKind.ASKED
        return self.mark(kind, question_id)

    def skip(self) -> Marker | None:
        """Mark the current question skipped and move on."""
        qid = self.current_id
        if qid is None:
            return self.next()
        marker = self.mark(MarkerKind.SKIPPED, qid)
        self.next()
        return marker

    def probe(self, probe_id: str | None = None) -> Marker | None:
        """Mark a probe of the current question asked (the first one not yet asked)."""
        q = self.current
        if q is None or not q.probes:
            return None
        if probe_id is None:
            left = [p.id for p in q.probes if p.id not in self.coverage[q.id].probes]
            if not left:
                return None
            probe_id = left[0]
        return self.mark(MarkerKind.PROBE, q.id, probe_id)

    def note(self, text: str) -> Marker:
        return self.mark(MarkerKind.NOTE, self.current_id, text=text)

    def bookmark(self) -> Marker:
        return self.mark(MarkerKind.BOOKMARK, self.current_id)

    def mark(
        self,
        kind: MarkerKind | str,
        question_id: str | None,
        probe_id: str | None = None,
        text: str = "",
    ) -> Marker:
        """Record what the interviewer did, at the current recording time; saved at once."""
        return self._save(MarkerKind(kind), question_id, probe_id, text)

    def _save(
        self,
        kind: MarkerKind,
        question_id: str | None,
        probe_id: str | None = None,
        text: str = "",
    ) -> Marker:
        with self._lock:
            marker = Marker(
                time=round(self.elapsed(), 3),
                kind=kind,
                question_id=question_id,
                probe_id=probe_id,
                text=text,
                wall_time=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            self.project.add_marker(self.interview_id, marker)
            self._replay(marker)
            return marker

    def _replay(self, marker: Marker) -> None:
        """Apply a marker to the in-memory state (also used when resuming)."""
        self.markers.append(marker)
        qid = marker.question_id
        if marker.kind in (MarkerKind.ASKED, MarkerKind.RETURNED) and qid in self.coverage:
            self._account_section(at=marker.time)
            self.index = next(i for i, q in enumerate(self.questions) if q.id == qid)
            self.coverage[qid].asked = True
            self.coverage[qid].skipped = False
            self._section_since = marker.time
        elif marker.kind is MarkerKind.SKIPPED and qid in self.coverage:
            if not self.coverage[qid].asked or qid == self.current_id:
                self.coverage[qid].skipped = True
        elif marker.kind is MarkerKind.PROBE and qid in self.coverage and marker.probe_id:
            self.coverage[qid].probes.add(marker.probe_id)

    def _account_section(self, at: float | None = None) -> None:
        q = self.current
        if q is None or self._section_since is None:
            return
        now = self.elapsed() if at is None else at
        self.section_seconds[q.section_id] += max(0.0, now - self._section_since)
        self._section_since = None if at is None else now

    def section_time(self, section_id: str) -> float:
        """Seconds spent in a section so far, including the running stretch."""
        spent = self.section_seconds.get(section_id, 0.0)
        q = self.current
        if q is not None and q.section_id == section_id and self._section_since is not None:
            spent += max(0.0, self.elapsed() - self._section_since)
        return spent

    # --- after the interview ------------------------------------------------------

    def process(
        self,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Passage]:
        """Transcribe what is left, guard against hallucinations, tag, and save.

        Raises:
            TranscriptionError: the model is missing or transcription failed; the recording
                is kept so it can be transcribed again.
        """
        report = on_progress or (lambda stage, frac, eta: None)
        self._set_status(STATUS_PROCESSING)
        audio = self._read_audio()
        # the voices are found while the rest is transcribed (no wait after stop for them)
        found: list[Voices | None] = []

        def find() -> None:
            found.append(find_voices_or_none(audio))

        finder = threading.Thread(target=find, daemon=True, name="kvale-voices")
        finder.start()
        removed: list[engine_types.Removal] = []
        segments = self._transcribe_rest(report, cancel, audio, removed)
        # saved at once: what follows must not put the transcript at risk
        self.project.set_transcript(self.interview_id, to_transcript_segments(segments))
        self.project.set_removed(self.interview_id, to_removed(removed))
        report("tagging", 0.0, None)
        finder.join()
        voices = found[0] if found else None
        transcript = to_transcript_segments(segments, voices)
        self.project.set_transcript(self.interview_id, transcript)
        from guide.tagging import tag_transcript

        passages = tag_transcript(
            self.guide, transcript, list(self.markers), language=self.language
        )
        self.project.set_passages(self.interview_id, passages)
        report("tagging", 1.0, 0.0)
        self._set_status(STATUS_TRANSCRIBED)
        if self._auto_delete():
            self.confirm_and_delete()
        return passages

    def _transcribe_rest(
        self,
        report: ProgressCallback,
        cancel: threading.Event | None,
        audio: Any,
        removed: list[engine_types.Removal],
    ) -> list[engine_types.Segment]:
        """The whole recording's segments; ``audio`` is all of it (float32, 16 kHz).
        What the guards take out is appended to ``removed``."""
        from audio.guards import guard_segments
        from audio.speech import speech_spans

        if self.transcriber is not None and self.resumed:
            # The live transcriber heard only the part after the resume: do it all again.
            self.transcriber.cancel()
            self.transcriber = None
        if self.transcriber is not None:
            report("transcribing", 0.0, None)
            total = max(self.elapsed(), 1e-6)
            done = threading.Event()
            result: list[engine_types.Segment] = []
            errors: list[BaseException] = []

            def finish() -> None:
                try:
                    result.extend(self.transcriber.finish())
                except BaseException as exc:  # handed to the caller below
                    errors.append(exc)
                finally:
                    done.set()

            started = time.monotonic()
            first = self.transcriber.progress
            threading.Thread(target=finish, daemon=True, name="kvale-finish").start()
            while not done.wait(0.25):
                if cancel is not None and cancel.is_set():
                    self.transcriber.cancel()
                    break
                got = self.transcriber.progress
                frac = min(1.0, got / total)
                rate = (got - first) / max(time.monotonic() - started, 1e-6)
                eta = (total - got) / rate if rate > 0 else None
                report("transcribing", frac, eta)
            done.wait(5)
            if errors:
                raise errors[0]
            spans = speech_spans(audio)  # the batch path below finds them itself
            kept = list(guard_segments(result, spans=spans, removed=removed))
            if not (cancel is not None and cancel.is_set()):
                kept = self._fill_gaps(audio, kept, cancel, spans, removed)
            report("transcribing", 1.0, 0.0)
            return kept
        from audio.transcribe import transcribe_audio

        out, _info = transcribe_audio(
            self._engine(),
            audio,
            language=self.language,
            on_progress=lambda frac, eta: report("transcribing", frac, eta),
            cancel=cancel,
            removed=removed,
        )
        report("transcribing", 1.0, 0.0)
        return out

    def _engine(self) -> Any:
        """The engine for the transcription in this process, loaded once (seconds)."""
        if self._loaded is None:
            from audio.engines import get_engine

            self._loaded = get_engine(self.engine, self.model)
        return self._loaded

    def _fill_gaps(
        self,
        audio: Any,
        segments: list[engine_types.Segment],
        cancel: threading.Event | None,
        spans: list[tuple[float, float]],
        removed: list[engine_types.Removal],
    ) -> list[engine_types.Segment]:
        """Transcribe again any speech no segment covers (`audio.gaps`): no answer lost."""
        from audio.gaps import fill_gaps

        return fill_gaps(
            self._engine,
            audio,
            segments,
            language=self.language,
            cancel=cancel,
            spans=spans,
            removed=removed,
        )

    def _read_audio(self) -> Any:
        """The whole recording, all parts joined, as float32 at 16 kHz."""
        import numpy as np

        from audio.capture import read_recording

        parts = [read_recording(p, 0.0, None) for p in self.parts()]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)

    def read_span(self, start: float, end: float) -> Any:
        """Samples [start, end) of the interview's timeline (across parts), float32 16 kHz."""
        import numpy as np

        from audio.capture import read_recording
        from audio.recording import recording_info

        out = []
        offset = 0.0
        for part in self.parts():
            length = float(recording_info(part).duration)
            if start < offset + length and end > offset:
                out.append(
                    read_recording(part, max(0.0, start - offset), min(length, end - offset))
                )
            offset += length
        return np.concatenate(out) if out else np.zeros(0, np.float32)

    def removed(self) -> list[Removed]:
        """What the guards took out of this interview's transcript (restorable)."""
        return list(self.project.interview(self.interview_id).removed)

    def restore(self, index: int) -> list[Passage]:
        """Put the removal at ``index`` back into the transcript and tag it again (manual
        tags carry over); returns the new passages, saved."""
        from guide.tagging import tag_transcript

        self.project.restore_removed(self.interview_id, index)
        interview = self.project.interview(self.interview_id)
        passages = tag_transcript(
            self.guide,
            interview.segments,
            list(self.markers),
            language=self.language,
            previous=interview.passages,
        )
        self.project.set_passages(self.interview_id, passages)
        return passages

    def _auto_delete(self) -> bool:
        return bool(self.project.settings.auto_delete_after_transcription)

    def confirm_and_delete(self) -> Any:
        """The researcher checked the transcript: delete every byte of the recording.

        Returns:
            The `store.lifecycle.DeletionRecord` (what, when, size, hash; no content).
        """
        from store import lifecycle

        self.close()
        self._set_status(STATUS_CONFIRMED)
        self.deletion = lifecycle.delete_recording(self.project, self.interview_id)
        return self.deletion

    def _set_status(self, status: str) -> None:
        try:
            self.project.set_status(self.interview_id, status)
        except (KvaleError, ValueError) as exc:
            log.warning("could not set status %s: %s", status, exc)


# --- helpers -----------------------------------------------------------------------


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _interview_id(interview: Any) -> str:
    value = _attr(interview, "id")
    if value is None:
        raise KvaleError("The project did not give the new interview an id.")
    return str(value)


def suggest_participant_code(existing: Sequence[str]) -> str:
    """The next free code I1, I2, … (no names needed)."""
    used = set(existing)
    n = 1
    while f"I{n}" in used:
        n += 1
    return f"I{n}"


def import_recording(
    project: Any,
    audio_path: Path | str,
    guide: Guide,
    participant: str,
    language: str | None,
    **kw: Any,
) -> Any:
    """Import a recording as one operation: a whole interview, or (killed, failed) nothing.

    See `_import_recording` for the arguments. The project's journal
    (`store.Project.operation`) undoes a half-done import at once on an error, or at
    the next open after a crash, and says so.
    """
    operation = getattr(project, "operation", None)
    if operation is None:  # a stand-in project without journal
        return _import_recording(project, audio_path, guide, participant, language, **kw)
    with operation("import", participant=participant):
        return _import_recording(project, audio_path, guide, participant, language, **kw)


def _import_recording(
    project: Any,
    audio_path: Path | str,
    guide: Guide,
    participant: str,
    language: str | None,
    *,
    engine: str = "auto",
    model: str = "base",
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Any:
    """Transcribe and tag a recording made elsewhere (`kvale import`); returns the interview.

    The file is decoded before anything is written to the project: a file kvale cannot
    read leaves the project as it was. A recording folder (one a killed `kvale record`
    left behind, too) is accepted like a file. The language is ``language``, else the
    guide's, else detected from the speech. There are no markers, so passages are tagged
    by question detection and content only. What the guards took out is kept with the
    interview (``interview.removed``). The source is not touched; the researcher decides
    what to do with it.

    Raises:
        AudioError: the file cannot be read (nothing was written).
        TranscriptionError: the model is missing or failed.
    """
    from audio.engines import get_engine
    from audio.files import load_audio, to_mono
    from audio.transcribe import transcribe_audio

    path = Path(audio_path)
    if not (path.is_file() or path.is_dir()):
        raise AudioError(f"There is no audio file at {path}. Check the path and try again.")
    report = on_progress or (lambda stage, frac, eta: None)
    # refused here, before the project is touched; read once, for the transcription
    # (mono) and the voices (one person per microphone is told apart by level)
    audio = load_audio(path, keep_channels=True)
    eng = get_engine(engine, model)
    language = language or guide.language
    guide_hash = project.add_guide(guide)
    interview = project.new_interview(participant, guide_hash, language)
    iid = _interview_id(interview)
    # the interview's length is the recording's, not the end of its last word
    setter = getattr(project, "set_recording_info", None)
    if setter is not None:
        setter(iid, duration=round(len(audio) / 16000, 3))
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
    voices = find_voices_or_none(audio)  # a two-channel file keeps its channels here
    transcript = to_transcript_segments(segments, voices)
    project.set_transcript(iid, transcript)
    from guide.tagging import tag_transcript

    passages = tag_transcript(guide, transcript, [], language=language or info.language)
    project.set_passages(iid, passages)
    report("tagging", 1.0, 0.0)
    try:
        project.set_status(iid, STATUS_TRANSCRIBED)
    except (KvaleError, ValueError) as exc:
        log.warning("could not set status: %s", exc)
    return project.interview(iid)
