"""Tagging a transcript that ASR wrote without punctuation or capitals (Whisper does so
for long stretches, and some Norwegian models always): the pauses are all that marks
where a turn ends.
"""

from __future__ import annotations

import re

from guide.tagging import TaggingOptions, tag_transcript
from guide.tagging.units import make_units
from guide.transcript import Marker, MarkerKind, Segment, Word
from tests.guide.talk import YOUTH, guide

GUIDE = guide(YOUTH, leave_out=["2.3"])

# (the interviewer's asking, the question it asks, the answer)
TURNS = [
    ("Kor gamal er du no, og kvar bur du hen?", "1.1", "Eg er seksten og bur på ein gard."),
    ("Kor ofte kjem du deg ut i naturen?", "1.2", "Nesten kvar helg, og ofte etter skulen."),
    ("Fortel om siste turen din.", "2.1", "Vi gjekk til fjellet med telt i august."),
    ("Kva tyder naturen for deg?", "2.2", "Ro. Eg slepp mobilen og alt stresset."),
    ("Kva gjer det vanskeleg å kome seg ut?", "3.1", "Tid, for det meste. Og utstyr er dyrt."),
    ("Kva kunne gjort det lettare?", "3.2", "Om skulen lånte ut utstyr."),
]


def bare(text: str) -> list[str]:
    """The words as ASR writes them without punctuation or capitals."""
    return [w for w in re.sub(r"[^\w\s]", "", text).lower().split() if w]


def transcript(gap: float) -> tuple[list[Segment], list[Marker], list[tuple[float, str]]]:
    """Segments as Whisper cuts them (an asking and its answer in one), turns ``gap`` s
    apart, no voices; a press 1 s after each asking; (time inside each answer, the
    question it answers)."""
    segs, marks, answers = [], [], []
    t = 0.0
    for asking, qid, answer in TURNS:
        words = []
        for role, text in (("I", asking), ("P", answer)):
            first = t
            for w in bare(text):
                words.append(Word(round(t, 3), round(t + 0.3, 3), " " + w, 0.9))
                t += 0.35
            if role == "I":
                marks.append(Marker(round(t + 1.0, 3), MarkerKind.ASKED, qid))
            else:
                answers.append((first + 0.01, qid))
            t += gap
        segs.append(
            Segment(words[0].start, words[-1].end, "".join(w.text for w in words), tuple(words))
        )
    return segs, marks, answers


def test_an_unpunctuated_segment_is_cut_where_the_turn_pauses() -> None:
    segs, _marks, _answers = transcript(gap=0.6)
    units = make_units(segs, "nn", TaggingOptions())
    # an asking and its answer per segment: two units each (before: one, as the pause
    # between turns is shorter than a hesitation within a sentence may be)
    assert len(units) == 2 * len(TURNS)
    assert units[0].text == " ".join(bare(TURNS[0][0]))


def test_answers_in_an_unpunctuated_transcript_get_the_question_pressed() -> None:
    segs, marks, answers = transcript(gap=0.6)
    passages = tag_transcript(GUIDE, segs, marks)
    assert [w for p in passages for w in p.words] == [w for s in segs for w in s.words]
    for t, qid in answers:
        p = next(p for p in passages if p.start - 1e-6 <= t <= p.end + 1e-6)
        # before: the whole interview was one unit, under one question
        assert p.primary is not None and p.primary.question_id == qid, (t, p.primary)


def test_a_punctuated_sentence_is_not_cut_at_a_short_pause() -> None:
    words = []
    t = 0.0
    for w in ["Vi", "gjekk", "til", "fjellet", "med", "telt", "i", "august."]:
        words.append(Word(round(t, 3), round(t + 0.3, 3), " " + w, 0.9))
        t += 0.9  # 0.6 s between words: a hesitation, not a turn
    segs = [Segment(0.0, words[-1].end, "Vi gjekk til fjellet med telt i august.", tuple(words))]
    assert len(make_units(segs, "nn", TaggingOptions())) == 1


def test_with_voices_a_pause_in_one_voice_is_a_hesitation() -> None:
    # "when was it ... that you began riding": the voices tell where the turn ends, so
    # a pause inside the interviewer's asking does not cut it (without voices it does:
    # the pause is all there is to tell a turn's end by)
    asking = ["when", "was", "it", "that", "you", "began", "riding", "to", "the", "office"]
    answer = ["three", "years", "ago", "my", "car", "broke", "down"]

    def said(voices: bool) -> list[Segment]:
        words, t = [], 0.0
        for k, w in enumerate(asking):
            words.append(Word(round(t, 3), round(t + 0.3, 3), " " + w, 0.9, 0 if voices else None))
            t += 0.35 + (0.6 if k == 2 else 0.0)
        t += 0.5
        for w in answer:
            words.append(Word(round(t, 3), round(t + 0.3, 3), " " + w, 0.9, 1 if voices else None))
            t += 0.35
        return [Segment(0.0, words[-1].end, "".join(w.text for w in words), tuple(words))]

    voiced = [u.text for u in make_units(said(True), "en", TaggingOptions())]
    assert voiced == [" ".join(asking), " ".join(answer)]
    unvoiced = [u.text for u in make_units(said(False), "en", TaggingOptions())]
    assert unvoiced == ["when was it", " ".join(asking[3:]), " ".join(answer)]
