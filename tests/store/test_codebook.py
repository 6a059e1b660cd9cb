"""Codebook: codes, groups under research questions, spans, condensation, persistence, edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_helpers import small_corpus

from guide.transcript import Passage, TagSource
from kvale_errors import StoreError
from store.codebook import FILENAME, Codebook
from store.corpus import ReviewInterview
from store.editing import edit_text, merge, retag, split


def test_codes_groups_and_research_questions() -> None:
    book = Codebook()
    code = book.add_code("  fellesskap ")
    assert code.name == "fellesskap"
    assert book.add_code("Fellesskap") is code  # same name, same code
    group = book.add_group("Støtte fra kollegaer")
    book.move_code(code.id, group.id)
    book.place_group(group.id, "RQ1")
    assert book.group(group.id).research_question == "RQ1"
    assert book.codes_in(group.id) == [book.code(code.id)]
    book.delete_group(group.id)
    assert book.code(code.id).group_id is None


@pytest.mark.parametrize("bad", ["", "   "])
def test_a_code_needs_a_name(bad: str) -> None:
    with pytest.raises(StoreError, match="needs a name"):
        Codebook().add_code(bad)


def test_rename_to_an_existing_name_is_refused() -> None:
    book = Codebook()
    a, b = book.add_code("a"), book.add_code("b")
    with pytest.raises(StoreError, match="already a code"):
        book.rename_code(b.id, "A")
    assert book.rename_code(a.id, "alpha").name == "alpha"


def test_apply_span_and_bad_selection() -> None:
    corpus = small_corpus()
    i1 = corpus.interviews[0]
    p = i1.passages[3]
    book = corpus.codebook
    code = book.add_code("team")
    span = book.apply(code.id, i1.id, p, 0, 16)
    assert span.text == "We have a good t"
    assert book.apply(code.id, i1.id, p, 0, 16) is span  # idempotent
    with pytest.raises(StoreError, match="outside the passage"):
        book.apply(code.id, i1.id, p, 5, 5000)
    found, detached = book.resolve(i1.id, i1.passages)
    assert found == [(span, 3)] and detached == []


def test_persistence_round_trip_and_atomic_file(tmp_path: Path) -> None:
    corpus = small_corpus()
    book = corpus.codebook
    i1 = corpus.interviews[0]
    code = book.add_code("team")
    group = book.add_group("Colleagues", research_question="RQ1")
    book.move_code(code.id, group.id)
    book.apply(code.id, i1.id, i1.passages[3])
    book.set_note(group.id, "They help.", participant="I1")
    book.set_note(group.id, "Colleagues matter.")
    path = book.save(tmp_path)
    assert path.name == FILENAME
    assert json.loads(path.read_text())["schema_version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == [FILENAME]  # no temp file left
    again = Codebook.load(tmp_path)
    assert again == book
    assert again.note(group.id, "I1") == "They help."


def test_missing_codebook_is_empty_and_damaged_one_says_what_to_do(tmp_path: Path) -> None:
    assert Codebook.load(tmp_path) == Codebook()
    (tmp_path / FILENAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match=r"damaged.*transcripts are not affected"):
        Codebook.load(tmp_path)
    (tmp_path / FILENAME).write_text('{"schema_version": 99}', encoding="utf-8")
    with pytest.raises(StoreError, match="newer kvale"):
        Codebook.load(tmp_path)


def test_save_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="could not be saved: the project folder"):
        Codebook().save(tmp_path / "gone")


def test_retag_is_manual_and_keeps_the_old_tag() -> None:
    corpus = small_corpus()
    passages = list(corpus.interviews[0].passages)
    new = retag(passages, 3, "2.3")
    assert new[3].primary is not None and new[3].primary.question_id == "2.3"
    assert new[3].primary.source == TagSource.MANUAL
    assert [t.question_id for t in new[3].secondary] == ["2.2"]
    with pytest.raises(StoreError, match="no passage 99"):
        retag(passages, 98, "2.3")


def _team_passage(code_name: str) -> tuple[ReviewInterview, Codebook, str, list[Passage], str]:
    """The small corpus's first interview, its codebook with a new code, the code's id,
    its passages, and passage 3's text ("We have a good team here, and Kari always asks
    how it went.")."""
    corpus = small_corpus()
    i1 = corpus.interviews[0]
    book = corpus.codebook
    code = book.add_code(code_name)
    passages = list(i1.passages)
    return i1, book, code.id, passages, passages[3].text


