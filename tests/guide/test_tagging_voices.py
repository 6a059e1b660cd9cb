"""Tagging with the recording's two voices (`Word.voice`, from `audio.voices`).

The voices come from the audio; here they are set on the words by hand, since these
tests are about what the tagger does with them (`tests/audio/test_voices.py` finds
them in real recordings). Voice 0 is the interviewer's throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from guide.bundled import load_bundled
from guide.tagging import tag_transcript
from guide.transcript import Marker, MarkerKind, Passage, Segment, Speaker, TagSource, Word

EN = load_bundled("nav-trivsel-en")
ANSWER = (
    "Well I think it has been a long road with many changes and we have seen "
    "a lot of new people come and go"
)  # 25 words: 10 s at 0.4 s a word


def seg(
    start: float, text: str, voice: int | None, probability: float = 0.95, gap: float = 0.4
) -> Segment:
    words, t = [], start
    for w in text.split():
        words.append(Word(round(t, 3), round(t + gap * 0.8, 3), " " + w, probability, voice))
        t += gap
    return Segment(start, round(t, 3), text, tuple(words))


def ask(start: float, text: str, probability: float = 0.95) -> Segment:
    return seg(start, text, 0, probability)


def answer(start: float, text: str = ANSWER) -> Segment:
    return seg(start, text, 1)


def without_voices(segments: Sequence[Segment]) -> list[Segment]:
    return [replace(s, words=tuple(replace(w, voice=None) for w in s.words)) for s in segments]


def primary_at(passages: Sequence[Passage], t: float) -> str | None:
    for p in passages:
        if p.start - 1e-6 <= t <= p.end + 1e-6:
            return p.primary.question_id if p.primary else None
    raise AssertionError(f"no passage at {t}")


def garbled_interview() -> list[Segment]:
    """1.1 and 1.4 asked clearly; 1.2 asked but ASR heard nonsense (low probabilities)."""
    return [
        ask(0.0, "How long have you worked at NAV?"),
        answer(3.0),
        ask(15.0, "Dane shawl serve his depart mint.", probability=0.4),
        answer(18.0),
        ask(30.0, "What is your educational background?"),
        answer(33.0),
        ask(45.0, "What strengthens well-being in your work situation?"),
        answer(49.0),
    ]


def test_a_garbled_asking_in_the_interviewers_voice_takes_the_question_due() -> None:
    segs = garbled_interview()
    voiced = tag_transcript(EN, segs, [], language="en")
    assert primary_at(voiced, 19.0) == "1.2"
    assert primary_at(voiced, 15.1) == "1.2"  # the boundary is where the turn begins
    # the words were not made out: a lower confidence than the clear askings'
    confidence = {p.start: p.primary.confidence for p in voiced if p.primary}
    assert confidence[15.0] < min(confidence[0.0], confidence[30.0]) - 0.1
    # the text alone cannot tell: the answer stays with 1.1
    assert primary_at(tag_transcript(EN, without_voices(segs), [], language="en"), 19.0) == "1.1"
    # the other answers keep their questions
    assert [primary_at(voiced, t) for t in (4.0, 34.0, 50.0)] == ["1.1", "1.4", "2"]


def test_speakers_come_from_the_voices() -> None:
    passages = tag_transcript(EN, garbled_interview(), [], language="en")
    for p in passages:
        want = Speaker.INTERVIEWER if p.words[0].voice == 0 else Speaker.PARTICIPANT
        assert p.speaker is want, p.text


def test_a_clearly_heard_remark_or_a_back_channel_asks_no_question() -> None:
    segs = garbled_interview()
    # heard clearly and like no question: a probe or a remark, not the question due
    segs[2] = ask(15.0, "That is interesting.")
    assert primary_at(tag_transcript(EN, segs, [], language="en"), 19.0) == "1.1"
    # a back-channel inside the answer, then more of the answer
    segs[2] = ask(15.0, "Mm.")
    assert primary_at(tag_transcript(EN, segs, [], language="en"), 19.0) == "1.1"


def test_the_participants_voice_asks_nothing() -> None:
    segs = [
        *garbled_interview(),
        # the participant repeats another question's words, as a question
        seg(60.0, "What reduces well-being in your work situation? Too many cases.", 1),
        answer(65.0),
    ]
    voiced = tag_transcript(EN, segs, [], language="en")
    assert primary_at(voiced, 66.0) == "2"
    assert primary_at(voiced, 60.1) == "2"
    # without the voices the words alone look like the interviewer asking 3
    assert primary_at(tag_transcript(EN, without_voices(segs), [], language="en"), 66.0) == "3"


def test_voices_that_do_not_follow_the_askings_are_ignored() -> None:
    segs = garbled_interview()
    # a clustering that split something else than the speakers (say the room before
    # and after a door closed): voice 0 before 30 s, voice 1 after; the clear askings
    # fall 1 to 2, and the voice of the two talks half of the time
    mixed = [
        replace(s, words=tuple(replace(w, voice=int(s.start >= 30)) for w in s.words)) for s in segs
    ]

    def tags(segments: Sequence[Segment]) -> list[tuple[float, float, object, Speaker]]:
        return [
            (p.start, p.end, p.primary, p.speaker)
            for p in tag_transcript(EN, segments, [], language="en")
        ]

    assert tags(mixed) == tags(without_voices(segs))


def test_a_marker_snaps_to_the_interviewers_turn_when_the_words_are_garbled() -> None:
    segs = garbled_interview()
    # the garbled asking follows the answer closely (0.5 s), and a longer silence
    # (1.9 s) comes before the next answer
    segs[2] = ask(12.8, "Dane shawl serve his depart mint.", probability=0.4)
    segs[3] = answer(17.0)
    marks = [
        Marker(1.0, MarkerKind.ASKED, "1.1"),
        Marker(16.8, MarkerKind.ASKED, "1.2"),  # pressed 4 s late
        Marker(30.5, MarkerKind.ASKED, "1.4"),
    ]
    passages = tag_transcript(EN, segs, marks, language="en")
    first = next(p for p in passages if p.primary and p.primary.question_id == "1.2")
    assert first.start == 12.8
    assert first.primary is not None and first.primary.source is TagSource.MARKER
    # without voices the answer is still the pressed question's
    plain = tag_transcript(EN, without_voices(segs), marks, language="en")
    assert primary_at(plain, 17.5) == "1.2"


def test_a_return_does_not_move_where_the_guide_goes_on_from() -> None:
    segs = [
        ask(0.0, "How long have you worked at NAV?"),
        answer(3.0),
        ask(15.0, "Have you worked at other NAV offices?"),  # 1.2 is never asked
        answer(18.0),
        ask(30.0, "What is your educational background?"),
        answer(33.0),
        ask(45.0, "What strengthens well-being in your work situation?"),
        answer(49.0),
        # going back to 1.1
        ask(61.0, "Going back, how long have you worked at NAV?"),
        answer(65.0),
        # in the interviewer's own words, like no question of the guide
        ask(77.0, "And what about the people you help every day?"),
        answer(80.0),
    ]
    passages = tag_transcript(EN, segs, [], language="en")
    assert primary_at(passages, 66.0) == "1.1"
    # the question after the return is the one after 2, not after 1.1
    assert primary_at(passages, 81.0) == "2.1"


def test_an_acknowledgement_before_a_clear_question_asks_nothing_itself() -> None:
    segs = [
        *garbled_interview(),
        # "Okay." heard poorly, its own sentence, then the question heard clearly
        ask(61.0, "Okay.", probability=0.5),
        ask(62.0, "In relation to colleagues?"),
        answer(65.0),
    ]
    passages = tag_transcript(EN, segs, [], language="en")
    assert primary_at(passages, 66.0) == "2.2"
    # "Okay." is not taken for the question due (2.1), pulling 2.2's twin context along
    assert "2.1" not in {p.primary.question_id for p in passages if p.primary}


def test_guide_questions_written_into_the_answers_do_not_make_the_participant_the_interviewer() -> (
    None
):
    from guide.tagging import interviewer_voice

    # three clear askings in voice 0; Whisper wrote two guide questions into the
    # participant's answers (voice 1)
    segs = [
        ask(0.0, "How long have you worked at NAV?"),
        seg(3.0, f"What reduces well-being in your work situation? {ANSWER}", 1),
        ask(18.0, "What is your educational background?"),
        seg(21.0, f"In relation to your manager? {ANSWER}", 1),
        ask(36.0, "What strengthens well-being in your work situation?"),
        answer(40.0),
    ]
    # voice 0 asks before the long answers: it is the interviewer's
    assert interviewer_voice(EN, segs, [], language="en") == 0
    # one voice only: nothing to decide
    assert interviewer_voice(EN, without_voices(segs), [], language="en") is None
    one = [replace(s, words=tuple(replace(w, voice=0) for w in s.words)) for s in segs]
    assert interviewer_voice(EN, one, [], language="en") is None


def mixed(start: float, text: str, voices: Sequence[int], probability: float = 0.95) -> Segment:
    """A segment whose words carry the given voices, one per word."""
    s = seg(start, text, None, probability)
    words = tuple(replace(w, voice=v) for w, v in zip(s.words, voices, strict=True))
    return replace(s, words=words)


def test_a_word_of_the_voice_before_does_not_cut_a_question_off() -> None:
    # ASR timed "In" into the participant's last half second
    segs = [
        *garbled_interview(),
        mixed(60.0, "Yes that is all. In relation to your manager?", [1, 1, 1, 1, 1, 0, 0, 0, 0]),
        answer(64.0),
    ]
    passages = tag_transcript(EN, segs, [], language="en")
    asking = next(p for p in passages if p.primary and p.primary.question_id == "2.3")
    assert asking.text == "In relation to your manager?"
    assert asking.speaker is Speaker.INTERVIEWER
    assert primary_at(passages, 65.0) == "2.3"


def test_a_short_question_run_into_the_answer_is_still_cut_off() -> None:
    # "From colleagues" (4.1) in the interviewer's voice, no punctuation, then the answer
    text = "From colleagues at a notice when I am struggling and ask how I am doing"
    segs = [
        ask(0.0, "How long have you worked at NAV?"),
        answer(3.0),
        ask(15.0, "What is your educational background?"),
        answer(18.0),
        ask(30.0, "Imagine that you are in a demanding situation. What do you need?"),
        answer(36.0),
        mixed(48.0, text, [0, 0] + [1] * (len(text.split()) - 2)),
        answer(55.0),
    ]
    passages = tag_transcript(EN, segs, [], language="en")
    assert primary_at(passages, 49.0) == "4.1"
    assert primary_at(passages, 56.0) == "4.1"


def test_a_long_first_word_does_not_outvote_the_rest_of_its_sentence() -> None:
    # after a pause Whisper starts "In" early: 2.4 s, spanning the participant's end
    words = (
        Word(60.0, 62.4, " In", 0.9, 1),
        Word(62.5, 62.9, " relation", 0.9, 0),
        Word(63.0, 63.2, " to", 0.9, 0),
        Word(63.3, 63.6, " your", 0.9, 0),
        Word(63.7, 64.2, " manager?", 0.9, 0),
    )
    asking = Segment(60.0, 64.2, "In relation to your manager?", words)
    segs = [*garbled_interview(), asking, answer(65.0)]
    marks = [Marker(1.0, MarkerKind.ASKED, "1.1"), Marker(61.0, MarkerKind.ASKED, "2.3")]
    for passages in (
        tag_transcript(EN, segs, [], language="en"),
        tag_transcript(EN, segs, marks, language="en"),
    ):
        first = next(p for p in passages if p.primary and p.primary.question_id == "2.3")
        assert first.start == 60.0 and first.speaker is Speaker.INTERVIEWER


def test_askings_with_no_question_written_still_move_the_interview_on() -> None:
    """ASR on hard audio (espeak Norwegian through Whisper base, a phone in a noisy
    room) can write no "?" and no word of the guide: with the voices known, the
    interviewer's turns that draw long answers still take the guide's questions in
    order, and no answer is left in the intro. Before, the interviewer's voice was
    never decided (it waited for an asking the words showed), a statement's form
    counted against asking as if the transcript wrote questions, and the intro went
    on for the whole recording: every passage untagged."""
    statements = [
        "Wait tongue for kin dust.",
        "Mast you nutty for you blue inter.",
        "Fort her non far show mure then none.",
        "By the stock for the egg.",
    ]
    answers = [
        "Oh that was a while ago now and I remember the first winter was cold and dark "
        "and we had very little to do",
        "Yes we had a lot of that at the start and then it got calmer over the years as "
        "the team grew a bit older",
        "No I would not say so since most of it happened far away from here and we only "
        "heard of it later on",
        "It depends on the day really some weeks are fine and some weeks are too much "
        "for anyone to bear alone",
    ]
    segs = [ask(0.0, "Thank you for taking part today.")]
    t = 3.0
    for said, told in zip(statements, answers, strict=True):
        segs += [ask(t, said, probability=0.5), answer(t + 3.0, told)]
        t += 15.0
    voiced = tag_transcript(EN, segs, [], language="en")
    assert [primary_at(voiced, s.start + 1.0) for s in segs[2::2]] == ["1.1", "1.2", "1.3", "1.4"]
    assert primary_at(voiced, 1.0) is None  # the thanks before the first question
    # the words alone say nothing: no question is made up
    plain = tag_transcript(EN, without_voices(segs), [], language="en")
    assert all(p.primary is None for p in plain)
