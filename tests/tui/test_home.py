"""Home screen: empty state, help, errors as dialogs (Pilot, real project on disk)."""

from __future__ import annotations

from pilot_wait import wait_until
from textual.widgets import DataTable, Static

from kvale_errors import StoreError
from tui.app import KvaleApp
from tui.screens.dialogs import ErrorDialog
from tui.screens.help import HelpScreen
from tui.screens.home import EMPTY, HomeScreen
from tui.screens.new_interview import NewInterviewScreen


async def test_empty_project_says_how_to_start(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        empty = app.screen.query_one("#empty", Static)
        assert empty.display and EMPTY in str(empty.render())
        guides = app.screen.query_one("#guides", DataTable)
        assert guides.row_count >= 3  # the bundled guides


async def test_question_mark_shows_help_and_escape_closes(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_n_opens_new_interview_with_suggested_code(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewInterviewScreen)
        assert app.screen.suggested_code == "I1"


async def test_kvale_error_in_a_worker_is_a_dialog_not_a_traceback(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:

        def fail() -> None:
            raise StoreError("The project folder is read-only. Check its permissions.")

        worker = app.run_worker(fail, thread=True, exit_on_error=False)
        await wait_until(
            pilot, lambda: worker.is_finished and isinstance(app.screen, ErrorDialog), 15
        )
        assert "read-only" in app.screen.sentence
        assert app.is_running


async def test_v_opens_the_review_of_the_project(project) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.review import ReviewScreen

    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_app_says_what_an_interrupted_operation_left(project) -> None:  # type: ignore[no-untyped-def]
    # issue 14, case 5: a killed import left a ghost interview "with no notice at the next start"
    from store import Project
    from tui.app import KvaleApp

    operation = project.operation("import", participant="C1")
    operation.__enter__()  # the process dies inside: __exit__ never runs
    project.new_interview("C1", "h", "en")
    project.close()
    again = Project.open(project.path)
    app = KvaleApp(again, mic_check=False, check_interrupted=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("import of participant C1" in m and "undone" in m for m in notes), notes
    assert list(again.interviews()) == []
