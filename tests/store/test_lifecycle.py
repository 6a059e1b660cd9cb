"""Deleting recordings, purging a participant or everything (real files on disk)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from guide.transcript import Marker, MarkerKind
from kvale_errors import StoreError
from store import Consent, InterviewStatus, Project, lifecycle
from store.codebook import Codebook
from tests.store.store_helpers import passages_of, transcript
from tui.deletion_report import deletion_text


def _fake_recording(project: Project, iid: str) -> dict[str, bytes]:
    """What the recorder leaves: parts with chunks, a manifest, a temp file."""
    folder = project.recordings_dir(iid)
    files = {
        "part-01/chunk-0001.wav": b"RIFF" + bytes(range(256)) * 40,
        "part-01/chunk-0002.wav": b"RIFF" + b"\x07" * 5000,
        "part-01/manifest.json": b'{"format": "kvale-recording"}',
        "part-01/manifest.json.tmp": b"{",
        "part-02/chunk-0001.wav": b"RIFF" + b"\x01" * 300,
    }
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return files


def _holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_delete_recording_removes_every_byte_and_records_it(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    iid = project.new_interview("I1", "h", "en").id
    files = _fake_recording(project, iid)
    record = lifecycle.delete_recording(project, iid)
    assert not (project.path / "recordings" / iid).exists()
    assert sorted(record.what) == sorted(files)
    assert record.size == sum(len(b) for b in files.values())
    assert len(record.sha256) == 64
    for rel, data in files.items():
        if rel.endswith(".wav"):
            assert not _holding(project.path, data[4:200])
    again = Project.open(project.path)
    interview = again.interview(iid)
    assert interview.deletion == record and interview.status == InterviewStatus.RECORDING_DELETED
    assert again.deletion_records() == [record]
    assert next(s for s in again.interviews() if s.id == iid).recording_deleted
    # idempotent: the second call changes nothing and returns the first record
    assert lifecycle.delete_recording(again, iid) == record
    assert again.deletion_records() == [record]


def test_delete_recording_of_a_folder_already_gone_records_it(tmp_path: Path) -> None:
    """A recording whose files are gone (deleted, then the process killed before the
    record was written) is recorded as deleted, with no files."""
    project = Project.init(tmp_path / "p")
    iid = project.new_interview("I1", "h", "en").id
    project.set_recording_info(iid, samplerate=16000)
    record = lifecycle.delete_recording(project, iid)
    assert record.what == () and record.size == 0


def test_an_imported_interview_has_no_recording_to_delete(tmp_path: Path) -> None:
    """kvale never copies an imported file in: deleting "its recording" says so, and
    writes no record that would claim the participant's voice is gone."""
    project = Project.init(tmp_path / "p")
    iid = project.new_interview("I1", "h", "en").id
    assert not project.holds_recording(iid)
    with pytest.raises(StoreError, match="keeps no copy of a recording it imported") as raised:
        lifecycle.delete_recording(project, iid)
    assert raised.value.title == "No recording in the project"
    again = Project.open(project.path)
    assert again.interview(iid).deletion is None and again.deletion_records() == []
    # one recorded here is held until it is deleted
    other = project.new_interview("I2", "h", "en").id
    _fake_recording(project, other)
    assert project.holds_recording(other)
    lifecycle.delete_recording(project, other)
    assert not project.holds_recording(other)


def test_delete_recording_of_an_unknown_interview(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    with pytest.raises(StoreError, match="no interview"):
        lifecycle.delete_recording(project, "I9-nope")


def _interview_with_text(project: Project, code: str, word: str) -> str:
    iid = project.new_interview(code, "h", "en").id
    segments = transcript(60, word)
    project.add_marker(iid, Marker(1.0, MarkerKind.NOTE, "1", text=f"note {word}"))
    project.set_transcript(iid, segments)
    project.set_passages(iid, passages_of(segments))
    _fake_recording(project, iid)
    return iid


def test_purge_participant_leaves_nothing_of_theirs(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.add_participant("I1", Consent(True, True, date="2023-03-13"))
    project.add_participant("I2", Consent(True, True, date="2023-03-14"))
    gone = [
        _interview_with_text(project, "I1", "Zanzibar"),
        _interview_with_text(project, "I1", "Zanzibar"),
    ]
    kept = _interview_with_text(project, "I2", "Kilimanjaro")
    book = Codebook.load(project.path)
    code = book.add_code("energy")
    for iid in (*gone, kept):
        book.apply(code.id, iid, project.interview(iid).passages[0], 0, None)
    book.save(project.path)
    (project.path / "exports" / "md").mkdir(parents=True)
    (project.path / "exports" / "md" / "all.md").write_text("Zanzibar3 Kilimanjaro3")
    assert _holding(project.path, b"Zanzibar")

    report = lifecycle.purge_participant(project, "I1")

    assert set(report.interviews) == set(gone) and report.files > 10 and report.bytes > 0
    assert report.codebook_items >= 2 and report.exports_removed == 1
    assert "participant I1" in deletion_text(report)
    assert not _holding(project.path, b"Zanzibar"), "the participant's words are still on disk"
    assert not [p for p in project.path.rglob("*") if any(g in p.name for g in gone)]
    again = Project.open(project.path)
    assert [p.code for p in again.participants()] == ["I2"]
    assert [s.id for s in again.interviews()] == [kept]
    assert again.interview(kept).word_count == 60
    assert [(r.code, r.files) for r in again.purge_records()] == [("", report.files)]
    assert again.next_participant_code() == "I3"  # I1 is not handed out again
    with pytest.raises(StoreError, match="no participant I1"):
        lifecycle.purge_participant(again, "I1")
    # one of a couple, as exports name them: the sentence says where their words are
    with pytest.raises(StoreError, match="kvale purge I2 deletes it for all of them"):
        lifecycle.purge_participant(again, "I2-1")
    assert [s.id for s in Project.open(project.path).interviews()] == [kept]


def test_purge_all_after_the_end_date(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    _interview_with_text(project, "I1", "Zanzibar")
    _interview_with_text(project, "I2", "Kilimanjaro")
    project.update_settings(end_date=dt.date.today() - dt.timedelta(days=1))
    with pytest.raises(StoreError, match="end date"):
        Project.open(project.path)
    expired = Project.open(project.path, allow_expired=True)
    report = lifecycle.purge_all(expired)
    assert len(report.interviews) == 2 and report.code == "*"
    assert not _holding(project.path, b"Zanzibar") and not _holding(project.path, b"Kilimanjaro")
    assert not list((project.path / "recordings").iterdir())
    assert not list((project.path / "interviews").iterdir())
    emptied = Project.open(project.path)  # nothing left to delete: it opens again
    assert emptied.interviews() == [] and emptied.participants() == []
