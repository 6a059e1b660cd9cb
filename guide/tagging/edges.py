"""The decoder's transitions split in two kinds, as sparse products per step
(`guide.tagging.model`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class Edges:
    """A subset of the transitions, for the decoder's two products per step."""

    def __init__(self, src: Ints, dst: Ints, logp: Floats, keep: npt.NDArray[np.bool_], size: int):
        order = np.lexsort((src[keep], dst[keep]))
        self.src = src[keep][order]
        self.dst = dst[keep][order]
        self.logp = logp[keep][order]
        p = np.exp(self.logp)
        self.matrix = sparse.csr_matrix((p, (self.dst, self.src)), shape=(size, size))
        self.transposed = sparse.csr_matrix((p, (self.src, self.dst)), shape=(size, size))
        # edges are sorted by destination: where each destination's edges begin
        first = np.r_[True, self.dst[1:] != self.dst[:-1]] if len(self.dst) else []
        self.starts = np.flatnonzero(first)
        self.targets = self.dst[self.starts]
        self.bounds = np.zeros(size + 1, dtype=np.int64)
        np.add.at(self.bounds, self.dst + 1, 1)
        self.bounds = np.cumsum(self.bounds)

    def into(self, j: int, delta: Floats) -> tuple[Ints, Floats]:
        """The sources of the edges into state ``j`` and their log-scores."""
        lo, hi = self.bounds[j], self.bounds[j + 1]
        return self.src[lo:hi], delta[self.src[lo:hi]] + self.logp[lo:hi]
