"""A passage that answers no guide question (small talk, the intro, the closing), said
by the researcher: a manual tag like any other (it wins, survives tagging again and a
retag's following, one undo takes it back), counted and exported as untagged, and never
learned as an asking."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from review_helpers import TranscriptApp
from textual.widgets import OptionList

from bench.tagging_conditions import text_interview
from guide.tagging import follow_manual, tag_transcript
from guide.transcript import NO_QUESTION, Speaker, TagSource, is_manual
from store import Project
from store.analysis import by_question, question_of
from store.askings import askings_of
from store.review import ReviewSession
from tui.screens.review_dialogs import ReviewPick
from tui.screens.transcript import NONE


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Project, str, object]:
    iv = text_interview("en", 2, "held_out", "none", "")
    project = Project.init(tmp_path / "p", name="none")
    item = project.new_interview("P1", project.add_guide(iv.guide), "en")
    segs = iv.oracle_segments()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    project.save_interview(replace(item, segments=segs, passages=passages, duration=iv.duration))
    project.set_status(item.id, "transcribed")
    return project, item.id, iv


def _last_asking(passages: list) -> int:
    """The last passage the interviewer speaks that has a question (the closing, here)."""
    return max(
        i
        for i, p in enumerate(passages)
        if p.primary is not None and p.speaker is Speaker.INTERVIEWER
    )


def test_no_question_by_hand_wins_and_is_untagged(stored: tuple) -> None:
    project, iid, iv = stored
    session = ReviewSession.open(project)
    before = list(session.corpus.interview(iid).passages)
    k = _last_asking(before)
    was = question_of(before[k])
    listed = by_question(session.corpus, was, include_interviewer=True)
    assert any(i == k for a in listed for i, _p in a.passages)
    session.retag(iid, k, NO_QUESTION)
    saved = Project.open(project.path).interview(iid).passages
    assert saved[k].primary is not None and saved[k].primary.source is TagSource.MANUAL
    assert question_of(saved[k]) == NO_QUESTION and is_manual(saved[k])
    assert was in [t.question_id for t in saved[k].secondary]  # the tagger's tag is kept
    listed = by_question(session.corpus, was, include_interviewer=True)
    assert all(i != k for a in listed for i, _p in a.passages)
    # tagging again and a retag's following keep it
    segs = project.interview(iid).segments
    again = tag_transcript(iv.guide, segs, [], language="en", previous=saved)
    same = [p for p in again if p.start <= saved[k].start + 1e-6 <= p.end]
    assert same and all(question_of(p) == NO_QUESTION and is_manual(p) for p in same)
    assert follow_manual(iv.guide, segs, [], saved, language="en")[k] == saved[k]
    # not an asking of any question, for the interviews tagged after
    assert all(text != saved[k].text for _q, text in askings_of(saved))
    session.undo()
    assert list(Project.open(project.path).interview(iid).passages) == before


def test_an_export_shows_it_untagged(stored: tuple, tmp_path: Path) -> None:
    project, iid, _iv = stored
    session = ReviewSession.open(project)
    passages = list(session.corpus.interview(iid).passages)
    k = _last_asking(passages)
    session.retag(iid, k, NO_QUESTION)
    out = session.export("md", tmp_path / "out")
    text = "\n".join(p.read_text(encoding="utf-8") for p in out if p.suffix == ".md")
    assert "untagged" in text and passages[k].text.split()[0] in text


async def test_the_retag_list_offers_no_question_first(stored: tuple) -> None:
    project, iid, _iv = stored
    session = ReviewSession.open(project)
    k = _last_asking(list(session.corpus.interview(iid).passages))
    async with TranscriptApp(session, iid).run_test(size=(120, 40)) as pilot:
        view = pilot.app.screen.query_one("#passages", OptionList)
        view.highlighted = k
        await pilot.press("t")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ReviewPick) and dialog.items[0][0] == NONE
        dialog.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        p = session.corpus.interview(iid).passages[k]
        assert question_of(p) == NO_QUESTION and is_manual(p)
        shown = str(view.get_option_at_index(k).prompt)
        assert "—" in shown and "✎" in shown


def test_small_talk_said_no_question_takes_its_reply_along(tmp_path: Path) -> None:
    """Through the review session, as `t` → "No question" does it: the reply to the small
    talk follows (counted), and one undo takes both back."""
    from tests.guide.talk import CYCLING, SMALL_TALK, conversation, guide

    g = guide(CYCLING)
    project = Project.init(tmp_path / "p", name="small talk")
    item = project.new_interview("P1", project.add_guide(g), "en")
    segs = conversation(SMALL_TALK)
    passages = tag_transcript(g, segs, [], language="en")
    project.save_interview(replace(item, segments=segs, passages=passages, duration=40.0))
    project.set_status(item.id, "transcribed")
    session = ReviewSession.open(project)
    k = next(i for i, p in enumerate(passages) if p.text.startswith("Did you find"))
    assert question_of(passages[k + 1]) is not None  # the reply, read as an answer
    session.retag(item.id, k, NO_QUESTION)
    assert session.followed == 1
    saved = Project.open(project.path).interview(item.id).passages
    assert question_of(saved[k]) == NO_QUESTION and saved[k + 1].primary is None
    session.undo()
    assert list(Project.open(project.path).interview(item.id).passages) == passages
