"""What the interviewer says of the theme tells an asking that opens one from a
follow-up, when its words match neither: "Now the other side." before an asking puts it
at the next theme's own question, past the follow-ups left out; "What about …?" keeps
an asking within the theme under way.
"""

from __future__ import annotations

import pytest

from guide.parser import parse_guide
from guide.tagging import tag_transcript
from guide.tagging.cues import topic_cue
from tests.guide.talk import check_answers, conversation

# a guide whose themes are questions, each with follow-ups worded alike (as the
# thesis guide's are): written for this test, no bench was tuned on it
GUIDE = parse_guide(
    """---
title: Working days
language: en
---

## 1 What is a normal working day like for you?
1.1 How long have you had this position?

## 2 What makes you thrive at work?
2.1 In relation to the clients?
2.2 In relation to your colleagues?
2.3 In relation to your manager?
2.4 In relation to the organisation?

## 3 What wears you down?
3.1 In relation to the clients?
3.2 In relation to your colleagues?
"""
)

# (who, what they say, the question it asks or answers): the last two follow-ups of
# theme 2 are left out, and the askings of the themes share no word with their question
INTERVIEW = [
    ("I", "Could you walk me through an ordinary day?", "1"),
    ("P", "I start with email, then meetings with people on benefits until lunch.", "1"),
    ("I", "And how long have you been doing this?", "1.1"),
    ("P", "For six years now, the last two in this office.", "1.1"),
    ("I", "Let's talk about the good sides. What gives you energy in your job?", "2"),
    ("P", "When someone I followed for years finally gets a job, that is the best.", "2"),
    ("I", "What about the clients, do they give you something?", "2.1"),
    ("P", "Yes, most of them are grateful, and some send a card at Christmas.", "2.1"),
    ("I", "And how about your colleagues?", "2.2"),
    ("P", "We laugh a lot at lunch, and we cover for each other.", "2.2"),
    ("I", "Now the other side. What takes your energy away?", "3"),
    ("P", "Too many cases and too little time, and the forms never end.", "3"),
    ("I", "What about the people you help, on that side?", "3.1"),
    ("P", "Some are angry, and once I was threatened at the desk.", "3.1"),
    ("I", "And how about the team, on that side?", "3.2"),
    ("P", "There is some gossip, and when people are ill we get their cases.", "3.2"),
]


@pytest.mark.parametrize(
    ("text", "language", "cue"),
    [
        ("Let's talk about the good sides.", "en", 1),
        ("Now I'd like to turn to your manager.", "en", 1),
        ("La oss snakke om det som er vanskelig.", "nb", 1),
        ("Så over til noe annet: hva tenker du om lederen din?", "nb", 1),
        ("Lat oss gå over til naturen.", "nn", 1),
        ("Okay, what about your manager?", "en", -1),
        ("And how about the clients?", "en", -1),
        ("Can colleagues also make it harder?", "en", -1),
        ("Skjønner. Hva med kollegaene?", "nb", 0),  # the acknowledgement is a sentence
        ("Hva med kollegaene?", "nb", -1),
        ("Kan lederen din også gjøre det tyngre?", "nb", -1),
        ("Kva med venene dine?", "nn", -1),
        ("How far do you live from your workplace?", "en", 0),
        ("Hvor lenge har du jobbet i NAV?", "nb", 0),
        ("Finally, is there anything you would like to add?", "en", 0),
    ],
)
def test_what_an_asking_says_of_the_theme(text: str, language: str, cue: int) -> None:
    assert topic_cue(text, language) == cue


@pytest.mark.parametrize("voices", [False, True])
def test_a_theme_announced_or_a_follow_up_places_askings_that_match_no_question(
    voices: bool,
) -> None:
    segs = conversation(INTERVIEW, voices=voices)
    passages = tag_transcript(GUIDE, segs, [])
    check_answers(passages, segs, INTERVIEW, who="P")
