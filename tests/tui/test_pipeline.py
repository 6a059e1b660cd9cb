"""The headless interview session: markers, clock, coverage, section times (real store)."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

import pytest

from audio import types as engine_types
from audio.voices import Voices, VoiceTurn
from guide.bundled import load_bundled
from guide.transcript import MarkerKind, Speaker, TagSource
from kvale_errors import AudioError, KvaleError
from tui.session import (
    InterviewSession,
    find_voices_or_none,
    import_recording,
    suggest_participant_code,
    to_transcript_segments,
)


class FakeClock:
    """A hand-driven monotonic clock, so marker times are exact."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _session(project, clock: FakeClock, guide_name: str = "nav-trivsel-en") -> InterviewSession:  # type: ignore[no-untyped-def]
    import datetime as dt

    from tui.project_adapter import record_consent

    record_consent(project, "I1", takes_part=True, audio=True, date=dt.date(2023, 3, 13))
    guide = load_bundled(guide_name)
    return InterviewSession.new(project, guide, "I1", "en", live=False, clock=clock)


def _start(session: InterviewSession, short_interview: tuple[Path, Path]) -> None:
    from audio.capture import FileSource

    session.start(FileSource(short_interview[0], realtime=True))


def test_every_key_is_a_marker_saved_at_once_with_its_time(project, short_interview) -> None:  # type: ignore[no-untyped-def]
    from store import Project

    clock = FakeClock()
    s = _session(project, clock)
    _start(s, short_interview)
    try:
        clock.now += 5
        s.next()  # 1
        clock.now += 10
        s.next()  # 1.1
        clock.now += 3
        s.bookmark()
        s.note("sounded tired")
        clock.now += 4
        s.skip()  # skips 1.1, moves to 1.2
        clock.now += 2
        s.previous()  # back to 1.1: returned
        s.jump("2.2")
        # Saved at once: a fresh Project opened from disk sees them all now.
        again = Project.open(project.path).interview(s.interview_id)
        got = [(m.kind, m.question_id, m.time) for m in again.markers]
        assert got == [
            (MarkerKind.ASKED, "1", 5.0),
            (MarkerKind.ASKED, "1.1", 15.0),
            (MarkerKind.BOOKMARK, "1.1", 18.0),
            (MarkerKind.NOTE, "1.1", 18.0),
            (MarkerKind.SKIPPED, "1.1", 22.0),
            (MarkerKind.ASKED, "1.2", 22.0),
            (MarkerKind.RETURNED, "1.1", 24.0),
            (MarkerKind.ASKED, "2.2", 24.0),
        ]
        assert again.markers[3].text == "sounded tired"
        assert s.coverage["1.1"].asked and not s.coverage["1.3"].asked
    finally:
        s.close()


def test_pause_is_not_interview_time_and_sections_add_up(project, short_interview) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    s = _session(project, clock)
    _start(s, short_interview)
    try:
        s.next()  # section 1 at 0 s
        clock.now += 60
        s.pause()
        clock.now += 300  # five minutes of pause do not count
        s.resume()
        clock.now += 30
        s.jump("2")  # section 2 at 90 s
        clock.now += 15
        assert s.elapsed() == pytest.approx(105.0)
        assert s.section_time("1") == pytest.approx(90.0)
        assert s.section_time("2") == pytest.approx(15.0)
        kinds = [m.kind for m in s.markers]
        assert MarkerKind.PAUSE in kinds and MarkerKind.RESUME in kinds
    finally:
        s.close()


def test_probe_marks_the_next_unasked_probe(project, short_interview) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    s = _session(project, clock, "example-en")
    with_probes = next(q for q in s.questions if len(q.probes) >= 2)
    _start(s, short_interview)
    try:
        s.jump(with_probes.id)
        for probe in with_probes.probes:
            m = s.probe()
            assert m is not None and m.probe_id == probe.id
        assert s.probe() is None  # none left
    finally:
        s.close()


def test_jump_to_unknown_question_is_explained(project) -> None:  # type: ignore[no-untyped-def]
    s = _session(project, FakeClock())
    with pytest.raises(KvaleError, match=r"no question 9\.9"):
        s.jump("9.9")


def test_participant_codes_are_suggested_in_order() -> None:
    assert suggest_participant_code([]) == "I1"
    assert suggest_participant_code(["I1", "I2", "I4"]) == "I3"


def test_engine_segments_become_transcript_segments() -> None:
    seg = engine_types.Segment(
        id=0,
        start=1.0,
        end=2.0,
        text=" Hello there",
        words=(
            engine_types.Word(1.0, 1.4, " Hello", 0.9),
            engine_types.Word(1.5, 2.0, " there", 0.4),
        ),
    )
    (out,) = to_transcript_segments([seg])
    assert out.text == "Hello there"
    assert [(w.text, w.probability) for w in out.words] == [("Hello", 0.9), ("there", 0.4)]
    assert [w.voice for w in out.words] == [None, None]
    # with the recording's voices, each word carries the voice that spoke most of it
    voices = Voices((VoiceTurn(0.9, 1.45, 0), VoiceTurn(1.45, 2.2, 1)), count=2, separation=1.0)
    (out,) = to_transcript_segments([seg], voices)
    assert [w.voice for w in out.words] == [0, 1]
    # one voice found: no voices on the words
    (out,) = to_transcript_segments([seg], replace(voices, count=1))
    assert [w.voice for w in out.words] == [None, None]


