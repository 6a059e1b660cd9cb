"""New interview: consent is required before recording can start (Pilot, real project)."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Static

from tui.app import KvaleApp
from tui.screens.home import HomeScreen
from tui.screens.new_interview import NewInterview, NewInterviewScreen


async def _open_form(app: KvaleApp, pilot) -> NewInterviewScreen:  # type: ignore[no-untyped-def]
    await pilot.press("n")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, NewInterviewScreen)
    return screen


async def test_cannot_start_without_audio_consent(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        screen = await _open_form(app, pilot)
        screen.query_one("#takes-part", Checkbox).value = True  # but no audio consent
        screen.action_start()
        await pilot.pause()
        assert app.screen is screen  # still on the form: nothing started
        assert "consent to audio" in str(screen.query_one("#form-error", Static).render())
        assert app.session is None
        assert list(project.interviews()) == []


async def test_cannot_start_without_participation_consent(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        screen = await _open_form(app, pilot)
        screen.query_one("#audio-consent", Checkbox).value = True
        screen.action_start()
        await pilot.pause()
        assert app.screen is screen and app.session is None


async def test_bad_date_and_empty_code_are_explained(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        screen = await _open_form(app, pilot)
        screen.query_one("#takes-part", Checkbox).value = True
        screen.query_one("#audio-consent", Checkbox).value = True
        screen.query_one("#consent-date", Input).value = "13.03.2023"
        screen.action_start()
        await pilot.pause()
        assert "YYYY-MM-DD" in str(screen.query_one("#form-error", Static).render())
        screen.query_one("#consent-date", Input).value = "2023-03-13"
        screen.query_one("#participant", Input).value = "  "
        screen.action_start()
        await pilot.pause()
        assert "code such as I1" in str(screen.query_one("#form-error", Static).render())
        assert app.screen is screen


async def test_full_consent_returns_the_choice(project) -> None:  # type: ignore[no-untyped-def]
    chosen: list[NewInterview | None] = []
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        screen = NewInterviewScreen("I1", mic_check=False)
        app.push_screen(screen, chosen.append)
        await pilot.pause()
        screen.query_one("#takes-part", Checkbox).value = True
        screen.query_one("#audio-consent", Checkbox).value = True
        screen.action_start()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert chosen and chosen[0] is not None
    assert chosen[0].participant == "I1" and chosen[0].audio_consent


async def test_a_failed_start_leaves_no_ghost_interview(project) -> None:  # type: ignore[no-untyped-def]
    # case 5 of issue 14: a start with no microphone left a ghost interview and used up
    # the participant code. The real recorder, asked for a microphone that is not there.
    import datetime as dt

    from process_helpers_tui import folder_state

    from tui.screens.dialogs import ErrorDialog

    before = folder_state(project.path)
    app = KvaleApp(project, mic_check=False, live=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        app.start_interview(
            NewInterview(
                "nav-trivsel-en",
                "en",
                "I1",
                True,
                True,
                dt.date(2023, 3, 13),
                device="no such microphone",
            )
        )
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        assert app.session is None
    assert list(project.interviews()) == []
    assert project.participants() == []
    assert folder_state(project.path) == before
    from tui.project_adapter import participant_codes
    from tui.session import suggest_participant_code

    assert suggest_participant_code(participant_codes(project)) == "I1"  # not used up
