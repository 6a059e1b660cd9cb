"""The tagging bench's interviews written by hand (bench/data/written_<set>_<lang>.txt)."""

from __future__ import annotations

import pytest

from bench.tagging_written import SETS, interviews, parse
from guide.bundled import load_bundled


def test_an_interview_file_is_read_into_turns_with_the_question_each_answers() -> None:
    text = (
        "# a comment\n=== x1 a\nI: Welcome.\nI: How long have you worked here?\n"
        "P 1.1: Six years.\nI!: Back to your studies, what did you take?\nP 1.4 R: Law.\n"
        "I: Thank you.\n=== x2\nI: Anything to add?\nP 6: No.\n"
    )
    (name, turns), (name2, turns2) = parse(text)
    assert (name, name2) == ("x1", "x2")
    assert [(u.role, u.question_id) for u in turns] == [
        ("interviewer", "1.1"),
        ("interviewer", "1.1"),
        ("participant", "1.1"),
        ("interviewer", "1.4"),
        ("participant", "1.4"),
        ("interviewer", None),
    ]
    assert turns[3].text == "Back to your studies, what did you take?"
    assert [(u.role, u.question_id) for u in turns2] == [
        ("interviewer", "6"),
        ("participant", "6"),
    ]


@pytest.mark.parametrize("bad", ["=== x\nQ: what?\n", "=== x\nP: Six years.\n", "I: Hi.\n"])
def test_a_broken_line_is_named(bad: str) -> None:
    with pytest.raises(ValueError, match="line"):
        parse(bad)


@pytest.mark.parametrize("which", sorted(SETS))
@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_written_answer_answers_a_question_of_the_guide(which: str, lang: str) -> None:
    ids = {q.id for q in load_bundled(f"nav-trivsel-{lang}").questions()}
    ivs = interviews(which, lang, "all")
    assert len(ivs) >= 20
    for iv in ivs:
        answers = [u for u in iv.utterances if u.role == "participant"]
        assert len(answers) >= 5, iv.name
        assert {u.question_id for u in answers} <= ids, iv.name
        # a press for each answer the interviewer asked for (two questions in one turn
        # get one), 0–4 s after the interviewer's last turn before it began
        pairs = zip(iv.utterances, iv.utterances[1:], strict=False)
        asked = [(q, a) for q, a in pairs if q.role == "interviewer" and a.role == "participant"]
        assert len(iv.markers) == len(asked), iv.name
        for m, (q, a) in zip(iv.markers, asked, strict=True):
            assert m.question_id == a.question_id and q.start <= m.time <= q.start + 4, iv.name
