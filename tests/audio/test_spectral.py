"""How many voices (`audio.spectral`: NME-SC) on embeddings whose speakers are known:
drawn around random speaker directions in 256 dimensions, as GE2E windows. The real
recordings are in test_voices.py and test_voices_meeting.py."""

from __future__ import annotations

import numpy as np
import pytest

from audio.spectral import labels, spectrum


@pytest.mark.parametrize("k", [1, 2, 3])
def test_spectral_count(k: int) -> None:
    """NME-SC on embeddings drawn around ``k`` well-separated speaker directions (256
    dimensions, within-speaker cosine ~0.7, as GE2E windows): ``k`` voices, one of them
    the answer when all come from one speaker, and the windows grouped by speaker."""
    rng = np.random.default_rng(k)
    centres = rng.standard_normal((k, 256))
    truth = np.repeat(np.arange(k), 40)
    emb = centres[truth] / np.linalg.norm(centres[truth], axis=1, keepdims=True)
    emb = emb + rng.standard_normal(emb.shape) * 0.04
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    found = spectrum(emb)
    assert found.k == k, found
    if k > 1:
        got = labels(emb, found, k)
        for j in range(k):  # each speaker's windows in one voice of their own
            assert len(set(got[truth == j].tolist())) == 1
        assert len(set(got.tolist())) == k


def test_spectral_long_recording_is_subsampled() -> None:
    """Over MAX_AFFINITY windows the graph is built on an even subsample; every window
    still gets the voice of its speaker."""
    from audio.spectral import MAX_AFFINITY

    rng = np.random.default_rng(7)
    centres = rng.standard_normal((2, 256))
    truth = (np.arange(3 * MAX_AFFINITY) // 50) % 2
    emb = centres[truth] + rng.standard_normal((len(truth), 256)) * 0.04
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    found = spectrum(emb)
    assert len(found.fitted) == MAX_AFFINITY and found.k == 2
    got = labels(emb, found, 2)
    assert np.mean(got == truth) in (0.0, 1.0)
