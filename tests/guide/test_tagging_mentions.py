"""An interviewer who picks up the participant's words to lead into the next question
("You mentioned the river. How do you get to work?") goes on in the guide; only one who
places what was said earlier ("You mentioned your manager before") goes back.
"""

from __future__ import annotations

import pytest

from guide.tagging import tag_transcript
from guide.tagging.cues import returns_to
from guide.transcript import Marker, MarkerKind
from tests.guide.talk import CYCLING, STEP, check_answers, conversation, guide

GUIDE = guide(CYCLING, leave_out=["3.3", "3.4"])

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
    segs = conversation(INTERVIEW)
    # a press 1 s after each asking's last word ends
    marks = [
        Marker(round(s.words[-1].start + STEP + 1.0, 3), MarkerKind.ASKED, qid)
        for s, (who, _text, qid) in zip(segs, INTERVIEW, strict=True)
        if who == "I" and pressed
    ]
    passages = tag_transcript(GUIDE, segs, marks)
    # before: each lead-in made the asking after it a return to an earlier question
    # (45 of 71 answer words right; 29 with a press for every question)
    check_answers(passages, segs, INTERVIEW, who="P")
