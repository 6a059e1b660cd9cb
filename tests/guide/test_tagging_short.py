"""Short askings: a guide question of a word or two, asked as the guide words it."""

from __future__ import annotations

from guide.bundled import load_bundled
from guide.tagging import tag_transcript
from guide.transcript import Segment, Word

NB = load_bundled("nav-trivsel-nb")


def seg(start: float, text: str, probability: float = 0.9, step: float = 0.4) -> Segment:
    words, t = [], start
    for w in text.split():
        words.append(Word(round(t, 3), round(t + step * 0.8, 3), " " + w, probability))
        t += step
    return Segment(start, round(t, 3), text, tuple(words))


def test_a_question_of_two_words_without_its_question_mark_is_still_an_asking() -> None:
    # ASR on a phone recording often writes no "?" at all, and is unsure of a short
    # utterance ("Fra kollega.", probability 0.3 among words of 0.9); it is then a unit
    # of two words not phrased as a question, as "Ja takk." is. Before, every such unit
    # weighed as a back-channel (``short``) whatever its words, so the guide's own
    # short questions were not found and their answers went to the question before
    lines = [
        "Tenk deg at du er oppe i en krevende situasjon, hva trenger du da.",
        "Jeg tror det beste er å ikke være alene med det, og å få snakket det gjennom.",
        "Det hjelper meg mest, og jeg trenger litt tid etterpå.",
        "Fra kollega.",
        "At de merker at jeg sliter og spør hvordan det går.",
        "En som sitter med i et vanskelig møte betyr mye for meg.",
        "Fra ledelse.",
        "Klare rutiner etter en hendelse, og at noen følger opp etterpå.",
        "Det er det viktigste for meg i en slik situasjon.",
    ]
    segs, t = [], 0.0
    for line in lines:
        segs.append(seg(t, line, 0.3 if line.startswith("Fra") else 0.9))
        t = segs[-1].end + 1.0
    passages = tag_transcript(NB, segs, [], language="nb")
    answers = {4: "4.1", 7: "4.2"}
    for i, qid in answers.items():
        at = segs[i].words[1].start
        p = next(p for p in passages if p.start <= at <= p.end)
        assert p.primary is not None and p.primary.question_id == qid, (lines[i], p.primary)
