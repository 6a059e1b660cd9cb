"""Which participant speaks, in a couple or group interview: each participant's voice
gets a number (1, 2, … in the order they first speak), shown in the transcript view
("P2") and in every export ("I3-2"); an individual interview is unchanged."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from review_helpers import TranscriptApp, choose_speaker, couple_project
from textual.widgets import OptionList

from guide.tagging import follow_manual, tag_transcript
from guide.transcript import (
    Passage,
    Speaker,
    SpeakerSource,
    Word,
    participant_voices,
    voice_of,
)
from kvale_errors import StoreError
from store import Project
from store.analysis import Answer
from store.corpus import corpus_from_project
from store.exports.docx import codes_document
from store.exports.subtitles import srt, vtt
from store.exports.tabular import passages_csv, to_json
from store.exports.text import markdown, member_check
from store.review import ReviewSession
from tui.screens.review_dialogs import ReviewPick
from tui.widgets.passage_text import passage_text


def _said(speaker: Speaker, *voices: int | None) -> Passage:
    words = tuple(Word(i, i + 1, "ja", voice=v) for i, v in enumerate(voices))
    return Passage(0, len(voices), " ".join("ja" for _ in voices), words, speaker=speaker)


def test_participants_are_numbered_in_the_order_of_their_voices() -> None:
    """The voices are numbered as they are first heard in the recording (`audio.voices`),
    so the numbers follow them, not the order of the passages as they are now."""
    i, p = Speaker.INTERVIEWER, Speaker.PARTICIPANT
    couple = [_said(i, 0, 0), _said(p, 2, 2), _said(i, 0), _said(p, 1, 1, 2), _said(p, 2)]
    assert participant_voices(couple) == {1: 1, 2: 2}
    # a participant's passage the voices got wrong (in the interviewer's voice) is no
    # third participant
    assert participant_voices([*couple, _said(p, 0, 0)]) == {1: 1, 2: 2}
    # one passage said to be the other participant's, or the first answer gone (merged
    # into the question): the others keep their numbers
    assert participant_voices([*couple[:3], replace(couple[3], said_voice=2), *couple[4:]]) == {}
    assert participant_voices([couple[0], *couple[2:]]) == {1: 1, 2: 2}
    # a participant the researcher added (a voice after the recording's) comes last
    added = replace(_said(p, 1), said_voice=3)
    assert participant_voices([*couple, added]) == {1: 1, 2: 2, 3: 3}


@pytest.mark.parametrize(
    "passages",
    [
        # an individual interview: one participant's voice
        [
            _said(Speaker.INTERVIEWER, 0),
            _said(Speaker.PARTICIPANT, 1),
            _said(Speaker.PARTICIPANT, 1),
        ],
        # no voices told apart
        [_said(Speaker.INTERVIEWER, None), _said(Speaker.PARTICIPANT, None)],
        # no interviewer's passage with a voice: whose voice is whose is not known
        [_said(Speaker.UNKNOWN, 0), _said(Speaker.PARTICIPANT, 1), _said(Speaker.PARTICIPANT, 2)],
    ],
)
def test_no_numbers_where_there_is_one_participant_or_no_telling(
    passages: list[Passage],
) -> None:
    assert participant_voices(passages) == {}


def test_a_couple_interview_says_which_participant_speaks_in_view_and_exports(
    tmp_path: Path,
) -> None:
    project, iid = couple_project(tmp_path, 3)
    corpus = corpus_from_project(project)
    interview = corpus.interview(iid)
    numbers = [interview.participant_number(p) for p in interview.passages]
    answers = [
        n
        for n, p in zip(numbers, interview.passages, strict=True)
        if p.speaker is Speaker.PARTICIPANT
    ]
    # the first answer is participant 1's, the next participant 2's, and so by turns
    assert answers[:2] == [1, 2] and set(answers) == {1, 2}
    assert all(
        n is None
        for n, p in zip(numbers, interview.passages, strict=True)
        if p.speaker is Speaker.INTERVIEWER
    )

    text = markdown(corpus)
    assert "**I3-1**" in text and "**I3-2**" in text
    rows = passages_csv(corpus).splitlines()
    assert "participant_number" in rows[0].split(",")
    data = to_json(corpus)
    said = [p["participant_number"] for p in data["interviews"][0]["passages"]]
    assert {1, 2} <= set(said) and said.count(None) > 0
    json.dumps(data)  # still plain JSON
    assert "<v I3-2>" in vtt(corpus, interview)
    assert "I3-1: " in srt(corpus, interview)
    letter = member_check(corpus, "I3")
    assert "] I3-1: " in letter and "] I3-2: " in letter
    assert "You took part together: I3-1, I3-2 are each of you" in letter
    assert "] You: " not in letter
    # every participant's subtitle says which one
    cues = [c for c in srt(corpus, interview).split("\n\n") if c.strip()]
    said = [
        c for c, p in zip(cues, interview.passages, strict=True) if p.speaker is Speaker.PARTICIPANT
    ]
    assert all("I3-1: " in c or "I3-2: " in c for c in said)

    session = ReviewSession.open(project)
    k = numbers.index(2)
    shown = passage_text(session, session.corpus.interview(iid), k, set()).plain
    assert " P2 " in shown
    # a code's segments say whose words they are, in the app and in the codes document
    span = session.code_passage(iid, k, "support")
    assert [s.participant for s in session.segments(span.code_id)] == ["I3-2"]
    question = next(
        i for i, p in enumerate(interview.passages) if p.speaker is Speaker.INTERVIEWER and p.words
    )
    session.code_passage(iid, question, "support")
    quotes = [x.text for x in codes_document(corpus_from_project(project)).paragraphs]
    # who said it and where in the recording (a thesis cites it: "I3-2, 00:03:12")
    assert any(re.match(r"I3-2, \d\d:\d\d:\d\d: «", q) for q in quotes)
    assert any(re.match(r"Interviewer, \d\d:\d\d:\d\d: «", q) for q in quotes)


def test_an_individual_interview_keeps_the_participant_code_alone(tmp_path: Path) -> None:
    project, iid = couple_project(tmp_path, 2)
    corpus = corpus_from_project(project)
    interview = corpus.interview(iid)
    assert interview.participant_numbers == {}
    text = markdown(corpus)
    assert "**I3**" in text and "I3-1" not in text
    assert "<v I3>" in vtt(corpus, interview)
    assert "I3-1" not in member_check(corpus, "I3")
    session = ReviewSession.open(project)
    k = next(i for i, p in enumerate(interview.passages) if p.speaker is Speaker.PARTICIPANT)
    assert " P " in passage_text(session, session.corpus.interview(iid), k, set()).plain


async def test_the_researcher_says_which_participant_speaks(tmp_path: Path) -> None:
    """w in a couple interview offers each participant by number: the choice is saved,
    shown, kept when the interview is tagged again and by a retag's following, and
    undone by z."""
    project, iid = couple_project(tmp_path, 3)
    session = ReviewSession.open(project)
    interview = session.corpus.interview(iid)
    k = [interview.participant_number(p) for p in interview.passages].index(2)
    async with TranscriptApp(session, iid).run_test(size=(120, 40)) as pilot:
        view = pilot.app.screen.query_one("#passages", OptionList)
        view.highlighted = k
        await pilot.press("w")
        await pilot.pause()
        offered = [key for key, _ in pilot.app.screen.items]
        assert offered[:3] == ["interviewer", "participant 1", "participant 2"]
        await pilot.press("escape")
        await pilot.pause()
        await choose_speaker(pilot, "participant 1")
        assert " P1 " in str(view.get_option_at_index(k).prompt)
        assert (
            session.corpus.interview(iid).participant_number(
                session.corpus.interview(iid).passages[k]
            )
            == 1
        )
        await pilot.press("z")
        await pilot.pause()
        assert " P2 " in str(view.get_option_at_index(k).prompt)
        await choose_speaker(pilot, "participant 1")

    stored = Project.open(project.path).interview(iid)
    said = stored.passages[k]
    assert said.speaker_source is SpeakerSource.PASSAGE and said.said_voice is not None
    guide = corpus_from_project(project).guide_of(corpus_from_project(project).interview(iid))
    again = tag_transcript(guide, stored.segments, [], language="en", previous=stored.passages)
    twin = next(p for p in again if p.start <= (said.start + said.end) / 2 <= p.end)
    assert voice_of(twin) == said.said_voice
    followed = follow_manual(
        guide, stored.segments, [], list(stored.passages), language="en", start=0
    )
    assert voice_of(followed[k]) == said.said_voice


async def test_another_participant_gets_a_voice_and_a_number_of_their_own(
    tmp_path: Path,
) -> None:
    """A couple whose two voices the recording did not tell apart: w offers "another
    participant" (not in an individual interview), which makes that passage participant
    2 and the rest participant 1; it names no voice the interviewer's can be."""
    project, iid = couple_project(tmp_path / "single", 2)
    session = ReviewSession.open(project)
    assert "another" not in await _offered(session, iid, 2)

    project, iid = couple_project(tmp_path / "couple", 3, told_apart=False)
    session = ReviewSession.open(project)
    passages = session.corpus.interview(iid).passages
    answers = [i for i, p in enumerate(passages) if p.speaker is Speaker.PARTICIPANT]
    k = answers[3]
    assert "another" in await _offered(session, iid, k)
    session.set_speaker(iid, k, Speaker.PARTICIPANT, 2)  # what "another" sets: a new voice
    interview = session.corpus.interview(iid)
    numbers = [interview.participant_number(interview.passages[i]) for i in answers]
    assert numbers[3] == 2 and set(numbers[:3] + numbers[4:]) == {1}
    assert "I3-2" in markdown(corpus_from_project(project))
    # two participants, as the researcher said: no third; and the voice the researcher
    # gave is none the interviewer's can be named from
    assert "another" not in await _offered(session, iid, answers[4])
    assert "voice" not in await _offered(session, iid, k)
    with pytest.raises(StoreError, match="told no voices apart"):
        session.set_interviewer_voice(iid, k)
    session.tagger_speaker(iid, k)  # back to the tagger's say: one participant again
    assert session.corpus.interview(iid).participant_numbers == {}


