"""One writer at a time: real processes on one project (issue 14, cases 1-3).

A process that writes a project holds its lock for its whole life; a second
writer meets a sentence and changes nothing; exports and listings open the
project read-only and work meanwhile; only a temporary file's owner's death
lets anyone remove it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from process_helpers import ENV, ROOT, folder_state, kvale, writer_process
from store_helpers import passages_of, small_guide, transcript

from kvale_errors import StoreError
from store import Project
from store.codebook import Codebook
from store.lock import ProjectBusy

BUSY = "open in another kvale window"


def _coded_project(path: Path) -> tuple[Project, dict[str, str]]:
    """Two participants, WX7 and C1, each with a coded passage."""
    project = Project.init(path)
    guide_hash = project.add_guide(small_guide())
    book = Codebook()
    code = book.add_code("team")
    ids = {}
    for who in ("WX7", "C1"):
        iid = project.new_interview(who, guide_hash, "en").id
        segments = transcript(40, who.lower())
        project.set_transcript(iid, segments)
        passages = passages_of(segments)
        project.set_passages(iid, passages)
        book.apply(code.id, iid, passages[0])
        ids[who] = iid
    book.save(project.path)
    return project, ids


def test_a_purge_meets_the_open_app_with_a_sentence_and_changes_nothing(tmp_path: Path) -> None:
    # case 1: with the review open, a purge from another terminal ran, and the app's next
    # codebook save brought the withdrawn participant's quotes back
    project, _ids = _coded_project(tmp_path / "p")
    project.close()
    before = folder_state(project.path)
    with writer_process(project.path) as app:
        done = kvale("--project", str(project.path), "purge", "WX7", "--yes")
        assert done.returncode == 2, done.stderr
        assert BUSY in done.stderr and f"process {app.pid}" in done.stderr
        assert "Traceback" not in done.stderr
        assert folder_state(project.path) == before
        # exports and listings open it read-only meanwhile
        listed = kvale("--project", str(project.path), "list")
        assert listed.returncode == 0, listed.stderr
        assert "WX7" in listed.stdout and "C1" in listed.stdout
        exported = kvale("--project", str(project.path), "export", "csv")
        assert exported.returncode == 0, exported.stderr
    assert (project.path / "exports" / "csv").is_dir()
    # the app has gone: now the purge runs
    done = kvale("--project", str(project.path), "purge", "WX7", "--yes")
    assert done.returncode == 0, done.stderr
    book = Codebook.load(project.path)
    assert [s.interview_id for s in book.spans] == [_ids["C1"]]


def test_a_second_import_meets_a_sentence_before_touching_the_project(tmp_path: Path) -> None:
    # case 2: two imports at once printed the same interview id and one transcript
    # overwrote the other; the app crashed after an import from another shell
    project, _ids = _coded_project(tmp_path / "p")
    project.close()
    before = folder_state(project.path)
    audio = ROOT / "tests" / "fixtures" / "LJ001-0001.wav"
    with writer_process(project.path):
        done = kvale(
            "--project",
            str(project.path),
            "import",
            str(audio),
            "--guide",
            "nav-trivsel-en",
            "--participant",
            "C1",
            "--model",
            "tiny.en",
        )
    assert done.returncode == 2, done.stderr
    assert BUSY in done.stderr and "Traceback" not in done.stderr
    assert folder_state(project.path) == before


def test_in_one_process_a_second_open_shares_the_lock(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    again = Project.open(project.path)  # the app's screens, tests: one process, one writer
    again.add_participant("I1")
    again.close()
    project.add_participant("I2")  # still the writer
    project.close()
    with writer_process(project.path):
        with pytest.raises(ProjectBusy, match=BUSY):
            Project.open(project.path)
        reader = Project.open(project.path, read_only=True)
        assert {p.code for p in reader.participants()} == {"I1", "I2"}
        with pytest.raises(StoreError, match="read-only"):
            reader.add_participant("I3")
        with pytest.raises(StoreError, match="read-only"):
            reader.new_interview("I3", "h", "en")


SAVER = r"""
import sys
from store import Project
from tests.store.store_helpers import transcript

