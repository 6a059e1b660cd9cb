"""The app's side of the promises: end date on the home screen, reminders, an honest
deletion sentence, codes that look like names refused (Pilot, real project on disk)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Checkbox, Input, Static

from store import Project, crypto, lifecycle
from tui.app import KvaleApp
from tui.screens.confirm import _guarantee
from tui.screens.dialogs import TextDialog
from tui.screens.home import HomeScreen
from tui.screens.new_interview import NewInterviewScreen


async def test_e_sets_the_end_date_and_a_near_one_is_a_reminder(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    soon = dt.date.today() + dt.timedelta(days=7)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        app.screen.query_one(Input).value = "31.02.2027"
        await pilot.press("enter")
        await pilot.pause()
        assert project.settings.end_date is None  # not a date: nothing changed
        assert any("DD.MM.YYYY" in str(n.message) for n in app._notifications)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "01.06.2020"  # passed: the data is due now
        await pilot.press("enter")
        await pilot.pause()
        assert project.settings.end_date is None
        assert any("2020-06-01 has passed" in str(n.message) for n in app._notifications)
        await pilot.press("e")
        await pilot.pause()
        # as a Norwegian consent form writes it
        app.screen.query_one(Input).value = soon.strftime("%d.%m.%Y")
        await pilot.press("enter")
        await pilot.pause()
        assert project.settings.end_date == soon
        assert any("ends in 7 days" in str(n.message) for n in app._notifications)


async def test_a_name_as_code_is_refused_on_the_new_interview_form(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewInterviewScreen)
        form.query_one("#participant", Input).value = "Kari_Nordmann"
        form.query_one("#takes-part", Checkbox).value = True
        form.query_one("#audio-consent", Checkbox).value = True
        form.action_start()
        await pilot.pause()
        assert isinstance(app.screen, NewInterviewScreen)
        assert "looks like a name" in str(form.query_one("#form-error", Static).render())
    assert project.participants() == []


def test_the_deletion_sentence_says_what_is_guaranteed(tmp_path: Path) -> None:
    plain = Project.init(tmp_path / "plain")
    sealed = Project.init(tmp_path / "sealed", passphrase="long passphrase", kdf_n=2**12)
    assert _guarantee(sealed) == lifecycle.ENCRYPTED_GUARANTEE
    assert "cannot be recovered, not even from the disk's free space" in _guarantee(sealed)
    assert _guarantee(plain) == lifecycle.PLAIN_GUARANTEE
    assert "full-disk encryption" in _guarantee(plain) and "free space" in _guarantee(plain)
    crypto.forget()
