"""A retag in review: the passages after it follow, in a real `store.Project`, and one
undo takes back both; and on the transcript screen (Pilot), the researcher is told."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from review_helpers import TranscriptApp
from textual.widgets import OptionList

from bench.follow import _wrong
from bench.tagging_conditions import score
from bench.tagging_written import _asking_only, interviews
from guide.tagging import tag_transcript
from guide.transcript import Passage, Speaker, Tag, TagSource
from store import Project
from store.review import ReviewSession
from tui.screens.review_dialogs import ReviewPick
from tui.screens.transcript import TranscriptScreen


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Project, str, object]:
    """A project holding one hand-written interview (bench set A, en-a1: every question
    paraphrased, no key presses) with its transcript and the tagger's passages."""
    iv = next(i for i in interviews("A", "en", "none") if i.name == "en-a1")
    project = Project.init(tmp_path / "p", name="follow")
    guide_hash = project.add_guide(iv.guide)
    segs = iv.oracle_segments()
    item = project.new_interview("P1", guide_hash, "en")
    passages = tag_transcript(iv.guide, segs, [], language="en")
    project.save_interview(replace(item, segments=segs, passages=passages, duration=iv.duration))
    project.set_status(item.id, "transcribed")
    return project, item.id, iv


def test_a_retag_is_followed_saved_and_undone_in_one_step(stored: tuple) -> None:
    project, iid, iv = stored
    session = ReviewSession.open(project)
    before = list(session.corpus.interview(iid).passages)
    index, right = _wrong(iv, before)
    session.retag(iid, index, right)
    after = list(Project.open(project.path).interview(iid).passages)
    assert after[index].primary is not None and after[index].primary.question_id == right
    assert after[index].primary.source is TagSource.MANUAL
    changed = [
        i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a.primary != b.primary
    ]
    moved = [i for i in changed if before[i].primary.question_id != after[i].primary.question_id]
    assert session.followed == len(moved) - 1 > 0
    # the passages before it were left as read, but for its asking
    assert min(changed) >= index - 1
    session.undo()
    assert list(Project.open(project.path).interview(iid).passages) == before


async def test_the_transcript_screen_says_how_many_followed(stored: tuple) -> None:
    project, iid, iv = stored
    session = ReviewSession.open(project)
    index, right = _wrong(iv, list(session.corpus.interview(iid).passages))
    async with TranscriptApp(session, iid).run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, TranscriptScreen)
        screen.query_one("#passages", OptionList).highlighted = index
        await pilot.press("t")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ReviewPick)
        dialog.query_one(OptionList).highlighted = [k for k, _ in dialog.items].index(right)
        await pilot.press("enter")
        await pilot.pause()
        n = session.followed
        assert n > 0
        said = [str(m.message) for m in pilot.app._notifications]
        assert any(f"{n} other passages now follow this retag" in m for m in said), said
        await pilot.press("z")
        await pilot.pause()
        assert session.corpus.interview(iid).passages[index].primary.source is not TagSource.MANUAL


def test_a_follow_uses_how_the_interviewer_asked_in_the_other_interviews(
    stored: tuple, tmp_path: Path
) -> None:
    """With interviews in the project whose askings the researcher tagged by hand, the
    passages that follow a retag get more right (`store.askings`)."""
    project, iid, iv = stored
    others = [i for i in interviews("A", "en", "none") if i.name != "en-a1"][:12]
    lone = Project.init(tmp_path / "alone", name="alone")
    lone_id = _copy(project, iid, lone)
    guide_hash = project.add_guide(iv.guide)
    for other in others:
        item = project.new_interview(other.name, guide_hash, "en")
        asked = [
            Passage(
                u.start,
                u.end,
                u.text,
                primary=Tag(u.question_id, TagSource.MANUAL, 1.0),
                speaker=Speaker.INTERVIEWER,
            )
            for u in _asking_only(other.utterances)
            if u.role == "interviewer" and u.question_id
        ]
        project.save_interview(replace(item, passages=asked))
    right = []
    for where, this in ((lone, lone_id), (project, iid)):
        session = ReviewSession.open(where)
        passages = list(session.corpus.interview(this).passages)
        index, question = _wrong(iv, passages)
        session.retag(this, index, question)
        right.append(score(iv, session.corpus.interview(this).passages)["acc"])
    assert right[1] > right[0]


def _copy(project: Project, iid: str, to: Project) -> str:
    item = project.interview(iid)
    guide_hash = to.add_guide(project.guide(item.guide_hash))
    new = to.new_interview(item.participant, guide_hash, "en")
    to.save_interview(
        replace(new, segments=item.segments, passages=item.passages, duration=item.duration)
    )
    return new.id