def test_voices_that_cannot_be_found_cost_nothing(caplog) -> None:  # type: ignore[no-untyped-def]
    # whatever goes wrong in finding them (here: samples that are not numbers)
    with caplog.at_level(logging.WARNING):
        assert find_voices_or_none(["not", "audio"]) is None
    assert "tagging from the words alone" in caplog.text


def test_voices_of_two_channels(tmp_path: Path) -> None:
    """A recording with one person per channel (each hears the other 20 dB lower), as
    import_recording reads a two-channel file: the voices come from the channels."""
    import numpy as np

    from audio.files import load_audio

    fixtures = Path(__file__).parents[1] / "fixtures"
    first = load_audio(fixtures / "jfk.flac")
    second = np.concatenate([load_audio(fixtures / f"LJ001-000{k}.wav") for k in (1, 2)])
    gap = np.zeros(16_000, dtype=np.float32)
    left = np.concatenate([first, gap, np.zeros_like(second)])
    right = np.concatenate([np.zeros_like(first), gap, second])
    stereo = np.stack([left + 0.1 * right, right + 0.1 * left], axis=1)
    voices = find_voices_or_none(stereo)
    assert voices is not None and voices.channels
    assert voices.count == 2
    assert [t.voice for t in voices.turns] == [0, 1]
    assert abs(voices.turns[1].start - (len(first) + len(gap)) / 16_000) < 0.5


def test_import_of_a_missing_file_says_so(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    guide = load_bundled("nav-trivsel-en")
    with pytest.raises(AudioError, match="no audio file"):
        import_recording(project, tmp_path / "nope.wav", guide, "I9", "en")
    assert list(project.interviews()) == []


@pytest.mark.slow
def test_import_transcribes_and_tags_by_detection(project, short_interview) -> None:  # type: ignore[no-untyped-def]
    guide = load_bundled("nav-trivsel-en")
    stages: list[str] = []
    interview = import_recording(
        project,
        short_interview[0],
        guide,
        "I7",
        "en",
        model="tiny.en",
        on_progress=lambda stage, frac, eta: stages.append(stage),
    )
    assert "transcribing" in stages and "tagging" in stages
    text = " ".join(p.text for p in interview.passages).lower()
    assert "colleagues" in text
    # no markers: the tags come from hearing the questions asked
    sources = {p.primary.source for p in interview.passages if p.primary is not None}
    assert TagSource.DETECTED in sources and TagSource.MARKER not in sources
    (row,) = project.interviews()
    stored = project.interview(row.id)
    assert stored.id == interview.id
    assert stored.participant == "I7" and stored.passages and not stored.markers
    # the two voices were told apart in the audio: the words carry them, and the
    # interviewer's passages are the questions
    assert {w.voice for s in stored.segments for w in s.words} == {0, 1}

    def said(who: Speaker) -> str:
        return " ".join(p.text for p in stored.passages if p.speaker is who).lower()

    assert "how long have you worked" in said(Speaker.INTERVIEWER)
    assert "eight years" in said(Speaker.PARTICIPANT)
    assert "eight years" not in said(Speaker.INTERVIEWER)
    assert short_interview[0].exists()  # the researcher's file is not touched


def _recorded(project, audio: Path) -> InterviewSession:  # type: ignore[no-untyped-def]
    """A session (tiny.en, auto-delete on) that recorded ``audio`` and stopped."""
    from audio.capture import FileSource

    project.update_settings(auto_delete_after_transcription=True)
    s = _session(project, FakeClock())
    s.model = "tiny.en"
    s.start(FileSource(audio, realtime=False))
    while not s.recorder.finished:
        time.sleep(0.05)
    s.next()
    s.stop()
    return s


@pytest.mark.slow
def test_auto_delete_setting_deletes_after_transcription(project, short_interview) -> None:  # type: ignore[no-untyped-def]
    s = _recorded(project, short_interview[0])
    passages = s.process()
    assert passages
    assert s.deletion is not None and s.deletion.size > 0
    assert not any(p.is_file() for p in s.recording_dir.rglob("*"))
    assert [r.interview_id for r in project.deletion_records()] == [s.interview_id]


@pytest.mark.slow
def test_the_transcript_is_saved_before_the_steps_after_transcription(  # type: ignore[no-untyped-def]
    project, short_interview, monkeypatch
) -> None:
    # the process dies (simulated: an exception nothing catches) while the transcript
    # is tagged: the transcript is already saved and the recording kept

    def killed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise SystemExit("killed")

    monkeypatch.setattr("guide.tagging.tag_transcript", killed)
    s = _recorded(project, short_interview[0])
    with pytest.raises(SystemExit):
        s.process()
    stored = project.interview(s.interview_id)
    assert "eight years" in " ".join(seg.text for seg in stored.segments).lower()
    assert any(p.is_file() for p in s.recording_dir.rglob("*"))  # can be processed again
