"""Operations that finish or never happened (issue 14, cases 4-6), in one process.

The kill -9 runs with real processes are in test_kill_operations.py; here the same
journal is driven deterministically: an operation interrupted at a chosen step.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from process_helpers import folder_state
from store_helpers import passages_of, small_guide, transcript

from kvale_errors import StoreError, TranscriptionError
from store import Project, codebook, lifecycle
from store.codebook import Codebook


def _coded(path: Path) -> tuple[Project, dict[str, list[str]]]:
    project = Project.init(path)
    guide_hash = project.add_guide(small_guide())
    book = Codebook()
    code = book.add_code("team")
    ids: dict[str, list[str]] = {}
    for who, n in (("WX7", 3), ("C1", 1)):
        for k in range(n):
            iid = project.new_interview(who, guide_hash, "en").id
            segments = transcript(60, f"{who.lower()}{k}x")
            project.set_transcript(iid, segments)
            passages = passages_of(segments)
            project.set_passages(iid, passages)
            for p in passages:
                book.apply(code.id, iid, p)
            ids.setdefault(who, []).append(iid)
    book.save(project.path)
    return project, ids


def test_an_interrupted_purge_is_completed_at_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # case 4: a purge killed about 1 s in, then run again, reported success and left
    # coded quotes that no command could remove
    project, ids = _coded(tmp_path / "p")

    def killed(*args: object) -> int:
        raise KeyboardInterrupt  # the process dies after the interviews went, before the codebook

    monkeypatch.setattr(codebook, "purge_participant", killed)
    with pytest.raises(KeyboardInterrupt):
        lifecycle.purge_participant(project, "WX7")
    project.close()
    monkeypatch.undo()
    assert any(s.interview_id in ids["WX7"] for s in Codebook.load(project.path).spans)

    again = Project.open(project.path)
    assert len(again.recovered) == 1
    assert "purge of participant WX7" in again.recovered[0]
    assert "completed" in again.recovered[0]
    spans = Codebook.load(project.path).spans
    assert spans and {s.interview_id for s in spans} == set(ids["C1"])
    assert "WX7" not in {p.code for p in again.participants()}
    assert [r.code for r in again.purge_records()] == ["WX7"]
    assert not (project.path / ".kvale-journal.json").exists()
    with pytest.raises(StoreError, match="no participant WX7"):
        lifecycle.purge_participant(again, "WX7")  # done: nothing left to purge


def test_a_purge_run_again_completes_an_interrupted_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, ids = _coded(tmp_path / "p")
    monkeypatch.setattr(
        codebook,
        "purge_participant",
        lambda *a: (_ for _ in ()).throw(StoreError("The disk is full.")),
    )
    with pytest.raises(StoreError, match="disk is full"):
        lifecycle.purge_participant(project, "WX7")
    monkeypatch.undo()
    report = lifecycle.purge_participant(project, "WX7")  # the same process, run again
    assert report.codebook_items == 3 * 3 + 0  # three passages coded in each of 3 interviews
    assert {s.interview_id for s in Codebook.load(project.path).spans} == set(ids["C1"])


def test_a_failed_operation_leaves_the_project_as_it_was(tmp_path: Path) -> None:
    project, _ids = _coded(tmp_path / "p")
    before = folder_state(project.path)
    with (
        pytest.raises(StoreError, match="no such model"),
        project.operation("import", participant="N1"),
    ):
        iid = project.new_interview("N1", project.add_guide(small_guide("Other")), "en").id
        project.set_transcript(iid, transcript(10))
        project.recordings_dir(iid)
        raise StoreError("no such model")
    assert folder_state(project.path) == before
    assert "N1" not in {p.code for p in project.participants()}


def test_a_killed_operation_is_undone_at_the_next_open(tmp_path: Path) -> None:
    project, _ids = _coded(tmp_path / "p")
    project.close()
    before = folder_state(project.path)
    project = Project.open(project.path)
    operation = project.operation("import", participant="N1")
    operation.__enter__()  # and the process dies inside: __exit__ never runs
    iid = project.new_interview("N1", project.add_guide(small_guide("Other")), "en").id
    project.set_transcript(iid, transcript(10))
    project.close()
    again = Project.open(project.path)
    assert again.recovered and "import of participant N1" in again.recovered[0]
    assert "undone" in again.recovered[0]
    assert folder_state(project.path) == before
    assert [s.participant for s in again.interviews()].count("N1") == 0


def test_a_failed_import_leaves_no_ghost_interview(tmp_path: Path) -> None:
    # case 5: a killed or failed import left an interview with status "new" and 0 words
    from guide.bundled import load_bundled
    from tui.session import import_recording

    project = Project.init(tmp_path / "p")
    before = folder_state(project.path)
    audio = Path(__file__).resolve().parents[1] / "fixtures" / "jfk.flac"
    with pytest.raises((TranscriptionError, StoreError)):
        import_recording(
            project, audio, load_bundled("nav-trivsel-en"), "C1", "en", model="no-such-model"
        )
    assert project.interviews() == []
    assert project.participants() == []
    assert folder_state(project.path) == before


def test_a_purge_that_cannot_be_completed_yet_does_not_lock_the_project_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, ids = _coded(tmp_path / "p")

    def killed(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(codebook, "purge_participant", killed)
    with pytest.raises(KeyboardInterrupt):
        lifecycle.purge_participant(project, "WX7")
    project.close()

    def full(*args: object) -> int:
        raise StoreError("The disk is full.")

    monkeypatch.setattr(codebook, "purge_participant", full)
    again = Project.open(project.path)  # opens, and says what is left to do
    assert "could not be completed yet: The disk is full." in again.recovered[0]
    assert "kvale purge WX7" in again.recovered[0]
    monkeypatch.undo()
    lifecycle.purge_participant(again, "WX7")  # run again: completed
    assert {s.interview_id for s in Codebook.load(project.path).spans} == set(ids["C1"])
    assert not (project.path / ".kvale-journal.json").exists()
