"""The evidence for each unit, as log-likelihoods of the model's states.

Per unit and question: how likely the unit is an *asking* of the question, and how
likely it belongs to an *answer* to it; per unit, how likely it is still the intro.
Every piece of evidence is a log-likelihood ratio (nats) added to the states it
speaks to (weights in `TaggingOptions`):

- the words and letters of the unit against the question's wordings (asking);
- what the interviewer says of the theme: moving on to another ("Let's talk about …")
  or following up ("What about …?"), for the questions that open a theme or the rest
  (asking; `cues.topic_cue`);
- whether the interviewer asks for more of the answer under way ("Can you give me an
  example?": answer, asking; `cues.probes`);
- whether the unit is phrased as a question (asking, answer);
- the key presses: a press makes its question's asking likely within a window that
  allows early, late and missing presses (asking; `guide.tagging.presses`);
- the voice, once the interviewer's voice is decided (asking, answer), and how much of
  the other voices' speech follows the unit (asking);
- the share of the question's words, probes and keywords heard in the unit (answer);
- the unit's likeness to the guide's intro script (intro);
- manual tags (every state of another question is ruled out).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from guide.tagging.edges import Floats
from guide.tagging.matcher import Matcher
from guide.tagging.options import TaggingOptions
from guide.tagging.presses import press_evidence
from guide.tagging.units import Unit, topics
from guide.text import tokens
from guide.transcript import Marker

#: in ``manual`` (`emissions`): the researcher tagged the unit's passage "No question"
NONE_BY_HAND = -2


@dataclass(frozen=True)
class Scores:
    """What the words say, before any voice is decided (T units, N questions)."""

    lexical: Floats  # (T, N) likeness of each unit as an asking of each question, 0–1
    content: Floats  # (T, N) share of each question's words heard in each unit, 0–1
    intro: Floats  # (T,) likeness of each unit to the intro script, 0–1 (0: 60 % of its words)
    presses: Floats  # (T, N) log-likelihood of each question coming into force at each unit,
    # from the key presses (0: they say nothing)
    backs: Floats  # (T,) log-likelihood of a return to an earlier question at each unit
    length: Floats  # (N,) how much a match to each question weighs: more words, more evidence
    topics: Floats  # (T,) +1 an asking said to open a theme, −1 said to follow up, 0 neither
    opens: npt.NDArray[np.bool_]  # (N,) the question opens its theme
    # (T, N) log-likelihood ratio of each unit under this interviewer's earlier askings
    # of each question (`learned.AskingModel`); None without any
    learned: Floats | None = None


def score_units(
    matcher: Matcher,
    units: Sequence[Unit],
    markers: Sequence[Marker],
    intro_text: str,
    options: TaggingOptions,
) -> Scores:
    """Score every unit against every question (the costly part, done once)."""
    n = len(matcher.questions)
    index = {q.id: i for i, q in enumerate(matcher.questions)}
    lexical = np.zeros((len(units), n))
    content = np.zeros((len(units), n))
    intro = np.zeros(len(units))
    intro_bag = set(tokens(intro_text, matcher.language)) if intro_text.strip() else set()
    for t, u in enumerate(units):
        for qid, s in matcher.ask_scores(u.text, True).items():
            lexical[t, index[qid]] = s
        for qid, s in matcher.content_scores(u.text).items():
            content[t, index[qid]] = s
        if intro_bag:
            toks = tokens(u.text, matcher.language)
            if len(toks) >= 4:
                share = sum(1 for x in toks if x in intro_bag) / len(toks)
                # answers share words with an intro about the same work: only a unit
                # mostly made of the script's words is likely read from it
                intro[t] = max(0.0, share - 0.6) / 0.4
    single = lexical.copy()
    for t, u in enumerate(units[:-1]):
        # a question ASR cut in two ("I forhold til" | "Røkkermættet armeid."): the
        # pair's likeness, when more than either half's, counts for both halves
        if _joinable(u, units[t + 1], options):
            both = f"{u.text} {units[t + 1].text}"
            for qid, s in matcher.ask_scores(both, True).items():
                q = index[qid]
                if s > max(single[t, q], single[t + 1, q]):
                    lexical[t : t + 2, q] = np.maximum(lexical[t : t + 2, q], s)
    # a long question heard is more evidence than a two-word one: √(content words / 3),
    # within 0.7–2
    length = np.array(
        [
            min(2.0, max(0.7, math.sqrt(len(tokens(q.text, matcher.language)) / 3)))
            for q in matcher.questions
        ]
    )
    presses = press_evidence(units, markers, index, options)
    # an interviewer who says the talk goes back ("I would like to go back to …") is
    # returning to an earlier question, in that sentence or the next
    said = np.array([u.back for u in units], dtype=bool)
    near = said.copy()
    near[1:] |= said[:-1]
    backs = np.where(near, math.log(options.return_cue), 0.0)
    # what the interviewer says of the theme, per unit; which questions open one
    cues = np.array(topics(units), dtype=np.float64)
    return Scores(lexical, content, intro, presses, backs, length, cues, matcher.opens())


def _joinable(a: Unit, b: Unit, options: TaggingOptions) -> bool:
    """Whether two units may be one question ASR cut: close in time, one voice, short."""
    return (
        b.start - a.end < options.pause_cut
        and a.voice == b.voice
        and len(a.text.split()) + len(b.text.split()) <= options.max_unit_tokens
        and not a.text.endswith("?")
    )


def emissions(
    units: Sequence[Unit],
    scores: Scores,
    options: TaggingOptions,
    interviewer: int | None = None,
    manual: Sequence[int] | None = None,
) -> tuple[Floats, Floats, Floats]:
    """Log-likelihoods of the intro (T,), each question's asking (T, N) and answer (T, N).

    ``interviewer``: the interviewer's voice, once decided (`decide_interviewer`);
    ``manual``: per unit, the index of the question a manual tag gives it, `NONE_BY_HAND`
    where a manual tag says it answers none, or -1.
    """
    o = options
    prob = np.array([u.probability for u in units])
    # ASR's confidence relative to the recording's own (a quiet phone recording has low
    # word probabilities throughout; a prompt leak stands out below them)
    typical = float(np.median(prob)) if len(prob) else 1.0
    scale = o.lexical_probability * typical
    # (a transcript mostly of words put back by hand, which the store marks with
    # probability 0, has no typical confidence to fall below: every word counts)
    reliable = (np.clip(prob / scale, 0.0, 1.0) if scale > 0 else np.ones_like(prob))[:, None]
    lex = scores.lexical
    # a long question heard (nearly) whole is more evidence than a short one; a word or
    # two in common with it, by chance, is not. Each question's likeness is evidence for
    # its own asking only: a clear match to one question says nothing more against the
    # others (an interviewer's own words for a question often match another question's
    # wording better, "Og ledelsen?" for "I forhold til lederen din?" beside "Fra
    # ledelsen?"; the guide's order tells them apart)
    whole = np.clip((lex - 0.5) / 0.5, 0.0, 1.0)
    weight = 1.0 + (scores.length[None, :] - 1.0) * whole
    asking = o.lexical * lex * weight * reliable
    answer = o.content * scores.content
    if scores.learned is not None:
        asking = asking + o.learned * scores.learned
    intro = o.intro * scores.intro
    question = np.array([u.question for u in units])[:, None]
    # an asking said to open a theme ("Let's talk about …") is less likely one of the
    # questions that follow up within one, a follow-up ("What about …?") less likely
    # one that opens a theme; neither says it is an asking (an unscripted probe, "What
    # about your family?", asks no guide question)
    kind = scores.topics[:, None] * np.where(scores.opens, 1.0, -1.0)
    asking -= np.where(kind < 0, o.topic_cue, 0.0)
    # a probe of the interviewer's own ("Can you give me an example?") asks for more of
    # the answer under way: it belongs to the answer, and asks no question of the guide
    # (unless its words are one's)
    probe = np.array([u.probe for u in units])[:, None]
    asking -= np.where(probe, o.probe_cue * (1.0 - np.clip(lex, 0.0, 1.0)), 0.0)
    answer += np.where(probe, o.probe_cue, 0.0)
    # of a stretch ASR did not hear, nothing is known but its time: it has no form,
    # and it neither is a back-channel nor goes on from the sentence before
    heard = np.array([u.heard for u in units])[:, None]
    # a word or two not phrased as a question is a back-channel or an acknowledgement
    # ("Mm.", "Ja.", "Takk."), hardly ever an asking; unless they are a question's own
    # words ("Fra kollegaer", its "?" not written by ASR)
    short = np.array([len(u.text.split()) <= 2 and not u.question for u in units])[:, None]
    short &= heard
    asking += np.where(short, o.short * (1.0 - np.clip(lex, 0.0, 1.0)), 0.0)
    # a statement that goes straight on from the sentence before (no pause between
    # them) in the same voice continues that speaker's turn: an asking begins a turn,
    # or is phrased as one. Another voice's sentence begins a turn, however close (in
    # talk, turns often follow with no gap, and ASR's word times close the rest)
    gap = np.array([1.0] + [max(0.0, b.start - a.end) for a, b in pairwise(units)])
    same = np.array(
        [False]
        + [a.voice is None or b.voice is None or a.voice == b.voice for a, b in pairwise(units)]
    )
    continued = ((gap < o.continued_gap) & same & ~question[:, 0])[:, None] & heard
    asking += np.where(continued, o.continued, 0.0)
    # the form is read from the words: as far as ASR heard them, and as far as this
    # transcript writes questions as questions at all (ASR on hard audio often writes
    # no "?" and garbles the interrogative: then a statement's form says little). It
    # does when a fair share of its units are questions, or when there are about as
    # many as the guide has questions to ask: long answers make the share small
    written = written_questions(question[:, 0], scores.lexical.shape[1], o)
    form = reliable * written * heard
    # (a question in the participant's voice asks back or quotes: it says nothing of an
    # asking of the guide's, which the voice has already ruled on)
    theirs = np.array(
        [interviewer is not None and u.voice is not None and u.voice != interviewer for u in units]
    )[:, None]
    asking += (
        np.where(question & ~theirs, o.form_asking, np.where(question, 0.0, o.form_not_asking))
        * form
    )
    # (a probe is the question an answer may hold: none of what speaks against the
    # interviewer asking inside an answer speaks against it)
    answer += np.where(question & ~probe, o.form_in_answer, 0.0) * form
    intro += np.where(question[:, 0], o.form_in_answer, 0.0) * form[:, 0]
    if interviewer is not None:
        for t, u in enumerate(units):
            if u.voice is None:
                continue
            if u.voice == interviewer:
                asking[t] += o.voice_asking
                answer[t] += 0.0 if u.probe else o.voice_in_answer
                if u.follow is not None:
                    if u.follow >= o.follow_long:
                        asking[t] += o.follow
                        # answered at length: a question, so the intro, or the answer
                        # before it, is over (but a back-channel, or a reply to the
                        # participant's own question, "Kva meiner du med …?": the
                        # answer goes on)
                        intro[t] -= o.follow
                        before = units[t - 1] if t else None
                        reply = (
                            before is not None
                            and before.voice not in (None, interviewer)
                            and before.question
                        )
                        answer[t] -= 0.0 if short[t, 0] or reply or u.probe else o.follow
                    elif u.follow == 0.0:
                        asking[t] -= o.follow / 2
            else:
                asking[t] += o.voice_not_asking
                # the participant says little before the first question (a greeting, a
                # yes to the consent): the longer they talk, the less it is the intro
                intro[t] += o.voice_in_intro * (u.end - u.start)
    if manual is not None:
        for t, q in enumerate(manual):
            if q == NONE_BY_HAND:
                # small talk or the intro, as the researcher said: the time before the
                # first question (after it, the model has no such state, and the
                # passage's tag only stays as the researcher set it)
                asking[t] -= o.manual
                answer[t] -= o.manual
            elif q >= 0:
                keep_a, keep_r = asking[t, q], answer[t, q]
                asking[t] -= o.manual
                answer[t] -= o.manual
                intro[t] -= o.manual
                asking[t, q], answer[t, q] = keep_a, keep_r
    return intro, asking, answer


def written_questions(
    question: npt.NDArray[np.bool_], n_questions: int, options: TaggingOptions
) -> float:
    """How far a transcript writes questions as questions (0–1): 1 when at least
    ``form_share`` of its units (``question``: (T,) phrased as a question or not) are
    phrased as one, or at least ``form_per_question`` × ``n_questions`` units are (a
    transcript of long answers, which has few questions for its length); less in
    proportion (ASR on hard audio writes few "?" and garbles the interrogatives)."""
    if not len(question):
        return 1.0
    count = float(question.sum())
    share = count / len(question) / options.form_share
    per_question = count / max(options.form_per_question * n_questions, 1.0)
    return min(1.0, max(share, per_question))


def decide_interviewer(
    units: Sequence[Unit],
    asking_posterior: Floats,
    scores: Scores,
    options: TaggingOptions,
) -> int | None:
    """The interviewer's voice, decided from the turns as a whole, or None.

    Each voice collects evidence of asking, from its units followed by ``follow_long`` s
    or more of other voices' speech (who asks before long answers): ``voice_turn`` for
    the turn itself, plus the probability that the unit asks a guide question (from
    decoding without voices: wording, question form, key presses, guide order), plus
    one when it is phrased as a question; and its units' likeness to the intro script
    (who speaks it). Among the voices that take at least ``voice_min_share`` of the
    turns (runs of one voice's units), the one with ``voice_agreement`` of the evidence
    per turn is the interviewer's (most of the interviewer's turns ask something, most
    of the participant's answer). Fewer than two voices, less evidence than one clear
    asking, or no clear winner: None.
    """
    talk: dict[int, float] = {}
    evidence: dict[int, float] = {}
    turns: dict[int, int] = {}
    last: int | None = None
    for t, u in enumerate(units):
        if u.voice is None:
            continue
        talk[u.voice] = talk.get(u.voice, 0.0) + (u.end - u.start)
        if u.voice != last:
            turns[u.voice] = turns.get(u.voice, 0) + 1
            last = u.voice
        e = float(scores.intro[t])
        if u.follow is not None and u.follow >= options.follow_long:
            # another voice talks at length after it (who asks before long answers), the
            # more so when it asks a guide question or is phrased as a question
            e += options.voice_turn + float(asking_posterior[t]) + float(u.question)
        evidence[u.voice] = evidence.get(u.voice, 0.0) + e
    # a voice that takes part in the talk takes turns in it: by turns, not by time, as
    # an interviewer who asks briefly before long answers speaks a few per cent of the
    # time but takes half the turns
    total_turns = sum(turns.values())
    speaking = [
        v for v, n in turns.items() if n >= options.voice_min_share * total_turns and talk[v] > 0
    ]
    if len(speaking) < 2:
        return None
    # asking evidence per turn: most of the interviewer's turns ask (per second, a
    # voice heard for a few seconds, a split-off piece of someone's answer that once
    # came before a long answer, outweighed the real interviewer)
    density = {v: evidence.get(v, 0.0) / turns[v] for v in speaking}
    total = sum(density.values())
    best = max(speaking, key=lambda v: density[v])
    if evidence.get(best, 0.0) < 1.5:  # not even one clear asking before a long answer
        return None
    if total > 0 and density[best] / total >= options.voice_agreement:
        return best
    return None
