"""The repository API, run the same way in memory and on disk (see conftest `backend`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from guide.transcript import Marker, MarkerKind
from kvale_errors import StoreError
from store import Consent, InterviewStatus, Project, ProjectSettings
from tests.store.store_helpers import passages_of, small_guide, transcript


def test_init_then_open_round_trips_settings(
    project: Project, reopen: Callable[..., Project]
) -> None:
    assert project.settings.name == "test"
    s = project.settings
    s.language = "nb"
    s.auto_delete_after_transcription = True
    s.end_date = dt.date(2099, 6, 30)
    s.redaction_names = ["Kari", "Per Olsen"]
    project.save_settings(s)
    again = reopen(project)
    assert again.settings == s
    assert again.update_settings(model="small").model == "small"
    assert reopen(project).settings.model == "small"
    with pytest.raises(StoreError, match="Unknown project setting"):
        again.update_settings(colour="red")


def test_init_refuses_an_existing_project(project: Project, backend: Callable[..., object]) -> None:
    with pytest.raises(StoreError, match="already a kvale project"):
        Project.init(project.path, backend=backend)  # type: ignore[arg-type]


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_text("mine")
    with pytest.raises(StoreError, match="not empty and is not a kvale project"):
        Project.init(tmp_path)
    assert (tmp_path / "thesis.docx").read_text() == "mine"
    assert not (tmp_path / "kvale-project.json").exists()


def test_open_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(
        StoreError, match=r"has no kvale project\. Create one with `kvale init DIR`"
    ):
        Project.open(tmp_path)


def test_participants_consent_and_codes(project: Project, reopen: Callable[..., Project]) -> None:
    assert project.next_participant_code() == "I1"
    project.add_participant("I1", Consent(interview=True, audio=True, date="2023-03-13"))
    project.add_participant("I2", None)
    assert project.next_participant_code() == "I3"
    assert project.has_audio_consent("I1") and not project.has_audio_consent("I2")
    project.record_consent("I2", Consent(interview=True, audio=False, date="2023-03-14"))
    again = reopen(project)
    codes = {p.code: p for p in again.participants()}
    assert set(codes) == {"I1", "I2"}
    assert codes["I1"].consent is not None and codes["I1"].consent.recorded_at
    assert codes["I2"].consent is not None and not codes["I2"].consent.audio
    assert not again.has_audio_consent("I2") and not again.has_audio_consent("I9")


@pytest.mark.parametrize("bad", ["", "Kari Nordmann", "../etc", "a/b", "x" * 41])
def test_a_participant_code_must_be_a_safe_pseudonym(project: Project, bad: str) -> None:
    with pytest.raises(StoreError, match="cannot be a participant code"):
        project.add_participant(bad)


def test_guides_are_stored_by_hash_and_reparsed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = small_guide()
    digest = project.add_guide(guide)
    assert digest == guide.content_hash
    assert project.add_guide(guide) == digest  # stored once
    parsed: list[str] = []

    import guide.parser as parser_module

    def fake_parse(text: str, path: object = None) -> object:
        parsed.append(text)
        return guide

    # The parser is another engineer's module; only the text handed to it matters here.
    monkeypatch.setattr(parser_module, "parse_guide", fake_parse, raising=False)
    fresh = Project.open(project.path, backend=lambda p: project.backend)
    assert fresh.guide(digest) is guide
    assert parsed == [guide.source]
    with pytest.raises(StoreError, match="has no guide"):
        fresh.guide("0" * 64)


def test_interview_round_trip(project: Project, reopen: Callable[..., Project]) -> None:
    digest = project.add_guide(small_guide())
    iv = project.new_interview("I1", digest, "nb")
    assert iv.id.startswith("I1-") and iv.status == InterviewStatus.NEW
    second = project.new_interview("I1", digest, "nb")
    assert second.id != iv.id
    project.set_status(iv.id, "recording")
    notes = [
        Marker(1.5, MarkerKind.ASKED, "1", wall_time="2026-03-13T14:05:00"),
        Marker(9.25, MarkerKind.NOTE, "1", text="sukk – tired"),
        Marker(12.0, MarkerKind.PROBE, "1.1", probe_id="1.1.a"),
    ]
    for marker in notes:
        project.add_marker(iv.id, marker)
    segments = transcript(300)
    project.set_transcript(iv.id, segments)
    project.set_passages(iv.id, passages_of(segments))
    project.set_status(iv.id, InterviewStatus.TRANSCRIBED)
    project.set_recording_info(iv.id, samplerate=16000, engine="faster-whisper", model="base")
    got = reopen(project).interview(iv.id)
    assert got.markers == notes
    assert [n.text for n in got.notes] == ["sukk – tired"]
    assert got.segments == segments
    assert got.passages == passages_of(segments)
    assert got.word_count == 300
    assert got.duration == pytest.approx(segments[-1].end)
    assert got.started_at and got.ended_at
    assert got.recording is not None and got.recording.samplerate == 16000
    assert (got.engine, got.model) == ("faster-whisper", "base")
    rows = {s.id: s for s in reopen(project).interviews()}
    assert rows[iv.id].words == 300 and rows[iv.id].status == InterviewStatus.TRANSCRIBED
    assert rows[second.id].status == InterviewStatus.NEW


def test_save_interview_rewrites_edited_markers(
    project: Project, reopen: Callable[..., Project]
) -> None:
    iv = project.new_interview("I1", "h", "en")
    project.add_marker(iv.id, Marker(1.0, MarkerKind.ASKED, "1"))
    project.add_marker(iv.id, Marker(2.0, MarkerKind.BOOKMARK, "1"))
    full = project.interview(iv.id)
    full.markers = full.markers[:1]
    project.save_interview(full)
    assert reopen(project).interview(iv.id).markers == [Marker(1.0, MarkerKind.ASKED, "1")]


def test_unknown_interview_and_status_are_sentences(project: Project) -> None:
    with pytest.raises(StoreError, match="no interview I9-x"):
        project.interview("I9-x")
    with pytest.raises(StoreError, match="no interview"):
        project.add_marker("I9-x", Marker(1.0, MarkerKind.ASKED))
    iv = project.new_interview("I1", "h", "en")
    with pytest.raises(StoreError, match="not an interview status"):
        project.set_status(iv.id, "exploded")
    project.set_status(iv.id, "processing")
    assert project.interview(iv.id).status == InterviewStatus.TRANSCRIBING


def test_interrupted_interviews(project: Project, reopen: Callable[..., Project]) -> None:
    a = project.new_interview("I1", "h", "en")
    b = project.new_interview("I2", "h", "en")
    project.set_status(a.id, "recording")
    project.set_status(b.id, "recording")
    project.set_status(b.id, "processing")  # b ended normally
    assert [i.id for i in reopen(project).interrupted_interviews()] == [a.id]


def test_recordings_dir_is_inside_the_project(project: Project) -> None:
    iv = project.new_interview("I1", "h", "en")
    folder = project.recordings_dir(iv.id)
    assert folder.is_dir() and project.path in folder.parents


def test_expired_project_refuses_to_open_unless_purging(
    project: Project, reopen: Callable[..., Project]
) -> None:
    project.new_interview("I1", "h", "en")
    project.update_settings(end_date=dt.date.today() - dt.timedelta(days=1))
    with pytest.raises(StoreError, match=r"end date was .*Run `kvale purge --all"):
        reopen(project)
    assert reopen(project, allow_expired=True).settings.end_date is not None
    ok = ProjectSettings(end_date=dt.date.today())
    project.save_settings(ok)
    reopen(project)  # the end date itself is still allowed