async def _offered(session: ReviewSession, iid: str, index: int) -> list[str]:
    """The choices w offers on passage ``index`` on the transcript screen (their keys)."""
    async with TranscriptApp(session, iid).run_test(size=(120, 40)) as pilot:
        pilot.app.screen.query_one("#passages", OptionList).highlighted = index
        await pilot.press("w")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ReviewPick)
        return [key for key, _ in dialog.items]


def test_edits_and_merges_keep_the_participants_numbers(tmp_path: Path) -> None:
    """Adding a word to an answer (its words lose their times), merging the first
    question with its answer, or saying one answer is the other participant's changes
    no other passage's number."""
    project, iid = couple_project(tmp_path, 3)
    session = ReviewSession.open(project)

    def numbers() -> list[int | None]:
        interview = session.corpus.interview(iid)
        return [interview.participant_number(p) for p in interview.passages]

    before = numbers()
    first = before.index(1)
    session.edit_text(iid, first, "Well, " + session.corpus.interview(iid).passages[first].text)
    assert session.corpus.interview(iid).passages[first].words == ()
    assert numbers() == before
    session.set_speaker(iid, first, Speaker.PARTICIPANT, _voice_of_number(session, iid, 2))
    after = numbers()
    assert after[first] == 2
    assert [n for i, n in enumerate(after) if i != first] == [
        n for i, n in enumerate(before) if i != first
    ]
    question = first - 1
    assert session.corpus.interview(iid).passages[question].speaker is Speaker.INTERVIEWER
    session.merge(iid, question)
    merged = numbers()
    assert merged[question] is None  # the interviewer's speaker wins
    assert merged[question + 1 :] == after[first + 1 :]


