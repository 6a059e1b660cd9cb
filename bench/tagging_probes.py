"""The interviewer's own probes for the text-level conditions: inside half of the answers
of two sentences or more, after the first sentence, the interviewer asks a probing or
specifying question of their own, no question of the guide ("Could you say something
more about that?", "What did you think then?"), and the participant goes on. The kinds
of question are Kvale and Brinkmann's (InterViews, 3rd ed., ch. 8, "probing",
"specifying" and "interpreting" questions); the wordings were written for this condition
and never tuned on. A semi-structured interview has many: a model that takes each
question-like turn answered at length for the next question of the guide fails here."""

from __future__ import annotations

import random
from dataclasses import replace

from bench.synth import Utterance

#: the probes the cue list (`guide.tagging.cues.probes`) was written beside
PROBES = {
    "en": [
        "Could you say something more about that?",
        "Can you give me an example?",
        "What did you think then?",
        "How did you feel about that?",
        "What happened next?",
        "Do you have other examples of that?",
        "What do you mean by that?",
        "Why do you think that is?",
    ],
    "nb": [
        "Kan du si noe mer om det?",
        "Kan du gi et eksempel?",
        "Hva tenkte du da?",
        "Hvordan opplevde du det?",
        "Hva skjedde videre?",
        "Har du flere eksempler på det?",
        "Hva mener du med det?",
        "Hvorfor tror du det er sånn?",
    ],
}
#: held out: written by a helper asked for varied, topic-free probes as real
#: interviewers say them, who had not seen the cue list or the probes above
HELD_OUT_PROBES = {
    "en": [
        "Can you say a bit more about that?",
        "Mm, what happened then?",
        "Could you give me an example?",
        "How did that feel for you?",
        "You mentioned the meeting. What was that like?",
        "So if I understand you correctly, that changed things for you afterwards?",
        "Right. And what were you thinking at the time?",
        "Tell me more about the meeting.",
        "How so?",
        "Was that something you'd expected?",
        "Yeah, and what did you do then?",
        "When you say the meeting, what exactly do you have in mind?",
        "Is it usually like that, or was that a one-off?",
        "Okay. Why do you think that was?",
    ],
    "nb": [
        "Kan du si litt mer om det?",
        "Mm, hva skjedde da?",
        "Har du et eksempel på det?",
        "Hvordan opplevde du det?",
        "Du nevnte møtet. Hvordan var det?",
        "Hvis jeg forstår deg riktig, så endret det seg noe etter det?",
        "Ja. Og hva tenkte du der og da?",
        "Fortell litt mer om møtet.",
        "Hvordan da?",
        "Var det noe du hadde forventet?",
        "Mm, og hva gjorde du så?",
        "Når du sier møtet, hva tenker du på da?",
        "Er det sånn det pleier å være, eller var det en engangsgreie?",
        "Okei. Hvorfor tror du det ble sånn?",
    ],
}


def interject(
    turns: list[Utterance],
    rng: random.Random,
    said: list[str],
    for_question: bool = False,
) -> list[Utterance]:
    """Half of the participant's turns of two sentences or more (drawn from ``rng``) split
    after their first sentence by an interviewer's turn, one of ``said``; with
    ``for_question``, only answers to a question, and the turn has the answer's question
    (else none)."""
    out = []
    for u in turns:
        head, sep, tail = u.text.partition(". ")
        eligible = u.role == "participant" and (u.question_id or not for_question)
        if eligible and sep and tail and rng.random() < 0.5:
            out += [
                replace(u, text=head + "."),
                Utterance("interviewer", u.question_id if for_question else None, rng.choice(said)),
                replace(u, text=tail),
            ]
        else:
            out.append(u)
    return out


def own_probes(
    turns: list[Utterance], language: str, seed: int, held_out: bool = False
) -> list[Utterance]:
    """Half of the answers of two sentences or more (seeded) are split after their first
    sentence by a probe of the interviewer's own (from ``PROBES``, or
    ``HELD_OUT_PROBES``), with the answer's question."""
    probes = (HELD_OUT_PROBES if held_out else PROBES)["nb" if language in ("nb", "nn") else "en"]
    return interject(turns, random.Random(seed + 7000), probes, for_question=True)
