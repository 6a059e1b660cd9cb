"""The couple interviews of the tagging bench (`bench.tagging_couple`): who speaks each
turn, and how found voices are scored against three people."""

from __future__ import annotations

from bench.synth import script
from bench.tagging_couple import speakers, voice_match


def test_the_two_participants_take_the_answers_by_turns() -> None:
    turns, _plan = script("nb", 1)
    who = speakers(turns)
    answers = [w for u, w in zip(turns, who, strict=True) if u.role == "participant"]
    assert answers[:4] == [1, 2, 1, 2]
    assert {w for u, w in zip(turns, who, strict=True) if u.role != "participant"} == {0}
    assert answers.count(1) - answers.count(2) in (0, 1)


def test_found_voices_are_paired_one_to_one_with_the_people() -> None:
    truth = [0, 0, 1, 1, 2, 2]
    # the labels are anonymous: 5, 7 and 9 stand for 1, 2 and 0
    right, mapping = voice_match(truth, [9, 9, 5, 5, 7, 7])
    assert right == 1.0 and mapping == {5: 1, 7: 2, 9: 0}
    # two people merged into one voice: one of them is wrong, whichever
    right, _ = voice_match(truth, [3, 3, 4, 4, 3, 3])
    assert right == 4 / 6
    # a word with no voice is wrong
    right, _ = voice_match(truth, [None, 0, 1, 1, 2, 2])
    assert right == 5 / 6
