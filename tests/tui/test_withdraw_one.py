"""In the app: the palette's purge offers each of a couple as the exports name them
(I3-1, I3-2), asks in words that say only their words go, and closes the review screens
open underneath, whose passages would otherwise write the deleted words back."""

from __future__ import annotations

import sys
from pathlib import Path

from pilot_wait import wait_until

from store import Project
from tui.app import KvaleApp
from tui.screens.dialogs import ConfirmDialog
from tui.screens.home import HomeScreen
from tui.screens.review_dialogs import ReviewPick

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from review_helpers import couple_project


async def test_the_palette_withdraws_one_of_a_couple(tmp_path: Path) -> None:
    project, iid = couple_project(tmp_path, 3)
    before = project.interview(iid)
    app = KvaleApp(project, mic_check=False, live=False, check_interrupted=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), 15)
        await pilot.press("enter")  # the interview: its review opens
        await wait_until(pilot, lambda: not isinstance(app.screen, HomeScreen), 15)
        app.command_purge()
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewPick), 15)
        pick = app.screen
        assert isinstance(pick, ReviewPick)
        assert [k for k, _ in pick.items] == ["I3", "I3-1", "I3-2"]
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), 15)
        assert "What the others said is kept" in str(app.screen.question)  # type: ignore[attr-defined]
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), 15)
    after = Project.open(project.path)
    left = {w.voice for p in after.interview(iid).passages for w in p.words}
    assert left == {0, 1} and {w.voice for p in before.passages for w in p.words} == {0, 1, 2}
