"""One of a couple withdraws alone: ``kvale purge I3-2`` deletes what they said (their
words, passages, coded spans, the recording, name-list entries only they said, the
exports) and keeps what the interviewer and the other participant said, under their
numbers; a withdrawal cut short by kill -9 completes when the project is next opened."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from review_helpers import couple_project

from guide.transcript import Passage, Speaker
from kvale_errors import StoreError
from store import Project
from store.corpus import corpus_from_project
from store.exports.text import markdown, member_check
from store.layout import JOURNAL
from store.model import RecordingRef
from store.review import ReviewSession
from store.withdrawal import WithdrawalReport, numbered_participants, withdraw_or_purge
from tui.deletion_report import deletion_text

ROOT = Path(__file__).resolve().parents[2]


def _voice_words(passages: list[Passage] | tuple[Passage, ...], voice: int) -> Counter[str]:
    return Counter(w.text.strip() for p in passages for w in p.words if w.voice == voice)


def _couple_with_recording(tmp_path: Path) -> tuple[Project, str, dict[str, str]]:
    """The couple interview with a recording in the project, a name each partner said
    on the redaction list, and three coded spans: on I3-1's words, on I3-2's words, and
    on I3-1's words inside a passage merged with I3-2's answer."""
    project, iid = couple_project(tmp_path, 3)
    folder = project.path / "recordings" / iid
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "audio.flac").write_bytes(b"\0" * 4096)
    interview = project.interview(iid)
    project.save_interview(replace(interview, recording=RecordingRef(f"recordings/{iid}", 16000)))
    session = ReviewSession.open(project)
    ri = session.corpus.interview(iid)
    numbers = [ri.participant_number(p) for p in ri.passages]
    one, two = numbers.index(1), numbers.index(2)
    # a word each partner alone said, as a name to redact
    said = {
        v: {w.strip(".,?!").casefold() for w in _voice_words(ri.passages, v)} for v in (0, 1, 2)
    }
    only_one = sorted(w for w in said[1] - said[0] - said[2] if w.isalpha())[0]
    only_two = sorted(w for w in said[2] - said[0] - said[1] if w.isalpha())[0]
    project.update_settings(redaction_names=[only_one, only_two])
    spans = {
        "one": session.code_words(iid, one, "career", ri.passages[one].text).id,
        "two": session.code_words(iid, two, "career", ri.passages[two].text).id,
    }
    # I3-1's later answer merged with the question after it and I3-2's answer to it
    later = next(i for i, n in enumerate(numbers) if n == 1 and i > two and numbers[i + 2] == 2)
    said = ri.passages[later].text
    session.merge(iid, later)
    session.merge(iid, later)
    merged = session.corpus.interview(iid).passages[later]
    assert {w.voice for w in merged.words} == {0, 1, 2}
    spans["merged"] = session.code_words(iid, later, "support", said).id
    return project, iid, spans


def test_one_of_a_couple_withdraws_and_the_other_keeps_every_word(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    project, iid, spans = _couple_with_recording(tmp_path)
    before = project.interview(iid)
    theirs = _voice_words(before.passages, 2)
    names = project.settings.redaction_names
    assert numbered_participants(project) == ["I3-1", "I3-2"]

    report = withdraw_or_purge(project, "I3-2")

    assert isinstance(report, WithdrawalReport)
    after = project.interview(iid)
    # none of their words is left, in the passages, the transcript or the guards' removals
    assert _voice_words(after.passages, 2) == Counter()
    assert not any(w.voice == 2 for s in after.segments for w in s.words)
    assert not any(w.voice == 2 for r in after.removed for w in r.words)
    assert report.words == sum(theirs.values()) and report.passages > 0
    # the interviewer's and the partner's words are all kept, the merged passage too
    for voice in (0, 1):
        assert _voice_words(after.passages, voice) == _voice_words(before.passages, voice)
    # the partner is still I3-1 (their number is kept), and no I3-2 is left to name
    corpus = corpus_from_project(project)
    text = markdown(corpus)
    assert "**I3-1**" in text and "I3-2" not in text
    letter = member_check(corpus, "I3")  # the partner's letter: no I3-2 in it
    assert "] I3-1: " in letter and "I3-2" not in letter and "together" not in letter
    assert corpus.interview(iid).present_numbers == {1: 1}
    assert numbered_participants(project) == ["I3-1"]
    # coded spans: theirs gone, the partner's kept, the one in the merged passage moved
    book = ReviewSession.open(project).codebook
    kept = {s.id: s for s in book.spans}
    assert spans["two"] not in kept and spans["one"] in kept and spans["merged"] in kept
    moved = kept[spans["merged"]]
    passage = next(p for p in after.passages if abs(p.start - moved.passage_start) < 1e-3)
    assert passage.text[moved.char_start : moved.char_end] == moved.text
    assert report.codebook_items == 1
    # the recording (it holds their voice) is gone, and the name only they said
    assert not (project.path / "recordings" / iid).exists() and report.files == 1
    assert project.settings.redaction_names == [names[0]] and report.list_entries == 1
    # a content-free record; nothing they said in the project document or the log
    doc = (project.path / "kvale-project.json").read_text()
    assert '"I3-2"' not in doc
    said = " ".join(p.text for p in before.passages if p.speaker is Speaker.PARTICIPANT)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert not any(w in logged for w in set(said.split()) if len(w) > 6)
    assert "What the others said is kept" in deletion_text(report)
    # a second time: nothing of theirs is left to delete, and no I3-2 to name
    with pytest.raises(StoreError) as err:
        withdraw_or_purge(project, "I3-2")
    assert "I3-2 has withdrawn already" in str(err.value.sentence)


@pytest.mark.parametrize(
    ("people", "code", "says"),
    [
        (3, "I3-3", "The voices there are I3-1, I3-2."),
        (2, "I3-1", "I3 was interviewed alone, or the recording told no voices apart"),
        (3, "I7-1", "There is no participant I7-1"),
    ],
)
def test_a_participant_no_interview_tells_apart_is_refused_and_nothing_changes(
    tmp_path: Path, people: int, code: str, says: str
) -> None:
    project, iid = couple_project(tmp_path, people)
    before = project.interview(iid)
    with pytest.raises(StoreError) as err:
        withdraw_or_purge(project, code)
    assert says in str(err.value.sentence) and "nothing" in str(err.value.sentence)
    assert project.interview(iid) == before


KILLED = """
import os, signal, sys
from pathlib import Path
from store import Project, codebook
from store.withdrawal import withdraw_or_purge