def test_split_and_merge_keep_coded_spans_on_their_words() -> None:
    i1, book, code_id, passages, text = _team_passage("asks")
    start = text.index("Kari")
    book.apply(code_id, i1.id, passages[3], start, len(text))
    cut = text.index("and Kari")
    after = split(passages, 3, cut, book, i1.id)
    assert len(after) == len(passages) + 1
    assert after[3].text == "We have a good team here,"
    assert after[4].text.startswith("and Kari")
    assert after[3].end == after[4].start
    found, detached = book.resolve(i1.id, after)
    assert detached == [] and found[0][1] == 4
    span = found[0][0]
    assert after[4].text[span.char_start : span.char_end] == "Kari always asks how it went."
    merged = merge(after, 3, book, i1.id)
    assert merged[3].text == text
    found, detached = book.resolve(i1.id, merged)
    assert detached == [] and found[0][1] == 3
    assert merged[3].text[found[0][0].char_start : found[0][0].char_end] == text[start:]


def test_a_split_through_a_coded_span_keeps_both_parts_coded() -> None:
    """Splitting inside coded words leaves each passage's part of them coded: no coded
    word is dropped from the code."""
    i1, book, code_id, passages, text = _team_passage("team")
    book.apply(code_id, i1.id, passages[3], 0, len(text))
    after = split(passages, 3, text.index("and Kari"), book, i1.id)
    found, detached = book.resolve(i1.id, after)
    assert detached == []
    coded = sorted((i, after[i].text[s.char_start : s.char_end]) for s, i in found)
    assert coded == [(3, "We have a good team here,"), (4, "and Kari always asks how it went.")]
    assert len({s.id for s, _ in found}) == 2


def test_edit_text_moves_spans_and_reports_lost_ones() -> None:
    corpus = small_corpus()
    i1 = corpus.interviews[0]
    book = corpus.codebook
    code = book.add_code("hard")
    passages = list(i1.passages)
    p = passages[5]  # "Some users shout at us, and that is hard to carry home."
    book.apply(code.id, i1.id, p, p.text.index("hard"), p.text.index("hard") + 4)
    edited = edit_text(
        passages, 5, "Honestly, some users shout at us, and that is hard.", book, i1.id
    )
    found, detached = book.resolve(i1.id, edited)
    assert edited[5].words == ()  # the words changed: timings dropped
    assert len(found) == 1 and edited[5].text[found[0][0].char_start :].startswith("hard")
    edited = edit_text(edited, 5, "Users shout.", book, i1.id)
    found, detached = book.resolve(i1.id, edited)
    assert found == [] and len(detached) == 1  # never silently dropped
    with pytest.raises(StoreError, match="cannot be empty"):
        edit_text(edited, 5, "  ", book, i1.id)


def test_split_needs_a_point_between_words() -> None:
    corpus = small_corpus()
    passages = list(corpus.interviews[0].passages)
    with pytest.raises(StoreError, match="between two words"):
        split(passages, 3, 0, corpus.codebook, "i1")
    with pytest.raises(StoreError, match="no next passage"):
        merge(passages, len(passages) - 1, corpus.codebook, "i1")


def test_review_session_saves_codes_and_rejects_an_empty_name(tmp_path: Path) -> None:
    from store.review import ReviewSession

    session = ReviewSession(small_corpus(tmp_path))
    span = session.code_passage("i3", 3, "kollegaer")
    assert Codebook.load(tmp_path).spans == [span]
    with pytest.raises(StoreError, match="Type the name"):
        session.add_redaction("  ")
    session.add_redaction("Per", "[manager]")
    session.add_redaction("Per", "[leader]")  # replaces, does not duplicate
    assert [(r.name, r.placeholder) for r in session.corpus.redactions][-1] == ("Per", "[leader]")
    assert len(session.corpus.redactions) == 2


def test_purge_participant_removes_their_spans_and_notes_only(tmp_path: Path) -> None:
    from store.codebook import purge_participant

    corpus = small_corpus(tmp_path)
    book = corpus.codebook
    code = book.add_code("team")
    group = book.add_group("Colleagues")
    for interview in corpus.interviews:
        book.apply(code.id, interview.id, interview.passages[1])
        book.set_note(group.id, f"{interview.participant} said things.", interview.participant)
    book.set_note(group.id, "Overall.")
    book.save(tmp_path)
    assert purge_participant(tmp_path, "I2", ["i2"]) == 2
    after = Codebook.load(tmp_path)
    assert {s.interview_id for s in after.spans} == {"i1", "i3"}
    assert after.note(group.id, "I2") == "" and after.note(group.id) == "Overall."
    assert after.codes == book.codes
    assert purge_participant(tmp_path / "nothing-here", "I1", ["i1"]) == 0
