"""One correction, and the rest follow (`guide.tagging.follow_manual`).

The interviews are two of the bench's hand-written ones (``bench/data``, set A, en), in
which the interviewer paraphrases every question and presses no key: the tagger reads
one asking wrong and the passages after it run a question behind.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.follow import _wrong, review
from bench.tagging_conditions import score
from bench.tagging_written import interviews
from guide.tagging import follow_manual, retag_passage, tag_transcript
from guide.transcript import Passage, Speaker, Tag, TagSource


@pytest.fixture(scope="module")
def shifted() -> list:
    ivs = {iv.name: iv for iv in interviews("A", "en", "none")}
    return [ivs["en-a1"], ivs["en-d1"]]


def _fields(p: Passage) -> tuple:
    return (p.start, p.end, p.text, p.words, p.speaker, p.codes)


def test_one_retag_puts_the_passages_after_it_right(shifted: list) -> None:
    for iv in shifted:
        segs = iv.oracle_segments()
        passages = tag_transcript(iv.guide, segs, [], language="en")
        index, right = _wrong(iv, passages)  # type: ignore[misc]
        alone = retag_passage(passages, index, right)
        followed = follow_manual(iv.guide, segs, [], alone, language="en", start=index)
        before, one, more = (score(iv, p)["acc"] for p in (passages, alone, followed))
        assert before < one < more, iv.name
        # the same misreading set the later passages wrong: the retag mends some of them
        mended = [
            i
            for i, (a, b) in enumerate(zip(alone, followed, strict=True))
            if i > index and a.primary != b.primary
        ]
        assert mended, iv.name


def test_the_asking_of_a_retagged_answer_follows_it(shifted: list) -> None:
    iv = shifted[0]  # en-a1: "What did you study before you started?" read as 1.2
    segs = iv.oracle_segments()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    index = next(i for i, p in enumerate(passages) if p.text.startswith("I have a bachelor"))
    asking = passages[index - 1]
    assert (
        asking.text.startswith("What did you study") and asking.speaker is not Speaker.PARTICIPANT
    )
    assert asking.primary is not None and asking.primary.question_id != "1.4"
    manual = retag_passage(passages, index, "1.4")
    followed = follow_manual(iv.guide, segs, [], manual, language="en", start=index)
    assert followed[index - 1].primary is not None
    assert followed[index - 1].primary.question_id == "1.4"
    assert followed[: index - 1] == manual[: index - 1]  # the rest of what was read: as it was


def test_a_review_needs_fewer_retags_when_the_rest_follow(shifted: list) -> None:
    for iv in shifted:
        segs = iv.oracle_segments()
        one_at_a_time = review(iv, segs, follow=False).retags
        following = review(iv, segs, follow=True).retags
        assert following < one_at_a_time, iv.name


def test_following_keeps_the_researchers_work(shifted: list) -> None:
    iv = shifted[0]
    segs = iv.oracle_segments()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    index, right = _wrong(iv, passages)  # type: ignore[misc]
    # a code, and a text correction, on passages after the retag
    passages[index + 2] = replace(passages[index + 2], codes=("workload",))
    passages[index + 3] = replace(passages[index + 3], text="Corrected by hand.", words=())
    manual = retag_passage(passages, index, right)
    # a manual tag further on must stay as the researcher set it
    manual = retag_passage(manual, len(manual) - 1, "1.1")
    followed = follow_manual(iv.guide, segs, [], manual, language="en", start=index)
    assert len(followed) == len(manual)
    assert [_fields(p) for p in followed] == [_fields(p) for p in manual]
    # read already: left alone (but for the asking just before it, which may follow)
    assert followed[: index - 1] == manual[: index - 1]
    assert followed[index] == manual[index] and followed[-1] == manual[-1]
    assert followed[-1].primary is not None
    assert followed[-1].primary.question_id == "1.1"
    assert followed[-1].primary.source is TagSource.MANUAL
    for p in followed:
        assert p.primary is None or 0.0 <= p.primary.confidence <= 1.0


def test_without_a_manual_tag_nothing_changes(shifted: list) -> None:
    iv = shifted[0]
    segs = iv.oracle_segments()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    assert follow_manual(iv.guide, segs, [], passages, language="en") == passages
    assert follow_manual(iv.guide, [], [], passages, language="en") == passages


def test_a_tag_the_tagger_was_sure_of_does_not_give_way_to_a_doubtful_one(
    shifted: list,
) -> None:
    """Following a retag, a passage changes question only where the decoding with the
    manual tags is surer of the new question than the first decoding was of the old
    one; a whole review of each interview, retag by retag."""
    for iv in shifted:
        segs = iv.oracle_segments()
        passages = tag_transcript(iv.guide, segs, [], language="en")
        while (wrong := _wrong(iv, passages)) is not None:
            manual = retag_passage(passages, *wrong)
            followed = follow_manual(iv.guide, segs, [], manual, language="en", start=wrong[0])
            for old, new in zip(manual, followed, strict=True):
                if not (old.primary and new.primary) or old.primary.source is TagSource.FOLLOWED:
                    continue  # (a follower follows the manual tags as they are now)
                if old.primary.question_id != new.primary.question_id:
                    assert new.primary.confidence > old.primary.confidence, iv.name
            passages = followed


def test_only_the_interviewers_turn_before_it_follows_back(shifted: list) -> None:
    iv = shifted[0]
    segs = iv.oracle_segments()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    index = next(i for i, p in enumerate(passages) if p.text.startswith("I have a bachelor"))
    # the asking before it, of a voice not known
    passages[index - 1] = replace(passages[index - 1], speaker=Speaker.UNKNOWN)
    manual = retag_passage(passages, index, "1.4")
    followed = follow_manual(iv.guide, segs, [], manual, language="en", start=index)
    assert followed[:index] == manual[:index]


def test_a_manual_tag_changed_again_is_not_kept() -> None:
    p = Passage(0.0, 1.0, "Yes.", primary=Tag("2.1", TagSource.DETECTED, 0.4))
    once = retag_passage([p], 0, "2.3")
    assert [t.question_id for t in once[0].secondary] == ["2.1"]
    twice = retag_passage(once, 0, "2.2")  # the researcher changed their mind
    assert twice[0].primary == Tag("2.2", TagSource.MANUAL, 1.0)
    assert [t.question_id for t in twice[0].secondary] == ["2.1"]


def test_a_corrected_retag_takes_its_followers_with_it(shifted: list) -> None:
    """A retag to the wrong question, then to the right one: the passages that followed
    the first go where the second takes them, not kept by the first's confidence."""
    iv = shifted[0]
    segs = iv.oracle_segments()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    index = next(i for i, p in enumerate(passages) if p.text.startswith("I have a bachelor"))

    def retag(ps: list[Passage], qid: str) -> list[Passage]:
        return follow_manual(
            iv.guide, segs, [], retag_passage(ps, index, qid), language="en", start=index
        )

    mistaken = retag(passages, "2.1")
    followers = [
        i for i, p in enumerate(mistaken) if p.primary and p.primary.source is TagSource.FOLLOWED
    ]
    assert followers and all(mistaken[i].primary.question_id != "1.4" for i in followers)
    corrected, direct = retag(mistaken, "1.4"), retag(passages, "1.4")
    # a follower that only the mistake put where it is leaves it
    moved = [i for i in followers if question_of(direct[i]) != question_of(mistaken[i])]
    assert moved
    assert all(question_of(corrected[i]) != question_of(mistaken[i]) for i in moved)


def question_of(p: Passage) -> str | None:
    return p.primary.question_id if p.primary else None
