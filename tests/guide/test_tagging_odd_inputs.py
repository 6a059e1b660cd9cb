"""Tagging on inputs nobody tuned on: an interview on another topic (a new guide), with
long answers, odd word times and word probabilities.

The voices are set on the words by hand (voice 0 the interviewer's), as in
`test_tagging_voices.py`: these tests are about what the tagger does with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from guide.model import Guide
from guide.parser import parse_guide
from guide.tagging import interviewer_voice, tag_transcript
from guide.tagging.units import question_like
from guide.transcript import Marker, MarkerKind, Passage, Segment, Speaker, Word, word_text
from tests.guide.talk import CYCLING, guide

GUIDE = guide(CYCLING)

# (interviewer's own words, the question it asks, the first sentence of the answer)
ASKINGS = [
    ("So first, how far away from your work do you live?", "1.1", "About eight km away."),
    ("And how do you normally travel in?", "1.2", "Mostly by bike, sometimes the bus."),
    ("When was it that you began riding to the office?", "2.1", "Three years ago."),
    ("What do you like about it?", "2.2", "The freedom, mostly."),
    ("What is the hardest part for you?", "3.1", "The hill up to the office."),
    ("Do you feel safe among the cars?", "3.2", "Not always."),
    ("Does your company do anything for cyclists?", "3.3", "They built a bike shed."),
    ("Would you tell a colleague to do it?", "3.4", "I already do."),
]
# what a participant says when they talk at length (no question's words in it)
STORY = (
    "We talked about it at home for a long time. My partner was not so sure at first. "
    "It was strange in the beginning, but it got better. There are good days and bad days. "
)


def spoken(start: float, text: str, voice: int | None, step: float = 0.35) -> Segment:
    """A segment of ``text``, one word every ``step`` seconds from ``start``."""
    words, t = [], start
    for w in text.split():
        words.append(Word(round(t, 3), round(t + step * 0.85, 3), " " + w, 0.95, voice))
        t += step
    return Segment(start, round(t, 3), text, tuple(words))


def interview(story_repeats: int, voices: bool = True) -> tuple[list[Segment], list[str]]:
    """The interview, and per segment who speaks ("I"/"P") and what it answers."""
    segs: list[Segment] = []
    truth: list[str] = []
    t = 0.0
    for asked, qid, first in ASKINGS:
        for who, text in (("I", asked), ("P", first + " " + STORY * story_repeats)):
            s = spoken(t, text, (0 if who == "I" else 1) if voices else None)
            segs.append(s)
            truth.append(f"{who} {qid}")
            t = s.end + 0.6
    return segs, truth


def words_of(passages: Sequence[Passage]) -> list[Word]:
    return [w for p in passages for w in p.words]


def at(passages: Sequence[Passage], t: float) -> Passage:
    for p in passages:
        if p.start - 1e-6 <= t <= p.end + 1e-6:
            return p
    raise AssertionError(f"no passage at {t}")


def check_roles(guide: Guide, segs: Sequence[Segment], truth: Sequence[str]) -> None:
    passages = tag_transcript(guide, segs, [])
    assert words_of(passages) == [w for s in segs for w in s.words]
    for s, who_what in zip(segs, truth, strict=True):
        who, qid = who_what.split()
        p = at(passages, s.words[1].start)
        want = Speaker.INTERVIEWER if who == "I" else Speaker.PARTICIPANT
        assert p.speaker is want, (s.text[:40], p.speaker)
        assert p.primary is not None and p.primary.question_id == qid, (s.text[:40], p.primary)


def test_an_interviewer_who_asks_briefly_before_long_answers_is_still_found() -> None:
    # each answer about 1.5 minutes: the interviewer speaks ~3 % of the time but takes
    # half the turns; before, a voice under 10 % of the time was no party to the talk,
    # the interviewer's voice went undecided, and the paraphrased askings were lost
    segs, truth = interview(story_repeats=6)
    interviewer_time = sum(s.end - s.start for s, w in zip(segs, truth, strict=True) if w[0] == "I")
    assert interviewer_time / sum(s.end - s.start for s in segs) < 0.05
    assert interviewer_voice(GUIDE, segs) == 0
    check_roles(GUIDE, segs, truth)


def test_answers_of_five_minutes_stay_with_the_question_they_answer() -> None:
    # 8 answers of ~4 minutes each (35 min), questions in the interviewer's own words,
    # no presses: before, the answer states late in the guide went on with more
    # probability per unit than the others (up to 0.94 against 0.80: a return out of
    # the theme was rarer there, and the rest of its share went to staying), which
    # over long answers outweighed every word: 2 of 8 answers kept their question
    segs, truth = interview(story_repeats=20)
    assert segs[-1].end > 30 * 60
    check_roles(GUIDE, segs, truth)


def test_a_piece_split_off_the_participants_voice_is_not_taken_for_the_interviewer() -> None:
    # the voice model split the last words of four answers off as a voice of their own
    # (a sliver: a few seconds in all, but as many turns as the interviewer's); each
    # piece comes before the next question and its long answer, as the interviewer's
    # turns do. Per second of speech that made the sliver the likeliest asker
    segs, truth = interview(story_repeats=2)
    split: list[Segment] = []
    for k, s in enumerate(segs):
        if truth[k].startswith("P") and k % 4 == 1:
            head, tail = s.words[:-2], s.words[-2:]
            split.append(replace(s, words=head, text=word_text(head)))
            tail = tuple(replace(w, voice=2) for w in tail)
            split.append(Segment(tail[0].start, tail[-1].end, word_text(tail), tail))
        else:
            split.append(s)
    assert interviewer_voice(GUIDE, split) == 0


def test_a_voice_heard_for_a_moment_is_not_taken_for_the_interviewer() -> None:
    # a stray voice (a cough clustered apart, a door) once, before a long answer
    segs, _truth = interview(story_repeats=1)
    stray = spoken(segs[1].start - 0.5, "Hm.", 2)
    words = tuple(replace(w, voice=2) if i == 0 else w for i, w in enumerate(segs[1].words))
    segs = [segs[0], stray, replace(segs[1], words=words), *segs[2:]]
    assert interviewer_voice(GUIDE, segs) == 0


def test_words_without_duration_do_not_stop_the_tagging() -> None:
    # every segment's words piled at its start (start == end), with voices: no time is
    # spoken by anyone; before, deciding the interviewer divided by it (ZeroDivisionError)
    segs, _truth = interview(story_repeats=1)
    flat = [
        replace(
            s, end=s.start, words=tuple(replace(w, start=s.start, end=s.start) for w in s.words)
        )
        for s in segs
    ]
    passages = tag_transcript(GUIDE, flat, [])
    assert words_of(passages) == [w for s in flat for w in s.words]
    assert all(0.0 <= p.primary.confidence <= 1.0 for p in passages if p.primary)


def test_a_transcript_of_words_put_back_by_hand_is_tagged_like_any_other() -> None:
    # words the guards removed and the researcher put back carry probability 0
    # (`store.interviews.restore_removed`); when most of a transcript is such words,
    # their median is 0. Before, the words' reliability was 0 / 0 (NaN), every
    # likelihood NaN, and no asking was found: every answer lost its question
    segs, truth = interview(story_repeats=1)
    put_back = [replace(s, words=tuple(replace(w, probability=0.0) for w in s.words)) for s in segs]
    check_roles(GUIDE, put_back, truth)
    sure = tag_transcript(GUIDE, segs, [])
    again = tag_transcript(GUIDE, put_back, [])

    def labels(passages: Sequence[Passage]) -> list[tuple[str | None, Speaker]]:
        return [(p.primary.question_id if p.primary else None, p.speaker) for p in passages]

    assert labels(again) == labels(sure)
    assert all(0.0 <= p.primary.confidence <= 1.0 for p in again if p.primary)


NYNORSK = parse_guide(
    """---