saved = codebook.Codebook.save
def save_then_die(self, path):
    saved(self, path)
    os.kill(os.getpid(), signal.SIGKILL)  # after the coded spans, before the passages
codebook.Codebook.save = save_then_die
withdraw_or_purge(Project.open(Path(sys.argv[1])), "I3-2")
"""


def test_a_withdrawal_killed_halfway_completes_when_the_project_is_opened(
    tmp_path: Path,
) -> None:
    project, iid, _spans = _couple_with_recording(tmp_path / "killed")
    whole, whole_iid, _ = _couple_with_recording(tmp_path / "whole")
    path = project.path
    project.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", KILLED, str(path)], env=env, cwd=ROOT)
    assert run.returncode == -9
    assert (path / JOURNAL).exists()  # cut short: the journal says so
    # an export before the project is opened again would write their words: refused
    export = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--project", str(path), "export", "md"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert export.returncode != 0 and "was cut short and is not finished" in export.stderr
    assert not list((path / "exports").rglob("*.md"))

    reopened = Project.open(path)
    assert any("has now been completed" in s for s in reopened.recovered)
    assert not (path / JOURNAL).exists()
    withdraw_or_purge(whole, "I3-2")
    for voice in (0, 1, 2):
        assert _voice_words(reopened.interview(iid).passages, voice) == _voice_words(
            whole.interview(whole_iid).passages, voice
        )
    assert len(ReviewSession.open(reopened).codebook.spans) == len(
        ReviewSession.open(whole).codebook.spans
    )
    assert not (path / "recordings" / iid).exists()


def test_kvale_purge_withdraws_one_of_a_couple_from_the_command_line(tmp_path: Path) -> None:
    project, iid, _spans = _couple_with_recording(tmp_path)
    path = project.path
    project.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--project", str(path), "purge", "I3-2", "--yes"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "Deleted what participant I3-2 said in 1 interview:" in run.stdout
    assert _voice_words(Project.open(path).interview(iid).passages, 2) == Counter()
