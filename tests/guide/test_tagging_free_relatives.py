"""Answers that open with an interrogative and a subject ("What I like is the freedom",
"Kva eg likar best, er roa") are statements, not questions: a question puts its verb
right after the interrogative.
"""

from __future__ import annotations

import pytest

from guide.tagging import tag_transcript
from guide.tagging.units import question_like
from guide.transcript import Speaker
from tests.guide.talk import YOUTH, check_answers, conversation, guide, passage_of

GUIDE = guide(YOUTH, {"1.2": "    - Kven er du saman med?"})

# (who, what they say, the question it asks or answers)
INTERVIEW = [
    ("I", "Kor gamal er du no, og kvar bur du hen?", "1.1"),
    ("P", "Eg er seksten. Kor eg bur, er det berre skog og fjell rundt.", "1.1"),
    ("I", "Kor ofte kjem du deg ut i naturen?", "1.2"),
    ("P", "Kvar helg, nesten. Kven eg er med, varierer litt.", "1.2"),
    ("I", "Fortel om siste turen din.", "2.1"),
    ("P", "Vi gjekk til fjellet med telt i august. Kva vi gjorde heile dagen, var å fiske.", "2.1"),
    ("I", "Kva tyder naturen for deg?", "2.2"),
    ("P", "Kva eg likar best, er roa. Korleis eg har det etterpå, er heilt annleis.", "2.2"),
    ("I", "Har det endra seg, korleis du er ute?", "2.3"),
    ("P", "Før var det mest med foreldra mine. No er det meir med venner.", "2.3"),
    ("I", "Kva gjer det vanskeleg å kome seg ut?", "3.1"),
    ("P", "Tid, for det meste. Kvifor eg ikkje kjem meg ut oftare, er nok mobilen.", "3.1"),
    ("I", "Kva kunne gjort det lettare?", "3.2"),
    ("P", "Om skulen hadde lånt ut utstyr, ville fleire vore med.", "3.2"),
]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("What I usually say is that it is eight kilometres.", "en"),
        ("So what you are saying is that the bike is faster.", "en"),
        ("Why I started is simple.", "en"),
        ("Where I live they never clear the paths.", "en"),
        ("How it works is simple.", "en"),
        ("Hva jeg liker best, er roen.", "nb"),
        ("Hvordan jeg ser det, er det en jobb som alle andre.", "nb"),
        ("Kva eg likar best, er roa.", "nn"),
        ("Kor eg bur, er det berre skog.", "nn"),
    ],
)
def test_an_interrogative_followed_by_its_subject_opens_a_statement(
    text: str, language: str
) -> None:
    assert not question_like(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("What do you like about it", "en"),
        ("What happened then", "en"),
        ("How long does it take you", "en"),
        ("What you mean by that?", "en"),  # the "?" says it, however it is worded
        ("Hva liker du best med jobben", "nb"),
        ("Hvem jobber du mest med", "nb"),
        ("Kor gamal er du no", "nn"),
        ("Kva eg likar best?", "nn"),
    ],
)
def test_questions_stay_questions(text: str, language: str) -> None:
    assert question_like(text, language)


def test_answers_opening_so_keep_their_question_and_speaker() -> None:
    # no voices, no key presses (an import of a phone recording): before, "Kor eg bur,
    # er det …" and its like were read as the interviewer asking the next question,
    # and the rest of the answer went to it (half of the answer words right)
    segs = conversation(INTERVIEW, voices=False)
    passages = tag_transcript(GUIDE, segs, [])
    check_answers(passages, segs, INTERVIEW)
    for s, (who, _text, _qid) in zip(segs, INTERVIEW, strict=True):
        for w in s.words:
            if who == "P":
                p = passage_of(passages, w)
                assert p.speaker is not Speaker.INTERVIEWER, (w.text, p.speaker)
