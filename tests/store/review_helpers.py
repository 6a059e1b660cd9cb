"""Small hand-made corpora for review, analysis and export tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.app import App

from bench.tagging_conditions import _truth, text_interview
from bench.tagging_couple import speakers
from guide.bundled import load_bundled
from guide.tagging import tag_transcript
from guide.transcript import Passage, Speaker, Tag, TagSource, Word
from store import Project
from store.corpus import Corpus, ReviewInterview
from store.redaction import Redaction
from store.review import ReviewSession
from tui.screens.transcript import TranscriptScreen


def passage(
    start: float,
    text: str,
    qid: str | None,
    speaker: Speaker = Speaker.PARTICIPANT,
    confidence: float = 0.9,
    probs: list[float] | None = None,
) -> Passage:
    """A passage with evenly timed words."""
    tokens = text.split()
    step = 0.4
    words = tuple(
        Word(start + i * step, start + (i + 1) * step, t, (probs or [0.95] * len(tokens))[i])
        for i, t in enumerate(tokens)
    )
    tag = Tag(qid, TagSource.MARKER, confidence) if qid else None
    return Passage(start, start + step * len(tokens), text, words, tag, (), speaker)


def interview(iid: str, participant: str, date: str, answers: dict[str, str]) -> ReviewInterview:
    """An interview: for each question, the interviewer asks and the participant answers."""
    guide = load_bundled("nav-trivsel-en")
    passages = []
    t = 0.0
    for qid, answer in answers.items():
        q = guide.question(qid)
        passages.append(passage(t, q.text, qid, Speaker.INTERVIEWER))
        t += 10.0
        passages.append(passage(t, answer, qid))
        t += 30.0
    return ReviewInterview(iid, participant, date, t + 60.0, tuple(passages), "transcribed", guide)


def small_corpus(path: Path | None = None) -> Corpus:
    guide = load_bundled("nav-trivsel-en")
    interviews = [
        interview(
            "i1",
            "I1",
            "2023-03-13",
            {
                "1.1": "I have worked at NAV for twelve years now.",
                "2.2": "We have a good team here, and Kari always asks how it went.",
                "3.1": "Some users shout at us, and that is hard to carry home.",
            },
        ),
        interview(
            "i2",
            "I2",
            "2023-03-15",
            {
                "1.1": "Six years, all of them in social services.",
                "2.2": "When it gets heavy, someone takes over an hour for me.",
            },
        ),
        interview(
            "i3",
            "I3",
            "2023-03-20",
            {
                "2.2": "Colleagues are the reason I stay. Kari and Per Olsen helped me a lot.",
                "3.1": "Threats from users, once a month or so.",
            },
        ),
    ]
    return Corpus(
        "NAV trivsel", guide, interviews, redactions=[Redaction("Kari", "[colleague]")], path=path
    )


class TranscriptApp(App[None]):
    """An app that opens one interview's transcript view of a review session (Pilot)."""

    def __init__(self, session: ReviewSession, iid: str) -> None:
        super().__init__()
        self.session, self.iid = session, iid

    def on_mount(self) -> None:
        self.push_screen(TranscriptScreen(self.session, self.iid))


async def choose_speaker(pilot: object, key: str) -> None:
    """Press w on the transcript screen and pick the choice ``key`` ("interviewer",
    "participant 2", "voice", …) in the dialog."""
    from textual.widgets import OptionList

    from tui.screens.review_dialogs import ReviewPick

    await pilot.press("w")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(dialog, ReviewPick)
    dialog.query_one(OptionList).highlighted = [k for k, _ in dialog.items].index(key)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def couple_project(tmp_path: Path, people: int, told_apart: bool = True) -> tuple[Project, str]:
    """A text-level interview (the interviewer's own words, no presses) saved in a real
    project as kvale tags it, each word with its voice: 0 the interviewer's, and with
    ``people`` 3 the answers taken by two participants by turns (voices 1 and 2; not
    ``told_apart``: both in voice 1, as when the recording did not tell them apart)."""
    iv = text_interview("en", 2, "tune", "none", "")
    who = (
        speakers(iv.utterances)
        if people == 3 and told_apart
        else [int(u.role == "participant") for u in iv.utterances]
    )
    segs = []
    for s in iv.oracle_segments():
        words = tuple(replace(w, voice=who[_truth(iv, (w.start + w.end) / 2)[2]]) for w in s.words)
        segs.append(replace(s, words=words))
    project = Project.init(tmp_path / "p", name="couples")
    item = project.new_interview("I3", project.add_guide(iv.guide), "en", people)
    passages = tag_transcript(iv.guide, segs, [], language="en")
    project.save_interview(replace(item, segments=segs, passages=passages, duration=iv.duration))
    project.set_status(item.id, "transcribed")
    return project, item.id
