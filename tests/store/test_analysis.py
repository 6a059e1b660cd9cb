"""Analysis: by-question matrix, word counts, informant table, names, redaction."""

from __future__ import annotations

from review_helpers import passage, small_corpus

from store.analysis import (
    UNTAGGED,
    by_question,
    format_informant_table,
    informant_table,
    low_confidence,
    low_confidence_words,
    name_candidates,
    question_ids,
    question_matrix,
    word_counts,
)
from store.redaction import Redaction, Redactor, redactions_from_setting


def test_by_question_gives_every_participant_in_order_with_gaps() -> None:
    corpus = small_corpus()
    answers = by_question(corpus, "2.2")
    assert [a.participant for a in answers] == ["I1", "I2", "I3"]
    assert all(a.passages for a in answers)
    assert answers[1].text == "When it gets heavy, someone takes over an hour for me."
    assert answers[1].words == 11
    gap = by_question(corpus, "1.1")[2]
    assert gap.participant == "I3" and gap.passages == () and gap.words == 0


def test_by_question_leaves_out_the_interviewer_unless_asked() -> None:
    corpus = small_corpus()
    with_questions = by_question(corpus, "3.1", include_interviewer=True)
    assert len(with_questions[0].passages) == 2
    assert len(by_question(corpus, "3.1")[0].passages) == 1


def test_question_matrix_counts_participant_words() -> None:
    matrix = question_matrix(small_corpus())
    assert matrix["2.2"] == {"i1": 13, "i2": 11, "i3": 14}
    assert "1.1" in matrix and "i3" not in matrix["1.1"]


def test_question_ids_follow_the_guide_then_unknown_then_untagged() -> None:
    corpus = small_corpus()
    extra = passage(500.0, "Off the guide.", "9.9")
    loose = passage(510.0, "No tag at all.", None)
    first = corpus.interviews[0]
    corpus.replace_interview(
        type(first)(**{**first.__dict__, "passages": (*first.passages, extra, loose)})
    )
    ids = question_ids(corpus)
    assert ids[:3] == ["1", "1.1", "1.2"]
    assert ids[-2:] == ["9.9", UNTAGGED]


def test_informant_table_rows_and_total() -> None:
    rows, total = informant_table(small_corpus())
    assert [r.participant for r in rows] == ["I1", "I2", "I3"]
    assert rows[0].date == "13.03.2023"
    assert total.words == sum(r.words for r in rows) == 115
    assert total.minutes == sum(r.minutes for r in rows)
    text = format_informant_table(small_corpus())
    assert text.splitlines()[-1].startswith("Total")


def test_word_counts_at_each_stage() -> None:
    corpus = small_corpus()
    assert word_counts(corpus).coded == 0
    book = corpus.codebook
    code = book.add_code("support")
    other = book.add_code("team")
    i2 = corpus.interviews[1]
    answer = i2.passages[3]
    book.apply(code.id, i2.id, answer)  # 11 words
    book.apply(other.id, i2.id, answer, 0, 14)  # overlapping: counted once
    group = book.add_group("Colleagues", research_question="RQ1")
    book.set_note(group.id, "Colleagues take over when it is heavy.", participant="I2")
    book.set_note(group.id, "Support matters.")
    counts = word_counts(corpus)
    assert counts.transcript == 115
    assert counts.coded == 11
    assert counts.condensed == 7 + 2


def test_name_candidates_flag_names_not_sentence_starts_or_known_words() -> None:
    corpus = small_corpus()
    found = {c.word: c for c in name_candidates(corpus)}
    assert set(found) == {"Per", "Olsen"}  # Kari is already redacted, NAV is an acronym
    assert found["Per"].interviews == ("I3",)
    assert "Colleagues" not in found  # sentence start


def test_name_candidates_skip_words_also_written_lower_case() -> None:
    corpus = small_corpus()
    i1 = corpus.interviews[0]
    more = (passage(900, "we went home, and Home was nice", "1.1"),)
    corpus.replace_interview(type(i1)(**{**i1.__dict__, "passages": i1.passages + more}))
    assert "Home" not in {c.word for c in name_candidates(corpus)}


def test_name_candidates_of_possessives() -> None:
    corpus = small_corpus()
    i1 = corpus.interviews[0]
    more = (passage(900, "after the Monday's meeting, Olsen's desk and Pers idea", "1.1"),)
    corpus.replace_interview(type(i1)(**{**i1.__dict__, "passages": i1.passages + more}))
    found = {c.word for c in name_candidates(corpus)}
    assert "Monday" not in found and "Monday'" not in found  # a weekday, as "Monday"
    assert {"Per", "Olsen"} <= found and not any("'" in w for w in found)


def test_low_confidence_is_a_tag_to_doubt() -> None:
    assert low_confidence(passage(0, "yes", "1", confidence=0.3))
    assert not low_confidence(passage(0, "yes", "1", confidence=0.9))
    untagged = passage(0, "Thank you for coming.", None)
    assert not low_confidence(untagged)  # shown "—", not "?"


def test_low_confidence_words() -> None:
    p = passage(0, "one two three", "1", probs=[0.9, 0.3, 0.99])
    assert low_confidence_words(p) == [1]


def test_redactor_whole_words_possessive_and_multiword() -> None:
    r = Redactor([Redaction("Kari", "[colleague]"), Redaction("Per Olsen", "[manager]")])
    assert r("Kari said Karis idea; Karianne stays.") == (
        "[colleague] said [colleague]s idea; Karianne stays."
    )
    assert r("I met Per\nOlsen today") == "I met [manager] today"
    assert r("no names here") == "no names here"


def test_redactor_maps_offsets_so_selections_never_show_part_of_a_name() -> None:
    r = Redactor([Redaction("Kari", "[colleague]")])
    text = "ask Kari now"
    new, spans = r.redact(text)
    assert new == "ask [colleague] now"
    assert Redactor.map_offset(9, spans, end=False) == new.index("now")
    assert Redactor.map_offset(5, spans, end=False) == 4  # inside the name → placeholder start
    assert Redactor.map_offset(6, spans, end=True) == new.index(" now")


def test_redactions_from_setting_shapes() -> None:
    assert redactions_from_setting(["Kari", "Per=[manager]"]) == [
        Redaction("Kari", "[name]"),
        Redaction("Per", "[manager]"),
    ]
    assert redactions_from_setting({"Ola": "[user]"}) == [Redaction("Ola", "[user]")]
    assert redactions_from_setting([{"name": "Ola"}, {"name": " "}]) == [Redaction("Ola", "[name]")]
    assert redactions_from_setting(None) == []


def test_words_marked_not_a_name_are_not_flagged_again() -> None:
    corpus = small_corpus()
    corpus.codebook.not_names.append("olsen")
    assert [c.word for c in name_candidates(corpus)] == ["Per"]
