"""Pilot tests of the review screens: retag, code, by question across 3 interviews, export.

The screens are pushed on a minimal App over a `ReviewSession` of three
hand-made interviews (the same as tests/store). Saving passages goes through
``project.set_passages``; until the store's Project is used here, a small
recorder stands in for it and the test checks what it received.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, OptionList, Static, Tree

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from review_helpers import small_corpus

from guide.transcript import Passage, TagSource
from kvale_errors import StoreError
from store.codebook import Codebook
from store.exports import FORMATS
from store.model import ProjectSettings
from store.review import ReviewSession
from tui.screens.by_question import ByQuestionScreen
from tui.screens.codes import CodesScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.review import ReviewScreen
from tui.screens.review_dialogs import ReviewNote, ReviewPick, ReviewText
from tui.screens.transcript import TranscriptScreen

SIZE = (120, 40)


class RecordingProject:
    """Stands in for store.Project's set_passages (the real one is not used here yet)."""

    def __init__(self) -> None:
        self.saved: dict[str, list[Passage]] = {}
        self.names: list[str] = ["Kari=[colleague]"]

    def set_passages(self, interview_id: str, passages: list[Passage]) -> None:
        self.saved[interview_id] = list(passages)

    def interview(self, interview_id: str) -> Any:
        # no transcript stored: a retag is the one passage's (the passages after it
        # follow only in a real project: tests/store/test_review_follow.py)
        raise StoreError(f"{interview_id}: not stored here")

    @property
    def settings(self) -> ProjectSettings:  # a property, as on store.Project
        return ProjectSettings(name="NAV trivsel", redaction_names=list(self.names))

    def update_settings(self, **changes: Any) -> None:
        self.names = list(changes["redaction_names"])


class ReviewApp(App[None]):
    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.session))


@pytest.fixture
def session(tmp_path: Path) -> ReviewSession:
    return ReviewSession(small_corpus(tmp_path), RecordingProject())


async def pick(pilot: Any, key: str) -> None:
    """Choose the option with this id in the open ReviewPick."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ReviewPick)
    options = dialog.query_one(OptionList)
    keys = [k for k, _ in dialog.items]
    options.highlighted = keys.index(key)
    await pilot.press("enter")
    await pilot.pause()


async def type_text(pilot: Any, text: str) -> None:
    assert isinstance(pilot.app.screen, ReviewText)
    await pilot.press(*list(text))
    await pilot.press("enter")
    await pilot.pause()


async def open_transcript(pilot: Any, row: int = 0) -> TranscriptScreen:
    table = pilot.app.screen.query_one(DataTable)
    table.move_cursor(row=row)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TranscriptScreen)
    return screen


async def test_review_lists_interviews_and_informant_table(session: ReviewSession) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = pilot.app.screen.query_one(DataTable)
        assert table.row_count == 3
        assert table.get_row_at(0)[:4] == ["I1", "2023-03-13", "3 min", "52"]
        text = str(pilot.app.screen.query_one("#informants", Static).render())
        assert "Total" in text and "115" in text
        assert "Per" in text and "Olsen" in text  # flagged names


async def test_retag_a_passage(session: ReviewSession) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        screen.query_one("#passages", OptionList).highlighted = 3
        await pilot.press("t")
        await pilot.pause()
        await pick(pilot, "2.3")
        p = session.corpus.interview("i1").passages[3]
        assert p.primary is not None and p.primary.question_id == "2.3"
        assert p.primary.source == TagSource.MANUAL
        saved = session.project.saved["i1"]
        assert saved[3].primary == p.primary
        # the list marks the tag as the researcher's, in place of a confidence
        prompt = str(screen.query_one("#passages", OptionList).get_option_at_index(3).prompt)
        assert "✎" in prompt and "1.00" not in prompt
        assert isinstance(pilot.app.screen, TranscriptScreen)
        assert screen.query_one("#passages", OptionList).highlighted == 3


async def test_add_a_code_and_it_is_saved(session: ReviewSession, tmp_path: Path) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot, row=1)
        screen.query_one("#passages", OptionList).highlighted = 3
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "avlastning")
        await type_text(pilot, "")  # which words: none typed, the whole passage
        book = Codebook.load(tmp_path)
        [code] = book.codes
        assert code.name == "avlastning"
        [span] = book.spans
        assert span.interview_id == "i2"
        assert span.text == session.corpus.interview("i2").passages[3].text
        prompt = screen.query_one("#passages", OptionList).get_option_at_index(3).prompt
        assert "[avlastning]" in str(prompt)


async def test_split_merge_search_and_jump(session: ReviewSession) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        view = screen.query_one("#passages", OptionList)
        view.highlighted = 3
        await pilot.press("s")
        await pilot.pause()
        await type_text(pilot, "and Kari")
        passages = session.corpus.interview("i1").passages
        assert passages[4].text.startswith("and Kari")
        view.highlighted = 3
        await pilot.press("m")
        await pilot.pause()
        assert len(session.corpus.interview("i1").passages) == 6
        await pilot.press("slash")
        await pilot.pause()
        await type_text(pilot, "shout")
        assert view.highlighted == 5
        await pilot.press("j")
        await pilot.pause()
        await pick(pilot, "1.1")
        assert view.highlighted == 0


async def test_split_shows_the_passage_to_split(session: ReviewSession) -> None:
    """The dialog shows the whole passage (the list cuts it off at the screen's width), so
    the researcher can type the second part's first words as written."""
    from textual.widgets import Input, Static

    from tui.screens.review_dialogs import ReviewSplit

    async with ReviewApp(session).run_test(size=(80, 24)) as pilot:
        screen = await open_transcript(pilot)
        view = screen.query_one("#passages", OptionList)
        view.highlighted = 3
        await pilot.press("s")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ReviewSplit)
        text = session.corpus.interview("i1").passages[3].text
        assert str(dialog.query_one("#passage", Static).render()) == text
        assert dialog.query_one("#passage", Static).region.height >= 1
        assert dialog.query_one(Input).region.height >= 1  # the line to type in, seen
        await type_text(pilot, "and Kari")
        assert session.corpus.interview("i1").passages[4].text.startswith("and Kari")


