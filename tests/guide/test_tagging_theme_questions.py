"""A theme's own question is seldom left out, its follow-ups often: where an asking
matches no question's words and nothing is said of the theme, the one after a theme's
follow-ups is more likely the next theme's question than a follow-up left over.
"""

from __future__ import annotations

import pytest

from guide.parser import parse_guide
from guide.tagging import tag_transcript
from tests.guide.talk import check_answers, conversation

# written for this test, no bench was tuned on it: theme 2 has no follow-ups
GUIDE = parse_guide(
    """---
title: Allotments
language: en
---

## 1 How did you come to have an allotment?
1.1 How long have you had it?
1.2 Who else works on it with you?
1.3 What did you grow the first year?

## 2 What does the allotment give you?

## 3 What is hard about keeping it?
3.1 In relation to the rules of the site?
3.2 In relation to the weather?
"""
)

# (who, what they say, the question it asks or answers): 1.3 is left out, and the
# askings of the theme questions share no word with them
INTERVIEW = [
    ("I", "So how did it start, getting a plot of your own?", "1"),
    ("P", "A colleague gave hers up, and I took over the waiting list place.", "1"),
    ("I", "How long have you had it?", "1.1"),
    ("P", "Seven summers now.", "1.1"),
    ("I", "Who else works on it with you?", "1.2"),
    ("P", "My daughter comes on Sundays, and a friend waters in July.", "1.2"),
    ("I", "Why do you go there every week?", "2"),
    ("P", "I forget everything else when my hands are in the soil.", "2"),
    ("I", "Is any of it a struggle?", "3"),
    ("P", "Slugs, mostly, and my knees in the autumn.", "3"),
    ("I", "What about the rules of the site?", "3.1"),
    ("P", "We get a letter if the grass is too long.", "3.1"),
]


@pytest.mark.parametrize("voices", [False, True])
def test_the_asking_after_a_themes_follow_ups_is_the_next_themes_question(
    voices: bool,
) -> None:
    segs = conversation(INTERVIEW, voices=voices)
    passages = tag_transcript(GUIDE, segs, [])
    # before: "Why do you go there …" was taken for the follow-up 1.3
    check_answers(passages, segs, INTERVIEW, who="P")


def test_a_theme_question_cannot_be_more_than_certain_to_be_asked() -> None:
    from guide.tagging.options import TaggingOptions

    with pytest.raises(ValueError, match=r"theme_asked 2\.0 must be below 1 / \(1 - skip_decay\)"):
        TaggingOptions(theme_asked=2.0)
    assert TaggingOptions().theme_asked * (1 - TaggingOptions().skip_decay) < 1
