"""Which earlier question a return goes back to: the one whose asking it says again.

An interviewer who goes back ("I would like to go back to something you said
earlier") often asks the question again as they asked it the first time, in their
own words rather than the guide's. Once a first decoding has found the askings, each
is a wording of its question in this interview; where the interviewer says the talk
goes back, a unit worded like an earlier asking counts as an asking of
that question, as the guide's own wording does. (Of that question only, not of its
twin worded alike in the guide: a return goes back to the asking it repeats.)

Only at a return the interviewer announces: elsewhere a follow-up worded like an
earlier one is as likely its twin under the next theme ("And your boss?" for 2.3,
3.3 and 4.2), which the guide's order tells apart, not the words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from guide.tagging.cues import returns_to
from guide.tagging.edges import Floats, Ints
from guide.tagging.units import Unit
from guide.text import tokens


def return_echo(
    units: Sequence[Unit],
    question: Ints,
    asking: npt.NDArray[np.bool_],
    backs: Floats,
    lexical: Floats,
    language: str,
) -> Floats:
    """Likeness (T, N) of each unit in a return the interviewer announces (``backs`` ≠ 0:
    the announcement and the unit after it) as an asking of each question, from earlier
    askings, 0–1. (Not only units phrased as questions: ASR often writes the question
    with a full stop.)

    The likeness of two units is the cosine of their stemmed content words, each
    weighted by its idf over this transcript's units; a unit's likeness to a question is
    its best over the units a first decoding labelled an asking of it (``question``
    (T,), ``asking`` (T,)). The announcement's own words are left out ("Can I go back
    to something from earlier?" says nothing of which question): of the unit that
    announces the return, only what follows the announcing clause counts ("…, and the
    people you work with?", as ASR joins them). Taken only as far as the guide's
    wordings leave the unit unexplained: times 1 − its best ``lexical`` (T, N) likeness
    to any question.
    """
    out = np.zeros(lexical.shape)
    targets = returning(units, backs, lexical, language)
    if not targets:
        return out
    bags = [set(tokens(u.text, language)) for u in units]
    df: dict[str, int] = {}
    for bag in bags:
        for w in bag:
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log(1.0 + len(units) / c) ** 2 for w, c in df.items()}
    norm = [math.sqrt(math.fsum(idf[w] for w in bag)) for bag in bags]
    said = [(v, int(question[v])) for v in range(len(units)) if asking[v] and question[v] >= 0]
    unexplained = 1.0 - np.clip(lexical.max(axis=1), 0.0, 1.0)
    for t in targets:
        bag = set(tokens(_asked(units[t], language), language))
        size = math.sqrt(math.fsum(idf.get(w, 0.0) for w in bag))
        if size <= 0:
            continue
        for v, q in said:
            if v < t and norm[v] > 0:
                like = math.fsum(idf[w] for w in bag & bags[v]) / (size * norm[v])
                out[t, q] = max(out[t, q], like * unexplained[t])
    return out


def returning(units: Sequence[Unit], backs: Floats, lexical: Floats, language: str) -> list[int]:
    """The units `return_echo` scores: in a return the interviewer announces (``backs``
    (T,) ≠ 0), not wholly explained by a guide wording (``lexical`` (T, N) below 1 for
    every question), and with words besides the announcement's. None: no first
    decoding is needed."""
    best = lexical.max(axis=1) if lexical.shape[1] else np.zeros(len(units))
    return [
        t for t, u in enumerate(units) if backs[t] != 0 and best[t] < 1.0 and _asked(u, language)
    ]


def _asked(unit: Unit, language: str) -> str:
    """What a unit may ask: all of it, or of a unit that announces a return
    (``Unit.back``), what follows the announcing clause ("" when nothing does)."""
    return _after_cue(unit.text, language) if unit.back else unit.text


def _after_cue(text: str, language: str) -> str:
    """``text`` after a first clause that announces the return, or "" (also when the
    announcement is all of it)."""
    head, sep, rest = text.partition(",")
    return rest.strip() if sep and returns_to(head, language) else ""
