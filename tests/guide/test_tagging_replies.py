"""A participant who asks back ("Kva meiner du med naturen?") and the interviewer's
reply: the reply is answered at length, yet asks nothing new; the answer goes on under
the question asked."""

from __future__ import annotations

import pytest

from guide.tagging import tag_transcript
from guide.transcript import Marker, MarkerKind
from tests.guide.talk import YOUTH, check_answers, conversation, guide

GUIDE = guide(YOUTH)

# (who, what they say, the question it asks or answers; "" before the first)
INTERVIEW = [
    ("I", "Takk for at du vil vere med. Eg skal spørje om korleis du brukar naturen.", ""),
    ("P", "Ja, det går fint.", ""),
    ("I", "Kor gamal er du no, og kvar bur du hen?", "1.1"),
    ("P", "Eg er seksten år og bur på ein gard utanfor Voss.", "1.1"),
    ("I", "Kor ofte kjem du deg ut i naturen?", "1.2"),
    ("P", "Kva meiner du med naturen, er det skogen òg?", "1.2"),
    ("I", "Ja, skog, fjell, sjø, alt som er ute.", "1.2"),
    ("P", "Då er det nesten kvar dag, eg går til bussen gjennom skogen.", "1.2"),
    (
        "I",
        "No skal vi snakke litt om turane dine. Mange eg har snakka med fortel om "
        "hytteturar med familien, andre om fisketurar. Det er ikkje noko rett svar her.",
        "2.1",
    ),
    ("I", "Fortel om siste turen din.", "2.1"),
    (
        "P",
        "Vi gjekk til fjellet med telt i august, eg og to venninner. Vi fiska og bada i "
        "eit kaldt vatn.",
        "2.1",
    ),
    ("I", "Kva tyder naturen for deg?", "2.2"),
    ("P", "Korleis då, på kva måte?", "2.2"),
    ("I", "Berre kva du kjenner når du er ute.", "2.2"),
    ("P", "Ro, mest. Eg slepp mobilen og alt stresset på skulen.", "2.2"),
    ("I", "Så du seier at det er roa som er viktigast for deg.", "2.2"),
    ("P", "Ja, absolutt.", "2.2"),
    ("I", "Har det endra seg, korleis du er ute?", "2.3"),
    ("P", "Før var det mest med foreldra mine, no er det meir med venner.", "2.3"),
    ("I", "Kva gjer det vanskeleg å kome seg ut?", "3.1"),
    ("P", "Tid, for det meste. Og utstyr er dyrt.", "3.1"),
    ("I", "Kva kunne gjort det lettare?", "3.2"),
    ("P", "Om skulen hadde lånt ut utstyr, ville fleire vore med.", "3.2"),
]


@pytest.mark.parametrize("pressed", [False, True])
def test_the_interviewers_reply_to_a_question_back_asks_nothing_new(pressed: bool) -> None:
    segs = conversation(INTERVIEW)
    marks: list[Marker] = []
    seen: set[str] = set()
    for s, (who, _text, qid) in zip(segs, INTERVIEW, strict=True):
        if who == "I" and qid and qid not in seen and pressed:
            # the app's way: the question brought up, then read out
            marks.append(Marker(round(s.start - 1.0, 3), MarkerKind.ASKED, qid))
        seen.add(qid)
    passages = tag_transcript(GUIDE, segs, marks)
    # before: the reply was taken for the next question's asking, and the rest of the
    # answer went to it
    check_answers(passages, segs, INTERVIEW, who="P")
