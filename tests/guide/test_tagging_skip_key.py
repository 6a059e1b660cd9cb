"""The app's skip key: the interviewer brings up the next question (an asked press),
decides not to ask it and skips it (a skipped press, then an asked press for the one
after). The skipped question was not asked, and no answer is its.
"""

from __future__ import annotations

from guide.tagging import tag_transcript
from guide.tagging.presses import kept_presses
from guide.transcript import Marker, MarkerKind, Segment, Word
from tests.guide.talk import YOUTH, guide

GUIDE = guide(YOUTH)

# (the asking, the question it asks, the answer); 2.2 is skipped
TURNS = [
    ("Kor gamal er du no, og kvar bur du hen?", "1.1", "Eg er seksten og bur på ein gard."),
    ("Kor ofte kjem du deg ut i naturen?", "1.2", "Nesten kvar helg, og ofte etter skulen."),
    (
        "Fortel om siste turen din.",
        "2.1",
        "Vi gjekk til fjellet med telt i august, eg og to venninner. Vi fiska og bada.",
    ),
    ("Har det endra seg, korleis du er ute?", "2.3", "Før var det mest med foreldra mine."),
    ("Kva gjer det vanskeleg å kome seg ut?", "3.1", "Tid, for det meste. Og utstyr er dyrt."),
    ("Kva kunne gjort det lettare?", "3.2", "Om skulen lånte ut utstyr."),
]


def interview() -> tuple[list[Segment], list[Marker], list[tuple[float, str]]]:
    """Segments (no voices), the presses as the app records them (the next question
    brought up 0.5 s before it is asked; 2.2 brought up 3 s before 2.3 is asked, as
    the answer before ends, then skipped), and (a time inside each answer, the
    question it answers)."""
    segs, marks, answers = [], [], []
    t = 0.0
    for asking, qid, answer in TURNS:
        if qid == "2.3":
            marks.append(Marker(round(t - 3.0, 3), MarkerKind.ASKED, "2.2"))
            marks.append(Marker(round(t - 0.5, 3), MarkerKind.SKIPPED, "2.2"))
        marks.append(Marker(round(t - 0.5, 3), MarkerKind.ASKED, qid))
        for text in (asking, answer):
            words = []
            for w in text.split():
                words.append(Word(round(t, 3), round(t + 0.3, 3), " " + w, 0.95))
                t += 0.35
            segs.append(Segment(words[0].start, words[-1].end, text, tuple(words)))
            t += 0.6
        answers.append((segs[-1].start + 0.01, qid))
    return segs, marks, answers


def test_a_skipped_question_takes_no_answer() -> None:
    segs, marks, answers = interview()
    passages = tag_transcript(GUIDE, segs, marks)
    assert [w for p in passages for w in p.words] == [w for s in segs for w in s.words]
    # before: the press that brought 2.2 up counted as its asking, and the end of the
    # answer to 2.1 went to 2.2
    assert not any(p.primary is not None and p.primary.question_id == "2.2" for p in passages)
    for t, qid in answers:
        p = next(p for p in passages if p.start - 1e-6 <= t <= p.end + 1e-6)
        assert p.primary is not None and p.primary.question_id == qid, (t, p.primary)


def test_the_skip_takes_back_only_the_press_that_brought_the_question_up() -> None:
    asked = [
        Marker(10.0, MarkerKind.ASKED, "2.2"),
        Marker(12.0, MarkerKind.SKIPPED, "2.2"),
        Marker(12.0, MarkerKind.ASKED, "2.3"),
    ]
    assert [m.question_id for m in kept_presses(asked)] == ["2.3"]
    # recorded in another order at the same instant: the same
    assert [m.question_id for m in kept_presses([asked[0], asked[2], asked[1]])] == ["2.3"]
    # asked, answered, another question asked, then the skip key on 2.2 (it cannot be
    # on screen: nothing is taken back), and a note or a probe press changes nothing
    later = [
        Marker(10.0, MarkerKind.ASKED, "2.2"),
        Marker(20.0, MarkerKind.PROBE, "2.2", "2.2.a"),
        Marker(40.0, MarkerKind.ASKED, "2.3"),
        Marker(50.0, MarkerKind.SKIPPED, "2.2"),
    ]
    assert [m.question_id for m in kept_presses(later)] == ["2.2", "2.3"]
