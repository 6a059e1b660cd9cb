"""A kept recording's lifecycle from the app (issue 14, case 9).

A kept recording ("esc: home, keep recording") could never be deleted, transcribed
again or confirmed from the app; esc during processing landed on an empty confirm
screen ("0 words") that still offered D, and the status then said "transcribed".
Real parts: the recorder on a file source (no sound card here), tiny.en, the store.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from pilot_wait import wait_until

from guide.bundled import load_bundled
from tui.app import KvaleApp
from tui.screens.confirm import ConfirmScreen
from tui.screens.home import HomeScreen
from tui.screens.processing import ProcessingScreen

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "jfk.flac"


def _recorded(project) -> str:  # type: ignore[no-untyped-def]
    """An interview recorded and stopped, its recording kept (not transcribed)."""
    from audio.capture import FileSource
    from tui.project_adapter import record_consent
    from tui.session import InterviewSession

    record_consent(project, "I1", takes_part=True, audio=True, date=dt.date(2026, 1, 5))
    s = InterviewSession.new(project, load_bundled("nav-trivsel-en"), "I1", "en", live=False)
    s.start(FileSource(AUDIO, realtime=True, speed=8.0))
    s.next()
    deadline = time.monotonic() + 10
    while not s.recorder.finished and time.monotonic() < deadline:
        time.sleep(0.1)
    s.stop()
    s.close()
    return s.interview_id


def _status(project, iid: str) -> str:  # type: ignore[no-untyped-def]
    return str(project.interview(iid).status.value)


@pytest.mark.slow
async def test_a_kept_recording_is_transcribed_confirmed_and_deleted_from_home(project) -> None:  # type: ignore[no-untyped-def]
    iid = _recorded(project)
    folder = project.path / "recordings" / iid
    assert _status(project, iid) == "recorded" and folder.exists()
    app = KvaleApp(project, model="tiny.en", live=False, mic_check=False, check_interrupted=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert iid in home.kept
        row = home.query_one("#interviews").get_row(iid)
        assert row[2] == "recorded, recording kept"
        await pilot.press("c")  # nothing to confirm yet: it says so, opens nothing
        await pilot.pause()
        assert app.screen is home
        # transcribe it, and stop at once: back home, resumable, nothing offered to delete
        # esc at the first instant the processing screen is up (pressed from its on_mount:
        # on a loaded machine the test cannot rely on seeing the screen before the worker
        # finishes); the screen's own cancel action is what esc runs
        mount = ProcessingScreen.on_mount

        def escape_at_once(screen: ProcessingScreen) -> None:
            screen.action_cancel()
            mount(screen)

        ProcessingScreen.on_mount = escape_at_once  # type: ignore[method-assign]
        try:
            await pilot.press("t")

            def stopped() -> bool:
                said = any("Transcription stopped" in n.message for n in app._notifications)
                return said and isinstance(app.screen, HomeScreen)

            await wait_until(pilot, stopped, 120)
        finally:
            ProcessingScreen.on_mount = mount  # type: ignore[method-assign]
        assert _status(project, iid) == "recorded" and folder.exists()
        assert iid in app.screen.kept
        # transcribe again, to the end: the confirm screen, then D deletes the recording
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 180)
        confirm = app.screen
        assert confirm.passages and not confirm.empty
        assert _status(project, iid) == "transcribed"
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: confirm.deleted, 30)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and iid not in app.screen.kept
    assert not folder.exists()
    assert project.interview(iid).deletion is not None


async def test_an_empty_transcript_never_offers_to_delete_the_recording(project) -> None:  # type: ignore[no-untyped-def]
    from tui.session import InterviewSession

    iid = _recorded(project)
    session = InterviewSession.reopen(project, iid, live=False)
    app = KvaleApp(project, live=False, mic_check=False, check_interrupted=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        screen = ConfirmScreen(session, [], participant="I1")
        app.push_screen(screen)
        await pilot.pause()
        assert screen.empty and not screen.check_action("delete", ())
        await pilot.press("D")
        await pilot.pause()
        assert app.screen is screen  # no "delete the recording?" dialog
    assert (project.path / "recordings" / iid).exists()
    assert project.interview(iid).deletion is None


@pytest.mark.slow
async def test_an_imported_interview_offers_no_recording_to_delete(project) -> None:  # type: ignore[no-untyped-def]
    """kvale never copies an imported file in: home says "transcribed" (not "recording
    kept"), and confirm, transcribe again or delete say the file is where it was, rather
    than "deleting" a recording the project never held (found by a first-time user)."""
    from tui.session import InterviewSession, import_recording

    iid = import_recording(
        project, AUDIO, load_bundled("nav-trivsel-en"), "I2", "en", model="tiny.en"
    ).id
    assert not project.holds_recording(iid)
    app = KvaleApp(project, live=False, mic_check=False, check_interrupted=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert iid in home.imported and iid not in home.kept
        assert home.query_one("#interviews").get_row(iid)[2] == "transcribed"
        for key in ("c", "t"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is home
        said = [n.message for n in app._notifications]
        assert sum("keeps no copy of a recording it imported" in m for m in said) == 2
        # and should its confirm screen be reached, it offers no deletion
        screen = ConfirmScreen(
            InterviewSession.reopen(project, iid, live=False),
            project.interview(iid).passages,
            participant="I2",
        )
        app.push_screen(screen)
        await pilot.pause()
        assert not screen.empty and not screen.check_action("delete", ())
        await pilot.press("D")
        await pilot.pause()
        assert app.screen is screen
    assert project.interview(iid).deletion is None and project.deletion_records() == []