title: Ungdom og friluftsliv
language: nn
---

## 1 Bakgrunn
1.1 Kor gamal er du, og kvar bur du?
1.2 Kor ofte er du ute i naturen?

## 2 Hindringar
2.1 Kva gjer det vanskeleg å kome seg ut?
2.2 Kva kunne gjort det lettare?
"""
)


def test_a_nynorsk_answer_opening_with_for_is_no_question() -> None:
    # "kva for" (which) was listed among nynorsk's question openers word by word, so
    # "for" opened a question: "Tid, for det meste." and "For meg betyr det ro." were
    # taken for askings. With a press 1.5 s after each question, the decoder then took
    # the participant's "Tid, for det meste." for the interviewer asking 2.2, and the
    # rest of the answer to 2.1 went to 2.2
    assert not question_like("Tid, for det meste.", "nn")
    assert not question_like("For meg betyr det ro og fred.", "nn")
    assert question_like("Kva for ein tur likte du best?", "nn")
    script = [
        ("I", "Kor gamal er du no, og kvar bur du hen?", "1.1"),
        ("P", "Eg er seksten år og bur på ein gard utanfor Voss.", "1.1"),
        ("I", "Kor ofte kjem du deg ut i naturen?", "1.2"),
        ("P", "Nesten kvar helg, og ofte etter skulen òg når det er lyst.", "1.2"),
        ("I", "Kva gjer det vanskeleg å kome seg ut?", "2.1"),
        ("P", "Tid, for det meste. Og utstyr er dyrt.", "2.1"),
        ("I", "Kva kunne gjort det lettare?", "2.2"),
        ("P", "Om skulen hadde lånt ut utstyr, ville fleire vore med.", "2.2"),
    ]
    segs: list[Segment] = []
    markers: list[Marker] = []
    t = 0.0
    for who, text, qid in script:
        s = spoken(t, text, None)
        segs.append(s)
        if who == "I":
            markers.append(Marker(s.end + 1.5, MarkerKind.ASKED, qid))
        t = s.end + 0.6
    passages = tag_transcript(NYNORSK, segs, markers)
    assert words_of(passages) == [w for s in segs for w in s.words]
    for s, (who, _text, qid) in zip(segs, script, strict=True):
        for w in s.words:
            p = at(passages, w.start)
            assert p.primary is not None and p.primary.question_id == qid, (w.text, p.primary)
            if who == "P":
                assert p.speaker is not Speaker.INTERVIEWER, (w.text, p.speaker)


def test_long_answers_without_voices_or_presses_keep_their_questions() -> None:
    # answers of ~1.5 minutes (about 25 sentences each), no voices (one voice found, or
    # none asked for) and no presses: only one unit in 25 is phrased as a question.
    # Before, that share (under `form_share`) was read as a transcript that writes no
    # questions as such, and the form of the askings counted for 0.3 of its weight: 6 of
    # 8 answers kept their question (1 of 8 with answers of ~4 minutes). Now a
    # transcript with about as many questions as the guide writes its questions
    segs, truth = interview(story_repeats=6, voices=False)
    check_roles(GUIDE, segs, truth)


# askings phrased as statements: nothing in their form says they ask
TELLS = [
    ("Tell me about the distance between your home and your work.", "1.1", "About eight km."),
    ("Describe the way you normally travel in.", "1.2", "Mostly by bike."),
    ("Tell me when you began riding to the office.", "2.1", "Three years ago."),
    ("Say something about what you like in it.", "2.2", "The freedom, mostly."),
    ("Tell me about the hardest part for you.", "3.1", "The hill up to the office."),
    ("Describe how it feels to ride among the cars.", "3.2", "Not always safe."),
    ("Tell me what your company does for people who ride.", "3.3", "They built a bike shed."),
    ("Say whether you would tell a colleague to do it.", "3.4", "I already do."),
]


def answered(gap: float) -> list[str | None]:
    """The question each answer of TELLS gets, voices known, turns ``gap`` s apart."""
    segs, answers, t = [], [], 0.0
    for asked, _qid, first in TELLS:
        for voice, text in ((0, asked), (1, first + " " + STORY)):
            s = spoken(t, text, voice)
            segs.append(s)
            if voice == 1:
                answers.append(s)
            t = s.end + gap
    passages = tag_transcript(GUIDE, segs, [])
    tags = [at(passages, s.words[1].start).primary for s in answers]
    return [tag.question_id if tag else None for tag in tags]


def test_a_turn_that_follows_without_a_pause_is_still_a_new_turn() -> None:
    # in talk the next speaker often starts at once, and ASR's word times close what
    # gap there is. Before, an interviewer's sentence less than 0.3 s after the
    # participant's last word was taken for the same turn going on (`continued`), so a
    # statement-form asking ("Tell me about ...") lost its weight as one: 2 of 8 answers
    # kept their question with no gap against 4 of 8 with a 0.6 s pause. With voices
    # known, another voice's sentence begins a turn, however close
    assert answered(0.0) == answered(0.6)


# askings as ASR hears them on hard audio: an acknowledgement, then words that match no
# question and carry no "?"
GARBLED = [
    "Okay. And the thing with the part.",
    "Right. So the way in there.",
    "Mm. And it was when the start.",
    "Okay. The good sides then.",
    "I see. The hard side of all.",
    "Yes. So the cars and the road.",
    "Okay. The firm, the boss.",
    "Right. Would a friend do it too.",
]


def test_the_interviewers_turns_answered_at_length_move_the_interview_on() -> None:
    # voices known, no presses, no question's words: each interviewer turn that the
    # participant answers at length is the next question. Before, such a turn weighed
    # against an answer only as the interviewer's voice in it (a remark), against the
    # intro also as a turn answered at length; in an answer it did not, and the model
    # took half of them for remarks inside the answer before: 3 of 8 answers right
    segs, answers, t = [], [], 0.0
    for (_asked, qid, first), said in zip(ASKINGS, GARBLED, strict=True):
        for voice, text in ((0, said), (1, f"{first} {STORY}")):
            s = spoken(t, text, voice)
            segs.append(s)
            if voice == 1:
                answers.append((s, qid))
            t = s.end + 0.6
    passages = tag_transcript(GUIDE, segs, [])
    got = [at(passages, s.words[1].start).primary for s, _qid in answers]
    assert [tag.question_id if tag else None for tag in got] == [q for _s, q in answers]
