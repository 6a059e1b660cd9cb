"""The couple interviews of the tagging bench (`bench.tagging_couple`): who speaks each
turn, and how found voices are scored against three people."""

from __future__ import annotations

from pathlib import Path

from bench.synth import Interview, Utterance, script
from bench.tagging_couple import participants_right, speakers, voice_match
from guide.transcript import Passage, Speaker, Word


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


def _turns_and_passages(voices: tuple[int, int, int]) -> tuple[Interview, list[Passage]]:
    """An interviewer's question and two answers, one by each participant, as passages
    with their words in the given voices (interviewer, first answer, second answer)."""
    turns = [
        Utterance("interviewer", "1.1", "what", 0.0, 1.0),
        Utterance("participant", "1.1", "this", 2.0, 3.0),
        Utterance("participant", "1.1", "that", 4.0, 5.0),
    ]
    iv = Interview("x", "en", "example-en", turns, [], Path("-"), 5.0)
    roles = [Speaker.INTERVIEWER, Speaker.PARTICIPANT, Speaker.PARTICIPANT]
    passages = [
        Passage(u.start, u.end, u.text, (Word(u.start, u.end, u.text, voice=v),), speaker=r)
        for u, v, r in zip(turns, voices, roles, strict=True)
    ]
    return iv, passages


def test_participants_are_right_when_each_answer_names_its_participant() -> None:
    who = [0, 1, 2]
    iv, passages = _turns_and_passages((0, 5, 7))
    assert participants_right(iv, who, passages) == 1.0
    # both answers in one voice: no numbers, no participant named
    iv, passages = _turns_and_passages((0, 5, 5))
    assert participants_right(iv, who, passages) == 0.0
    # the second answer in the interviewer's voice: one participant's voice is left, so
    # no one is numbered
    iv, passages = _turns_and_passages((0, 5, 0))
    assert participants_right(iv, who, passages) == 0.0
    # the numbers are anonymous: participant 2 answering first is still right
    iv, passages = _turns_and_passages((0, 7, 5))
    assert participants_right(iv, [0, 2, 1], passages) == 1.0
