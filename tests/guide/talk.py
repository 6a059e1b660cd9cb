"""Interviews written as turns, turned into transcripts for the tagging tests.

A turn is (who, what they say, the question it asks or answers): who is "I" (the
interviewer) or "P" (the participant); the question is "" before the first one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guide.model import Guide
from guide.parser import parse_guide
from guide.transcript import Passage, Segment, Word

Turn = tuple[str, str, str]

# a nynorsk guide (youth and outdoor life) and an English one (cycling to work), written
# for these tests: no bench was tuned on them
YOUTH = """---
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

CYCLING = """---
title: Cycling to work
language: en
---

## 1 Your commute
1.1 How far do you live from your workplace?
1.2 How do you usually get there?

## 2 Choosing the bicycle
2.1 When did you start cycling to work?
2.2 What do you enjoy about cycling?

## 3 Obstacles
3.1 What makes cycling hard for you?
3.2 How safe do you feel in traffic?
3.3 What does your employer do to help?
3.4 Would you recommend it to a colleague?
"""


# small talk before the first question of CYCLING: a question answered at length,
# which the tagger reads as an asking (`test_tagging_small_talk`)
SMALL_TALK: list[Turn] = [
    ("I", "Hi, come in. Did you find the office all right?", ""),
    ("P", "Yes, I took the train and walked from the station, it only took ten minutes.", ""),
    ("I", "Would you like a cup of coffee before we start?", ""),
    ("P", "Oh yes please, with a little milk if you have it, thank you so much.", ""),
    ("I", "So how far away from here do you actually live?", "1.1"),
    ("P", "About twelve kilometres, on the other side of the river, near the old mill.", "1.1"),
    ("I", "And how do you normally get to work?", "1.2"),
    ("P", "By bicycle most days, and by bus when it snows or when I am very tired.", "1.2"),
    ("I", "When did you begin cycling to work?", "2.1"),
    ("P", "Four years ago, when my doctor told me to move more and I bought an e-bike.", "2.1"),
]


def guide(
    text: str, after: Mapping[str, str] | None = None, leave_out: Sequence[str] = ()
) -> Guide:
    """The guide ``text`` with the lines ``after`` each question id (its probes and
    keywords) and without the questions ``leave_out``."""
    lines: list[str] = []
    for line in text.splitlines():
        qid = line.split(" ", 1)[0]
        if qid in leave_out:
            continue
        lines.append(line)
        if after and qid in after:
            lines.append(after[qid])
    return parse_guide("\n".join(lines) + "\n")


STEP = 0.35  # seconds from one word's start to the next
WORD = 0.3  # seconds a word lasts
GAP = 0.6  # seconds between turns


def conversation(turns: Sequence[Turn], voices: bool = True) -> list[Segment]:
    """A segment per turn, a word every ``STEP`` s, ``GAP`` s between turns; each word's
    voice 0 for the interviewer and 1 for the participant, or None (``voices`` False)."""
    segs: list[Segment] = []
    t = 0.0
    for who, text, _qid in turns:
        voice = int(who == "P") if voices else None
        words = []
        for w in text.split():
            words.append(Word(round(t, 3), round(t + WORD, 3), " " + w, 0.95, voice))
            t += STEP
        segs.append(Segment(words[0].start, words[-1].end, text, tuple(words)))
        t += GAP
    return segs


def passage_of(passages: Sequence[Passage], word: Word) -> Passage:
    return next(p for p in passages if word in p.words)


def check_answers(
    passages: Sequence[Passage], segs: Sequence[Segment], turns: Sequence[Turn], who: str = "IP"
) -> None:
    """Every word is in one passage, in order, and every word of the turns of ``who``
    ("I", "P" or both) is in a passage tagged with its turn's question."""
    assert [w for p in passages for w in p.words] == [w for s in segs for w in s.words]
    for s, (speaker, _text, qid) in zip(segs, turns, strict=True):
        if speaker not in who or not qid:
            continue
        for w in s.words:
            p = passage_of(passages, w)
            assert p.primary is not None and p.primary.question_id == qid, (w.text, p.primary)
