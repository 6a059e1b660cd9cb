"""A probe read out from the guide (its indented lines) asks its question again: the
talk stays with that question, it does not move on to the next one."""

from __future__ import annotations

import pytest

from guide.parser import parse_guide
from guide.tagging import tag_transcript
from guide.transcript import Segment, Word

GUIDE = parse_guide(
    """---
title: Ungdom og friluftsliv
language: nn
---

## 1 Bakgrunn
1.1 Kor gamal er du, og kvar bur du?
1.2 Kor ofte er du ute i naturen?
    - Kven er du saman med?

## 2 Turar
2.1 Kan du fortelje om den siste turen du var på?
    - Kva gjorde de?
    - nøkkelord: fjellet, skogen, hytta, båt
2.2 Kva betyr naturen for deg?
2.3 Korleis har friluftslivet ditt endra seg?

## 3 Hindringar
3.1 Kva gjer det vanskeleg å kome seg ut?
3.2 Kva kunne gjort det lettare?
"""
)

# (who, what they say, the question it asks or answers): the probes of 1.2 and 2.1
# read out after the first answer
INTERVIEW = [
    ("I", "Kor gamal er du no, og kvar bur du hen?", "1.1"),
    ("P", "Eg er seksten år og bur på ein gard utanfor Voss.", "1.1"),
    ("I", "Kor ofte kjem du deg ut i naturen?", "1.2"),
    ("P", "Nesten kvar helg, og ofte etter skulen òg når det er lyst.", "1.2"),
    ("I", "Kven er du saman med?", "1.2"),
    ("P", "Ja, det er vel mest venner.", "1.2"),
    ("I", "Fortel om siste turen din.", "2.1"),
    ("P", "Vi gjekk til fjellet med telt i august, eg og to venninner.", "2.1"),
    ("I", "Kva gjorde de?", "2.1"),
    ("P", "Vi fiska og bada i eit kaldt vatn.", "2.1"),
    ("I", "Kva tyder naturen for deg?", "2.2"),
    ("P", "Han betyr ro. Eg slepp mobilen og alt stresset på skulen.", "2.2"),
    ("I", "Har det endra seg, korleis du er ute?", "2.3"),
    ("P", "Før var det mest med foreldra mine, no er det meir med venner.", "2.3"),
    ("I", "Kva gjer det vanskeleg å kome seg ut?", "3.1"),
    ("P", "Tid, for det meste. Og utstyr er dyrt.", "3.1"),
]


@pytest.mark.parametrize("voices", [True, False])
def test_a_probe_read_out_stays_with_its_question(voices: bool) -> None:
    segs: list[Segment] = []
    t = 0.0
    for who, text, _qid in INTERVIEW:
        words = []
        for w in text.split():
            voice = int(who == "P") if voices else None
            words.append(Word(round(t, 3), round(t + 0.3, 3), " " + w, 0.95, voice))
            t += 0.35
        segs.append(Segment(words[0].start, words[-1].end, text, tuple(words)))
        t += 0.6
    passages = tag_transcript(GUIDE, segs, [])
    assert [w for p in passages for w in p.words] == [w for s in segs for w in s.words]
    for s, (_who, _text, qid) in zip(segs, INTERVIEW, strict=True):
        for w in s.words:
            p = next(p for p in passages if w in p.words)
            # before: each probe was taken for the asking of the next question, and
            # the answers went on under it
            assert p.primary is not None and p.primary.question_id == qid, (w.text, p.primary)
