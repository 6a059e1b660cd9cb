"""Small talk before the interview begins, said "No question" by the researcher: the
talk that goes with it follows, and the first asking after it is the first question.

The tagger reads a question answered at length as an asking, so small talk ("Did you
find the office all right?" "Yes, I took the train …") before the first guide question
is tagged as the guide's first question or heading. Marking it "No question" pins the
time before the first question there (`guide.tagging.pins`), and the retag's following
(`follow_manual`) takes the rest of the small talk along. Later in the interview "No
question" is the researcher's for that passage alone. The interview is written for this
test (`talk.CYCLING`); no bench was tuned on it.
"""

from __future__ import annotations

import pytest
from talk import CYCLING, SMALL_TALK, conversation, guide

from guide.tagging import follow_manual, pins, retag_passage, tag_transcript
from guide.transcript import NO_QUESTION, Passage, Tag, TagSource, is_manual


def _at(passages: list[Passage], words: str) -> int:
    return next(i for i, p in enumerate(passages) if p.text.startswith(words))


def _question(p: Passage) -> str | None:
    return p.primary.question_id if p.primary is not None else None


def _retag(segs: list, passages: list[Passage], index: int, qid: str) -> list[Passage]:
    manual = retag_passage(passages, index, qid)
    return follow_manual(guide(CYCLING), segs, [], manual, language="en", start=index)


@pytest.fixture(params=[True, False], ids=["voices", "no voices"])
def read(request: pytest.FixtureRequest) -> tuple[list, list[Passage]]:
    segs = conversation(SMALL_TALK, voices=request.param)
    return segs, tag_transcript(guide(CYCLING), segs, [], language="en")


def test_small_talk_is_read_as_the_interview_until_the_researcher_says_otherwise(
    read: tuple,
) -> None:
    _segs, passages = read
    reply = passages[_at(passages, "Yes, I took the train")]
    assert _question(reply) is not None  # what this test is about: a question answered


def test_no_question_on_small_talk_takes_its_reply_along(read: tuple) -> None:
    segs, passages = read
    asked = _at(passages, "Did you find")
    followed = _retag(segs, passages, asked, NO_QUESTION)
    assert is_manual(followed[asked]) and _question(followed[asked]) == NO_QUESTION
    reply = followed[_at(followed, "Yes, I took the train")]
    assert reply.primary is None  # untagged, as the intro is: not a tag of the researcher's
    first = _at(followed, "So how far")
    assert _question(followed[first]) == _question(followed[first + 1]) == "1.1"


def test_small_talk_marked_top_down_leaves_the_first_question_first(read: tuple) -> None:
    segs, passages = read
    for words in ("Did you find", "Would you like a cup"):
        passages = _retag(segs, passages, _at(passages, words), NO_QUESTION)
    first = _at(passages, "So how far")
    assert all(_question(p) in (None, NO_QUESTION) for p in passages[:first])
    assert [_question(p) for p in passages[first : first + 2]] == ["1.1", "1.1"]
    # tagging again (after an edit of the transcript) keeps all of it
    again = tag_transcript(guide(CYCLING), segs, [], language="en", previous=passages)
    assert [(p.text, _question(p)) for p in again] == [(p.text, _question(p)) for p in passages]


def test_no_question_once_the_interview_has_begun_is_for_that_passage_alone() -> None:
    segs = conversation(SMALL_TALK)
    passages = tag_transcript(guide(CYCLING), segs, [], language="en")
    for words in ("Did you find", "Would you like a cup"):
        passages = _retag(segs, passages, _at(passages, words), NO_QUESTION)
    # a remark mid-interview said to answer nothing: the questions before it stay
    aside = _at(passages, "By bicycle")
    followed = _retag(segs, passages, aside, NO_QUESTION)
    assert [_question(p) for i, p in enumerate(followed) if i != aside] == [
        _question(p) for i, p in enumerate(passages) if i != aside
    ]


def test_only_small_talk_before_every_question_pins_the_decoding() -> None:
    def p(start: float, qid: str | None, source: TagSource = TagSource.MANUAL) -> Passage:
        return Passage(start, start + 1, "…", primary=None if qid is None else Tag(qid, source, 1))

    early, asked, late = p(0, NO_QUESTION), p(2, "1.1", TagSource.DETECTED), p(4, NO_QUESTION)
    manual = p(6, "1.2")
    assert pins([early, asked, late, manual]) == [early, manual]
    assert pins([p(0, None), early]) == [early]  # untagged talk before it: not begun
