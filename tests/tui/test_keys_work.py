"""Every key shown works (issue 17): confirm's space and enter, z undo, the no-microphone
dialog's r, ctrl+q during a recording, the bookmark flash, the help screen generated from
the bindings, kvale's commands in the palette, the processing ETA that moves.

Each test failed before: space gave no feedback, enter did nothing (the table took it),
z did nothing, r did nothing, ctrl+q quit at once, the flash stayed, the help listed no
review keys, the palette found no "export", the ETA sat still between engine reports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pilot_wait import footer_laid_out, wait_until
from test_snapshots import ScreenApp, _make, _passages, _session
from textual.widgets import Static

from store import Project
from tui.app import KvaleApp
from tui.screens.conduct import ConductScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.dialogs import ConfirmDialog, ErrorDialog, TextDialog
from tui.screens.help import bindings_of, help_markdown, key_label, sections
from tui.screens.new_interview import NewInterview


def _notes(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_confirm_space_says_what_plays_or_why_not(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p", name="keys")
    app = ScreenApp(project, lambda: _make("confirm", project))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = " ".join(_notes(app))
        assert "Playing 12:04–12:11 (7 s) of the recording" in said
        # no recording was made here (and no sound card): a sentence, not silence
        assert "There is no recorded sound for this passage" in said


async def test_confirm_enter_goes_to_the_next_low_confidence_passage(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p", name="keys")
    screen_holder: list[ConfirmScreen] = []

    def make() -> ConfirmScreen:
        screen = ConfirmScreen(_session(project), _passages(), participant="I3")
        screen_holder.append(screen)
        return screen

    app = ScreenApp(project, make)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = screen_holder[0]
        assert screen._selected() == 0
        await pilot.press("enter")
        assert screen._selected() == 2  # 0.35: low
        await pilot.press("enter")
        assert screen._selected() == 3  # untagged
        await pilot.press("enter")
        assert screen._selected() == 2  # wraps round


async def test_confirm_z_undoes_a_text_correction(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p", name="keys")
    holder: list[ConfirmScreen] = []

    def make() -> ConfirmScreen:
        holder.append(ConfirmScreen(_session(project), _passages(), participant="I3"))
        return holder[0]

    app = ScreenApp(project, make)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = holder[0]
        before = screen.passages[0].text
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        app.screen.query_one("Input").value = "Corrected."  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        iid = screen.session.interview_id
        assert project.interview(iid).passages[0].text == "Corrected."
        await pilot.press("z")
        await pilot.pause()
        assert screen.passages[0].text == before
        assert project.interview(iid).passages[0].text == before  # saved
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Nothing to undo" in " ".join(_notes(app))


async def test_no_microphone_dialog_r_tries_again(project) -> None:  # type: ignore[no-untyped-def]
    from audio.capture import FileSource

    audio = Path(__file__).parents[1] / "fixtures" / "jfk.flac"
    app = KvaleApp(project, mic_check=False, live=False)
    choice = NewInterview("nav-trivsel-en", "en", "I1", True, True, dt.date(2023, 3, 13), "none")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.start_interview(choice)  # the real recorder, a microphone that is not there
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog) and app.screen.retry
        assert "press r to try again" in app.screen.sentence
        # the researcher plugs a microphone in (here: a file plays the microphone's part)
        app.source_factory = lambda: FileSource(audio, realtime=True)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConductScreen)
        assert app.recording
        # ctrl+q now asks first; "Keep recording" keeps it running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConductScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code in (0, None)
    assert [i.participant for i in project.interviews()] == ["I1"]  # kept, resumable


async def test_ctrl_q_quits_at_once_when_nothing_records(project) -> None:  # type: ignore[no-untyped-def]
    app = KvaleApp(project, mic_check=False, live=False, check_interrupted=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_the_bookmark_flash_clears(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tui.screens.conduct as conduct

    # long enough to be read after the key on a loaded machine, short enough to wait for
    monkeypatch.setattr(conduct, "FLASH_SECONDS", 2.0)
    project = Project.init(tmp_path / "p", name="keys")
    app = ScreenApp(project, lambda: _make("conduct", project))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        flash = app.screen.query_one("#flash", Static)
        assert "bookmark 12:34" in str(flash.render())
        await wait_until(pilot, lambda: str(flash.render()).strip() == "", 15)


async def _visible_keys(app: Any) -> set[str]:
    from textual.widgets._footer import FooterKey

    return {
        (k.key_display or k.key)
        for k in app.screen.query(FooterKey)
        if k.region.width and k.region.right <= 80
    }


async def test_conduct_and_confirm_footers_show_every_key_at_80x24(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p", name="keys")
    for kind, wanted in [
        ("conduct", {"n", "p", "j", "k", "s", "b", "m", "r", "x", "q"}),
        ("confirm", {"space", "enter", "e", "z", "r", "D", "esc"}),
        ("processing", {"esc"}),
    ]:
        app = ScreenApp(project, lambda kind=kind: _make(kind, project))
        async with app.run_test(size=(80, 24)) as pilot:
            await footer_laid_out(pilot)
            shown = await _visible_keys(app)
            shown = {"space" if k in ("␣", "space") else "enter" if k == "⏎" else k for k in shown}
            assert wanted <= shown, (kind, wanted - shown)


def test_help_is_made_of_every_screen_s_bindings() -> None:
    text = help_markdown(KvaleApp)
    for _title, cls in sections(KvaleApp):
        for b in bindings_of(cls):
            if b.description or b.tooltip:
                assert f"**{key_label(b)}**" in text
                assert (b.tooltip or b.description) in text, (cls.__name__, b.key)
    # the review side, missing before
    for words in (
        "remove a code from the passage",
        "merge the code into another code",
        "undo the last change",
        "go to the next low-confidence passage",
    ):
        assert words in text


async def test_help_screen_opens_from_any_screen(tmp_path: Path) -> None:
    from tui.screens.help import HelpScreen

    project = Project.init(tmp_path / "p", name="keys")
    app = ScreenApp(project, lambda: _make("confirm", project))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_command_palette_finds_kvale_s_commands(project) -> None:  # type: ignore[no-untyped-def]
    from textual.command import CommandPalette

    from tui.screens.review_dialogs import ReviewPick

    app = KvaleApp(project, mic_check=False, live=False, check_interrupted=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for query, found in [
            ("export", "Export transcripts…"),
            ("new interview", "New interview"),
            ("review", "Review and code"),
            ("purge", "Purge a participant…"),
            ("help", "Help: every key"),
            ("names", "Names to redact"),
        ]:
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*query)
            options = app.screen.query_one("CommandList")

            def prompts(options: Any = options) -> list[str]:
                return [
                    str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
                ]

            # the palette searches in the background: wait for the command to be listed
            await wait_until(pilot, lambda f=found: any(f in p for p in prompts()), 15)
            await pilot.press("escape")
            await pilot.pause()
        # and it runs: export asks for a format
        await pilot.press("ctrl+p")
        await pilot.press(*"export")
        options = app.screen.query_one("CommandList")
        await wait_until(pilot, lambda: options.option_count > 0, 15)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewPick)
        assert "md" in [k for k, _ in app.screen.items]


async def test_the_conduct_tail_shows_provisional_text(tmp_path: Path) -> None:
    """The tail shows committed text, then the provisional pass's (italic). The live
    transcriber is a stand-in here (its child process is tested with real speech in
    tests/audio/test_live_preview.py); the screen's drawing is what is tested."""
    from audio.types import Segment

    class Transcriber:
        def segments_so_far(self) -> list[Segment]:
            return [Segment(0, 0.0, 4.0, "How long have you worked here?")]

        def provisional(self) -> list[Segment]:
            return [Segment(0, 5.0, 9.0, "Twelve years, all in social")]

    project = Project.init(tmp_path / "p", name="keys")
    session = _session(project)
    session.transcriber = Transcriber()  # type: ignore[assignment]
    app = ScreenApp(project, lambda: ConductScreen(session, participant="I3", refresh_hz=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tail = " ".join(str(app.screen.query_one("#tail").render()).split())
        assert "How long have you worked here? Twelve years, all in social" in tail


async def test_the_palette_offers_no_screenshot(project) -> None:  # type: ignore[no-untyped-def]
    """Textual's screenshot writes the screen (a participant's words) to a file outside
    the project folder: kvale's palette leaves it out; its other commands stay."""
    app = KvaleApp(project, mic_check=False, live=False, check_interrupted=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quit" in titles or "Avslutt" in titles
        assert not any(
            "screenshot" in t.casefold() or "skjermbilde" in t.casefold() for t in titles
        )
