"""The askings a project vouches for (`store.askings`): what the tagger learns an
interviewer's wording from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from guide.bundled import load_bundled
from guide.parser import parse_guide
from guide.transcript import Passage, Speaker, Tag, TagSource
from store import Project
from store.askings import askings_of, same_questions, vouched_askings


def _p(text: str, qid: str, source: TagSource, speaker: Speaker) -> Passage:
    return Passage(0.0, 1.0, text, primary=Tag(qid, source, 0.9), speaker=speaker)


PASSAGES = [
    _p("What takes the joy out of the job?", "3", TagSource.MANUAL, Speaker.INTERVIEWER),
    _p("And your boss?", "2.3", TagSource.MARKER, Speaker.INTERVIEWER),
    _p("Guessed by the tagger?", "2.1", TagSource.DETECTED, Speaker.INTERVIEWER),
    _p("A retagged answer.", "2.2", TagSource.MANUAL, Speaker.PARTICIPANT),
    _p("Pressed, but whose voice is unknown?", "2.4", TagSource.MARKER, Speaker.UNKNOWN),
    Passage(0.0, 1.0, "Untagged?", speaker=Speaker.INTERVIEWER),
]


def test_only_what_the_researcher_vouched_for() -> None:
    assert askings_of(PASSAGES) == [
        ("3", "What takes the joy out of the job?"),
        ("2.3", "And your boss?"),
    ]


def test_the_asking_of_an_answer_tagged_by_hand() -> None:
    passages = [
        _p("Okay.", "2.1", TagSource.DETECTED, Speaker.INTERVIEWER),
        _p("What wears you down?", "3", TagSource.DETECTED, Speaker.INTERVIEWER),
        _p("In the job, I mean.", "3", TagSource.DETECTED, Speaker.INTERVIEWER),
        _p("The paperwork.", "3", TagSource.MANUAL, Speaker.PARTICIPANT),
        _p("And the boss?", "3.3", TagSource.DETECTED, Speaker.INTERVIEWER),
        _p("She is fine.", "3.2", TagSource.MANUAL, Speaker.PARTICIPANT),  # another question
    ]
    assert askings_of(passages) == [("3", "What wears you down?"), ("3", "In the job, I mean.")]


def test_from_the_projects_interviews_on_the_same_questions(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p", name="askings")
    nav = load_bundled("nav-trivsel-en")
    # the same guide with a note edited, a question reworded and one added
    edited = parse_guide(
        nav.source.replace("Feel free to give examples.", "Ask for examples.", 1)
        .replace("In relation to your manager?", "In relation to your boss?", 1)
        .replace(
            "2.4 In relation to social policy",
            "2.5 Anything else?\n2.4 In relation to social policy",
            1,
        )
    )
    other = load_bundled("example-en")
    ids = []
    for code, guide in (("P1", nav), ("P2", nav), ("P3", other)):
        item = project.new_interview(code, project.add_guide(guide), "en")
        project.save_interview(replace(item, passages=PASSAGES[:2]))
        ids.append(item.id)
    found = vouched_askings(project, nav)
    assert len(found) == 4 and set(found) == set(askings_of(PASSAGES))
    assert len(vouched_askings(project, nav, exclude=ids[0])) == 2
    # 3 ("What reduces …") is worded alike in the edited guide, 2.3 is not: only 3 counts
    assert vouched_askings(project, edited) == [("3", "What takes the joy out of the job?")] * 2
    # example-en words its questions otherwise: nothing crosses over from nav's
    assert vouched_askings(project, other, exclude=ids[2]) == []
    assert same_questions(nav, edited) == {q.id for q in nav.questions()} - {"2.3"}