async def test_split_says_what_is_wrong_with_the_words_typed(session: ReviewSession) -> None:
    """A first-time user's finding: the passage's own first words were refused as "not
    inside the passage"; the words are found in any case."""
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        view = screen.query_one("#passages", OptionList)
        view.highlighted = 3  # "We have a good team here, and Kari always asks how it went."
        await pilot.press("s")
        await pilot.pause()
        await type_text(pilot, "We have")
        said = [str(m.message) for m in pilot.app._notifications]
        assert any("The passage begins with those words" in m for m in said), said
        await pilot.press("s")
        await pilot.pause()
        await type_text(pilot, "AND KARI")
        assert session.corpus.interview("i1").passages[4].text.startswith("and Kari")


async def test_by_question_across_three_interviews(session: ReviewSession) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ByQuestionScreen)
        questions = screen.query_one(OptionList)
        questions.highlighted = screen.ids.index("2.2")
        await pilot.pause()
        answers = [str(s.render()) for s in screen.query(".answer").results(Static)]
        assert len(answers) == 3
        assert answers[0].startswith("I1  (13 words)")
        assert "takes over an hour" in answers[1]
        assert "Per Olsen" in answers[2]
        assert "3/3 participants · 38 words" in screen.sub_title
        questions.highlighted = screen.ids.index("1.1")
        await pilot.pause()
        answers = [str(s.render()) for s in screen.query(".answer").results(Static)]
        assert "no answer" in answers[2]
        await pilot.press("v")
        await pilot.pause()
        assert screen.query_one("#answers").has_class("side")


