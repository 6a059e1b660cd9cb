"""The interview as a hidden Markov model over the guide, decoded with Viterbi and
forward–backward.

Hidden state per unit: before the first question (the intro), or a triple (question in
force ``q``, furthest question asked so far ``f`` ≥ ``q``, whether this unit *asks* ``q``
or belongs to its *answer*). Questions are indexed in guide order. Transitions:

- the intro goes on, or the first question is asked (most likely the guide's first;
  a recording may begin anywhere, with ``skip_far``);
- an asking goes on (a question in two sentences) or its answer begins;
- an answer goes on, the question in force is asked again (a probe, a rephrasing), or
  another question is asked: ahead of the furthest asked (the next one most likely,
  skipping ``d`` more with weight ``skip_decay ** d``, or anywhere ahead with
  ``skip_far``), or back to one at or before it
  (a return, or a pair asked out of order; then the guide goes on from ``f``).

Emissions are log-likelihoods per unit for each question's asking and answer state and
for the intro (`guide.tagging.evidence`). The labels come from Viterbi; the posterior of
the question in force at each unit (forward–backward) is the confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from guide.tagging.options import TaggingOptions

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


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
        self, n: int, options: TaggingOptions, asked_aloud: Sequence[float] | None = None
    ) -> None:
        """``asked_aloud``: per question, how likely it is asked at all when its turn
        comes (1; less for a theme heading that is no question, "Informasjon")."""
        self.n = n
        aloud = list(asked_aloud) if asked_aloud is not None else [1.0] * n
        pairs = [(q, f) for f in range(n) for q in range(f + 1)]
        self.pairs = pairs
        s = 1 + 2 * len(pairs)
        self.size = s
        qs = np.full(s, -1, dtype=np.int64)
        fs = np.full(s, -1, dtype=np.int64)
        asking = np.zeros(s, dtype=bool)
        index: dict[tuple[int, int, bool], int] = {}
        for k, (q, f) in enumerate(pairs):
            for j, is_asking in ((1 + 2 * k, True), (2 + 2 * k, False)):
                qs[j], fs[j], asking[j] = q, f, is_asking
                index[(q, f, is_asking)] = j
        self.q, self.f, self.asking = qs, fs, asking
        edges: dict[tuple[int, int], float] = {}

        def add(src: int, dst: int, p: float) -> None:
            if p > 0:
                edges[(src, dst)] = edges.get((src, dst), 0.0) + p

        o = options
        first = [
            ((1 - o.skip_far) * o.first_decay**q + o.skip_far / n) * aloud[q] for q in range(n)
        ]
        for q in range(n):
            add(0, index[(q, q, True)], (1 - o.intro_stay) * first[q] / sum(first))
        add(0, 0, o.intro_stay if n else 1.0)
        for q, f in pairs:
            a, r = index[(q, f, True)], index[(q, f, False)]
            add(a, a, o.ask_stay)
            add(a, r, 1 - o.ask_stay)
            add(r, r, o.answer_stay)
            add(r, a, o.reask)
            move = 1 - o.answer_stay - o.reask
            far = o.skip_far / max(n - f - 1, 1)
            ahead = {
                q2: ((1 - o.skip_far) * o.skip_decay ** (q2 - f - 1) * (1 - o.skip_decay) + far)
                * aloud[q2]
                for q2 in range(f + 1, n)
            }
            behind = {
                q2: (1 - o.back_near) / (f + 1) + o.back_near * o.skip_decay ** (f - q2)
                for q2 in range(f + 1)
                if q2 != q
            }
            share_back = o.back if ahead else 1.0
            if not behind:
                share_back = 0.0
            if ahead:
                total = sum(ahead.values())
                for q2, w in ahead.items():
                    add(r, index[(q2, q2, True)], move * (1 - share_back) * w / total)
            if behind:
                total = sum(behind.values())
                for q2, w in behind.items():
                    add(r, index[(q2, f, True)], move * share_back * w / total)
        # every row sums to one (the last question has nowhere further to go)
        rows: dict[int, float] = {}
        for (src, _dst), p in edges.items():
            rows[src] = rows.get(src, 0.0) + p
        order = sorted(edges, key=lambda e: (e[1], e[0]))
        self.src = np.array([e[0] for e in order], dtype=np.int64)
        self.dst = np.array([e[1] for e in order], dtype=np.int64)
        self.p = np.array([edges[e] / rows[e[0]] for e in order], dtype=np.float64)
        self.logp = np.log(self.p)
        # edges are sorted by destination: where each destination's edges begin
        self.starts = np.flatnonzero(np.r_[True, self.dst[1:] != self.dst[:-1]])
        self.targets = self.dst[self.starts]
        self.counts = np.diff(np.r_[self.starts, len(self.dst)])
        # edges into another question's asking: where a key press counts
        self.change = (self.q[self.src] != self.q[self.dst]) & self.asking[self.dst]
        self.change_q = np.where(self.change, self.q[self.dst], 0)
        self.set_change_base(0.0)

    def emissions(self, intro: Floats, asking: Floats, answer: Floats) -> Floats:
        """Per-state log-likelihoods (T, S) from per-question ones: ``intro`` (T,),
        ``asking`` and ``answer`` (T, N)."""
        t = len(intro)
        out = np.empty((t, self.size), dtype=np.float64)
        out[:, 0] = intro
        qa = self.q[1:]
        out[:, 1:] = np.where(self.asking[1:], asking[:, qa], answer[:, qa])
        return out

    def _start(self, edge_log: Floats) -> Floats:
        """The first unit's state: as if one step after the intro (the recording may
        begin with the first question)."""
        start = np.zeros(self.size)
        out = self.src == 0
        start[self.dst[out]] = np.exp(edge_log[out])
        return start

    def set_change_base(self, base: float) -> None:
        """Log-likelihood added to every edge into another question (the key presses'
        ``log press_missing`` when the interview has presses; 0 when it has none)."""
        self.base_logp = self.logp + np.where(self.change, base, 0.0)
        self.base_p = np.exp(self.base_logp)

    def _edge_log(self, changes: Floats | None, t: int) -> Floats:
        """The edges' log-probabilities at unit ``t``, with the key-press evidence
        (``changes``: (T, N), relative to the base) on the edges into another question."""
        if changes is None or not changes[t].any():
            return self.base_logp
        return self.base_logp + np.where(self.change, changes[t][self.change_q], 0.0)

    def viterbi(self, log_e: Floats, changes: Floats | None = None) -> Ints:
        """The most likely state sequence (T,) for emissions (T, S); ``changes`` (T, N):
        log-likelihood of question q coming into force at unit t (key presses)."""
        t_len, s = log_e.shape
        with np.errstate(divide="ignore"):
            delta = np.log(self._start(self._edge_log(changes, 0))) + log_e[0]
        back = np.zeros((t_len, s), dtype=np.int64)
        positions = np.arange(len(self.dst))
        group = np.repeat(np.arange(len(self.starts)), self.counts)
        for t in range(1, t_len):
            cand = delta[self.src] + self._edge_log(changes, t)
            best = np.maximum.reduceat(cand, self.starts)
            hit = np.where(cand >= best[group], positions, len(positions))
            first = np.minimum.reduceat(hit, self.starts)
            new = np.full(s, -np.inf)
            new[self.targets] = best
            back[t, self.targets] = self.src[first]
            delta = new + log_e[t]
        path = np.zeros(t_len, dtype=np.int64)
        path[-1] = int(np.argmax(delta))
        for t in range(t_len - 1, 0, -1):
            path[t - 1] = back[t, path[t]]
        return path

    def posteriors(self, log_e: Floats, changes: Floats | None = None) -> Floats:
        """Per-unit state posteriors (T, S), by forward–backward with scaling."""
        t_len, s = log_e.shape
        e = np.exp(log_e - log_e.max(axis=1, keepdims=True))

        def prob(t: int) -> Floats:
            if changes is None or not changes[t].any():
                base: Floats = self.base_p
                return base
            p: Floats = np.exp(self._edge_log(changes, t))
            return p

        alpha = np.empty((t_len, s))
        a = self._start(self._edge_log(changes, 0)) * e[0]
        alpha[0] = a / a.sum()
        for t in range(1, t_len):
            a = np.bincount(self.dst, weights=alpha[t - 1][self.src] * prob(t), minlength=s)
            a *= e[t]
            alpha[t] = a / max(a.sum(), 1e-300)
        beta = np.ones(s)
        gamma = np.empty((t_len, s))
        g = alpha[-1] * beta
        gamma[-1] = g / g.sum()
        for t in range(t_len - 1, 0, -1):
            b = np.bincount(self.src, weights=prob(t) * (e[t] * beta)[self.dst], minlength=s)
            beta = b / max(b.sum(), 1e-300)
            g = alpha[t - 1] * beta
            gamma[t - 1] = g / max(g.sum(), 1e-300)
        return gamma

    def decode(self, log_e: Floats, changes: Floats | None = None) -> Decoded:
        """Viterbi labels and posteriors for emissions (T, S) and ``changes`` (T, N)."""
        path = self.viterbi(log_e, changes)
        gamma = self.posteriors(log_e, changes)
        onehot = np.zeros((self.size, self.n))
        onehot[np.arange(1, self.size), self.q[1:]] = 1.0
        post = gamma @ onehot
        return Decoded(
            question=self.q[path],
            asking=self.asking[path],
            posterior=post,
            asking_posterior=gamma[:, self.asking].sum(axis=1),
        )
