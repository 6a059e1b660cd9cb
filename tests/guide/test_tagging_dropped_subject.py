"""A statement whose subject talk leaves out: "Kan ikke si at jeg savner det.", "Did not
expect that.", "Har ikke tenkt på det." It opens with a verb, as a yes/no question does,
but a negation follows the verb where the question has its subject ("Kan du ikke …").
Read as a question, it was taken for the next question's asking in the middle of an
answer.
"""

from __future__ import annotations

import pytest

from guide.tagging import tag_transcript
from guide.tagging.units import question_like
from tests.guide.talk import CYCLING, Turn, check_answers, conversation, guide

GUIDE = guide(CYCLING)

TURNS: list[Turn] = [
    ("I", "Thanks for meeting me. I am looking at how people get to work.", ""),
    ("P", "Sure.", ""),
    ("I", "How far from your workplace do you live?", "1.1"),
    ("P", "Eight kilometres, over the river.", "1.1"),
    ("I", "How do you usually get there?", "1.2"),
    ("P", "Mostly by bike. Did not think I would, but I do.", "1.2"),
    ("I", "When did you start cycling?", "2.1"),
    ("P", "Three years ago, when the car broke down.", "2.1"),
    ("I", "What do you enjoy about it?", "2.2"),
    ("P", "I arrive awake and happy.", "2.2"),
    ("P", "Did not expect that at all.", "2.2"),
    ("P", "And the fresh air in the morning.", "2.2"),
    ("I", "What makes cycling hard for you?", "3.1"),
    ("P", "The hill before the office. Can not say I enjoy that one.", "3.1"),
    ("I", "How safe do you feel in traffic?", "3.2"),
    ("P", "Quite safe. There is a cycle lane the whole way.", "3.2"),
]


def test_a_statement_without_its_subject_does_not_ask() -> None:
    segs = conversation(TURNS, voices=False)
    # before: "Did not expect that at all." read as a yes/no question, and the rest of
    # the answer to 2.2 went to 3.1
    check_answers(tag_transcript(GUIDE, segs, []), segs, TURNS, "P")


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("Kan ikke si at jeg savner pendlingen.", "nb", False),
        ("Har ikke tenkt så mye på det.", "nb", False),
        ("Er ikkje så viktig for meg.", "nn", False),
        ("Did not expect that.", "en", False),
        ("Kan du ikke fortelle litt om det", "nb", True),
        ("Kan ikke du fortelle litt om det", "nb", True),
        ("Har du ikke vært der", "nb", True),
    ],
)
def test_a_verb_then_a_negation_asks_only_with_a_subject(
    text: str, language: str, asks: bool
) -> None:
    assert question_like(text, language) is asks
