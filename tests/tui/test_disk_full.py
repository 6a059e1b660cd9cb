"""Disk full while recording (issue 14, case 12).

"● REC" stayed on, a raw log line was drawn over the screen, the stop dialog said the
recording keeps running, and it took two stops. A full disk cannot be made here (no
small file system can be mounted in CI): the recorder's chunk writer is made to fail
with ENOSPC after a few writes, which is what the real writer's os.write raises; the
rest (recorder thread, session, store, screens) is real.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import sys
from pathlib import Path

import pytest
from pilot_wait import wait_until
from textual.widgets import Static

from tui.app import KvaleApp
from tui.screens.conduct import ConductScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.new_interview import NewInterview
from tui.screens.processing import ProcessingScreen

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "jfk.flac"


async def test_a_full_disk_stops_the_recording_visibly_and_one_stop_ends(
    project, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from audio.capture import FileSource
    from audio.writer import ChunkWriter

    real_write = ChunkWriter.write
    calls = {"n": 0}

    def write(self, pcm):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 20:  # the disk fills up a moment into the interview
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, pcm)

    monkeypatch.setattr(ChunkWriter, "write", write)
    terminal = logging.StreamHandler(sys.stderr)  # what `kvale` installs (basicConfig)
    logging.getLogger().addHandler(terminal)
    try:
        app = KvaleApp(
            project,
            model="tiny.en",
            live=False,
            source_factory=lambda: FileSource(AUDIO, realtime=True),
            mic_check=False,
            check_interrupted=False,
        )
        async with app.run_test(size=(120, 34)) as pilot:
            await pilot.pause()
            assert terminal not in logging.getLogger().handlers  # nothing drawn over the UI
            app.start_interview(
                NewInterview("nav-trivsel-en", "en", "I1", True, True, dt.date(2026, 1, 5), None)
            )
            await wait_until(pilot, lambda: isinstance(app.screen, ConductScreen), 10)
            screen = app.screen
            session = app.session
            assert session is not None
            await wait_until(pilot, lambda: session.recorder.error is not None, 20)
            await wait_until(pilot, lambda: screen._failure_shown, 5)
            state = str(screen.query_one("#rec-state", Static).render())
            assert "RECORDING STOPPED" in state and "● REC" not in state
            assert any("disk is full" in line.lower() for line in app.recent_log)
            await pilot.press("q")  # one stop, no "the recording keeps running" question
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmDialog)
            assert session.stopped
            # on to processing (a loaded machine can take a while to switch screens while
            # the worker loads the model); stop it there, the recording is kept
            # (what was kept is short: processing may already have reached the confirm screen)
            await wait_until(
                pilot, lambda: isinstance(app.screen, (ProcessingScreen, ConfirmScreen)), 60
            )
            if isinstance(app.screen, ProcessingScreen):
                await pilot.press("escape")
            await pilot.pause()
        assert terminal in logging.getLogger().handlers  # given back after the app
    finally:
        logging.getLogger().removeHandler(terminal)
    interview = project.interview(session.interview_id)
    assert interview.duration > 0  # what was recorded before the disk filled is kept
