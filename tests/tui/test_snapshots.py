"""Reviewed snapshots of the conduct, processing and confirm screens at 80×24 (a laptop
terminal split in two), 100×30 and 160×45.

What is frozen, so the pictures do not move: the session's clock (injected; the
interview is at 12:34 on its timeline), the level meter (polling off, so it shows its
resting reading instead of live levels), the periodic redraw (off), and live
transcription (off, so the tail shows its fixed "off" line). The recorder is not started:
the state line reads from the session, not from the sound card.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from guide.bundled import load_bundled
from guide.transcript import Passage, Tag, TagSource
from tui.app import KvaleApp
from tui.screens.conduct import ConductScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.processing import ProcessingScreen
from tui.session import InterviewSession

SIZES = [(80, 24), (100, 30), (160, 45)]


class FrozenClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class ScreenApp(KvaleApp):
    """The kvale app (same CSS) showing one screen."""

    def __init__(self, project: Any, make: Any) -> None:
        super().__init__(project, check_interrupted=False, mic_check=False)
        self.make = make

    def open_first_screen(self) -> None:
        self.push_screen(self.make())


def _session(project: Any) -> InterviewSession:
    clock = FrozenClock()
    guide = load_bundled("nav-trivsel-en")
    s = InterviewSession.new(project, guide, "I3", "en", live=False, clock=clock)
    s.started = True  # the state line shows REC; no recorder runs (see module docstring)
    # the folder the recorder writes in: the confirm screen offers to delete what it holds
    project.recordings_dir(s.interview_id)
    for at, qid in [(0, "1"), (250, "1.1"), (400, "2"), (600, "2.1"), (754, "2.2")]:
        clock.now = at
        s.jump(qid)
    s.probe()
    return s


LONG = (
    "We have a good team here, we ask each other for advice, and when a case gets heavy "
    "someone always offers to take over an appointment so that I can breathe for an hour."
)


def _passages() -> list[Passage]:
    def tag(qid: str, conf: float) -> Tag:
        return Tag(qid, TagSource.MARKER, conf)

    return [
        Passage(
            724.0,
            731.0,
            "What about your colleagues, what do they mean for you?",
            primary=tag("2.2", 0.95),
        ),
        Passage(
            731.5,
            752.0,
            LONG,
            primary=tag("2.2", 0.9),
        ),
        Passage(
            850.0,
            861.0,
            "The manager is present, that gives a sense of safety.",
            primary=tag("2.3", 0.35),
        ),
        Passage(870.0, 875.0, "Hmm.", primary=None),
    ]


def _make(kind: str, project: Any) -> Screen[None]:
    s = _session(project)
    if kind == "conduct":
        return ConductScreen(s, participant="I3", refresh_hz=0, meter_hz=0)
    if kind == "processing":
        screen = ProcessingScreen(s, participant="I3", run=False)

        def show() -> None:
            screen.show_progress("transcribing", 0.84, 22)

        screen.call_after_refresh(show)
        return screen
    return ConfirmScreen(s, _passages(), participant="I3")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", ["conduct", "processing", "confirm"])
def test_screen_snapshot(kind: str, size: tuple[int, int], snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from store import Project

    project = Project.init(tmp_path / "p", name="snapshots")
    app = ScreenApp(project, lambda: _make(kind, project))
    assert snap_compare(app, terminal_size=size)


async def test_confirm_shows_the_whole_highlighted_passage(tmp_path: Path) -> None:
    """The table cuts long passages; the panel under it shows the whole text and its tag."""
    from textual.widgets import Static

    from store import Project

    project = Project.init(tmp_path / "p", name="confirm")
    app = ScreenApp(project, lambda: _make("confirm", project))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        detail = app.screen.query_one("#passage-detail", Static)
        assert "What about your colleagues" in str(detail.render())
        await pilot.press("down")
        await pilot.pause()
        shown = " ".join(str(detail.render()).split())
        assert LONG in shown and "2.2" in shown


async def test_confirm_lists_removed_text_and_puts_it_back(tmp_path: Path) -> None:
    """What the guards removed is on the confirm screen at its time; r restores it."""
    from textual.widgets import DataTable, Static

    from guide.transcript import Removed, Segment, Word
    from store import Project

    project = Project.init(tmp_path / "p", name="confirm")
    session = _session(project)
    said = Segment(250.0, 253.0, "I like my team.", (Word(250.0, 253.0, "team", 0.9),))
    project.set_transcript(session.interview_id, [said])
    gone = Removed(
        300.0, 302.0, "no no no no no no no no no", "loop", (Word(300.0, 302.0, "no", 0.8),)
    )
    project.set_removed(session.interview_id, [gone])
    screen = ConfirmScreen(session, _passages(), participant="I3")
    app = ScreenApp(project, lambda: screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#confirm-title", Static).render())
        assert "1 removed" in title
        table = app.screen.query_one(DataTable)
        row = next(i for i, r in enumerate(screen.rows) if r[0] == "r")
        table.move_cursor(row=row)
        await pilot.pause()
        assert "removed (loop)" in str(app.screen.query_one("#passage-detail", Static).render())
        await pilot.press("r")
        await pilot.pause()
        assert screen.removed == []
        stored = project.interview(session.interview_id)
        assert stored.removed == []
        assert [s.text for s in stored.segments] == [said.text, gone.text]
        assert any("no no no" in p.text for p in stored.passages)
        assert all(w.probability == 0.0 for w in stored.segments[1].words)  # to review
