"""The scores of bench/voices.py: the diarisation error rate and the share of
transcript words given the right speaker (definitions in bench/voices.py's module doc)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Turn = tuple[float, float, str]  # start, end, speaker


def _frames(turns: list[Turn], names: list[str], n: int) -> npt.NDArray[np.bool_]:
    m = np.zeros((n, len(names)), dtype=bool)
    for a, b, s in turns:
        m[round(a * 100) : round(b * 100), names.index(s)] = True
    return m


def der(ref: list[Turn], found: list[Turn]) -> float:
    """Diarisation error rate (module doc)."""
    from scipy.optimize import linear_sum_assignment

    n = int(max([b for _, b, _ in ref] + [b for _, b, _ in found] + [0.0]) * 100) + 2
    rn = sorted({s for _, _, s in ref})
    hn = sorted({s for _, _, s in found}) or ["none"]
    r, h = _frames(ref, rn, n), _frames(found, hn, n)
    overlap = r.T.astype(float) @ h.astype(float)
    ri, ci = linear_sum_assignment(-overlap)
    nr, nh = r.sum(axis=1), h.sum(axis=1)
    missed = np.maximum(nr - nh, 0).sum()
    false_alarm = np.maximum(nh - nr, 0).sum()
    confused = np.minimum(nr, nh).sum() - overlap[ri, ci].sum()
    return float((missed + false_alarm + confused) / max(r.sum(), 1))


def word_accuracy(
    ref: list[Turn], words: list[tuple[float, float]], voices: list[int | None]
) -> tuple[float, int]:
    """Share of words with a clear reference speaker whose voice maps to it (module doc),
    and how many such words there are."""
    from scipy.optimize import linear_sum_assignment

    names = sorted({s for _, _, s in ref})
    truth: list[int] = []
    got: list[int | None] = []
    for (a, b), v in zip(words, voices, strict=True):
        lo, hi = a, max(b, a + 0.02)
        cover = np.zeros(len(names))
        for s, e, who in ref:
            cover[names.index(who)] += max(0.0, min(hi, e) - max(lo, s))
        second = np.sort(cover)[-2] if len(cover) > 1 else 0.0
        if cover.max() < 0.5 * (hi - lo) or second > 0.25 * (hi - lo):
            continue  # outside the reference turns or in overlapped speech
        truth.append(int(cover.argmax()))
        got.append(v)
    if not truth:
        return float("nan"), 0
    k = max([v for v in got if v is not None] + [0]) + 1
    counts = np.zeros((len(names), k))
    for t, v in zip(truth, got, strict=True):
        if v is not None:
            counts[t, v] += 1
    ri, ci = linear_sum_assignment(-counts)
    return float(counts[ri, ci].sum() / len(truth)), len(truth)
