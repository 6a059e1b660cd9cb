"""Many recordings, one queue: `kvale import` of a folder, killed with SIGKILL in the middle
and run again, ends with one interview per recording and transcribes nothing twice.

Real processes (the `kvale` command), the real project, real speech (LJSpeech sentences
from tests/fixtures) and the packaged tiny.en weights.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guide.bundled import load_bundled
from kvale_errors import KvaleError
from tui import import_queue as q
from tui.session import import_recording

FIXTURES = Path(__file__).parent.parent / "fixtures"
KVALE = Path(sys.executable).parent / "kvale"
CODES = ["P1", "P2", "P3", "P4", "P5"]


def _recordings(folder: Path, count: int = len(CODES)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, code in enumerate(CODES[:count], start=1):
        shutil.copyfile(FIXTURES / f"LJ001-000{i}.wav", folder / f"{code}.wav")
    return folder


def _import_cmd(project: Path, *sources: str) -> list[str]:
    return [
        str(KVALE),
        "import",
        *sources,
        "--guide",
        "example-en",
        "--project",
        str(project),
        "--model",
        "tiny.en",
        "--language",
        "en",
        "--consent",
    ]


def _queue(project: Path) -> list[dict[str, object]]:
    try:
        entries = json.loads((project / q.QUEUE_FILE).read_text())["entries"]
    except (OSError, ValueError, KeyError):
        return []
    return list(entries)


def _interviews(project: Path) -> list[tuple[str, str]]:
    from store import Project

    with Project.open(project, read_only=True) as p:
        return sorted((str(s.participant), str(s.id)) for s in p.interviews())


def _new_project(tmp_path: Path) -> Path:
    """A project on disk, closed again (the `kvale` processes open it)."""
    from store import Project

    with Project.init(tmp_path / "project", name="queue") as p:
        return Path(p.path)


@pytest.mark.slow
def test_queue_killed_in_the_middle_resumes_and_transcribes_nothing_twice(
    tmp_path: Path,
) -> None:
    project = _new_project(tmp_path)
    folder = _recordings(tmp_path / "recordings")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    run = subprocess.Popen(
        _import_cmd(project, str(folder)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    # wait until two recordings are imported and the third is being transcribed
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        entries = _queue(project)
        done = [e for e in entries if e["status"] == q.DONE]
        if len(done) >= 2 and any(e["status"] == q.RUNNING for e in entries):
            break
        assert run.poll() is None, run.communicate()
        time.sleep(0.05)
    else:
        pytest.fail("the queue never reached its third recording")
    time.sleep(1.0)  # inside the third recording's import
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL
    at_kill = {str(e["participant"]): e for e in _queue(project)}
    done_before = {c: e["interview"] for c, e in at_kill.items() if e["status"] == q.DONE}
    assert len(done_before) in (2, 3)  # the third may have been saved just before the kill

    again = subprocess.run(
        _import_cmd(project, str(folder)), capture_output=True, text=True, env=env, timeout=600
    )
    assert again.returncode == 0, again.stdout + again.stderr
    interviews = _interviews(project)
    assert [code for code, _ in interviews] == CODES  # five interviews, one per recording
    final = {str(e["participant"]): e for e in _queue(project)}
    assert all(e["status"] == q.DONE for e in final.values())
    for code, iid in done_before.items():
        # imported before the kill: the same interview, never started again
        assert final[code]["interview"] == iid
        assert final[code]["attempts"] == 1
        assert f"P{code[1]}.wav is already imported (interview {iid})" in again.stdout
        assert f"Imported {code}.wav" not in again.stdout
    # only the interrupted recording was started twice (from its beginning)
    assert sum(int(e["attempts"]) for e in final.values()) <= len(CODES) + 1
    assert "Import queue: 5 of 5 recordings imported." in again.stdout


def test_an_import_saved_before_the_queue_heard_of_it_is_not_redone(tmp_path: Path) -> None:
    """Killed between the interview's save and the queue's update: found, not imported again."""
    from store import Project

    project = Project.init(tmp_path / "project", name="queue")
    folder = _recordings(tmp_path / "recordings")
    sources = q.expand_sources([folder / "P1.wav"])
    [entry] = q.plan_queue(project.path, sources)
    interview = import_recording(
        project, sources[0], load_bundled("example-en"), "P1", "en", model="tiny.en"
    )
    entry.status, entry.attempts, entry.before = q.RUNNING, 1, []
    q.save_queue(project.path, [entry])

    def never(*args: object, **kw: object) -> None:
        raise AssertionError("imported twice")

    [after] = q.run_queue(
        project, load_bundled("example-en"), language="en", model="tiny.en", importer=never
    )
    assert (after.status, after.interview, after.attempts) == (q.DONE, interview.id, 1)


def test_codes_from_a_csv_and_a_missing_row_is_a_sentence(tmp_path: Path) -> None:
    from store import Project

    project = Project.init(tmp_path / "project", name="queue")
    folder = _recordings(tmp_path / "recordings")
    sheet = tmp_path / "codes.csv"
    sheet.write_text("file;participant\nP1.wav;I7\nP2.wav;I8\n", encoding="utf-8")
    codes = q.read_participants_csv(sheet)
    assert codes == {"P1.wav": "I7", "P2.wav": "I8"}
    entries = q.plan_queue(project.path, q.expand_sources([folder / "P1.wav"]), participants=codes)
    assert [e.participant for e in entries] == ["I7"]
    with pytest.raises(KvaleError, match=r"has no code for P3\.wav, P4\.wav, P5\.wav"):
        q.plan_queue(project.path, q.expand_sources([folder]), participants=codes)
    assert [e.participant for e in q.load_queue(project.path)] == ["I7"]  # nothing added
    bad = tmp_path / "bad.csv"
    bad.write_text("name,code\nP1.wav,I7\n", encoding="utf-8")
    with pytest.raises(KvaleError, match="columns 'file' and 'participant'"):
        q.read_participants_csv(bad)


def test_one_code_for_many_files_and_an_empty_folder_are_sentences(tmp_path: Path) -> None:
    from store import Project

    project = Project.init(tmp_path / "project", name="queue")
    folder = _recordings(tmp_path / "recordings")
    with pytest.raises(KvaleError, match="--participant names one participant"):
        q.plan_queue(project.path, q.expand_sources([folder]), participant="I1")
    (tmp_path / "empty").mkdir()
    with pytest.raises(KvaleError, match="holds no audio files"):
        q.expand_sources([tmp_path / "empty"])
    with pytest.raises(KvaleError, match="There is no audio file at"):
        q.expand_sources([tmp_path / "nothing.wav"])


def test_a_file_name_that_is_no_code_is_refused_before_anything_is_queued(
    tmp_path: Path,
) -> None:
    """Without --participant or a CSV the code comes from the file's name: a name that is
    a word (a phone's "intervju 1", or a participant's name) is refused in one sentence
    naming the files and saying how to give the codes; nothing is queued."""
    from store import Project

    project = Project.init(tmp_path / "project", name="queue")
    folder = _recordings(tmp_path / "recordings", count=2)
    shutil.copyfile(folder / "P1.wav", folder / "intervju 1.wav")
    shutil.copyfile(folder / "P1.wav", folder / "Kari.wav")
    with pytest.raises(KvaleError) as err:
        q.plan_queue(project.path, q.expand_sources([folder]))
    sentence = err.value.sentence
    assert "intervju 1.wav, Kari.wav is no code" in sentence or (
        "Kari.wav, intervju 1.wav is no code" in sentence
    )
    assert "--participant I3" in sentence and "Nothing was imported" in sentence
    assert q.load_queue(project.path) == []
    # with a code given, the same file is queued
    entries = q.plan_queue(project.path, [folder / "Kari.wav"], participant="I4")
    assert [e.participant for e in entries] == ["I4"]


def _good_and_broken(tmp_path: Path, project: Path) -> subprocess.CompletedProcess[str]:
    """`kvale import` of a folder with a readable recording (P1) and a broken one (P2)."""
    folder = tmp_path / "recordings"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "LJ001-0001.wav", folder / "P1.wav")
    (folder / "P2.wav").write_bytes(b"RIFF\0\0\0\0WAVEjunk" * 10)
    out = subprocess.run(
        _import_cmd(project, str(folder)), capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 2, out.stderr
    return out


def test_an_unreadable_recording_fails_alone(tmp_path: Path) -> None:
    project = _new_project(tmp_path)
    out = _good_and_broken(tmp_path, project)
    assert "[1/2] Imported P1.wav as interview" in out.stdout
    assert "[2/2] Could not import P2.wav: " in out.stdout
    assert "Import queue: 1 of 2 recordings imported, 1 failed." in out.stdout
    assert [c for c, _ in _interviews(project)] == ["P1"]


def test_the_queue_speaks_the_projects_language(tmp_path: Path) -> None:
    """A first-time user's finding: in a Norwegian project `kvale import` printed its own
    lines in English between the Norwegian ones."""
    from store import Project

    project = _new_project(tmp_path)
    with Project.open(project) as p:
        p.update_settings(language="nb")
    out = _good_and_broken(tmp_path, project)
    assert "[1/2] Importerte P1.wav som intervju" in out.stdout
    assert "[2/2] Kunne ikke importere P2.wav: " in out.stdout
    assert "Importkø: 1 av 2 opptak importert, 1 mislyktes." in out.stdout
    assert "Import" + "ed" not in out.stdout and "Import queue" not in out.stdout


async def _queue_shown(project, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    """The home screen's queue lines, one recording of two imported."""
    from textual.widgets import Static

    from tui.app import KvaleApp

    folder = _recordings(tmp_path / "recordings")
    entries = q.plan_queue(project.path, q.expand_sources([folder / "P1.wav", folder / "P2.wav"]))
    entries[0].status, entries[0].interview = q.DONE, "P1-20261201-0400"
    q.save_queue(project.path, entries)
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        return str(app.screen.query_one("#queue", Static).render())


