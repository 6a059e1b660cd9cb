"""Coding corrected and retrieved in the app (issue 17): rename, merge, delete a code;
remove a code from a passage; code a few words; a code's segments across interviews;
undo and redo; the names to redact seen and edited; the redaction dialog's label."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_review import RecordingProject, ReviewApp, open_transcript, pick, type_text
from test_review import session as session  # the fixture
from textual.widgets import DataTable, Label, OptionList, Tree

from store.codebook import Codebook
from store.review import ReviewSession
from tui.screens.codes import CodesScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.names import NamesScreen
from tui.screens.review_dialogs import ReviewText
from tui.screens.segments import SegmentsScreen
from tui.screens.transcript import TranscriptScreen

SIZE = (120, 40)


def _cursor_on(tree: Tree[Any], kind: str, name: str) -> None:
    def walk(node: Any) -> Any:
        for child in node.children:
            if child.data and child.data[0] == kind and str(child.label).startswith(name):
                return child
            found = walk(child)
            if found is not None:
                return found
        return None

    node = walk(tree.root)
    assert node is not None, name
    tree.move_cursor(node)


async def test_code_words_uncode_undo_redo_in_the_transcript(
    session: ReviewSession, tmp_path: Path
) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot, row=0)
        screen.query_one("#passages", OptionList).highlighted = 3
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "kolleger")
        await type_text(pilot, "a good team")
        [span] = Codebook.load(tmp_path).spans
        assert span.text == "a good team"
        prompt = str(screen.query_one(OptionList).get_option_at_index(3).prompt)
        assert "[kolleger: “a good team”]" in prompt
        await pilot.press("u")
        await pilot.pause()
        await pick(pilot, span.id)
        assert Codebook.load(tmp_path).spans == []
        await pilot.press("z")
        await pilot.pause()
        assert [s.id for s in Codebook.load(tmp_path).spans] == [span.id]
        await pilot.press("y")
        await pilot.pause()
        assert Codebook.load(tmp_path).spans == []
        await pilot.press("ctrl+z")  # undo works with ctrl+z too
        await pilot.pause()
        assert len(Codebook.load(tmp_path).spans) == 1
        # a retag and a text edit are undone the same way
        before = session.corpus.interview("i1").passages[3]
        await pilot.press("t")
        await pilot.pause()
        await pick(pilot, "3.1")
        assert session.corpus.interview("i1").passages[3].primary.question_id == "3.1"  # type: ignore[union-attr]
        await pilot.press("z")
        await pilot.pause()
        assert session.corpus.interview("i1").passages[3].primary == before.primary
        assert session.project.saved["i1"][3].primary == before.primary  # type: ignore[attr-defined]


async def test_rename_merge_delete_and_segments_in_the_codes_screen(
    session: ReviewSession, tmp_path: Path
) -> None:
    session.code_words("i1", 3, "kolleger", "a good team")
    session.code_words("i3", 1, "kollegaer", "Colleagues are the reason I stay")
    session.code_passage("i2", 3, "avlastning")
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        codes = pilot.app.screen
        assert isinstance(codes, CodesScreen)
        tree = codes.query_one(Tree)
        # rename
        _cursor_on(tree, "code", "kolleger")
        await pilot.press("R")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ReviewText)
        dialog.query_one("Input").value = ""  # type: ignore[attr-defined]
        await type_text(pilot, "godt lag")
        assert Codebook.load(tmp_path).code_named("godt lag") is not None
        # merge kollegaer into godt lag
        _cursor_on(tree, "code", "kollegaer")
        await pilot.press("M")
        await pilot.pause()
        target = session.codebook.code_named("godt lag")
        assert target is not None
        await pick(pilot, target.id)
        book = Codebook.load(tmp_path)
        assert [c.name for c in book.codes] == ["godt lag", "avlastning"]
        assert sum(1 for s in book.spans if s.code_id == target.id) == 2
        # its segments across interviews, in one list; enter opens the passage
        _cursor_on(tree, "code", "godt lag")
        await pilot.press("enter")
        await pilot.pause()
        segments = pilot.app.screen
        assert isinstance(segments, SegmentsScreen)
        assert [(s.participant, s.text) for s in segments.segments] == [
            ("I1", "a good team"),
            ("I3", "Colleagues are the reason I stay"),
        ]
        segments.query_one(OptionList).highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        opened = pilot.app.screen
        assert isinstance(opened, TranscriptScreen) and opened.interview_id == "i3"
        assert opened.current == 1
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")  # remove the I3 coding from the list
        await pilot.pause()
        assert [s.participant for s in segments.segments] == ["I1"]
        await pilot.press("escape")
        await pilot.pause()
        # delete a code (asks), then undo brings it and its coding back
        _cursor_on(tree, "code", "avlastning")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert Codebook.load(tmp_path).code_named("avlastning") is None
        await pilot.press("z")
        await pilot.pause()
        restored = Codebook.load(tmp_path)
        code = restored.code_named("avlastning")
        assert code is not None and any(s.code_id == code.id for s in restored.spans)


async def test_names_to_redact_seen_added_and_removed(session: ReviewSession) -> None:
    project = session.project
    assert isinstance(project, RecordingProject)
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("N")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, NamesScreen)
        table = screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["Kari", "[colleague]"]
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Per Olsen")
        assert project.names == ["Kari=[colleague]", "Per Olsen"]
        # the review's exports redact it at once, first name alone too
        assert [r.name for r in session.corpus.redactions] == ["Kari", "Per Olsen"]
        table.move_cursor(row=0)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert project.names == ["Per Olsen"]


async def test_the_redaction_dialog_shows_its_placeholder_label(session: ReviewSession) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        await open_transcript(pilot, row=2)
        await pilot.press("x")
        await pilot.pause()
        await pick(pilot, pilot.app.screen.items[0][0])  # a possible name
        await pick(pilot, "redact")
        label = pilot.app.screen.query_one(Label)
        assert "(Name=[placeholder]):" in str(label.render())  # was "(Name=):"
