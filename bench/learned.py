"""How this interviewer asks: tagging an interview with the askings of the project's
other interviews (`guide.tagging.learned`), on the interviews written by hand
(`bench.tagging_written`: every question in the interviewer's own words).

Each interview of a set is tagged with the askings of ``k`` others of the same set and
language (drawn at random, seeded by the interview; "all" = every other one), as the
researcher would have vouched for them: the interviewer's turn before each answer with
the question it asks (`bench.tagging_written._asking_only`). The interview itself is
never among them. Accuracy = answer words with the right primary question
(`bench.tagging_conditions.score`). The model's two parameters were chosen on sets A and
B; set C is held out.
"""

from __future__ import annotations

import random

from bench.synth import Interview
from bench.tagging_conditions import score
from bench.tagging_written import SETS, _asking_only, interviews
from guide.tagging import tag_transcript

KS = (1, 3, 5)


def askings_of(others: list[Interview]) -> list[tuple[str, str]]:
    """(question id, words) of every asking in ``others``."""
    return [
        (u.question_id, u.text)
        for iv in others
        for u in _asking_only(iv.utterances)
        if u.role == "interviewer" and u.question_id
    ]


def accuracy(ivs: list[Interview], k: int | None) -> float:
    """Answer words right over ``ivs``, each tagged with the askings of ``k`` others
    (None: every other; 0: none)."""
    n = right = 0.0
    for i, iv in enumerate(ivs):
        others = ivs[:i] + ivs[i + 1 :]
        if k is not None:
            others = random.Random(i).sample(others, min(k, len(others)))
        segs = iv.oracle_segments()
        passages = tag_transcript(
            iv.guide, segs, iv.markers, language=iv.language, askings=askings_of(others)
        )
        s = score(iv, passages)
        n += s["words"]
        right += s["words"] * s["acc"]
    return right / n if n else 0.0


def run(quick: bool) -> str:
    rows = [
        "Interviews written by hand tagged with the askings of the set's other interviews "
        "(module docstring): answer words with the right primary question, with the "
        "askings of none, 1, 3, 5 or all the others; no presses, and a quarter of the "
        "presses missing (none / all). Sets A and B chose the parameters; C is held out.\n",
        "| set | lang | interviews | none | 1 | 3 | 5 | all others "
        "| 25 % missing: none | 25 % missing: all others |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for which in SETS:
        for lang in ("en", "nb"):
            ivs = interviews(which, lang, "none")[: 4 if quick else None]
            missing = interviews(which, lang, "missing")[: 4 if quick else None]
            cells = [accuracy(ivs, 0), *(accuracy(ivs, k) for k in KS), accuracy(ivs, None)]
            cells += [accuracy(missing, 0), accuracy(missing, None)]
            name = which + (" (held out)" if which == "C" else "")
            rows.append(
                f"| {name} | {lang} | {len(ivs)} | " + " | ".join(f"{c:.1%}" for c in cells) + " |"
            )
    return "\n".join(rows) + "\n"
