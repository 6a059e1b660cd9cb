"""The decoder's exactness (Viterbi is the best path, the posteriors are the model's),
whichever units key presses or return cues speak to; units cut where sentences are."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from guide.tagging import TaggingOptions
from guide.tagging.model import InterviewModel
from guide.tagging.units import make_units
from tests.guide.test_tagging_model import seg


def _path_score(
    model: InterviewModel, log_e: np.ndarray, gain: np.ndarray, path: list[int]
) -> float:
    """Log-probability of a state path under the model (start, edges, key-press gain,
    emissions)."""
    logp = {
        (int(a), int(b)): float(p) for a, b, p in zip(model.src, model.dst, model.logp, strict=True)
    }
    with np.errstate(divide="ignore"):
        score = float(np.log(model._start(gain[0])[path[0]])) + float(log_e[0, path[0]])
    for t in range(1, len(path)):
        a, b = path[t - 1], path[t]
        if (a, b) not in logp:
            return -np.inf
        g = gain[t, b] if model.change[(model.src == a) & (model.dst == b)].any() else 0.0
        score += logp[(a, b)] + g + float(log_e[t, b])
    return score


@pytest.mark.parametrize("unpressed", [0.0, math.log(0.25)])
def test_viterbi_is_the_best_path_and_the_posteriors_the_models_with_and_without_presses(
    unpressed: float,
) -> None:
    # (``unpressed``: the moves no press marks weigh less, in an interview with presses)
    model = InterviewModel(2, TaggingOptions(), unpressed=unpressed)
    rng = np.random.default_rng(3)
    t_len = 4
    log_e = rng.normal(size=(t_len, model.size))
    changes = np.zeros((t_len, 2))
    changes[2, 1] = 2.0  # a press for the second question near the third unit only
    backs = np.zeros(t_len)
    for ch in (None, changes):
        gain = model._gain(ch, t_len, backs)
        scores = {
            p: _path_score(model, log_e, gain, list(p))
            for p in itertools.product(range(model.size), repeat=t_len)
        }
        best = max(scores, key=lambda p: scores[p])
        path = model.viterbi(log_e, ch, backs)
        assert np.isclose(_path_score(model, log_e, gain, path.tolist()), scores[best])
        # the posteriors are the paths' probabilities summed, per unit and state
        finite = {p: s for p, s in scores.items() if np.isfinite(s)}
        top = max(finite.values())
        weights = {p: np.exp(s - top) for p, s in finite.items()}
        total = sum(weights.values())
        want = np.zeros((t_len, model.size))
        for p, w in weights.items():
            want[np.arange(t_len), list(p)] += w / total
        assert np.allclose(model.posteriors(log_e, ch, backs), want, atol=1e-9)


def test_a_compound_on_an_acronym_does_not_cut_a_question_in_two() -> None:
    # ASR writes no full stop before a new sentence at times: a capitalised word opens
    # one ("… i dag Hvor lenge …"), but "NAV-kontor" inside a question does not
    question = seg(0.0, "Har du noen gang jobbet på et annet NAV-kontor?")
    units = make_units([question], "nb", TaggingOptions())
    assert [u.text for u in units] == ["Har du noen gang jobbet på et annet NAV-kontor?"]
    run_on = seg(0.0, "Jeg har vært her i åtte år Hvor lenge har du jobbet i NAV?")
    assert len(make_units([run_on], "nb", TaggingOptions())) == 2