async def test_the_app_shows_the_queue(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shown = await _queue_shown(project, tmp_path)
    assert "Import queue: 1 of 2 recordings imported, 1 waiting." in shown
    assert "P1.wav" in shown and "imported (interview P1-20261201-0400)" in shown
    assert "P2.wav" in shown and "waiting" in shown
    assert "To go on, close the app and run `kvale import" in shown


async def test_the_app_shows_the_queue_in_bokmal(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A first-time user's finding: the queue on the home screen was English only."""
    project.update_settings(language="nb")
    shown = await _queue_shown(project, tmp_path)
    assert "Importkø: 1 av 2 opptak importert, 1 venter." in shown
    assert "importert (intervju P1-20261201-0400)" in shown
    assert "For å fortsette, lukk appen" in shown and "Import queue" not in shown


def test_import_without_files_and_nothing_queued_is_a_sentence(tmp_path: Path) -> None:
    project = _new_project(tmp_path)
    out = subprocess.run(_import_cmd(project), capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "Name the recordings to import (files or a folder); the import queue has" in out.stderr


def test_the_queue_records_consent_or_imports_nothing(tmp_path: Path) -> None:
    """Without --consent (and no terminal to ask in) no recording of the queue is imported:
    each fails with the consent sentence, and the project records no consent."""
    from store import Project

    project = _new_project(tmp_path)
    folder = _recordings(tmp_path / "recordings", count=2)
    cmd = [a for a in _import_cmd(project, str(folder)) if a != "--consent"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert out.returncode != 0
    assert "no recorded consent" in out.stdout + out.stderr
    assert _interviews(project) == []
    with Project.open(project, read_only=True) as p:
        assert not any(p.has_audio_consent(c) for c in CODES)
    # the consent is there now: the queue resumed (no files named) tries them again
    again = subprocess.run(_import_cmd(project), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert [code for code, _iid in _interviews(project)] == CODES[:2]


def test_a_withdrawal_leaves_no_queue_entry_and_the_queue_file_is_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The queue names recordings and codes: in an encrypted project it is sealed like every
    document, and a purge removes the participant's entries (the last one: the file)."""
    from store import Project, crypto

    monkeypatch.setenv("KVALE_PASSPHRASE", "queue test passphrase")
    with Project.init(tmp_path / "sealed", name="q", passphrase="queue test passphrase") as p:
        root = Path(p.path)
    sources = _recordings(tmp_path / "recordings", count=2)
    q.plan_queue(root, sorted(sources.iterdir()))
    raw = (root / q.QUEUE_FILE).read_bytes()
    assert crypto.is_sealed(raw)
    # what the plain file would hold: each recording's path and the code as its entry names it
    # (long enough that random ciphertext cannot contain them by chance, unlike the bare
    # two-byte code "P1", which it did once in ~150 runs)
    assert not any(str(s).encode() in raw for s in sources.iterdir())
    assert f'"participant": "{CODES[0]}"'.encode() not in raw
    assert oct((root / q.QUEUE_FILE).stat().st_mode & 0o777) == "0o600"
    assert [e.participant for e in q.load_queue(root)] == CODES[:2]
    assert q.forget_participant(root, CODES[0]) == 1
    assert [e.participant for e in q.load_queue(root)] == CODES[1:2]
    assert q.forget_participant(root, CODES[1]) == 1
    assert not (root / q.QUEUE_FILE).exists()


def test_one_recording_is_one_interview_whichever_way_it_is_imported(tmp_path: Path) -> None:
    """`kvale import FILE --participant S1` twice, or the same file in a queue later, gives
    one interview and says why; and a queue run speaks only of the files it was given
    (found by a first-time user: three interviews from one recording)."""
    project = _new_project(tmp_path)
    folder = _recordings(tmp_path / "recordings", 2)
    one = [*_import_cmd(project, str(folder / "P1.wav")), "--participant", "S1"]
    first = subprocess.run(one, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(one, capture_output=True, text=True, timeout=600, cwd=folder)
    assert again.returncode == 0, again.stderr
    assert "P1.wav is already imported (interview S1-" in again.stdout
    assert "nothing was imported" in again.stdout
    # the same file named relative to another folder, in a queue with a new one
    queue = subprocess.run(
        _import_cmd(project, "P1.wav", "P2.wav"),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=folder,
    )
    assert queue.returncode == 0, queue.stderr
    assert "P1.wav is already imported" in queue.stdout
    assert "Imported P2.wav as interview" in queue.stdout
    assert [c for c, _ in _interviews(project)] == ["P2", "S1"]
    # a later run names only its own file: no word of the earlier ones
    shutil.copyfile(FIXTURES / "LJ001-0003.wav", folder / "P3.wav")
    later = subprocess.run(
        _import_cmd(project, str(folder / "P3.wav")), capture_output=True, text=True, timeout=600
    )
    assert later.returncode == 0, later.stderr
    assert "already imported" not in later.stdout
    assert [c for c, _ in _interviews(project)] == ["P2", "P3", "S1"]
