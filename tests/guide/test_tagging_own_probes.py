"""The interviewer's own probes ("Can you give me an example?", "Hva mener du med
det?") ask for more of the answer under way: the answer goes on with its question, and
the probe is the interviewer's, not the next question of the guide.
"""

from __future__ import annotations

import pytest

from guide.tagging import tag_transcript
from guide.tagging.cues import probes
from guide.transcript import Speaker
from tests.guide.talk import CYCLING, YOUTH, check_answers, conversation, guide, passage_of

# (who, what they say, the question it asks or answers)
CYCLING_TALK = [
    ("I", "How far is it from your home to your workplace?", "1.1"),
    ("P", "About eight kilometres, along the river.", "1.1"),
    ("I", "Could you say something more about that?", "1.1"),
    ("P", "It is flat most of the way, and there is a path for bikes only.", "1.1"),
    ("I", "How do you usually get to work?", "1.2"),
    ("P", "By bike from April to October, by bus in the winter.", "1.2"),
    ("I", "When did you start cycling to work?", "2.1"),
    ("P", "Three years ago, when my car broke down.", "2.1"),
    ("I", "What did you think then?", "2.1"),
    ("P", "That I would try it for a month. I never bought a new car.", "2.1"),
    ("I", "What do you enjoy about cycling?", "2.2"),
    ("P", "The freedom, and I arrive awake.", "2.2"),
    ("I", "What makes cycling hard for you?", "3.1"),
    ("P", "The hill up to the office.", "3.1"),
    ("I", "Can you give me an example?", "3.1"),
    ("P", "Last week I arrived soaked and had a meeting at nine.", "3.1"),
    ("I", "How safe do you feel in traffic?", "3.2"),
    ("P", "Not very safe at the big crossing.", "3.2"),
]

YOUTH_TALK = [
    ("I", "Kor gamal er du, og kvar bur du?", "1.1"),
    ("P", "Eg er sytten og bur i ei lita bygd ved fjorden.", "1.1"),
    ("I", "Kor ofte er du ute i naturen?", "1.2"),
    ("P", "Nesten kvar helg, når vêret er greitt.", "1.2"),
    ("I", "Kva meiner du med det?", "1.2"),
    ("P", "Ikkje når det regnar heile dagen, då sit eg inne.", "1.2"),
    ("I", "Kan du fortelje om den siste turen du var på?", "2.1"),
    ("P", "Vi gjekk opp til ei hytte og sov der ei natt.", "2.1"),
    ("I", "Kva tenkte du då?", "2.1"),
    ("P", "At eg ville gjere det oftare, det var så stille.", "2.1"),
    ("I", "Kva betyr naturen for deg?", "2.2"),
    ("P", "Ro, mest. Eg slepp mobilen.", "2.2"),
    ("I", "Kva gjer det vanskeleg å kome seg ut?", "3.1"),
    ("P", "Lekser og trening tek det meste av tida.", "3.1"),
]


# the askings in words of the interviewer's own, none of the
# question's: only the order and the turns tell them, and a probe answered at length
# looks like one
OWN_WORDS_TALK = [
    ("I", "Roughly how many kilometres is your trip in the morning?", "1.1"),
    ("P", "About eight, along the river.", "1.1"),
    ("I", "Do you have other examples of that?", "1.1"),
    ("P", "On Fridays I take the long way round through the park.", "1.1"),
    ("I", "And by what means do you normally travel in?", "1.2"),
    ("P", "By bike from April to October, by bus in the winter.", "1.2"),
    ("I", "Since when have you been riding in?", "2.1"),
    ("P", "Three years ago, when my car broke down.", "2.1"),
    ("I", "What did you think then?", "2.1"),
    ("P", "That I would try it for a month. I never bought a new car.", "2.1"),
    ("I", "What is the best part of it for you?", "2.2"),
    ("P", "The freedom, and I arrive awake.", "2.2"),
]


@pytest.mark.parametrize(
    ("text", "language", "probe"),
    [
        ("Could you say something more about that?", "en", True),
        ("What do you mean by that?", "en", True),
        ("Kan du gi et eksempel?", "nb", True),
        ("Hva tenkte du da?", "nb", True),
        ("Kva meiner du med det?", "nn", True),
        ("What makes cycling hard for you?", "en", False),
        ("Hvor lenge har du jobbet i NAV?", "nb", False),
        ("Kor ofte er du ute i naturen?", "nn", False),
    ],
)
def test_a_probe_asks_for_more_of_the_answer(text: str, language: str, probe: bool) -> None:
    assert probes(text, language) is probe


@pytest.mark.parametrize("voices", [False, True])
@pytest.mark.parametrize(
    ("text", "talk"), [(CYCLING, CYCLING_TALK), (YOUTH, YOUTH_TALK)], ids=["en", "nn"]
)
def test_the_answer_goes_on_after_the_interviewers_own_probe(
    text: str, talk: list[tuple[str, str, str]], voices: bool
) -> None:
    g = guide(text, leave_out=["3.3", "3.4", "3.2"] if text == YOUTH else ["3.3", "3.4"])
    segs = conversation(talk, voices=voices)
    passages = tag_transcript(g, segs, [])
    # before: each probe was taken for the next question, and the guide ran ahead
    check_answers(passages, segs, talk, who="P")
    for s, (who, said, _qid) in zip(segs, talk, strict=True):
        if who == "I" and probes(said, g.language or "en"):
            assert passage_of(passages, s.words[0]).speaker is Speaker.INTERVIEWER


def test_with_the_voices_known_a_probe_answered_at_length_is_still_no_asking() -> None:
    segs = conversation(OWN_WORDS_TALK, voices=True)
    passages = tag_transcript(guide(CYCLING, leave_out=["3.3", "3.4"]), segs, [])
    # before: the interviewer speaking inside an answer, with a question answered at
    # length, outweighed the probe: "Do you have other examples of that?" asked 1.2,
    # and each asking after it went one question on
    check_answers(passages, segs, OWN_WORDS_TALK, who="P")