async def test_codes_groups_and_condensation(session: ReviewSession, tmp_path: Path) -> None:
    session.code_passage("i1", 3, "team")
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CodesScreen)
        tree = screen.query_one(Tree)
        rq1 = next(n for n in tree.root.children if n.data == ("rq", "RQ1"))
        tree.move_cursor(rq1)
        await pilot.press("g")
        await pilot.pause()
        await type_text(pilot, "Colleagues")
        book = session.codebook
        [group] = book.groups
        assert group.research_question == "RQ1"
        code_node = next(n for n in tree.root.children if n.data and n.data[0] == "code")
        tree.move_cursor(code_node)
        await pilot.press("m")
        await pilot.pause()
        await pick(pilot, group.id)
        assert book.codes[0].group_id == group.id
        group_node = next(
            n for n in tree.root.children[0].children if n.data == ("group", group.id)
        )
        tree.move_cursor(group_node)
        await pilot.press("e")
        await pilot.pause()
        await pick(pilot, "I1")
        note = pilot.app.screen
        assert isinstance(note, ReviewNote)
        note.query_one("TextArea").text = "A good team."  # type: ignore[attr-defined]
        # escape with a changed text asks first; escape again keeps writing
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is note
        assert note.query_one("TextArea").text == "A good team."  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Codebook.load(tmp_path).note(group.id, "I1") == "A good team."
        # and a text thrown away on purpose: the note stays as it was
        await pilot.press("e")
        await pilot.pause()
        await pick(pilot, "I1")
        pilot.app.screen.query_one("TextArea").text = "Not this."
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, (ReviewNote, ConfirmDialog))
        assert Codebook.load(tmp_path).note(group.id, "I1") == "A good team."
        counts = str(screen.query_one("#counts", Static).render())
        assert "→ 3 condensed" in counts


@pytest.mark.parametrize("fmt", FORMATS)
async def test_export_each_format_from_the_app(session: ReviewSession, fmt: str) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        await pick(pilot, fmt)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.last_export, fmt
        assert all(p.is_file() for p in screen.last_export)
        assert session.corpus.path is not None
        assert all(session.corpus.path in p.parents for p in screen.last_export)


