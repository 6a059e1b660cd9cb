"""A Norwegian researcher's whole path shows no English: new interview, conduct, confirm,
review, coding, export and member check, in a project set to bokmål.

The real app under Pilot, a real recording path (`audio.capture.FileSource` playing real
Norwegian speech, NRK, tests/fixtures, instead of a microphone: there is no sound card
here), real transcription (Whisper base) and the real store. Every rendered screen is
checked against the catalogue: no word that only the English side of the catalogue has
(the msgids, less every word the bokmål translations use) may be on it, outside the
researcher's own data (the guide, the transcript, the project's path).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from pilot_wait import hold_processing, wait_until
from rich.console import Console
from textual.widgets import Checkbox, OptionList, Tree

from guide.bundled import bundled_guides, load_bundled
from tui.app import KvaleApp
from tui.i18n import set_language
from tui.screens.codes import CodesScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.names import NamesScreen
from tui.screens.new_interview import NewInterviewScreen
from tui.screens.processing import ProcessingScreen
from tui.screens.review import ReviewScreen
from tui.screens.segments import SegmentsScreen
from tui.screens.transcript import TranscriptScreen

pytest.importorskip("babel", reason="Babel (the dev extra) reads the catalogue")

from kvale_i18n.catalog import extract, read_po

FIXTURES = Path(__file__).parent.parent / "fixtures"
WORD = re.compile(r"[A-Za-zÆØÅæøå]{2,}")
#: words both languages use the same way (names of things, not English)
SHARED = {"kvale", "ok", "csv", "json", "srt", "webvtt", "markdown", "word", "refi", "qda"}


def _words(text: str) -> set[str]:
    text = re.sub(r"\{\w+\}", " ", text)  # placeholders are not words
    return {w.lower() for w in WORD.findall(text)}


def english_only_words() -> set[str]:
    """Words of the catalogue's English side (the msgids) that no bokmål translation uses."""
    english: set[str] = set()
    for m in extract():
        for msgid in m.id if isinstance(m.id, tuple) else (m.id,):
            english |= _words(msgid or "")
    norwegian: set[str] = set()
    for m in read_po("nb"):
        for s in m.string if isinstance(m.string, tuple) else (m.string,):
            norwegian |= _words(s or "")
    return english - norwegian - SHARED


def screen_text(app: Any) -> str:
    """What the terminal shows now (the screen, its dialogs and notifications), as text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


class Walk:
    """Checks every screen it is shown; remembers what it saw."""

    def __init__(self, app: Any, data_words: set[str]) -> None:
        self.app = app
        self.english = english_only_words()
        self.data = data_words
        self.seen: list[str] = []

    def allow(self, text: str) -> None:
        """The researcher's own data shown on screen (transcript text, file paths)."""
        self.data |= _words(text)

    def check(self, where: str) -> None:
        text = screen_text(self.app)
        self.seen.append(f"--- {where}\n{text}")
        found = sorted((_words(text) & self.english) - self.data)
        assert not found, f"English on the {where} screen: {found}\n{text}"


