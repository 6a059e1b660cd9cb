"""A participant who asks back ("Kva meiner du med naturen?") and the interviewer's
reply: the reply is answered at length, yet asks nothing new; the answer goes on under
the question asked."""

from __future__ import annotations

import pytest

from guide.parser import parse_guide
from guide.tagging import tag_transcript
from guide.transcript import Marker, MarkerKind, Segment, Word

GUIDE = parse_guide(
    """---
title: Ungdom og friluftsliv
language: nn
---

## 1 Bakgrunn
1.1 Kor gamal er du, og kvar bur du?
1.2 Kor ofte er du ute i naturen?

## 2 Turar
2.1 Kan du fortelje om den siste turen du var på?
2.2 Kva betyr naturen for deg?
2.3 Korleis har friluftslivet ditt endra seg?

## 3 Hindringar
3.1 Kva gjer det vanskeleg å kome seg ut?
3.2 Kva kunne gjort det lettare?
"""
)

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
    segs: list[Segment] = []
    marks: list[Marker] = []
    seen: set[str] = set()
    t = 0.0
    for who, text, qid in INTERVIEW:
        if who == "I" and qid and qid not in seen and pressed:
            # the app's way: the question brought up, then read out
            marks.append(Marker(round(t - 1.0, 3), MarkerKind.ASKED, qid))
        seen.add(qid)
        words = []
        for w in text.split():
            words.append(Word(round(t, 3), round(t + 0.3, 3), " " + w, 0.95, int(who == "P")))
            t += 0.35
        segs.append(Segment(words[0].start, words[-1].end, text, tuple(words)))
        t += 0.6
    passages = tag_transcript(GUIDE, segs, marks)
    assert [w for p in passages for w in p.words] == [w for s in segs for w in s.words]
    for s, (who, _text, qid) in zip(segs, INTERVIEW, strict=True):
        if who == "I" or not qid:
            continue
        for w in s.words:
            p = next(p for p in passages if w in p.words)
            # before: the reply was taken for the next question's asking, and the rest
            # of the answer went to it
            assert p.primary is not None and p.primary.question_id == qid, (w.text, p.primary)
