"""After the interview: transcribe what the live transcriber has not, keep what the
guards took out, find the voices, tag, and delete the recording once confirmed.

`AfterInterview` is the part of `tui.session.InterviewSession` that runs after `stop`.
Audio is float32 at 16 kHz throughout; times are seconds on the interview's timeline.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from audio import types as engine_types
from guide.model import Guide
from guide.transcript import Marker, Passage, Removed
from kvale_errors import KvaleError
from tui.session.convert import find_voices_or_none, to_removed, to_transcript_segments

if TYPE_CHECKING:
    from audio.engines import Engine
    from audio.live import LiveTranscriber
    from audio.voices import Voices
    from store import Project
    from store.model import DeletionRecord

log = logging.getLogger(__name__)

Samples = npt.NDArray[np.float32]
ProgressCallback = Callable[[str, float, float | None], None]
"""``on_progress(stage, fraction 0..1, eta seconds or None)``; stage is
``"transcribing"`` or ``"tagging"``."""

# Interview statuses written to the store.
STATUS_RECORDING = "recording"
STATUS_RECORDED = "recorded"
STATUS_PROCESSING = "processing"
STATUS_TRANSCRIBED = "transcribed"
STATUS_CONFIRMED = "confirmed"


def _no_progress(stage: str, fraction: float, eta: float | None) -> None:
    """A progress callback that shows nothing."""


class AfterInterview:
    """Processing, restoring removals and deleting the recording of one interview."""

    project: Project
    interview_id: str
    guide: Guide
    language: str | None
    engine: str
    model: str
    markers: list[Marker]
    transcriber: LiveTranscriber | None
    resumed: bool
    deletion: DeletionRecord | None
    _loaded: Engine | None

    def parts(self) -> list[Path]:
        """The recording's parts in time order (the session defines it)."""
        raise NotImplementedError

    @property
    def recording_key(self) -> bytes | None:
        """The key sealing this interview's audio (None: a project without encryption).

        Kept by the store wrapped in the recording folder, handed to the recorder and the
        readers here (audio/ cannot import store); deleting the recording destroys it.
        """
        return self.project.recording_key(self.interview_id)

    def elapsed(self) -> float:
        """Seconds on the recording's timeline (the session defines it)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the recorder and the live transcriber (the session defines it)."""
        raise NotImplementedError

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
        report = on_progress or _no_progress
        self._set_status(STATUS_PROCESSING)
        from audio.samples import to_mono

        recorded = self._read_audio()
        audio = to_mono(recorded)  # a two-channel recording is heard as one for the words
        # the voices are found while the rest is transcribed (no wait after stop for them)
        found: list[Voices | None] = []

        people = self._people()

        def find() -> None:
            # one microphone per person: the channels say who speaks
            found.append(find_voices_or_none(recorded, people))

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
            self.guide,
            transcript,
            list(self.markers),
            language=self.language,
            askings=self._askings(),
        )
        self.project.set_passages(self.interview_id, passages)
        report("tagging", 1.0, 0.0)
        self._set_status(STATUS_TRANSCRIBED)
        if self._auto_delete():
            self.confirm_and_delete()
        return passages

    def _people(self) -> int | None:
        """How many take part, as the researcher said on the new-interview form (None:
        an interview made before kvale asked, or one that cannot be read here)."""
        try:
            return self.project.interview(self.interview_id).people
        except (KvaleError, KeyError, ValueError) as exc:
            log.warning("could not read how many take part (%s); the voices decide", exc)
            return None

    def _transcribe_rest(
        self,
        report: ProgressCallback,
        cancel: threading.Event | None,
        audio: Samples,
        removed: list[engine_types.Removal],
    ) -> list[engine_types.Segment]:
        """The whole recording's segments; ``audio`` is all of it (float32, 16 kHz).
        What the guards take out is appended to ``removed``."""
        if self.transcriber is not None and self.resumed:
            # The live transcriber heard only the part after the resume: do it all again.
            self.transcriber.cancel()
            self.transcriber = None
        if self.transcriber is not None:
            return self._finish_live(self.transcriber, report, cancel, audio, removed)
        from audio.transcribe import transcribe_audio

        duration = len(audio) / 16_000
        rtf = self._measured_rtf()

        def progress(frac: float, eta: float | None) -> None:
            if eta is None and rtf is not None:  # no segment yet: the speed measured here
                eta = (1.0 - frac) * duration * rtf
            report("transcribing", frac, eta)

        report("transcribing", 0.0, duration * rtf if rtf is not None else None)
        out, _info = transcribe_audio(
            self._engine(),
            audio,
            language=self.language,
            on_progress=progress,
            cancel=cancel,
            removed=removed,
        )
        report("transcribing", 1.0, 0.0)
        return out

    def _finish_live(
        self,
        transcriber: LiveTranscriber,
        report: ProgressCallback,
        cancel: threading.Event | None,
        audio: Samples,
        removed: list[engine_types.Removal],
    ) -> list[engine_types.Segment]:
        """Let the live transcriber finish the recording, then guard and fill its gaps."""
        from audio.gaps import fill_gaps
        from audio.guards import guard_segments
        from audio.speech import speech_spans

        total = max(self.elapsed(), 1e-6)
        rtf = self._measured_rtf()
        left = total - transcriber.progress
        report("transcribing", 0.0, left * rtf if rtf is not None else None)
        done = threading.Event()
        result: list[engine_types.Segment] = []
        errors: list[BaseException] = []

        def finish() -> None:
            try:
                result.extend(transcriber.finish())
            except BaseException as exc:  # handed to the caller below
                errors.append(exc)
            finally:
                done.set()

        started = time.monotonic()
        first = transcriber.progress
        threading.Thread(target=finish, daemon=True, name="kvale-finish").start()
        while not done.wait(0.25):
            if cancel is not None and cancel.is_set():
                transcriber.cancel()
                break
            got = transcriber.progress
            frac = min(1.0, got / total)
            rate = (got - first) / max(time.monotonic() - started, 1e-6)
            eta = (total - got) / rate if rate > 0 else None
            if eta is None and rtf is not None:  # nothing finished yet: the speed measured here
                eta = (total - got) * rtf
            report("transcribing", frac, eta)
        done.wait(5)
        if errors:
            raise errors[0]
        spans = speech_spans(audio)  # the batch path finds them itself
        kept = list(guard_segments(result, spans=spans, removed=removed))
        if not (cancel is not None and cancel.is_set()):
            # speech no segment covers is transcribed again (`audio.gaps`): no answer lost
            kept = fill_gaps(
                self._engine,
                audio,
                kept,
                language=self.language,
                cancel=cancel,
                spans=spans,
                removed=removed,
            )
        report("transcribing", 1.0, 0.0)
        return kept

    def _measured_rtf(self) -> float | None:
        """The model's real-time factor measured on this machine (`audio.calibrate`), if it
        was: the ETA before the first transcribed stretch gives a rate of its own."""
        from audio.calibrate import cached_speed
        from audio.models import resolve_model

        try:
            found = resolve_model(self.model, "auto")
        except KvaleError:
            return None
        speed = cached_speed(self.model, found.size_bytes)
        return speed.rtf if speed is not None else None

    def _engine(self) -> Engine:
        """The engine for the transcription in this process, loaded once (seconds)."""
        if self._loaded is None:
            from audio.engines import get_engine

            self._loaded = get_engine(self.engine, self.model)
        return self._loaded

    def _read_audio(self) -> Samples:
        """The whole recording, all parts joined, as float32 at 16 kHz: (frames,), or
        (frames, 2) when every part has two channels (one microphone per person)."""
        from audio.recording import read_recording
        from audio.samples import to_mono

        key = self.recording_key
        parts = [read_recording(p, 0.0, None, key=key, keep_channels=True) for p in self.parts()]
        if len({p.shape[1:] for p in parts}) > 1:  # parts recorded differently: mono
            parts = [to_mono(p) for p in parts]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)

    def read_span(self, start: float, end: float) -> Samples:
        """Samples [start, end) of the interview's timeline (across parts), float32 16 kHz."""
        from audio.recording import read_recording, recording_info

        out = []
        offset = 0.0
        key = self.recording_key
        for part in self.parts():
            length = float(recording_info(part).duration)
            if start < offset + length and end > offset:
                a, b = max(0.0, start - offset), min(length, end - offset)
                out.append(read_recording(part, a, b, key=key))
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
            askings=self._askings(),
        )
        self.project.set_passages(self.interview_id, passages)
        return passages

    def _askings(self) -> list[tuple[str, str]]:
        """How this interviewer asked in the project's other interviews on this guide
        (`store.askings`), for the tagger."""
        from store.askings import vouched_askings

        return vouched_askings(self.project, self.guide, exclude=self.interview_id)

    def _auto_delete(self) -> bool:
        return bool(self.project.settings.auto_delete_after_transcription)

    def confirm_and_delete(self) -> DeletionRecord:
        """The researcher checked the transcript: delete the recording (its key first, in an
        encrypted project: `store.lifecycle.deletion_guarantee` says what is guaranteed).

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