@pytest.mark.slow
async def test_norwegian_researchers_whole_path_has_no_english(tmp_path: Path) -> None:
    from audio.capture import FileSource
    from store import Project

    project = Project.init(tmp_path / "prosjekt", name="NAV-trivsel")
    project.update_settings(language="nb")  # kvale init --language nb
    speech = FIXTURES / "nrk-8s.mp3"
    app = KvaleApp(
        project,
        model="base",
        live=False,
        source_factory=lambda: FileSource(speech, realtime=True, speed=4.0),
        mic_check=False,
        check_interrupted=False,
    )
    guide = load_bundled("nav-trivsel-nb")
    data = _words(guide.source) | _words(str(project.path)) | {"nav"}
    # the home screen lists the guides by their file names ("example-en"): data, not sentences
    data |= {w for g in bundled_guides() for w in _words(g.name)}
    try:
        async with app.run_test(size=(120, 34)) as pilot:
            walk = Walk(app, data)
            await pilot.pause()
            walk.check("home")
            await pilot.press("question_mark")
            await pilot.pause()
            walk.check("help")
            await pilot.press("escape")

            # --- new interview -----------------------------------------------------
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, NewInterviewScreen), 5)
            form = app.screen
            walk.check("new interview")
            assert form.query_one("#language").value == "nb"  # from the guide
            form.action_start()  # no consent ticked: the form says why, in Norwegian
            await pilot.pause()
            walk.check("new interview (no consent)")
            form.query_one("#takes-part", Checkbox).value = True
            form.query_one("#audio-consent", Checkbox).value = True
            await pilot.pause()
            form.action_start()

            # --- conduct -----------------------------------------------------------
            await wait_until(pilot, lambda: app.session is not None and app.session.started, 10)
            session = app.session
            await pilot.pause()
            walk.check("conduct (introduction)")
            await pilot.press("n")
            await pilot.press("k")
            await pilot.press("b")
            await pilot.pause()
            walk.check("conduct (question, bookmark)")
            await pilot.press("m")
            await pilot.pause()
            walk.check("note dialog")
            await pilot.press(*"viktig", "enter")
            await pilot.pause()
            walk.check("conduct (note saved)")
            await pilot.press("x")
            await pilot.pause()
            walk.check("redaction dialog")
            await pilot.press("escape")
            await wait_until(pilot, lambda: session.recorder.finished, 30)
            await pilot.press("q")
            await pilot.pause()
            walk.check("stop dialog")
            # the 8-s clip is processed within one poll on a loaded machine: the processing
            # waits until its screen has been read
            processing_read = hold_processing(session)
            await pilot.press("y")

            # --- processing and confirm ------------------------------------------------
            # the stop closes the recording first (seconds on a loaded machine)
            await wait_until(pilot, lambda: isinstance(app.screen, ProcessingScreen), 90)
            await pilot.pause()
            walk.check("processing")
            processing_read.set()
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 240, 0.5)
            confirm = app.screen
            for p in confirm.passages:
                walk.allow(p.text)
            for gone in confirm.removed:
                walk.allow(gone.text)
            assert confirm.passages, "base heard nothing in the NRK clip"
            await pilot.pause()
            walk.check("confirm")
            await pilot.press("D")
            await pilot.pause()
            walk.check("delete dialog")
            await pilot.press("y")
            await wait_until(pilot, lambda: confirm.deleted, 30)
            await pilot.pause()
            walk.check("confirm (recording deleted)")
            await pilot.press("escape")
            await pilot.pause()
            walk.check("home (one interview)")

            # --- review and coding -------------------------------------------------------
            await pilot.press("v")
            await wait_until(
                pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.ready, 20
            )
            review = app.screen
            await pilot.pause()
            walk.check("review")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen), 5)
            await pilot.pause()
            walk.check("transcript")
            await pilot.press("c")
            await pilot.pause()
            walk.check("code dialog")
            await pilot.press(*"trivsel", "enter")
            await pilot.pause()
            walk.check("which words dialog")
            await pilot.press("enter")  # the whole passage
            await pilot.pause()
            walk.check("transcript (coded)")
            await pilot.press("z")
            await pilot.pause()
            walk.check("transcript (coding undone)")
            await pilot.press("y")
            await pilot.pause()
            walk.check("transcript (coding redone)")
            await pilot.press("escape")
            await pilot.press("b")
            await pilot.pause()
            walk.check("by question")
            await pilot.press("escape")
            await pilot.press("c")
            await wait_until(pilot, lambda: isinstance(app.screen, CodesScreen), 5)
            await pilot.pause()
            walk.check("codes")
            tree = app.screen.query_one(Tree)
            code = next(n for n in tree.root.children if n.data and n.data[0] == "code")
            tree.move_cursor(code)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, SegmentsScreen), 5)
            await pilot.pause()
            walk.check("a code's segments")
            await pilot.press("escape")
            await pilot.press("escape")
            await pilot.press("N")
            await wait_until(pilot, lambda: isinstance(app.screen, NamesScreen), 5)
            await pilot.pause()
            walk.check("names to redact")
            await pilot.press("escape")
            await pilot.press("ctrl+p")
            await pilot.pause(0.5)
            walk.check("command palette")
            await pilot.press("escape")
            await pilot.pause()

            # --- exports -------------------------------------------------------------------
            for fmt in ("member-check", "docx"):
                await pilot.press("x")
                await pilot.pause()
                walk.check("export dialog")
                picker = app.screen.query_one(OptionList)
                picker.highlighted = [o.id for o in picker._options].index(fmt)
                await pilot.press("enter")
                await wait_until(
                    pilot, lambda f=fmt: review.last_export and f in str(review.last_export[0]), 30
                )
                await pilot.pause()
                walk.allow(str(review.last_export[0].parent))
                walk.check(f"review (exported {fmt})")
                review.last_export = []
    finally:
        set_language(None)
        dump = os.environ.get("KVALE_WALK_DUMP")
        if dump and "walk" in locals():
            Path(dump).write_text("\n".join(walk.seen), encoding="utf-8")

    # --- what the participant and the thesis get -------------------------------------
    letter = next((project.path / "exports" / "member-check").glob("*.txt"))
    text = letter.read_text(encoding="utf-8")
    assert text.startswith("Transkripsjon av intervjuet ditt (I1)") and "Takk for at du" in text
    english = english_only_words()
    said = set().union(*(_words(p.text) for p in confirm.passages))
    assert not (_words(text) - said) & english, sorted((_words(text) - said) & english)
    from docx import Document

    for path in (project.path / "exports" / "docx").glob("*.docx"):
        doc = Document(str(path))
        body = "\n".join(p.text for p in doc.paragraphs)
        body += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        body += "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
        extra = (_words(body) - said - data) & english
        assert not extra, (path.name, sorted(extra))
    stored = project.interview(session.interview_id)
    assert stored.language == "nb"


async def test_the_check_sees_english(tmp_path: Path) -> None:
    """The same check on an English project's home screen finds English words (so the walk
    above would fail on any screen left untranslated)."""
    from store import Project

    project = Project.init(tmp_path / "project", name="english")
    app = KvaleApp(project, mic_check=False, check_interrupted=False)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        walk = Walk(app, _words(str(project.path)))
        with pytest.raises(AssertionError, match="English on the home screen"):
            walk.check("home")
        text = screen_text(app)
        assert {"interviews", "quit"} <= _words(text) & walk.english
