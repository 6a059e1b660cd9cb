"""The interview as a hidden Markov model over the guide, decoded with Viterbi and
forward–backward.

Hidden state per unit: before the first question (the intro), or (question in force
``q``, furthest question asked so far ``f`` ≥ ``q``, whether the question just before
``f`` was skipped on the way to it or has been taken up since, whether this unit *asks*
``q`` or belongs to its *answer*). Questions are indexed in guide order. Transitions:

- the intro goes on, or the first question is asked (most likely the guide's first;
  a recording may begin anywhere, with ``skip_far``);
- an asking goes on (a question in two sentences) or its answer begins, or, less
  often, another question is asked at once and this one gets no answer (``unanswered``);
- an answer goes on, the question in force is asked again (a probe, a rephrasing), or
  another question is asked: ahead of the furthest asked (the next one most likely,
  each question passed over skipped with ``skip_decay``, a heading seldom asked aloud
  mostly passed over; or anywhere ahead with ``skip_far``), or back to one at or
  before it (a return; then the guide goes on from ``f``; a move back out of the
  theme of ``f`` is rarer, ``back_theme``); when the question just before ``f`` was
  skipped, taking it up now is likely (``swap``: a pair asked out of order). The
  moves share the same probability in every state, so an answer goes on with the
  same probability per unit wherever it is in the guide;
- after the guide's last question, there is nothing ahead: the moves' share that
  would go ahead ends the interview instead (a state per question, its answer going
  on as any answer does; the rest of its probability is the transcript ending).

Emissions are log-likelihoods per unit for each question's asking and answer state and
for the intro (`guide.tagging.evidence`). The posterior of the question in force at
each unit (forward–backward) is the confidence. The labels come from Viterbi where key
presses pin the path; without presses, many paths a question or two apart are nearly as
likely, and each unit is labelled with its most probable question over all of them
(posterior decoding, at ``label_temperature``: `decode`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from guide.tagging.edges import Edges, Floats, Ints
from guide.tagging.options import TaggingOptions

# forward–backward: a scaled probability below this is 0 (it changes no posterior, and
# the CPU is many times slower on the subnormal numbers it would otherwise become)
_TINY = 1e-200


@dataclass(frozen=True)
class Decoded:
    """What the decoder says about each unit (``T`` units, ``N`` questions)."""

    question: Ints  # (T,) guide index of the question in force, -1 before the first
    asking: npt.NDArray[np.bool_]  # (T,) the unit asks that question
    posterior: Floats  # (T, N) probability of each question being in force at each unit
    asking_posterior: Floats  # (T,) probability that the unit asks a question


class InterviewModel:
    """The state space and transitions for a guide of ``n`` questions."""

    def __init__(
        self,
        n: int,
        options: TaggingOptions,
        asked_aloud: Sequence[float] | None = None,
        themes: Sequence[str] | None = None,
        unpressed: float = 0.0,
    ) -> None:
        """``asked_aloud``: per question, how likely it is asked at all when its turn
        comes, against a follow-up (1; less for a theme heading that is no question,
        "Informasjon"; more for a theme's question; the recording's start, which may
        be anywhere, takes at most 1 of it);
        ``themes``: per question, the guide section it belongs to (a move back to a
        question outside the theme of the furthest question asked weighs
        ``back_theme``, unless the interviewer says they go back; None: one theme);
        ``unpressed``: log factor (nats, ≤ 0) on every move into another question's
        asking, which a key press near it lifts (``changes`` in `viterbi`): in an
        interview with presses, a move no press marks is less likely
        (``log(press_missed)``; 0 without presses)."""
        self.n = n
        aloud = list(asked_aloud) if asked_aloud is not None else [1.0] * n
        theme = list(themes) if themes is not None else [""] * n
        # (question in force, furthest asked, whether the question just before the
        # furthest was skipped on the way to it: it may still be taken up)
        # (2: the skipped question taken up, which a return the interviewer announces
        # does not mean)
        triples = [
            (q, f, k) for f in range(n) for q in range(f + 1) for k in ((0, 1) if f else (0,))
        ] + [(f - 1, f, 2) for f in range(1, n)]
        self.pairs = [(q, f) for q, f, _k in triples]
        # and, after the last question of the guide has been asked, the interview's
        # end: the talk stays with the question in force for good (closing remarks)
        s = 1 + 2 * len(triples) + n
        self.size = s
        qs = np.full(s, -1, dtype=np.int64)
        fs = np.full(s, -1, dtype=np.int64)
        kind = np.zeros(s, dtype=np.int64)
        asking = np.zeros(s, dtype=bool)
        index: dict[tuple[int, int, int, bool], int] = {}
        for i, (q, f, k) in enumerate(triples):
            for j, is_asking in ((1 + 2 * i, True), (2 + 2 * i, False)):
                qs[j], fs[j], kind[j], asking[j] = q, f, k, is_asking
                index[(q, f, k, is_asking)] = j
        end = 1 + 2 * len(triples)
        for q in range(n):
            qs[end + q], fs[end + q], kind[end + q] = q, n - 1, 3
        self.q, self.f, self.asking, self.kind = qs, fs, asking, kind
        # edges as three lists (a repeated edge's probabilities add up below)
        e_src: list[int] = []
        e_dst: list[int] = []
        e_p: list[float] = []
        add_src, add_dst, add_p = e_src.append, e_dst.append, e_p.append

        def add(src: int, dst: int, p: float) -> None:
            add_src(src)
            add_dst(dst)
            add_p(p)

        o = options
        # going ahead, each question passed over is skipped: with ``skip_decay``, or a
        # heading seldom asked aloud, mostly (its ``aloud`` share of a question's asking)
        passed = np.cumsum([0.0] + [math.log(1 - a * (1 - o.skip_decay)) for a in aloud])
        first = [
            ((1 - o.skip_far) * o.first_decay**q + o.skip_far / n) * min(aloud[q], 1.0)
            for q in range(n)
        ]
        for q in range(n):
            add(0, index[(q, q, int(q > 0), True)], (1 - o.intro_stay) * first[q] / sum(first))
        add(0, 0, o.intro_stay if n else 1.0)
        for q, f, k in triples:
            a, r = index[(q, f, k, True)], index[(q, f, k, False)]
            add(a, a, o.ask_stay)
            add(a, r, 1 - o.ask_stay - o.unanswered)
            add(r, r, o.answer_stay)
            add(r, a, o.reask)
            far = o.skip_far / max(n - f - 1, 1)
            ahead = {
                q2: (
                    (1 - o.skip_far) * math.exp(passed[q2] - passed[f + 1]) * (1 - o.skip_decay)
                    + far
                )
                * aloud[q2]
                for q2 in range(f + 1, n)
            }
            behind = {
                q2: (1 - o.back_near) / (f + 1) + o.back_near * o.skip_decay ** (f - q2)
                for q2 in range(f + 1)
                if q2 != q and not (k == 1 and q2 == f - 1)
            }
            share_back = o.back if behind else 0.0
            # another question is asked after the answer, or (``unanswered``) right
            # after the asking, which then gets no answer
            for src, stay, move in ((r, r, 1 - o.answer_stay - o.reask), (a, r, o.unanswered)):
                if k == 1 and q != f - 1:
                    # the question skipped just before the furthest is taken up now: a
                    # pair asked out of order
                    add(src, index[(f - 1, f, 2, True)], move * o.swap * aloud[f - 1])
                    move *= 1 - o.swap * aloud[f - 1]
                moves: dict[int, float] = {}
                if ahead:
                    total = sum(ahead.values())
                    for q2, w in ahead.items():
                        to = index[(q2, q2, int(q2 > f + 1), True)]
                        moves[to] = moves.get(to, 0.0) + (1 - share_back) * w / total
                if behind:
                    total = sum(behind.values())
                    for q2, w in behind.items():
                        # a move back out of the theme under way is the rarer kind: the
                        # rest of its share goes to the other moves
                        leave = 1.0 if theme[q2] == theme[f] else o.back_theme
                        to = index[(q2, f, 0 if q2 == f - 1 or k == 2 else k, True)]
                        moves[to] = moves.get(to, 0.0) + share_back * leave * w / total
                # the moves share ``move`` among them, whatever is left to move to, so
                # every answer goes on with the same probability per unit (an answer
                # in a state with fewer moves is not longer: over a long answer, a
                # little more staying per unit would outweigh every word)
                if not ahead:
                    # after the guide's last question, the rest of the moves' share
                    # ends the interview: the talk stays with this question (an
                    # answer's end, closing remarks) and nothing more is asked
                    add(src, end + q if src == r else stay, move * (1 - share_back))
                    move *= share_back
                whole = sum(moves.values())
                for to, w in moves.items():
                    add(src, to, move * w / whole)
                if not moves:
                    add(src, stay, move)
        for q in range(n):
            # (as likely per unit as any answer going on: the rest is the transcript
            # ending, so the end draws no stretch of talk to it; not normalised below)
            add(end + q, end + q, o.answer_stay)
        # repeated edges summed and every row normalised to one (but the interview's
        # end, above), both in the order the edges were added, so the sums
        # round alike whatever the edges' order below; then sorted by (destination,
        # source)
        src_a, dst_a, p_a = np.array(e_src), np.array(e_dst), np.array(e_p)
        kept = p_a > 0
        src_a, dst_a, p_a = src_a[kept], dst_a[kept], p_a[kept]
        keys, first_at, inverse = np.unique(
            src_a * s + dst_a, return_index=True, return_inverse=True
        )
        merged = np.zeros(len(keys))
        np.add.at(merged, inverse, p_a)
        u_src, u_dst = keys // s, keys % s
        added = np.argsort(first_at, kind="stable")
        rows = np.zeros(s)
        np.add.at(rows, u_src[added], merged[added])
        rows[end:] = 1.0
        order = np.lexsort((u_src, u_dst))
        self.src = u_src[order].astype(np.int64)
        self.dst = u_dst[order].astype(np.int64)
        self.p = merged[order] / rows[self.src]
        # edges into another question's asking: where a key press counts, and where,
        # in an interview with presses, its absence weighs ``unpressed``
        self.change = (self.q[self.src] != self.q[self.dst]) & self.asking[self.dst]
        self.p *= np.where(self.change, math.exp(unpressed), 1.0)
        self.logp = np.log(self.p)
        # the two kinds of edge as sparse matrices (rows: destination, columns: source):
        # a key press multiplies every edge into its question's asking states by one
        # factor per unit, so each step is two sparse products, whatever the presses
        self._stay = Edges(self.src, self.dst, self.logp, ~self.change, s)
        self._move = Edges(self.src, self.dst, self.logp, self.change, s)
        # for forward–backward: both kinds stacked (rows: destination), their transposes
        # side by side, and their sum where no press counts (the two kinds share no edge)
        self._both = sparse.vstack([self._stay.matrix, self._move.matrix], format="csr")
        self._both_t = sparse.hstack([self._stay.transposed, self._move.transposed], format="csr")
        self._one = (self._stay.matrix + self._move.matrix).tocsr()
        self._one_t = self._one.T.tocsr()
        # log factor turning the move back to each earlier question into an even share
        # of the moves back (for a return the interviewer announces)
        near = o.back_near * o.skip_decay ** (self.f - self.q).astype(np.float64)
        even = 1.0 / (np.maximum(self.f, 0) + 1.0)
        # (and whatever the theme: "going back to something you said" is as likely to
        # another theme as to this one)
        other = np.array(
            [f >= 0 and theme[q] != theme[f] for q, f in zip(self.q, self.f, strict=True)]
        )
        factor = np.where(other, o.back_theme, 1.0)
        self._flat = np.where(
            self.q < self.f, np.log(even / (((1 - o.back_near) * even + near) * factor)), 0.0
        )

    def emissions(self, intro: Floats, asking: Floats, answer: Floats) -> Floats:
        """Per-state log-likelihoods (T, S) from per-question ones: ``intro`` (T,),
        ``asking`` and ``answer`` (T, N)."""
        t = len(intro)
        out = np.empty((t, self.size), dtype=np.float64)
        out[:, 0] = intro
        qa = self.q[1:]
        out[:, 1:] = np.where(self.asking[1:], asking[:, qa], answer[:, qa])
        return out

    def _gain(self, changes: Floats | None, t_len: int, backs: Floats | None = None) -> Floats:
        """Log factor (T, S) on the edges into each state at each unit: the key-press
        evidence ``changes`` (T, N) of the state's question, for asking states; and
        ``backs`` (T,), for the asking states of a question behind the furthest asked
        (a return)."""
        g = np.zeros((t_len, self.size))
        ask = np.flatnonzero(self.asking)
        if changes is not None:
            # only the units some press speaks to (none at all in an import)
            rows = np.flatnonzero(changes.any(axis=1))
            g[np.ix_(rows, ask)] = changes[np.ix_(rows, self.q[ask])]
        if backs is not None:
            # where the interviewer says the talk goes back, it goes back to any earlier
            # question alike (not mostly to the one just behind, as a swapped pair does)
            behind = np.flatnonzero(self.asking & (self.q < self.f) & (self.kind != 2))
            for t in np.flatnonzero(backs):
                g[t, behind] += backs[t] + self._flat[behind]
        return g

    def _start(self, gain: Floats) -> Floats:
        """The first unit's state: as if one step after the intro (the recording may
        begin with the first question)."""
        start = np.zeros(self.size)
        out = self.src == 0
        factor = np.where(self.change[out], np.exp(gain[self.dst[out]]), 1.0)
        start[self.dst[out]] = self.p[out] * factor
        return start

    def viterbi(
        self, log_e: Floats, changes: Floats | None = None, backs: Floats | None = None
    ) -> Ints:
        """The most likely state sequence (T,) for emissions (T, S); ``changes`` (T, N):
        log-likelihood of question q coming into force at unit t (key presses);
        ``backs`` (T,): log-likelihood of a return to an earlier question at unit t."""
        t_len, s = log_e.shape
        gain = self._gain(changes, t_len, backs)
        deltas = np.empty((t_len, s))
        with np.errstate(divide="ignore"):
            deltas[0] = np.log(self._start(gain[0])) + log_e[0]
        # both kinds of edge in one gather and one reduction per step
        src = np.r_[self._stay.src, self._move.src]
        logp = np.r_[self._stay.logp, self._move.logp]
        starts = np.r_[self._stay.starts, len(self._stay.src) + self._move.starts]
        n_stay = len(self._stay.starts)
        stay_to, move_to = self._stay.targets, self._move.targets
        # every state has an edge within its question (to itself), so the first kind
        # reaches every state: the moves only ever improve on it
        everywhere = len(stay_to) == s
        floor = np.full(s, -np.inf)
        # at a unit no press or return cue speaks to (most of them), both kinds are one:
        # every edge, sorted by destination, in one reduction
        plain: npt.NDArray[np.bool_] = ~np.any(gain, axis=1)
        all_starts = np.flatnonzero(np.r_[True, self.dst[1:] != self.dst[:-1]])
        whole = len(all_starts) == s
        for t in range(1, t_len):
            if whole and plain[t]:
                deltas[t] = np.maximum.reduceat(deltas[t - 1][self.src] + self.logp, all_starts)
                deltas[t] += log_e[t]
                continue
            best = np.maximum.reduceat(deltas[t - 1][src] + logp, starts)
            if everywhere:
                a = best[:n_stay]
            else:
                a = floor.copy()
                a[stay_to] = best[:n_stay]
            a[move_to] = np.maximum(a[move_to], best[n_stay:] + gain[t, move_to])
            deltas[t] = a + log_e[t]
        path = np.zeros(t_len, dtype=np.int64)
        path[-1] = int(np.argmax(deltas[-1]))
        for t in range(t_len - 1, 0, -1):
            j = int(path[t])
            src_a, val_a = self._stay.into(j, deltas[t - 1])
            src_b, val_b = self._move.into(j, deltas[t - 1])
            val_b = val_b + gain[t, j]
            if len(val_b) and (not len(val_a) or val_b.max() > val_a.max()):
                path[t - 1] = src_b[int(np.argmax(val_b))]
            else:
                path[t - 1] = src_a[int(np.argmax(val_a))]
        return path

    def posteriors(
        self,
        log_e: Floats,
        changes: Floats | None = None,
        backs: Floats | None = None,
        temperature: float = 1.0,
    ) -> Floats:
        """Per-unit state posteriors (T, S), by forward–backward with scaling.

        ``temperature``: every log-probability of a path (emissions, transitions, press
        and return evidence) divided by it (< 1 sharpens the posteriors, > 1 flattens
        them). The most likely path, and so every label, is the same at any temperature.
        """
        t_len, s = log_e.shape
        inv = 1.0 / temperature
        e = np.exp((log_e - log_e.max(axis=1, keepdims=True)) * inv)
        e[e < _TINY] = 0.0
        log_gain = self._gain(changes, t_len, backs)
        gain = np.exp(log_gain * inv)
        both, both_t, one, one_t = self._both, self._both_t, self._one, self._one_t
        if inv != 1.0:  # every transition probability to the power 1 / temperature
            both, both_t, one, one_t = (m.power(inv) for m in (both, both_t, one, one_t))
        # at a unit no press or return cue speaks to (most of them), one matrix will do
        plain = (gain == 1.0).all(axis=1)
        alpha = np.empty((t_len, s))
        a = self._start(log_gain[0]) ** inv * e[0]
        alpha[0] = a / a.sum()
        for t in range(1, t_len):
            if plain[t]:
                a = (one @ alpha[t - 1]) * e[t]
            else:
                y = both @ alpha[t - 1]
                a = (y[:s] + y[s:] * gain[t]) * e[t]
            a /= max(a.sum(), 1e-300)
            a[a < _TINY] = 0.0
            alpha[t] = a
        beta = np.ones(s)
        gamma = np.empty((t_len, s))
        g = alpha[-1] * beta
        gamma[-1] = g / g.sum()
        for t in range(t_len - 1, 0, -1):
            w = e[t] * beta
            b = one_t @ w if plain[t] else both_t @ np.concatenate((w, w * gain[t]))
            beta = b / max(b.sum(), 1e-300)
            beta[beta < _TINY] = 0.0
            g = alpha[t - 1] * beta
            gamma[t - 1] = g / max(g.sum(), 1e-300)
        return gamma

    def decode(
        self,
        log_e: Floats,
        changes: Floats | None = None,
        backs: Floats | None = None,
        temperature: float = 1.0,
        label_temperature: float | None = None,
    ) -> Decoded:
        """Labels and posteriors for emissions (T, S), ``changes`` (T, N) and ``backs``
        (T,) (see `viterbi`), the posteriors at ``temperature`` (see `posteriors`).

        The labels are the Viterbi path's (the most likely sequence); with
        ``label_temperature`` (> 0), each unit's most probable question in the
        posteriors at that temperature (-1 where the intro is more probable than every
        question together) and whether its asking is more probable than not: the
        decoding that gets the most units right in expectation (hmmlearn's
        ``algorithm="map"``). Towards 0 it comes to the Viterbi path's labels.
        """
        gamma = self.posteriors(log_e, changes, backs, temperature)
        post, asking = self._by_question(gamma), gamma[:, self.asking].sum(axis=1)
        if label_temperature is None:
            path = self.viterbi(log_e, changes, backs)
            return Decoded(self.q[path], self.asking[path], post, asking)
        g = self.posteriors(log_e, changes, backs, label_temperature)
        by_q = self._by_question(g)
        question = np.where(by_q.sum(axis=1) > 0.5, by_q.argmax(axis=1), -1).astype(np.int64)
        return Decoded(question, g[:, self.asking].sum(axis=1) > 0.5, post, asking)

    def _by_question(self, gamma: Floats) -> Floats:
        """State posteriors (T, S) summed per question (T, N)."""
        # each question's states summed (a sparse one-hot: states × questions)
        rows = np.arange(1, self.size)
        onehot = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, self.q[1:])), shape=(self.size, self.n)
        )
        return np.asarray((onehot.T @ gamma.T).T)