project = Project.open(sys.argv[1])
iid = project.new_interview("I1", "h", "en").id
print("ready", flush=True)
failed = 0
for i in range(int(sys.argv[2])):
    try:
        project.set_transcript(iid, transcript(30, f"v{i}"))
    except Exception as exc:
        failed += 1
        print("failed", exc, file=sys.stderr, flush=True)
print("done", failed, flush=True)
"""


def test_opening_a_project_never_removes_another_process_s_temporary_file(
    tmp_path: Path,
) -> None:
    # case 3: a process that only opened the project made 810 of 1 967 saves of another
    # fail: opening cleaned up the temporary files of the other's save in progress
    project = Project.init(tmp_path / "p")
    project.close()
    saver = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(project.path), "300"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert saver.stdout is not None
    assert saver.stdout.readline().startswith("ready")
    opens = refused = 0
    while saver.poll() is None:
        try:
            Project.open(project.path).close()
        except ProjectBusy:
            refused += 1
        Project.open(project.path, read_only=True).interviews()
        opens += 1
    out = saver.stdout.read()
    saver.stdout.close()
    assert "done 0" in out, out
    # every writer open was refused while the saver ran (the last one may come as the
    # saver exits and its lock goes with it), and none cleaned up its temporary files
    assert opens > 5 and refused >= opens - 1


def test_a_dead_writer_s_temporary_file_goes_a_live_one_s_stays(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.close()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_tmp = project.path / f".kvale-project.json.tmp-{dead.stdout.strip()}-abc"
    live_tmp = project.path / f".kvale-project.json.tmp-{os.getppid()}-abc"
    dead_tmp.write_text("{}")
    live_tmp.write_text("{}")
    Project.open(project.path).close()
    assert not dead_tmp.exists()
    assert live_tmp.exists()


def test_interview_ids_never_collide(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    ids = [project.new_interview("C1", "h", "en").id for _ in range(5)]
    assert len(set(ids)) == 5
    # a recording folder without its document (a lost document) still holds its id
    stamp = time.strftime("%Y%m%d-%H%M")
    taken = [f"C2-{stamp}", f"C2-{stamp}-2"]
    for iid in taken:
        (project.path / "recordings" / iid).mkdir(parents=True)
    new = project.new_interview("C2", "h", "en").id
    assert new not in taken


WRITER = r"""
import sys, time
from store import Project
from store.lock import ProjectBusy

made = 0
while made < int(sys.argv[2]):
    try:
        project = Project.open(sys.argv[1])
    except ProjectBusy:
        time.sleep(0.005)
        continue
    with project:
        project.new_interview("C1", "h", "en")
        made += 1
print("done", flush=True)
"""


def test_two_processes_taking_turns_keep_every_interview(tmp_path: Path) -> None:
    # case 3: two processes writing kept 200 of 400 rows
    project = Project.init(tmp_path / "p")
    project.close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(project.path), "15"],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert "done" in out
    again = Project.open(project.path)
    rows = again.interviews()
    assert len(rows) == 30 and len({r.id for r in rows}) == 30
    assert len(list((project.path / "interviews").glob("*.json"))) == 30


def test_a_read_only_open_does_not_show_an_import_under_way(tmp_path: Path) -> None:
    # case 5: a ghost interview (status "new", 0 words) was listed in exports
    project = Project.init(tmp_path / "p")
    project.new_interview("I1", "h", "en")
    with project.operation("import", participant="C1"):
        project.new_interview("C1", "h", "en")
        reader = Project.open(project.path, read_only=True)
        assert [s.participant for s in reader.interviews()] == ["I1"]
    assert {s.participant for s in Project.open(project.path, read_only=True).interviews()} == {
        "I1",
        "C1",
    }
