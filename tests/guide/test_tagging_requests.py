"""Askings phrased as requests to be told: "I'd like to hear about …", "I wonder …",
"Jeg lurer på …", "Og utdanningen din, fortell litt om den", or as a move to the next
topic: "Let's move on to …". Interviewers ask this way as often as with a question; the
tagger reads them as phrased like a question.
"""

from __future__ import annotations

import pytest

from guide.tagging import tag_transcript
from guide.tagging.units import question_like
from tests.guide.talk import CYCLING, Turn, check_answers, conversation, guide

GUIDE = guide(CYCLING)

TURNS: list[Turn] = [
    ("I", "Thanks for meeting me. I am looking at how people get to work.", ""),
    ("P", "Sure, go ahead.", ""),
    ("I", "First I'd like to hear where you live, compared to your office.", "1.1"),
    ("P", "About eight kilometres away, on the other side of the river.", "1.1"),
    ("I", "And the way in, tell me how you usually do it.", "1.2"),
    ("P", "By bike, mostly. When it snows I take the bus.", "1.2"),
    ("I", "I was wondering when all that began for you.", "2.1"),
    ("P", "Three years ago, when my car broke down and I could not afford to fix it.", "2.1"),
    ("I", "I'm curious what you get out of it.", "2.2"),
    ("P", "Freedom. I arrive awake and happy, and I save a lot of money.", "2.2"),
    ("I", "I would love to hear about the hard parts too.", "3.1"),
    ("P", "The hill before the office. And there is no shower at work.", "3.1"),
    ("I", "How safe do you feel out there?", "3.2"),
    ("P", "Not very. Drivers turn right without looking.", "3.2"),
]


def test_askings_phrased_as_requests_without_voices_or_presses() -> None:
    segs = conversation(TURNS, voices=False)
    # before: only 3.2 was phrased as a question; the requests read as statements, and
    # the answers to 1.1 through 2.2 went to the wrong questions
    check_answers(tag_transcript(GUIDE, segs, []), segs, TURNS, "P")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Jeg lurer på hva som er det beste med det.", "nb"),
        ("Nå vil jeg gjerne høre om en vanlig dag.", "nb"),
        ("Og utdanningen din, fortell litt om den.", "nb"),
        ("Eg er nysgjerrig på korleis det var.", "nn"),
        ("And your employer, I wonder if they help at all.", "en"),
        ("Walk me through a normal morning.", "en"),
        # a move to the next topic asks about it
        ("Let's move on to how you got started.", "en"),
        ("Så går vi videre til ledelsen.", "nb"),
        ("Lat oss byrje med skulen.", "nn"),
    ],
)
def test_requests_to_be_told_are_phrased_as_questions(text: str, language: str) -> None:
    assert question_like(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Jeg vil gjerne ha mer tid med pasientene.", "nb"),
        ("Jeg forteller dem alltid det samme.", "nb"),
        # nynorsk "fortel" is also the present tense: "many tell about cabin trips"
        ("Mange eg har snakka med fortel om hytteturar.", "nn"),
        ("I would like to work less.", "en"),
        ("Jeg går over til bussen om vinteren.", "nb"),
    ],
)
def test_statements_with_the_same_words_are_not(text: str, language: str) -> None:
    assert not question_like(text, language)