class FakeProject(RecordingProject):
    """Stands in for store.Project's read API (interviews, interview, settings)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.corpus = small_corpus(path)

    def interviews(self) -> list[dict[str, str]]:
        return [{"id": i.id} for i in self.corpus.interviews]

    def interview(self, interview_id: str) -> Any:
        return self.corpus.interview(interview_id)

    @property
    def settings(self) -> ProjectSettings:  # a property, as on store.Project
        return ProjectSettings(name="NAV trivsel", redaction_names=list(self.names))

    def update_settings(self, **changes: Any) -> None:
        self.names = list(changes["redaction_names"])


async def test_review_reads_a_project_in_a_worker_and_adds_a_name(tmp_path: Path) -> None:
    project = FakeProject(tmp_path)

    class ProjectApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ReviewScreen(project=project))

    async with ProjectApp().run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen) and screen.ready
        assert screen.query_one(DataTable).row_count == 3
        assert screen.session.corpus.redactions[0].placeholder == "[colleague]"
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Per Olsen=[manager]")
        assert project.names == ["Kari=[colleague]", "Per Olsen=[manager]"]
        text = str(screen.query_one("#informants", Static).render())
        assert "Olsen" not in text.split("Possible names to redact:")[1]


async def test_transcript_flags_names_for_the_researcher_to_decide(
    session: ReviewSession, tmp_path: Path
) -> None:
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot, row=2)
        summary = str(screen.query_one("#summary", Static).render())
        assert "2 possible names" in summary
        await pilot.press("x")
        await pilot.pause()
        await pick(pilot, "Olsen")
        await pick(pilot, "keep")
        assert Codebook.load(tmp_path).not_names == ["Olsen"]
        await pilot.press("x")
        await pilot.pause()
        await pick(pilot, "Per")
        await pick(pilot, "redact")
        dialog = pilot.app.screen
        assert isinstance(dialog, ReviewText)
        dialog.query_one("Input").value = "Per=[manager]"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert [r.name for r in session.corpus.redactions] == ["Kari", "Per"]
        assert session.project.names == ["Kari=[colleague]", "Per=[manager]"]
        assert "0 possible names" in str(screen.query_one("#summary", Static).render())
        md = session.export("md")[0].read_text(encoding="utf-8")
        assert "[colleague] and [manager] Olsen helped" in md


async def test_review_of_a_real_project_with_a_damaged_interview(tmp_path: Path) -> None:
    # issue 14, case 7: one damaged interview file emptied the review screen
    from store_helpers import passages_of, small_guide, transcript

    from store import Project

    project = Project.init(tmp_path / "p")
    guide_hash = project.add_guide(small_guide())
    ids = []
    for who in ("I1", "I2", "I3"):
        iid = project.new_interview(who, guide_hash, "en").id
        project.set_passages(iid, passages_of(transcript(20, who)))
        ids.append(iid)
    (project.path / "interviews" / f"{ids[2]}.json").write_text("{not json")

    class ProjectApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ReviewScreen(project=project))

    async with ProjectApp().run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen) and screen.ready
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        assert [str(c) for c in table.get_row_at(2)][4] == "damaged"
        assert f"Damaged, left out: {ids[2]}" in str(screen.query_one("#informants").render())
        table.move_cursor(row=2)
        screen.action_open()  # says why, opens nothing
        await pilot.pause()
        assert pilot.app.screen is screen


async def test_transcript_shows_the_interviewer_s_notes_and_edits_them(tmp_path: Path) -> None:
    # issue 14, case 10: notes and bookmarks were only in the marker log
    from store_helpers import passages_of, small_guide, transcript

    from guide.transcript import Marker, MarkerKind
    from store import Project

    project = Project.init(tmp_path / "p")
    iid = project.new_interview("I1", project.add_guide(small_guide()), "en").id
    project.set_passages(iid, passages_of(transcript(60, "w")))
    project.add_marker(iid, Marker(10.0, MarkerKind.NOTE, text="call back about the roster"))
    project.add_marker(iid, Marker(17.5, MarkerKind.BOOKMARK))
    session = ReviewSession.open(project)
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot, row=0)
        view = screen.query_one("#passages", OptionList)
        assert "✎ Note: call back about the roster" in str(view.get_option_at_index(1).prompt)
        assert "✎ Bookmark" in str(view.get_option_at_index(2).prompt)
        await pilot.press("o")
        await pilot.pause()
        await pick(pilot, "1")
        note = pilot.app.screen
        assert isinstance(note, ReviewNote)
        note.query_one("TextArea").text = "she hesitated here"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "✎ Bookmark: she hesitated here" in str(view.get_option_at_index(2).prompt)
    marks = Project.open(project.path).interview(iid).markers
    assert [m.text for m in marks if m.kind == MarkerKind.BOOKMARK] == ["she hesitated here"]


async def test_by_question_groups_questions_by_guide_when_interviews_used_two(
    tmp_path: Path,
) -> None:
    # issue 14, case 8: with two guides, "1.1" of one is not "1.1" of the other
    from guide.bundled import load_bundled
    from store.analysis import corpus_question_label
    from store.corpus import Corpus, ReviewInterview
    from tui.screens.by_question import ByQuestionScreen

    nb, en = load_bundled("nav-trivsel-nb"), load_bundled("example-en")
    corpus = small_corpus(tmp_path)
    first, second = corpus.interviews[0], corpus.interviews[1]
    mixed = Corpus(
        "mixed",
        None,
        [
            ReviewInterview(first.id, "I1", first.date, 60, first.passages, guide=nb),
            ReviewInterview(second.id, "I2", second.date, 60, second.passages, guide=en),
        ],
    )

    class App2(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ByQuestionScreen(ReviewSession(mixed)))

    async with App2().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ByQuestionScreen)
        labels = [corpus_question_label(mixed, k) for k in screen.ids]
        assert f"{nb.title} · 1.1 Hvor lenge har du jobbet i NAV?" in labels
        assert f"{en.title} · 1.1 What is your job, and how long have you had it?" in labels
        key = screen.ids[labels.index(f"{nb.title} · 1.1 Hvor lenge har du jobbet i NAV?")]
        screen.show(key)
        await pilot.pause()
        assert [b for b in screen.query(".answer")].__len__() == 1  # only I1 had that guide


async def test_an_edit_that_changes_coded_words_says_so(session: ReviewSession) -> None:
    """Coded words edited away leave the coding in the codebook but out of every export:
    the edit says so at once, while z can undo it (found by a first-time user)."""
    session.code_words("i1", 3, "teamwork", "a good team")
    async with ReviewApp(session).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot, row=0)
        screen.query_one("#passages", OptionList).highlighted = 3
        await pilot.pause()
        assert screen.current == 3
        for text, warned in (
            ("We have a good team here, and she always asks how it went.", False),
            ("We have a fine team here, and she always asks how it went.", True),
        ):
            await pilot.press("e")
            await pilot.pause()
            note = pilot.app.screen
            assert isinstance(note, ReviewNote)
            note.query_one("TextArea").text = text  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await pilot.pause()
            said = [n.message for n in pilot.app._notifications]
            assert any("“a good team” is no longer in the passage" in m for m in said) == warned
