"""A probe read out from the guide (its indented lines) asks its question again: the
talk stays with that question, it does not move on to the next one."""

from __future__ import annotations

import pytest

from guide.tagging import tag_transcript
from tests.guide.talk import YOUTH, check_answers, conversation, guide

GUIDE = guide(
    YOUTH,
    {
        "1.2": "    - Kven er du saman med?",
        "2.1": "    - Kva gjorde de?\n    - nøkkelord: fjellet, skogen, hytta, båt",
    },
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
    segs = conversation(INTERVIEW, voices)
    passages = tag_transcript(GUIDE, segs, [])
    # before: each probe was taken for the asking of the next question, and the
    # answers went on under it
    check_answers(passages, segs, INTERVIEW)
