"""Resume after a crash: a subprocess runs an interview headless and is killed (SIGKILL);
the app started afterwards offers to resume it with the markers kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tui.app import KvaleApp
from tui.screens.conduct import ConductScreen
from tui.screens.dialogs import ConfirmDialog

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from pathlib import Path
    from audio.capture import FileSource
    from guide.bundled import load_bundled
    from store import Project
    from tui.session import InterviewSession
    from tui.project_adapter import record_consent

    project = Project.open(Path(sys.argv[1]))
    record_consent(project, "I1", takes_part=True, audio=True, date=dt.date(2023, 3, 13))
    s = InterviewSession.new(project, load_bundled("nav-trivsel-en"), "I1", "en", live=False)
    s.start(FileSource(Path(sys.argv[2]), realtime=True))
    s.next()
    time.sleep(1.0)
    s.jump("2.2")
    s.bookmark()
    print("ready", s.interview_id, flush=True)
    time.sleep(60)
    """
)


@pytest.mark.slow
async def test_crash_mid_interview_is_offered_for_resume(project, short_interview) -> None:  # type: ignore[no-untyped-def]
    from audio.capture import FileSource

    project.close()  # the child is the writer (one writer at a time)
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(project.path), str(short_interview[0])],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("ready"), line
        iid = line.split()[1]
        time.sleep(1.0)
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash: nothing gets to clean up
        proc.wait(10)

    from store import Project

    project = Project.open(project.path)
    app = KvaleApp(
        project,
        live=False,
        mic_check=False,
        source_factory=lambda: FileSource(short_interview[0], realtime=True),
    )
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "I1" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ConductScreen)
        session = app.session
        assert session is not None and session.interview_id == iid
        assert session.current_id == "2.2"  # where it was
        assert session.coverage["1"].asked
        assert session.elapsed() >= 1.0  # the timeline goes on after the recovered part
        session.next()
    markers = project.interview(iid).markers
    kinds = [(m.kind, m.question_id) for m in markers]
    assert ("bookmark", "2.2") in kinds and ("asked", "2.3") in kinds
    times = [m.time for m in markers]
    assert times == sorted(times)
