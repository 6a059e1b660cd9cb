"""Coding can be corrected and retrieved: rename, merge, delete, uncode, word spans,
a code's segments across interviews, and undo/redo of edits, retags and coding."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import small_corpus

from kvale_errors import StoreError
from store.codebook import Codebook
from store.review import ReviewSession, find_words


def _index(session: ReviewSession, iid: str, needle: str) -> int:
    passages = session.corpus.interview(iid).passages
    return next(i for i, p in enumerate(passages) if needle in p.text)


def test_rename_merge_and_delete_codes_are_saved(tmp_path: Path) -> None:
    s = ReviewSession(small_corpus(tmp_path))
    i = _index(s, "i1", "good team")
    a = s.code_words("i1", i, "team", "good team")
    b = s.code_passage("i3", _index(s, "i3", "Colleagues"), "kolleger")
    s.code_passage("i1", i, "kolleger", a.char_start, a.char_end)  # same words, both codes
    s.rename_code(a.code_id, "godt lag")
    assert Codebook.load(tmp_path).code(a.code_id).name == "godt lag"
    with pytest.raises(StoreError, match="already a code"):
        s.rename_code(a.code_id, "Kolleger")
    into = s.merge_codes(b.code_id, a.code_id)
    assert into.id == a.code_id
    book = Codebook.load(tmp_path)
    assert [c.name for c in book.codes] == ["godt lag"]
    assert len(book.spans) == 2  # the span both codes had on the same words is kept once
    with pytest.raises(StoreError, match="into itself"):
        s.merge_codes(a.code_id, a.code_id)
    s.delete_code(a.code_id)
    assert Codebook.load(tmp_path).codes == [] and Codebook.load(tmp_path).spans == []


def test_code_a_word_span_and_remove_it(tmp_path: Path) -> None:
    s = ReviewSession(small_corpus(tmp_path))
    i = _index(s, "i1", "good team")
    span = s.code_words("i1", i, "støtte", "KARI   always asks")
    text = s.corpus.interview("i1").passages[i].text
    assert text[span.char_start : span.char_end] == "Kari always asks"
    with pytest.raises(StoreError, match="not in this passage"):
        s.code_words("i1", i, "støtte", "nobody said this")
    whole = s.code_words("i1", i, "team", "")
    assert (whole.char_start, whole.char_end) == (0, len(text))
    s.uncode(span.id)
    assert [x.id for x in Codebook.load(tmp_path).spans] == [whole.id]
    with pytest.raises(StoreError, match="not there any more"):
        s.uncode(span.id)


def test_find_words_ignores_case_and_spacing() -> None:
    assert find_words("Vi har et  godt\nlag her", "godt lag") == (11, 19)


def test_a_code_s_segments_across_interviews(tmp_path: Path) -> None:
    s = ReviewSession(small_corpus(tmp_path))
    s.code_words("i3", _index(s, "i3", "Colleagues"), "kolleger", "Colleagues")
    s.code_words("i1", _index(s, "i1", "good team"), "kolleger", "a good team")
    code = s.codebook.code_named("kolleger")
    segments = s.segments(code.id)
    assert [(g.participant, g.text) for g in segments] == [
        ("I1", "a good team"),
        ("I3", "Colleagues"),
    ]
    assert not any(g.detached for g in segments)


def test_undo_and_redo_edits_retags_and_coding(tmp_path: Path) -> None:
    s = ReviewSession(small_corpus(tmp_path))
    i = _index(s, "i1", "good team")
    before = s.corpus.interview("i1").passages[i]
    s.edit_text("i1", i, "We have a great team here.")
    s.retag("i1", i, "3.1")
    span = s.code_passage("i1", i, "lag")
    assert s.undo().label == "coding"  # type: ignore[union-attr]
    assert Codebook.load(tmp_path).spans == []
    assert s.undo().label == "retag"  # type: ignore[union-attr]
    assert s.corpus.interview("i1").passages[i].primary == before.primary
    assert s.undo().label == "text edit"  # type: ignore[union-attr]
    assert s.corpus.interview("i1").passages[i].text == before.text
    assert s.undo() is None
    assert s.redo().label == "text edit"  # type: ignore[union-attr]
    assert s.corpus.interview("i1").passages[i].text == "We have a great team here."
    s.redo()
    s.redo()
    assert [x.id for x in Codebook.load(tmp_path).spans] == [span.id]
    assert s.redo() is None
    s.delete_code(span.code_id)
    assert Codebook.load(tmp_path).spans == []
    assert s.undo().label == "delete code"  # type: ignore[union-attr]
    assert [x.id for x in Codebook.load(tmp_path).spans] == [span.id]  # back, same span
    s.undo()  # the coding
    s.retag("i1", i, "1.1")  # a new change drops the redo steps
    assert s.redo() is None
