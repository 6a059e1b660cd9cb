"""Who speaks, said by the researcher in review: one passage's speaker, or the
interviewer's voice for the whole interview. Saved in a real `store.Project`, kept
through re-tagging and a retag's following, undone in one step; and the voice the
researcher names is the one the tagger then decodes with (`researcher_voice`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from review_helpers import TranscriptApp, choose_speaker
from textual.widgets import OptionList

from bench.tagging_conditions import known_voices, text_interview
from guide.tagging import TaggingOptions, follow_manual, tag_transcript
from guide.tagging.tagger import analyse, researcher_voice
from guide.transcript import Passage, Speaker, SpeakerSource, Word, speaker_said, voice_of
from kvale_errors import StoreError
from store import Project
from store.editing import set_interviewer_voice, set_speaker
from store.review import ReviewSession


def _voiced() -> tuple[object, list]:
    """A text-level interview in the interviewer's own words (no presses), each word's
    voice known: 0 the interviewer's, 1 the participant's."""
    iv = text_interview("en", 1, "held_out", "none", "")
    return iv, known_voices(iv, iv.oracle_segments())


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Project, str, object, list]:
    iv, segs = _voiced()
    project = Project.init(tmp_path / "p", name="speakers")
    guide_hash = project.add_guide(iv.guide)
    item = project.new_interview("P1", guide_hash, "en")
    passages = tag_transcript(iv.guide, segs, [], language="en")
    project.save_interview(replace(item, segments=segs, passages=passages, duration=iv.duration))
    project.set_status(item.id, "transcribed")
    return project, item.id, iv, segs


def _first(passages: list[Passage], speaker: Speaker) -> int:
    return next(i for i, p in enumerate(passages) if p.speaker is speaker and p.words)


def test_voice_of_is_the_voice_of_most_words() -> None:
    words = (Word(0, 1, "a", voice=1), Word(1, 2, "b", voice=0), Word(2, 3, "c", voice=1))
    assert voice_of(Passage(0, 3, "a b c", words)) == 1
    assert voice_of(Passage(0, 3, "a b c", tuple(replace(w, voice=None) for w in words))) is None


def test_a_speaker_set_by_hand_is_saved_kept_by_a_retag_and_undone(stored: tuple) -> None:
    project, iid, iv, _segs = stored
    session = ReviewSession.open(project)
    before = list(session.corpus.interview(iid).passages)
    k = _first(before, Speaker.INTERVIEWER)
    session.set_speaker(iid, k, Speaker.PARTICIPANT)
    saved = Project.open(project.path).interview(iid).passages[k]
    assert saved.speaker is Speaker.PARTICIPANT and saved.speaker_source is SpeakerSource.PASSAGE
    # a retag later in the interview: the passages follow it, the speaker stays
    later = next(i for i in range(k + 2, len(before)) if before[i].primary is not None)
    other = next(q.id for q in iv.guide.questions() if q.id != before[later].primary.question_id)
    session.retag(iid, later, other)
    assert Project.open(project.path).interview(iid).passages[k].speaker is Speaker.PARTICIPANT
    session.undo()
    session.undo()
    assert list(Project.open(project.path).interview(iid).passages) == before


def test_a_speaker_set_by_hand_survives_tagging_again() -> None:
    iv, segs = _voiced()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    k = _first(passages, Speaker.INTERVIEWER)
    said = set_speaker(passages, k, Speaker.PARTICIPANT)
    again = tag_transcript(iv.guide, segs, [], language="en", previous=said)
    same = [p for p in again if p.start <= passages[k].start + 1e-6 <= p.end]
    assert same and all(p.speaker is Speaker.PARTICIPANT and speaker_said(p) for p in same)
    # one passage said otherwise does not move the interviewer's voice
    assert researcher_voice(said) is None
    assert sum(p.speaker is Speaker.INTERVIEWER for p in again) >= 1


def test_a_speaker_set_for_one_passage_names_no_voice() -> None:
    """Setting the speaker of a passage in the participant's voice to the interviewer
    (a question the voices got wrong) changes that passage only: the decoding that
    follows a retag keeps the interviewer's voice it decided (a first-time user's
    finding: it took the participant's voice for the interviewer's)."""
    iv, segs = _voiced()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    answers = [i for i, p in enumerate(passages) if p.speaker is Speaker.PARTICIPANT and p.words]
    said = passages
    for k in answers[:3]:
        said = set_speaker(said, k, Speaker.INTERVIEWER)
    assert researcher_voice(said) is None
    assert follow_manual(iv.guide, segs, [], said, language="en") == said


def test_naming_the_voice_keeps_the_speakers_set_one_by_one() -> None:
    iv, segs = _voiced()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    k = _first(passages, Speaker.INTERVIEWER)
    said = set_speaker(passages, k, Speaker.PARTICIPANT)
    named = set_interviewer_voice(said, _first(said, Speaker.INTERVIEWER))
    assert named[k].speaker is Speaker.PARTICIPANT
    assert named[k].speaker_source is SpeakerSource.PASSAGE
    assert researcher_voice(named) == voice_of(passages[k])


def test_the_voice_the_researcher_names_is_the_interviewers() -> None:
    iv, segs = _voiced()
    passages = tag_transcript(iv.guide, segs, [], language="en")
    assert all(
        p.speaker is (Speaker.INTERVIEWER if voice_of(p) == 0 else Speaker.PARTICIPANT)
        for p in passages
        if voice_of(p) is not None
    )
    # the researcher says voice 1 is the interviewer's (a wrong call here, on purpose:
    # the decoder's own choice would keep voice 0): the speakers and tags follow it
    k = _first(passages, Speaker.PARTICIPANT)
    named = set_interviewer_voice(passages, k)
    assert researcher_voice(named) == 1
    assert all(
        p.speaker is (Speaker.INTERVIEWER if voice_of(p) == 1 else Speaker.PARTICIPANT)
        and p.speaker_source is SpeakerSource.VOICE
        for p in named
        if voice_of(p) is not None
    )
    # decoded with voice 1 asking, no unit asks a question: the tags it was sure of stay
    assert analyse(iv.guide, segs, [], "en", TaggingOptions(), voice=1).interviewer == 1
    assert not analyse(iv.guide, segs, [], "en", TaggingOptions(), voice=1).decoded.asking.any()
    followed = follow_manual(iv.guide, segs, [], named, language="en")
    assert [p.primary for p in followed] == [p.primary for p in named]
    again = tag_transcript(iv.guide, segs, [], language="en", previous=named)
    assert all(
        p.speaker is (Speaker.INTERVIEWER if voice_of(p) == 1 else Speaker.PARTICIPANT)
        for p in again
        if voice_of(p) is not None
    )
    # naming the voice the decoder chose changes no tag
    right = set_interviewer_voice(passages, _first(passages, Speaker.INTERVIEWER))
    kept = follow_manual(iv.guide, segs, [], right, language="en")
    assert [p.primary for p in kept] == [p.primary for p in passages]


def test_naming_the_voice_is_saved_and_undone_in_one_step(stored: tuple) -> None:
    project, iid, _iv, _segs = stored
    session = ReviewSession.open(project)
    before = list(session.corpus.interview(iid).passages)
    session.set_interviewer_voice(iid, _first(before, Speaker.INTERVIEWER))
    saved = Project.open(project.path).interview(iid).passages
    assert all(speaker_said(p) for p in saved if voice_of(p) is not None)
    assert session.followed == 0  # the voice the tagger had: no question moved
    session.undo()
    assert list(Project.open(project.path).interview(iid).passages) == before


def test_naming_the_voice_the_tags_had_leaves_them_as_they_are(stored: tuple) -> None:
    """After a retag, naming the voice the interviewer already has changes no speaker, so
    no tag and no confidence changes either (the researcher has read them)."""
    project, iid, _iv, _segs = stored
    session = ReviewSession.open(project)
    passages = list(session.corpus.interview(iid).passages)
    late = max(i for i, p in enumerate(passages) if p.speaker is Speaker.PARTICIPANT)
    session.retag(iid, late, "1.1")
    before = [p.primary for p in session.corpus.interview(iid).passages]
    session.set_interviewer_voice(iid, _first(passages, Speaker.INTERVIEWER))
    assert session.respoken == 0 and session.followed == 0
    assert [p.primary for p in session.corpus.interview(iid).passages] == before


def test_a_passage_without_a_voice_cannot_name_one(tmp_path: Path) -> None:
    iv = text_interview("en", 1, "held_out", "none", "")
    segs = iv.oracle_segments()  # no voices
    project = Project.init(tmp_path / "p", name="speakers")
    item = project.new_interview("P1", project.add_guide(iv.guide), "en")
    passages = tag_transcript(iv.guide, segs, [], language="en")
    project.save_interview(replace(item, segments=segs, passages=passages))
    session = ReviewSession.open(project)
    with pytest.raises(StoreError, match="told no voices apart"):
        session.set_interviewer_voice(item.id, 0)
    assert Project.open(project.path).interview(item.id).passages == passages
    assert session.undo() is None  # nothing was changed, so nothing to undo


async def test_the_transcript_screen_sets_who_speaks(stored: tuple) -> None:
    """w on the transcript screen: this passage's speaker; then the interviewer's voice
    for the whole interview, which the screen reports; z takes it back."""
    project, iid, _iv, _segs = stored
    session = ReviewSession.open(project)
    passages = list(session.corpus.interview(iid).passages)
    k = _first(passages, Speaker.INTERVIEWER)
    async with TranscriptApp(session, iid).run_test(size=(120, 40)) as pilot:
        view = pilot.app.screen.query_one("#passages", OptionList)
        view.highlighted = k
        await choose_speaker(pilot, "participant")
        assert session.corpus.interview(iid).passages[k].speaker is Speaker.PARTICIPANT
        assert "  P " in str(view.get_option_at_index(k).prompt)
        await choose_speaker(pilot, "voice")
        # the speaker set one by one stays; the voice the tagger had changes nothing else
        assert session.corpus.interview(iid).passages[k].speaker is Speaker.PARTICIPANT
        said = [str(m.message) for m in pilot.app._notifications]
        assert any(
            "Speakers set by voice: 0 passages changed speaker, 0 changed question" in m
            for m in said
        ), said
        await pilot.press("z", "z")
        await pilot.pause()
        assert session.corpus.interview(iid).passages[k].speaker is Speaker.INTERVIEWER


def test_a_corrected_word_keeps_its_time_and_voice(stored: tuple) -> None:
    """Correcting a misheard word keeps the passage's words (their times and voices), so
    naming a voice still reaches the passage; adding words drops the times, as before."""
    project, iid, _iv, _segs = stored
    session = ReviewSession.open(project)
    passages = list(session.corpus.interview(iid).passages)
    k = _first(passages, Speaker.PARTICIPANT)
    words = passages[k].text.split()
    fixed = " ".join(["Truly", *words[1:]])
    session.edit_text(iid, k, fixed)
    p = session.corpus.interview(iid).passages[k]
    assert p.text == fixed and len(p.words) == len(words)
    assert p.words[0].text.strip() == "Truly" and p.words[0].probability == 1.0
    assert voice_of(p) == voice_of(passages[k]) and p.words[1:] == passages[k].words[1:]
    session.edit_text(iid, k, fixed + " Indeed.")
    assert session.corpus.interview(iid).passages[k].words == ()


def test_exports_say_who_set_the_speaker(stored: tuple, tmp_path: Path) -> None:
    """CSV and JSON tell a speaker the researcher set from one the tagger gave."""
    import csv
    import io
    import json

    project, iid, _iv, _segs = stored
    session = ReviewSession.open(project)
    k = _first(list(session.corpus.interview(iid).passages), Speaker.INTERVIEWER)
    session.set_speaker(iid, k, Speaker.PARTICIPANT)
    [path] = session.export("csv", tmp_path / "csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [r["speaker_source"] for r in rows].count("passage") == 1
    assert rows[k]["speaker"] == "participant" and rows[k]["speaker_source"] == "passage"
    assert {r["speaker_source"] for r in rows} == {"tagger", "passage"}
    [path] = session.export("json", tmp_path / "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    shown = data["interviews"][0]["passages"][k]
    assert shown["speaker"] == "participant" and shown["speaker_source"] == "passage"


def test_the_tagger_says_again_who_speaks(stored: tuple) -> None:
    """A speaker set by hand goes back to the tagger's: the one it had, no longer set by
    hand; and after the interviewer's voice was named, the one that voice gives."""
    project, iid, _iv, _segs = stored
    session = ReviewSession.open(project)
    before = list(session.corpus.interview(iid).passages)
    k = _first(before, Speaker.INTERVIEWER)
    session.set_speaker(iid, k, Speaker.PARTICIPANT)
    session.tagger_speaker(iid, k)
    back = Project.open(project.path).interview(iid).passages[k]
    assert back == before[k] and not speaker_said(back)
    # voice 1 (the participant's) named the interviewer's: the tagger's say follows it
    answer = _first(before, Speaker.PARTICIPANT)
    session.set_interviewer_voice(iid, answer)
    session.set_speaker(iid, answer, Speaker.PARTICIPANT)
    session.tagger_speaker(iid, answer)
    assert session.corpus.interview(iid).passages[answer].speaker is Speaker.INTERVIEWER
    with pytest.raises(StoreError):
        session.tagger_speaker(iid, len(before))
