"""An interviewer who picks up the participant's words to lead into the next question
("You mentioned the river. How do you get to work?") goes on in the guide; only one who
places what was said earlier ("You mentioned your manager before") goes back.
"""

from __future__ import annotations

import pytest

from guide.parser import parse_guide
from guide.tagging import tag_transcript
from guide.tagging.units import returns_to
from guide.transcript import Marker, MarkerKind, Segment, Word

GUIDE = parse_guide(
    """---
title: Cycling to work
language: en
---

## 1 Your commute
1.1 How far do you live from your workplace?
1.2 How do you usually get there?

## 2 Choosing the bicycle
2.1 When did you start cycling to work?
2.2 What do you enjoy about cycling?

## 3 Obstacles
3.1 What makes cycling hard for you?
3.2 How safe do you feel in traffic?
"""
)

# (who, what they say, the question it asks or answers)
INTERVIEW = [
    ("I", "So first, where do you live compared to where you work?", "1.1"),
    ("P", "About eight kilometres away, on the other side of the river.", "1.1"),
    ("I", "You mentioned the river. And how do you normally travel in?", "1.2"),
    ("P", "Mostly by bike, but when it is really bad I take the bus.", "1.2"),
    ("I", "You talked about the bus. When was it that you began riding to the office?", "2.1"),
    ("P", "Three years ago. My car broke down and I could not afford to fix it.", "2.1"),
    ("I", "You told me about the car. What do you like about it?", "2.2"),
    ("P", "The freedom, mostly. I arrive awake and in a good mood.", "2.2"),
    ("I", "You mentioned the mood. What is the hardest part for you?", "3.1"),
    ("P", "The hill up to the office. I arrive sweaty and we have no shower.", "3.1"),
    ("I", "You mentioned the hill. Do you feel safe among the cars?", "3.2"),
    ("P", "Not always. Drivers turn right without looking.", "3.2"),
]


@pytest.mark.parametrize(
    ("text", "language", "back"),
    [
        ("You mentioned the river.", "en", False),
        ("You talked about the bus.", "en", False),
        ("Du nevnte lederen din.", "nb", False),
        ("Du nemnde fjellet.", "nn", False),
        ("You mentioned your manager before.", "en", True),
        ("Earlier you talked about the bus.", "en", True),
        ("Du nevnte lederen din i stad.", "nb", True),
        ("Du snakka om fjellet tidlegare.", "nn", True),
        ("Du sa noe først om sykkelen.", "nb", False),  # "først" is no "før"
    ],
)
def test_a_mention_is_a_return_only_when_placed_earlier(
    text: str, language: str, back: bool
) -> None:
    assert returns_to(text, language) is back


@pytest.mark.parametrize("pressed", [False, True])
def test_askings_led_in_by_the_last_answer_go_on_in_the_guide(pressed: bool) -> None:
    segs: list[Segment] = []
    marks: list[Marker] = []
    truth: list[tuple[str, str]] = []
    t = 0.0
    for who, text, qid in INTERVIEW:
        words = []
        for w in text.split():
            words.append(Word(round(t, 3), round(t + 0.3, 3), " " + w, 0.95, int(who == "P")))
            t += 0.35
        segs.append(Segment(words[0].start, words[-1].end, text, tuple(words)))
        truth.append((who, qid))
        if who == "I" and pressed:
            marks.append(Marker(round(t + 1.0, 3), MarkerKind.ASKED, qid))
        t += 0.6
    passages = tag_transcript(GUIDE, segs, marks)
    assert [w for p in passages for w in p.words] == [w for s in segs for w in s.words]
    for s, (who, qid) in zip(segs, truth, strict=True):
        if who == "P":
            # before: each lead-in made the asking after it a return to an earlier
            # question (45 of 71 answer words right; 29 with a press for every question)
            for w in s.words:
                p = next(p for p in passages if w in p.words)
                assert p.primary is not None and p.primary.question_id == qid, (w.text, p.primary)
