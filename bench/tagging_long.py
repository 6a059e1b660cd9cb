"""Long answers for the text-level conditions: each answer goes on for about a minute
more, in sentences that say nothing of any question (the participant thinking aloud,
remembering, hedging). Written for this condition and never tuned on; an answer of a
few minutes is common in real interviews, and a model that lets each sentence count as
separate evidence, or that keeps some states a little longer per unit than others,
fails there first."""

from __future__ import annotations

import random
from dataclasses import replace

from bench.synth import Utterance

#: sentences with none of the guide's words (nav-trivsel, en and nb)
ASIDES = {
    "en": [
        "I have thought about that quite a bit, actually.",
        "It is hard to put into words, but I will try.",
        "Some weeks it feels one way, and other weeks quite different.",
        "My family sometimes asks me about it at dinner.",
        "I remember a winter when everything felt heavier than usual.",
        "It probably depends on the mood I am in that day.",
        "A few years ago I would have answered differently.",
        "There is not one simple answer to that, I think.",
        "A friend of mine says I take things too seriously.",
        "When I was younger I did not think about it at all.",
        "It comes and goes, like most things.",
        "I often think about it on the bus home in the evening.",
    ],
    "nb": [
        "Det har jeg faktisk tenkt ganske mye på.",
        "Det er vanskelig å sette ord på, men jeg skal prøve.",
        "Noen uker føles det på én måte, andre uker helt annerledes.",
        "Familien min spør meg av og til om det ved middagsbordet.",
        "Jeg husker en vinter da alt kjentes tyngre enn vanlig.",
        "Det kommer nok an på humøret den dagen.",
        "For noen år siden ville jeg svart annerledes.",
        "Det finnes ikke ett enkelt svar på det, tror jeg.",
        "En venn av meg sier at jeg tar ting for alvorlig.",
        "Da jeg var yngre, tenkte jeg ikke på det i det hele tatt.",
        "Det kommer og går, som det meste.",
        "Jeg tenker ofte på det på bussen hjem om kvelden.",
    ],
}
SENTENCES = 15  # added to each answer: about 100 words, 40 s at 0.4 s a word


def long_answers(turns: list[Utterance], language: str, seed: int) -> list[Utterance]:
    """Every answer to a question goes on with ``SENTENCES`` asides (drawn with
    replacement, seeded)."""
    rng = random.Random(seed + 6000)
    asides = ASIDES["nb" if language in ("nb", "nn") else "en"]
    out = []
    for u in turns:
        if u.role == "participant" and u.question_id is not None:
            more = " ".join(rng.choice(asides) for _ in range(SENTENCES))
            u = replace(u, text=f"{u.text} {more}")
        out.append(u)
    return out
