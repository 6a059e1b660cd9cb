"""How this interviewer asks (`guide.tagging.learned`): the askings of earlier interviews
as a word model per question, and what it does to the tags."""

from __future__ import annotations

import numpy as np

from bench.learned import askings_of
from bench.tagging_conditions import score
from bench.tagging_written import interviews
from guide.tagging import tag_transcript
from guide.tagging.learned import AskingModel

ASKED = [
    ("3", "What takes the joy out of the job?"),
    ("3", "What drains your joy at work?"),
    ("2.3", "And your boss?"),
    ("2.1", "What about the clients?"),
]


def test_words_asked_before_speak_for_their_question() -> None:
    model = AskingModel(ASKED, "en")
    ids = ["2", "2.1", "2.3", "3"]
    joy, boss, unseen, empty = model.log_ratios(
        ["Does anything take the joy out of it?", "Is your boss around?", "Tell me more.", ""],
        ids,
    )
    assert joy.argmax() == ids.index("3") and joy[ids.index("3")] > 0
    assert boss.argmax() == ids.index("2.3")
    assert joy[ids.index("2")] == 0.0  # never asked before: no evidence either way
    # words no earlier asking used move no question against another
    asked = [ids.index(q) for q in ("2.1", "2.3", "3")]
    assert np.ptp(unseen[asked]) < 1e-9
    assert not empty.any()


def test_no_askings_no_model() -> None:
    model = AskingModel([], "en")
    assert not model
    assert not model.log_ratios(["What takes the joy out of the job?"], ["3"]).any()
    assert not AskingModel([("3", "?")], "en")  # no word in it


def test_an_interviewers_own_wording_is_learned_across_interviews() -> None:
    """Set A en (written by hand, every question in the interviewer's own words, no
    presses): each interview tagged with the askings of the others does better, and with
    none exactly as before."""
    ivs = interviews("A", "en", "none")
    alone = learned = words = 0.0
    for i, iv in enumerate(ivs[:8]):
        segs = iv.oracle_segments()
        plain = tag_transcript(iv.guide, segs, [], language="en")
        assert tag_transcript(iv.guide, segs, [], language="en", askings=()) == plain
        others = askings_of(ivs[:i] + ivs[i + 1 :])
        with_them = tag_transcript(iv.guide, segs, [], language="en", askings=others)
        a, b = score(iv, plain), score(iv, with_them)
        words += a["words"]
        alone += a["words"] * a["acc"]
        learned += b["words"] * b["acc"]
    assert learned / words > alone / words + 0.10
