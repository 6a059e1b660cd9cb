"""How this interviewer asks: the askings of the project's earlier interviews (of the
questions their guide words alike), as a word model per question.

An interviewer who paraphrases keeps to their own words from one interview to the next
("What takes the joy out of the job?" for "What reduces well-being in your work
situation?"). Those words share little with the guide's, but they recur. The askings the
researcher has vouched for (tagged by hand, or marked by a key press when the question
was asked; `store` collects them) are counted per question, and each unit gets, for
each question, the log-likelihood ratio of its words (those some earlier asking used)
under that question's askings against all askings together: a multinomial (unigram)
model with Dirichlet smoothing towards the pooled askings (Zhai & Lafferty 2004, "A
study of smoothing methods for language models applied to information retrieval", ACM
TOIS 22(2)). Matching stays on stemmed words (`guide.text.tokens`); nothing compares
meanings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from guide.tagging.edges import Floats
from guide.text import tokens


class AskingModel:
    """Word counts of earlier askings per question (stemmed content tokens)."""

    def __init__(
        self, askings: Sequence[tuple[str, str]], language: str, prior: float = 10.0
    ) -> None:
        """``askings``: (question id, what the interviewer said), in any order;
        ``prior``: the Dirichlet prior's weight μ, in tokens (how many of a question's
        own tokens it takes to outweigh the pooled askings)."""
        self.language = language
        self.prior = prior
        self.counts: dict[str, Counter[str]] = {}
        self.pooled: Counter[str] = Counter()
        for qid, text in askings:
            toks = tokens(text, language)
            if not toks:
                continue
            self.counts.setdefault(qid, Counter()).update(toks)
            self.pooled.update(toks)
        self._totals = {q: sum(c.values()) for q, c in self.counts.items()}
        self._pool_total = sum(self.pooled.values())

    def __bool__(self) -> bool:
        return bool(self.counts)

    def log_ratios(self, texts: Sequence[str], question_ids: Sequence[str]) -> Floats:
        """(T, N) log-likelihood ratio, in nats, of each text's tokens under each
        question's askings against the pooled askings (0 for a question never asked
        before, or a text with no content token any earlier asking used).

        Only tokens some earlier asking used count: one never used says nothing about
        any question (under a smoothed model it would weigh against the questions asked
        most, whose counts leave the least mass for unseen words).
        """
        out = np.zeros((len(texts), len(question_ids)))
        if not self.counts:
            return out
        mu = self.prior
        for t, text in enumerate(texts):
            # a word no earlier asking used is no evidence about any question
            toks = [x for x in tokens(text, self.language) if x in self.pooled]
            if not toks:
                continue
            pooled = [self.pooled[x] / self._pool_total for x in toks]
            for i, qid in enumerate(question_ids):
                counts = self.counts.get(qid)
                if counts is None:
                    continue
                n = self._totals[qid]
                out[t, i] = math.fsum(
                    math.log((counts.get(x, 0) + mu * p) / (n + mu) / p)
                    for x, p in zip(toks, pooled, strict=True)
                )
        return out
