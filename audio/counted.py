"""Whose each embedding window is when the researcher said how many people take part:
agglomerative clustering (average linkage, cosine distance) cut at that many voices.

With the count known there is nothing for the eigengap to decide, and on the meeting
excerpts of bench/voices.py the spectral clustering forced to the speakers' count split
the main speaker into near-equal parts (its k-means on the eigenvectors looks for
balanced groups), while a meeting or a group interview has one or two people who speak
most and others who speak little. Average-linkage AHC, the classic diarisation
clustering (pyannote's pipeline cuts an AHC tree at ``num_speakers`` too), keeps the
groups as unequal as the speech is. Chosen between the two on the AMI excerpts'
diarisation error with the count given (module doc of bench/voices.py); no parameter
of it was tuned. scikit-learn's implementation. Embeddings: (windows, dims), unit length.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

MAX_AHC = 1000  # windows clustered; more (a long recording) are subsampled evenly, and
# the rest take the voice whose mean embedding is nearest (the distance matrix is
# quadratic: 1000 windows, 8 MB and 0.1 s)


def counted_labels(emb: Array, k: int) -> npt.NDArray[np.int_]:
    """Each window's voice (0 … k-1) for exactly ``k`` voices, 2 ≤ k ≤ len(emb).

    Raises:
        ValueError: ``k`` is out of that range.
    """
    from sklearn.cluster import AgglomerativeClustering
    from threadpoolctl import threadpool_limits

    n = len(emb)
    if not 2 <= k <= n:
        raise ValueError(f"cannot make {k} voices of {n} windows")
    fitted = np.arange(n)
    if n > MAX_AHC:
        fitted = np.linspace(0, n - 1, MAX_AHC).round().astype(np.int_)
    x = emb[fitted]
    with threadpool_limits(1):  # as `audio.spectral.spectrum`: Whisper has the other core
        fit = AgglomerativeClustering(k, metric="cosine", linkage="average").fit_predict(x)
    if len(fitted) == n:
        out: npt.NDArray[np.int_] = fit.astype(np.int_)
        return out
    means = np.stack([x[fit == j].mean(axis=0) for j in range(k)])
    nearest: npt.NDArray[np.int_] = np.argmax(emb @ means.T, axis=1).astype(np.int_)
    nearest[fitted] = fit
    return nearest