def _voice_of_number(session: ReviewSession, iid: str, n: int) -> int:
    return {m: v for v, m in session.corpus.interview(iid).participant_numbers.items()}[n]


def test_an_answer_by_both_says_who_said_what() -> None:
    """By question (the view and the report): a question both of a couple answered shows
    each one's words after their label, the interviewer's without one."""
    i, p = Speaker.INTERVIEWER, Speaker.PARTICIPANT
    both = Answer(
        "iv", "I3", ((0, _said(p, 1)), (1, _said(i, 0)), (2, _said(p, 2))), ("I3-1", "", "I3-2")
    )
    assert both.text == "I3-1: ja ja I3-2: ja"
    one = Answer("iv", "I3", ((0, _said(p, 1)), (2, _said(p, 1))), ("I3-1", "I3-1"))
    assert one.text == "ja ja"


async def test_one_who_withdrew_is_offered_no_passage(tmp_path: Path) -> None:
    """After I3-2 withdrew alone, w offers I3-1 and the interviewer, never I3-2 (their
    words are deleted; a passage given to them would be theirs again)."""
    from store.withdrawal import withdraw_or_purge

    project, iid = couple_project(tmp_path, 3)
    withdraw_or_purge(project, "I3-2")
    session = ReviewSession.open(project)
    interview = session.corpus.interview(iid)
    k = next(i for i, p in enumerate(interview.passages) if p.speaker is Speaker.PARTICIPANT)
    offered = await _offered(session, iid, k)
    assert "participant 1" in offered and "participant 2" not in offered
