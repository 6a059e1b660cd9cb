"""How many people take part: the new-interview form's field (real Textual app, Pilot),
`kvale import --people` (real faster-whisper, real speaker model, real store), and the
number kept with the interview."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_wait import wait_until
from textual.widgets import Checkbox, Input, Static

from tui.app import KvaleApp
from tui.i18n import set_language
from tui.screens.conduct import ConductScreen
from tui.screens.new_interview import NewInterview, NewInterviewScreen

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _consent(screen: NewInterviewScreen) -> None:
    screen.query_one("#takes-part", Checkbox).value = True
    screen.query_one("#audio-consent", Checkbox).value = True


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "is not a number of people"),
        ("nb", "er ikke et antall personer"),
        ("nn", "er ikkje eit tal på personar"),
    ],
)
async def test_bad_people_count_is_explained(project, language: str, said: str) -> None:  # type: ignore[no-untyped-def]
    """0, words, fractions and too many are refused with a sentence in the UI's
    language; nothing starts, and the form keeps what was written."""
    app = KvaleApp(project, mic_check=False, language=language, check_interrupted=False)
    try:
        async with app.run_test(size=(120, 34)) as pilot:
            await pilot.press("n")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, NewInterviewScreen)
            _consent(screen)
            for bad in ("0", "three", "2.5", "-1", "9", ""):
                screen.query_one("#people", Input).value = bad
                screen.action_start()
                await pilot.pause()
                error = str(screen.query_one("#form-error", Static).render())
                assert said in error, (bad, error)
                assert app.screen is screen and app.session is None
                assert screen.query_one("#people", Input).value == bad
            assert list(project.interviews()) == []
    finally:
        set_language(None)


async def test_people_typed_in_the_form_is_returned(project) -> None:  # type: ignore[no-untyped-def]
    chosen: list[NewInterview | None] = []
    app = KvaleApp(project, mic_check=False, check_interrupted=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        screen = NewInterviewScreen("I1", mic_check=False, devices=[])
        app.push_screen(screen, chosen.append)
        await pilot.pause()
        assert screen.query_one("#people", Input).value == "2"  # an individual interview
        _consent(screen)
        screen.query_one("#people", Input).focus()
        await pilot.press("backspace", "3")
        screen.action_start()
        await pilot.pause()
    assert chosen and chosen[0] is not None
    assert chosen[0].people == 3


async def test_people_is_kept_with_the_interview_and_used_after_it(project) -> None:  # type: ignore[no-untyped-def]
    """Started from the form with 4 people, the interview's record says 4 and the work
    after the interview reads it back for the voices; a default form keeps 2."""
    from audio.capture import FileSource

    app = KvaleApp(
        project,
        live=False,
        source_factory=lambda: FileSource(FIXTURES / "jfk.flac", realtime=False),
        mic_check=False,
        check_interrupted=False,
    )
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewInterviewScreen)
        _consent(form)
        form.query_one("#people", Input).value = " 4 "
        form.action_start()
        await wait_until(pilot, lambda: isinstance(app.screen, ConductScreen), 30)
        session = app.session
        assert session is not None
        assert project.interview(session.interview_id).people == 4
        assert session._people() == 4


def test_store_keeps_people_and_reads_old_records_as_not_said(tmp_path: Path) -> None:
    from store import Project

    project = Project.init(tmp_path / "p", name="people")
    a = project.new_interview("I1", "h", "en", 3).id
    b = project.new_interview("I2", "h", "en").id
    project.close()
    again = Project.open(tmp_path / "p")
    assert again.interview(a).people == 3
    assert again.interview(b).people is None  # before kvale asked: the voices decide


def _import(tmp_path: Path, *extra: str) -> tuple[int, Path]:
    from store import Project
    from tui.cli import main

    project = Project.init(tmp_path / "p", name="people")
    project.close()  # kvale import takes the project's lock itself
    code = main(
        [
            "--project",
            str(project.path),
            "import",
            str(FIXTURES / "ami-trn00.flac"),
            "--guide",
            "nav-trivsel-en",
            "--participant",
            "G1",
            "--consent",
            "--language",
            "en",
            "--model",
            "tiny.en",
            *extra,
        ]
    )
    return code, project.path


def _voices(path: Path) -> tuple[int | None, set[int]]:
    from store import Project

    project = Project.open(path)
    (row,) = project.interviews()
    stored = project.interview(row.id)
    found = {w.voice for s in stored.segments for w in s.words if w.voice is not None}
    return stored.people, found


@pytest.mark.slow
def test_import_people_reaches_the_voices(tmp_path: Path) -> None:
    """AMI trn00 (three speakers) imported with --people 3: three voices on the
    transcript's words; without it (2, an individual interview: at most two) the
    speaker model finds one voice, so no word has a voice."""
    code, path = _import(tmp_path / "three", "--people", "3")
    assert code == 0
    people, voices = _voices(path)
    assert people == 3
    assert voices == {0, 1, 2}
    code, path = _import(tmp_path / "default")
    assert code == 0
    people, voices = _voices(path)
    assert people == 2
    assert voices == set()


def test_import_refuses_a_bad_people_count(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from store import Project

    code, path = _import(tmp_path, "--people", "a couple")
    assert code != 0
    err = capsys.readouterr().err
    assert "'a couple' is not a number of people" in err
    assert list(Project.open(path).interviews()) == []
