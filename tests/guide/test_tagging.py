"""Tagging: markers, question detection, content, manual tags, word-level splits, and
ASR-garbled words."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from guide.bundled import load_bundled
from guide.model import Guide
from guide.tagging import (
    detect_questions,
    retag_passage,
    tag_transcript,
)
from guide.text import normalise, stem, stemmer_language, tokens
from guide.transcript import Marker, MarkerKind, Passage, Segment, Speaker, TagSource, Word
from kvale_errors import KvaleError

EN = load_bundled("nav-trivsel-en")
NB = load_bundled("nav-trivsel-nb")


def seg(
    start: float,
    text: str,
    gap: float = 0.4,
    probability: float = 1.0,
    voice: int | None = None,
) -> Segment:
    """A segment whose words are spaced ``gap`` seconds apart from ``start``."""
    words, t = [], start
    for w in text.split():
        words.append(Word(round(t, 3), round(t + gap * 0.8, 3), " " + w, probability, voice))
        t += gap
    return Segment(start, round(t, 3), text, tuple(words))


def interview_en() -> list[Segment]:
    return [
        seg(0.0, "Welcome, and thank you for taking part."),
        seg(4.0, "How long have you worked at NAV?"),
        seg(7.0, "I have worked there for about eight years now."),
        seg(12.0, "What strengthens well-being in your work situation?"),
        seg(16.0, "Helping people who struggle, that gives me energy every day."),
        seg(22.0, "And in relation to colleagues?"),
        seg(25.0, "My colleagues are supportive, we ask each other for advice."),
        seg(31.0, "What reduces well-being in your work situation?"),
        seg(35.0, "Too many cases and too little time, I go home with a bad conscience."),
        seg(42.0, "In relation to colleagues?"),
        seg(45.0, "Sometimes there is gossip and the mood gets tense."),
    ]


TRUTH_EN = {7.0: "1.1", 16.0: "2", 25.0: "2.2", 35.0: "3", 45.0: "3.2"}
ASKED_EN = [(4.0, "1.1"), (12.0, "2"), (22.0, "2.2"), (31.0, "3"), (42.0, "3.2")]


def primary_at(passages: Sequence[Passage], t: float) -> str | None:
    for p in passages:
        if p.start - 1e-6 <= t <= p.end + 1e-6:
            return p.primary.question_id if p.primary else None
    raise AssertionError(f"no passage at {t}")


def markers(
    pairs: Sequence[tuple[float, str]], kind: MarkerKind = MarkerKind.ASKED
) -> list[Marker]:
    return [Marker(t, kind, q) for t, q in pairs]


def check_truth(passages: Sequence[Passage], truth: dict[float, str]) -> None:
    for t, qid in truth.items():
        assert primary_at(passages, t + 0.1) == qid, (t, qid)


def test_detection_only_tags_a_recording_without_markers() -> None:
    passages = tag_transcript(EN, interview_en(), [], language="en")
    check_truth(passages, TRUTH_EN)
    assert {p.primary.source for p in passages if p.primary} == {TagSource.DETECTED}
    # the welcome before the first question has no question, its speaker is unknown
    assert passages[0].primary is None
    assert passages[0].speaker is Speaker.UNKNOWN


def test_same_words_told_apart_by_section() -> None:
    found = detect_questions(EN, interview_en(), "en")
    assert [d.question_id for d in found] == ["1.1", "2", "2.2", "3", "3.2"]
    assert all(0.0 <= d.score <= 1.0 for d in found)
    assert found[2].segment_index == 5


def test_combined_and_jittered_markers_snap_to_the_asking() -> None:
    jittered = [
        (t + off, q) for (t, q), off in zip(ASKED_EN, [3.5, -4.0, 4.5, -2.5, 5.0], strict=True)
    ]
    passages = tag_transcript(EN, interview_en(), markers(jittered))
    check_truth(passages, TRUTH_EN)
    starts = {p.primary.question_id: p.start for p in reversed(passages) if p.primary}
    for t, qid in ASKED_EN:
        assert starts[qid] == pytest.approx(t)
    asked = [p for p in passages if p.speaker is Speaker.INTERVIEWER]
    assert [p.primary.question_id for p in asked if p.primary] == [q for _, q in ASKED_EN]
    assert all(p.primary.confidence >= 0.85 for p in asked if p.primary)


def test_missing_marker_filled_by_detection() -> None:
    some = [m for m in ASKED_EN if m[1] != "2.2"]
    passages = tag_transcript(EN, interview_en(), markers(some))
    check_truth(passages, TRUTH_EN)
    colleague = next(p for p in passages if p.start == pytest.approx(25.0))
    assert colleague.primary is not None and colleague.primary.source is TagSource.DETECTED


def test_out_of_order_and_returned_question() -> None:
    segs = [
        seg(0.0, "How long have you worked at NAV?"),
        seg(3.0, "About eight years."),
        seg(6.0, "What is your educational background?"),  # 1.4 before 1.3
        seg(9.0, "I am a trained social worker."),
        seg(12.0, "Have you worked at other NAV offices?"),
        seg(15.0, "No, only this office."),
        seg(
            18.0,
            "NAV is much discussed in social media and debates; "
            "how does that affect you as an employee?",
        ),
        seg(25.0, "It is hard to read the comments."),
        seg(
            29.0, "I would like to go back to your education. What is your educational background?"
        ),
        seg(36.0, "I also took a course in motivational interviewing."),
    ]
    truth = {3.0: "1.1", 9.0: "1.4", 15.0: "1.3", 25.0: "5", 36.0: "1.4"}
    track = [
        *markers([(1.0, "1.1"), (5.0, "1.4"), (13.0, "1.3"), (17.0, "5")]),
        Marker(33.0, MarkerKind.RETURNED, "1.4"),
    ]
    check_truth(tag_transcript(EN, segs, track), truth)
    check_truth(tag_transcript(EN, segs, []), truth)


def test_straddling_segment_split_into_word_spans() -> None:
    # one segment holds the end of an answer and the next question
    segs = [
        seg(0.0, "How long have you worked at NAV?"),
        seg(3.0, "Eight years in May. In relation to colleagues? They are kind and helpful."),
    ]
    guide_segs = [seg(-6.0, "What strengthens well-being in your work situation?"), *segs]
    passages = tag_transcript(EN, guide_segs, [])
    texts = [(p.text, p.primary.question_id if p.primary else None, p.speaker) for p in passages]
    assert ("Eight years in May.", "2", Speaker.PARTICIPANT) in texts or (
        "Eight years in May.",
        "1.1",
        Speaker.PARTICIPANT,
    ) in texts
    assert ("In relation to colleagues?", "2.2", Speaker.INTERVIEWER) in texts
    assert ("They are kind and helpful.", "2.2", Speaker.PARTICIPANT) in texts
    split = next(p for p in passages if p.text.startswith("In relation"))
    assert split.words[0].text.strip() == "In" and split.start == split.words[0].start
    # every word of the transcript is in exactly one passage, in order
    assert [w for p in passages for w in p.words] == [w for s in guide_segs for w in s.words]


def test_manual_tag_survives_retagging_even_when_markers_change() -> None:
    segs = interview_en()
    first = tag_transcript(EN, segs, markers(ASKED_EN))
    i = next(k for k, p in enumerate(first) if p.start == pytest.approx(16.0))
    before = first[i].primary
    assert before is not None and before.question_id == "2"
    edited = retag_passage(first, i, "2.1")
    after = edited[i].primary
    assert after is not None and after.source is TagSource.MANUAL
    assert after.confidence == 1.0
    assert "2" in [t.question_id for t in edited[i].secondary]
    # markers changed (one gone, others moved) and re-tagged: the manual tag is still there
    moved = [(t + 1.5, q) for t, q in ASKED_EN if q != "2"]
    again = tag_transcript(EN, segs, markers(moved), previous=edited)
    assert primary_at(again, 16.1) == "2.1"
    kept = next(p for p in again if p.start <= 16.1 <= p.end)
    assert kept.primary is not None and kept.primary.source is TagSource.MANUAL
    # and without any markers at all
    again2 = tag_transcript(EN, segs, [], previous=again)
    assert primary_at(again2, 16.1) == "2.1"
    # the other passages are tagged as before
    check_truth(again2, {k: v for k, v in TRUTH_EN.items() if k != 16.0})


def test_manual_tag_edges_cut_the_new_passages() -> None:
    segs = interview_en()
    first = tag_transcript(EN, segs, [])
    # a manual passage covering only the second half of a segment (after a split in review)
    target = next(p for p in first if p.start == pytest.approx(16.0))
    half = Passage(
        start=target.words[5].start,
        end=target.end,
        text="",
        words=target.words[5:],
        primary=retag_passage([target], 0, "4")[0].primary,
    )
    again = tag_transcript(EN, segs, [], previous=[half])
    assert primary_at(again, target.words[1].start) == "2"
    assert primary_at(again, target.words[6].start) == "4"


def test_retag_passage_bad_index() -> None:
    with pytest.raises(KvaleError, match="no passage 4"):
        retag_passage([], 3, "1.1")


def test_confidences_in_unit_interval() -> None:
    track = markers([(t + 4.0, q) for t, q in ASKED_EN])
    for mk in ([], track):
        for p in tag_transcript(EN, interview_en(), mk):
            for tag in (p.primary, *p.secondary):
                if tag is not None:
                    assert 0.0 <= tag.confidence <= 1.0


def test_content_flags_an_answer_that_belongs_elsewhere() -> None:
    segs = [
        seg(0.0, "In relation to colleagues?"),
        seg(3.0, "They are kind. My manager is also very good at listening to me."),
    ]
    passages = tag_transcript(
        EN, [seg(-5.0, "What strengthens well-being in your work situation?"), *segs], []
    )
    answer = next(p for p in passages if p.start == pytest.approx(3.0))
    assert answer.primary is not None and answer.primary.question_id == "2.2"
    assert [(t.question_id, t.source) for t in answer.secondary] == [("2.3", TagSource.CONTENT)]


def test_norwegian_detection_and_stemming() -> None:
    segs = [
        seg(0.0, "Hva styrker trivselen i din arbeidssituasjon?"),
        seg(4.0, "At jeg kan hjelpe folk."),
        seg(7.0, "I forhold til kollegaer?"),
        seg(10.0, "Kollegaene mine er støttende."),
        seg(14.0, "Hva reduserer trivselen i din arbeidssituasjon?"),
        seg(18.0, "For mange saker."),
        seg(21.0, "I forhold til kollegaer?"),
        seg(24.0, "Det blir litt sladder."),
    ]
    found = detect_questions(NB, segs, "nb")
    assert [d.question_id for d in found] == ["2", "2.2", "3", "3.2"]
    assert stem("kollegaene", "nb") == stem("kollegaer", "nb")
    assert stem("colleagues", "en") == stem("colleague", "en")
    assert stemmer_language("nb") == "norwegian" and stemmer_language(None) == "english"
    assert tokens("Hva trenger du?", "nb") == [stem("trenger", "nb")]
    # a question of stopwords only keeps them all rather than becoming empty
    assert tokens("Hva gjør du?", "nb") == [stem(w, "nb") for w in ("hva", "gjør", "du")]


def test_normalise() -> None:
    assert (
        normalise("Hvor lenge, har du jobbet i NAV? 8 år!") == "hvor lenge har du jobbet i nav år"
    )
    assert tokens("I forhold til leder?", "nb") == ["forhold", "led"]
    assert tokens("...", "en") == []


def test_empty_inputs() -> None:
    assert tag_transcript(EN, [], []) == []
    assert tag_transcript(EN, [], markers(ASKED_EN)) == []
    assert detect_questions(EN, [], "en") == []
    empty_guide = Guide("empty", (), source="", language="en")
    passages = tag_transcript(empty_guide, interview_en(), [])
    assert passages and all(p.primary is None for p in passages)


def test_unknown_question_in_marker_is_ignored() -> None:
    passages = tag_transcript(EN, interview_en(), [Marker(3.0, MarkerKind.ASKED, "99")])
    check_truth(passages, TRUTH_EN)


def test_segments_without_words() -> None:
    segs = [Segment(s.start, s.end, s.text) for s in interview_en()]
    passages = tag_transcript(EN, segs, markers(ASKED_EN))
    check_truth(passages, TRUTH_EN)
    assert len(passages) == len(segs)


def test_detection_finds_a_question_asked_out_of_guide_order() -> None:
    # the guide-order bonus must not hide a question asked after its place
    segs = [
        seg(0.0, "What strengthens well-being in your work situation?"),
        seg(4.0, "Helping people."),
        seg(6.0, "Have you worked at another NAV office?"),  # 1.3, asked late
        seg(9.0, "No."),
    ]
    found = detect_questions(EN, segs, "en")
    assert [d.question_id for d in found] == ["2", "1.3"]


# --- ASR-garbled Norwegian (Whisper base on espeak-ng speech), prompt leaks -------------


def interview_nb_garbled() -> list[Segment]:
    """Whisper-style Norwegian: the questions recognisable only letter by letter."""
    return [
        seg(0.0, "Hvor lenge har du jobbet i NAV?"),
        seg(3.0, "Jeg har jobbet der i åtte år, først på et annet kontor."),
        # "Hva styrker trivselen i din arbeidssituasjon?"
        seg(9.0, "Skjønner, hva styrker trinselen i din arbeid si tvasjon?"),
        seg(13.0, "Det er at jeg får hjelpe folk videre, det gir meg mye."),
        seg(19.0, "Ugg, i forhold til kollegan."),  # "I forhold til kollegaer?"
        seg(22.0, "De er veldig snille, vi spør hverandre om råd hele tiden."),
        # "I forhold til det sosialpolitiske eller organisatoriske?"
        seg(28.0, "Takk, i forhold til det sosial politiskere eller organisere to visker."),
        seg(33.0, "Det skjer for mange omorganiseringer, nye systemer hvert år."),
    ]


TRUTH_NB = {3.0: "1.1", 13.0: "2", 22.0: "2.2", 33.0: "2.4"}


def test_garbled_norwegian_questions_still_detected() -> None:
    found = detect_questions(NB, interview_nb_garbled(), "nb")
    assert [d.question_id for d in found] == ["1.1", "2", "2.2", "2.4"]
    # without markers the detections tag every answer
    check_truth(tag_transcript(NB, interview_nb_garbled(), []), TRUTH_NB)


def test_compound_split_by_asr_matches_the_question() -> None:
    """'sosial politiskere' for 'sosialpolitiske': letters match once spaces are gone."""
    segs = [seg(0.0, "I forhold til det sosial politisk eller organisatorisk.")]
    found = detect_questions(NB, segs, "nb")
    assert [d.question_id for d in found] == ["2.4"]
    assert found[0].letters >= 0.6


def test_probes_told_apart_by_what_differs() -> None:
    """The 'I forhold til X' probes share most letters; X decides, not the prefix."""
    segs = [
        seg(0.0, "Hva styrker trivselen i din arbeidssituasjon?"),
        seg(4.0, "Det er menneskene, mest."),
        seg(8.0, "I forhold til kollegan."),
        seg(11.0, "De er snille."),
        seg(14.0, "I forhold til lederen."),
        seg(17.0, "Hun er travel."),
    ]
    assert [d.question_id for d in detect_questions(NB, segs, "nb")] == ["2", "2.2", "2.3"]


def test_answer_mentioning_the_next_question_is_not_an_asking() -> None:
    """An answer sentence naming the next probe's words, in the participant's voice, is
    no asking. (From the words alone it may be: "And from the management I just want
    clear routines" reads like a short asking of 4.2 run into its answer.)"""
    ans = [
        "That they notice when I struggle and ask how I am doing, that helps a lot.",
        "And from the management I just want clear routines after incidents.",
    ]
    segs = [
        seg(-8.0, EN_Q4, voice=0),
        seg(0.0, "From colleagues?", voice=0),
        seg(2.0, ans[0], voice=1),
        seg(9.0, ans[1], voice=1),
    ]
    passages = tag_transcript(EN, segs, [])
    assert primary_at(passages, 9.5) == "4.1"


EN_Q4 = next(q.text for q in EN.questions() if q.id == "4")


def leak_interview() -> list[Segment]:
    """Whisper, prompted with the guide, writes an earlier question inside an answer."""
    return [
        seg(0.0, "Hva slags utdanningsbakgrunn har du?"),
        seg(3.0, "Jeg er sosionom, utdannet i Oslo."),
        seg(7.0, "I forhold til leder?"),
        seg(10.0, "Hun er travel, men hun lytter når det gjelder."),
        # the prompt leak: verbatim, but Whisper was unsure of every word
        seg(14.0, "Hva slags utdanningsbakgrunn har du?", probability=0.05),
        seg(17.0, "Møtene blir ofte avlyst, og ingen følger opp."),
    ]


def test_prompt_leak_does_not_steal_the_tag_without_markers() -> None:
    passages = tag_transcript(NB, leak_interview(), [])
    assert primary_at(passages, 17.5) == "2.3"
    assert primary_at(passages, 14.5) == "2.3"
    # heard with confidence, the same words do move the tag (a real return)
    sure = [*leak_interview()[:4], seg(14.0, "Hva slags utdanningsbakgrunn har du?")]
    sure.append(seg(17.0, "Ja, jeg tok også en master senere."))
    assert primary_at(tag_transcript(NB, sure, []), 17.5) == "1.4"


def test_answer_echoing_its_question_does_not_ask_another() -> None:
    """'Kollegan er ...' answers 'I forhold til kollegaer?', it does not ask 'Fra kollegaer?'."""
    segs = [
        seg(0.0, "Hva styrker trivselen i din arbeidssituasjon?"),
        seg(4.0, "At jeg får hjelpe folk."),
        seg(8.0, "I forhold til kollegaer?"),
        seg(11.0, "Kollegan er min her,"),
        seg(13.0, "vi spiser lunsj sammen hver dag."),
    ]
    assert [d.question_id for d in detect_questions(NB, segs, "nb")] == ["2", "2.2"]
    assert primary_at(tag_transcript(NB, segs, []), 13.5) == "2.2"


def test_long_question_cut_in_two_segments_by_asr() -> None:
    """ "Endringer i organisatoriske rammer eller sosialpolitiske føringer?" garbled over
    two segments: neither half alone looks like it, the two together do."""
    first = seg(10.0, "Håk, en ringer i organisa tovis karamele,", gap=0.3)
    second = seg(12.5, "sorsi og politisk afföringen.", gap=0.3)
    segs = [
        seg(0.0, "Fra ledelsen?"),
        seg(3.0, "Klare rutiner etter en hendelse."),
        first,
        second,
        seg(15.0, "Færre saker per saksbehandler, og rom for skjønn."),
    ]
    found = detect_questions(NB, segs, "nb")
    assert [d.question_id for d in found] == ["4.2", "4.3"]
    assert found[1].start == pytest.approx(10.0)
    # a long pause between them: two turns, not one question
    apart = [*segs[:3], seg(16.0, "sorsi og politisk afföringen.", gap=0.3)]
    assert [d.question_id for d in detect_questions(NB, apart, "nb")] == ["4.2"]


def test_weak_detection_without_the_questions_letters_does_not_override_a_marker() -> None:
    """With markers, a detection adds a boundary (a missed key press) only when it is
    clear, or the sentence has the question's letters; an answer naming the next
    probe's words ("from the management") stays under the marker's question."""
    q41 = next(q.text for q in EN.questions() if q.id == "4.1")
    segs = [
        seg(0.0, q41),
        seg(4.0, "That they notice when I struggle and ask how I am doing."),
        seg(9.0, "And from the management I just want clear routines."),
    ]
    passages = tag_transcript(EN, segs, markers([(1.0, "4.1")]))
    assert primary_at(passages, 9.5) == "4.1"
    # asked clearly, the unmarked next probe does get its boundary
    segs[2] = seg(9.0, "And from the management?")
    segs.append(seg(12.0, "Clear routines after incidents."))
    assert primary_at(tag_transcript(EN, segs, markers([(1.0, "4.1")])), 12.5) == "4.2"


def test_garbled_asking_nearly_as_like_the_question_due_takes_it() -> None:
    """ASR letters fit two worded-alike questions about equally ("what trends and
    well-being" ~ strengthens / reduces): the one due in the guide order is taken."""
    segs = [
        seg(0.0, "What is your educational background?"),
        seg(3.0, "I am a trained social worker, with a bachelor from Oslo."),
        seg(8.0, "I see, what trends and well-being in your work situation."),
        seg(13.0, "It is the feeling that what I do matters for a family."),
    ]
    assert [d.question_id for d in detect_questions(EN, segs, "en")] == ["1.4", "2"]
    assert primary_at(tag_transcript(EN, segs, []), 13.1) == "2"
