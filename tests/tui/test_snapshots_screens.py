"""Snapshots of home, new interview, help, review, transcript, codes, segments and names at
80×24 (a laptop terminal split in two) and 120×34 (the size the UX sketches use).

At 80×24 every essential key must be in the footer and the new-interview form must fit
without scrolling; `test_keys_fit_80x24` checks that in numbers, the pictures show it.
Frozen: the project path and the consent date (stand-ins below), no microphone check.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from pilot_wait import footer_laid_out
from review_helpers import small_corpus

from store.model import ProjectSettings
from store.review import ReviewSession
from tui.app import KvaleApp
from tui.screens.codes import CodesScreen
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.names import NamesScreen
from tui.screens.new_interview import NewInterviewScreen
from tui.screens.review import ReviewScreen
from tui.screens.segments import SegmentsScreen
from tui.screens.transcript import TranscriptScreen

SIZES = [(80, 24), (120, 34)]
KINDS = ["home", "new_interview", "help", "review", "transcript", "codes", "segments", "names"]


class StandIn:
    """A project with a fixed path and no interviews (the picture must not move)."""

    path = Path("/research/nav-study")

    def __init__(self) -> None:
        self.names = ["Kari Nordmann=[colleague]", "Per"]

    def interviews(self) -> list[Any]:
        return []

    def participants(self) -> list[Any]:
        return []

    @property
    def settings(self) -> ProjectSettings:
        return ProjectSettings(name="NAV trivsel", redaction_names=list(self.names))

    def update_settings(self, **changes: Any) -> None:
        self.names = list(changes["redaction_names"])

    def set_passages(self, interview_id: str, passages: list[Any]) -> None:
        pass


def review_session(tmp_path: Path) -> ReviewSession:
    s = ReviewSession(small_corpus(tmp_path), StandIn())
    team = s.code_words("i1", 3, "kolleger", "a good team")
    s.code_words("i3", 1, "kolleger", "Colleagues are the reason I stay")
    s.code_passage("i2", 3, "avlastning")
    group = s.add_group("Støtte", "RQ1")
    s.move_code(team.code_id, group.id)
    return s


def make(kind: str, tmp_path: Path) -> Screen[Any]:
    if kind == "home":
        return HomeScreen(StandIn())
    if kind == "new_interview":
        return NewInterviewScreen("I1", devices=[], mic_check=False, today=dt.date(2023, 3, 13))
    if kind == "help":
        return HelpScreen()
    s = review_session(tmp_path)
    if kind == "review":
        return ReviewScreen(s)
    if kind == "transcript":
        return TranscriptScreen(s, "i1")
    if kind == "codes":
        return CodesScreen(s)
    if kind == "segments":
        code = s.codebook.code_named("kolleger")
        assert code is not None
        return SegmentsScreen(s, code.id)
    return NamesScreen(StandIn())


class ScreenApp(KvaleApp):
    """The kvale app (its CSS, bindings, palette) showing one screen."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__(StandIn(), check_interrupted=False, mic_check=False)
        self.first = screen

    def open_first_screen(self) -> None:
        self.push_screen(self.first)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", KINDS)
def test_screen_snapshot(kind: str, size: tuple[int, int], snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ScreenApp(make(kind, tmp_path)), terminal_size=size)


ESSENTIAL = {
    "home": {"n", "v", "?", "q"},
    "review": {"escape", "enter", "b", "c", "x", "N"},
    "transcript": {"escape", "t", "c", "u", "e", "z", "y"},
    "codes": {"escape", "enter", "n", "R", "M", "d", "z", "y"},
    "segments": {"escape", "enter", "d", "z", "y"},
    "names": {"escape", "a", "d"},
}


@pytest.mark.parametrize("kind", sorted(ESSENTIAL))
async def test_keys_fit_80x24(kind: str, tmp_path: Path) -> None:
    """Every essential key's footer entry lies inside the 80 columns."""
    from textual.widgets._footer import FooterKey

    app = ScreenApp(make(kind, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await footer_laid_out(pilot, app.first)
        shown = {
            k.key_display or k.key: k.region
            for k in app.screen.query(FooterKey)
            if k.region.width and k.region.right <= 80
        }
        keys = {k.split()[0] for k in shown}
        missing = {e for e in ESSENTIAL[kind] if not any(_same(e, k) for k in keys)}
        assert not missing, f"{kind}: not visible at 80×24: {missing} (shown: {sorted(keys)})"


def _same(essential: str, shown: str) -> bool:
    names = {"escape": {"esc", "escape"}, "enter": {"enter", "⏎"}, "?": {"?"}}
    return shown in names.get(essential, {essential})


async def test_new_interview_form_fits_80x24_without_scrolling() -> None:
    app = ScreenApp(HomeScreen(StandIn()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(NewInterviewScreen("I1", devices=[], mic_check=False))
        await pilot.pause()
        form = app.screen.query_one("#new-interview")
        assert form.max_scroll_y == 0  # nothing below the fold
        start = app.screen.query_one("#start")
        assert start.region.bottom <= 24 and start.region.height > 0
