"""How many voices a recording holds, and whose each embedding window is: spectral
clustering with the auto-tuned normalised maximum eigengap (NME-SC).

Park, Han, Kumar, Narayanan 2019, "Auto-tuning spectral clustering for speaker diarization
using normalized maximum eigengap" (IEEE Signal Processing Letters 27): the affinity of the
windows is their embeddings' cosine similarity; for a number ``p`` of neighbours, each row
keeps its ``p`` largest entries as 1 and the rest as 0, and the matrix is symmetrised; the
eigenvalues λ₁ ≤ λ₂ ≤ … of that graph's Laplacian have their largest gap after the k-th for
k voices, and that gap over the largest eigenvalue, g(p), says how clear the split is. The
``p`` kept is the one with the least p / g(p) (few neighbours, a clear gap); k is then the
place of the largest gap among the first ``MAX_VOICES`` + 1 eigenvalues, so one voice
(the largest gap right after λ₁ = 0: the graph holds together) is a possible answer too.
The windows' voices are k-means on the first k eigenvectors.

Written here from the paper (no code copied; NVIDIA NeMo's and the authors' implementations
were read for the search range of ``p``). Embeddings: (windows, dims), unit length.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

MAX_VOICES = 4  # at most this many voices are looked for
P_SHARE = 0.25  # neighbours per window: up to this share of the windows (as in NeMo)
P_STEPS = 30  # values of p tried, evenly spaced
# two voices whose mean embeddings are closer than this (cosine) are one: set between the
# calibration recordings' (bench/voices.py) two-speaker splits, at most 0.885 (an AMI
# meeting excerpt), and one speaker's windows split in two, from 0.912 (read sentences,
# spontaneous speech; JFK with applause, 0.868, is not told by it: MIN_VOICE_S merges it)
SAME_VOICE_COS = 0.90
MAX_AFFINITY = 300  # windows in the affinity graph; more are subsampled evenly (below)


@dataclass(frozen=True)
class Spectrum:
    """The chosen graph of one recording's windows."""

    k: int  # voices: where the largest eigengap is
    p: int  # neighbours kept per window
    gap: float  # the largest eigengap over the largest eigenvalue, g(p)
    vectors: Array  # (fitted windows, MAX_VOICES) eigenvectors, smallest eigenvalues first
    fitted: npt.NDArray[np.int_]  # which windows the graph was built on


def _binarised(affinity: Array, p: int) -> Array:
    """Each row's ``p`` largest entries 1, the rest 0; symmetrised."""
    out = np.zeros_like(affinity)
    top = np.argpartition(-affinity, p - 1, axis=1)[:, :p]
    np.put_along_axis(out, top, 1.0, axis=1)
    sym: Array = 0.5 * (out + out.T)
    return sym


def spectrum(emb: Array, max_voices: int = MAX_VOICES) -> Spectrum:
    """NME-SC's choice of ``p`` and the number of voices for the embeddings ``emb``
    (windows, dims), at least ``max_voices`` + 2 windows.

    Over ``MAX_AFFINITY`` windows (a long recording) the graph is built on that many
    evenly spaced ones (the eigen-decomposition is cubic in the windows). One BLAS
    thread, as the encoder (`audio.speakers.embed`): the voices are found while Whisper
    transcribes on the other core, and on two busy cores the default thread pools spun
    (a 1 000-window recording: 37 s of wall time instead of 0.5 s)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _spectrum(emb, max_voices)


def _spectrum(emb: Array, max_voices: int) -> Spectrum:
    import scipy.linalg

    n_all = len(emb)
    fitted = np.arange(n_all)
    if n_all > MAX_AFFINITY:
        fitted = np.linspace(0, n_all - 1, MAX_AFFINITY).round().astype(np.int_)
    x = emb[fitted]
    affinity = x @ x.T
    n = len(x)
    top = min(max_voices, n - 2)
    p_max = max(3, int(P_SHARE * n))
    ps = sorted({round(v) for v in np.linspace(2, p_max, min(P_STEPS, p_max - 1))})
    best: tuple[float, Spectrum] | None = None
    for p in ps:
        graph = _binarised(affinity, min(p, n))
        laplacian = np.diag(graph.sum(axis=1)) - graph
        values, vectors = scipy.linalg.eigh(laplacian)
        gaps = np.diff(values[: top + 1])
        gap = float(gaps.max() / max(float(values[-1]), 1e-10))
        ratio = p / max(gap, 1e-10)
        if best is None or ratio < best[0]:
            k = int(np.argmax(gaps)) + 1
            best = (ratio, Spectrum(k, p, gap, vectors[:, :max_voices].copy(), fitted))
    assert best is not None
    return best[1]


def labels(emb: Array, found: Spectrum, k: int) -> npt.NDArray[np.int_]:
    """Each window's voice (0 … k-1) for ``k`` voices: k-means on the first ``k``
    eigenvectors of the chosen graph; windows left out of the graph (a long recording)
    take the voice whose mean embedding is nearest (cosine)."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    with warnings.catch_warnings(), threadpool_limits(1):  # equal rows: fewer points
        warnings.simplefilter("ignore")
        fit = KMeans(k, n_init=10, random_state=0).fit_predict(found.vectors[:, :k])
    if len(found.fitted) == len(emb):
        out: npt.NDArray[np.int_] = fit.astype(np.int_)
        return out
    x = emb[found.fitted]
    means = np.stack([x[fit == j].mean(axis=0) if (fit == j).any() else x[0] for j in range(k)])
    nearest: npt.NDArray[np.int_] = np.argmax(emb @ means.T, axis=1).astype(np.int_)
    nearest[found.fitted] = fit
    return nearest


def closest(emb: Array, labs: npt.NDArray[np.int_], k: int) -> float:
    """The largest cosine similarity between two voices' mean embeddings (``labs``: each
    window's voice, 0 … k-1; a voice with no window counts as identical, 1.0)."""
    if any(not (labs == j).any() for j in range(k)):
        return 1.0
    means = np.stack([emb[labs == j].mean(axis=0) for j in range(k)])
    means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-9)
    sims = means @ means.T
    return float(sims[~np.eye(k, dtype=bool)].max())
