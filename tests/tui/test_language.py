"""The app speaks the project's language: its setting, else the researcher's default, else
English; a project without one takes its first interview's (from the guide)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pilot_wait import wait_until
from textual.widgets import Checkbox, Static

from tui.app import KvaleApp
from tui.i18n import current_language
from tui.screens.conduct import ConductScreen
from tui.screens.new_interview import NewInterviewScreen

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _footer(app: Any) -> set[str]:
    return {b.description for _key, b in app.screen._bindings}


def _project(tmp_path: Path, language: str | None) -> Any:
    from store import Project

    project = Project.init(tmp_path / "p", name="p")
    if language:
        project.update_settings(language=language)
    return project


@pytest.mark.parametrize(
    ("setting", "researcher", "expected", "words"),
    [
        (None, None, "en", {"new interview", "quit"}),
        ("nb", None, "nb", {"nytt intervju", "avslutt"}),
        ("nn", "en", "nn", {"nytt intervju", "avslutt"}),
        (None, "nb", "nb", {"nytt intervju"}),  # the researcher's own default
        ("en", "nb", "en", {"new interview"}),  # the project's setting wins
    ],
)
async def test_ui_language(tmp_path: Path, setting, researcher, expected, words) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(
        _project(tmp_path, setting), language=researcher, mic_check=False, check_interrupted=False
    )
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        assert current_language() == expected
        assert words <= _footer(app)
        empty = str(app.screen.query_one("#empty", Static).render())
        assert ("Ingen intervju" in empty) == (expected != "en")


async def test_first_interview_sets_the_project_language_from_the_guide(tmp_path: Path) -> None:
    """No language anywhere: the form offers the guide's (bokmål for the NAV guide), and
    starting the interview makes it the project's; the conduct screen speaks it."""
    from audio.capture import FileSource

    project = _project(tmp_path, None)
    app = KvaleApp(
        project,
        live=False,
        source_factory=lambda: FileSource(FIXTURES / "jfk.flac", realtime=True),
        mic_check=False,
        check_interrupted=False,
    )
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewInterviewScreen)
        assert form.query_one("#guide").value == "nav-trivsel-nb"
        assert form.query_one("#language").value == "nb"
        form.query_one("#takes-part", Checkbox).value = True
        form.query_one("#audio-consent", Checkbox).value = True
        await pilot.pause()
        form.action_start()
        await wait_until(pilot, lambda: isinstance(app.screen, ConductScreen), 30)
        assert project.settings.language == "nb" and current_language() == "nb"
        assert {"neste", "merke", "stopp"} <= _footer(app)
