"""Sparse storage of the indexed vectors and the scoring kernels over it.

Rows live in a *main* segment (CSR for row access, CSC as an inverted index so
that one query touches only the postings of its own features) and a small *delta*
segment of recent appends, merged into main when it grows. Removed rows stay as
tombstones (the caller's ``alive`` mask) until a compaction.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

DTYPE = np.float32


def top_k(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (rows, scores), best first; ties broken by the smaller row."""
    if k < len(scores):
        # argpartition on -score then a stable lexsort keeps the tie rule exact.
        part = np.argpartition(-scores, k - 1)
        kth = scores[part[k - 1]]
        keep = np.flatnonzero(scores >= kth)
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))[:k]
    return rows[order], scores[order]


class SparseIndex:
    """Row-appendable sparse matrix with fast single and bulk dot products."""

    def __init__(self, matrix: sp.csr_matrix, merge_every: int):
        self.merge_every = merge_every
        self._set_main(sp.csr_matrix(matrix, dtype=DTYPE))
        self._pending: list[sp.csr_matrix] = []
        self._delta: sp.csr_matrix | None = None

    def _set_main(self, main: sp.csr_matrix) -> None:
        main.sort_indices()
        self.main = main
        self.main_csc = main.tocsc()
        self.main_csc.sort_indices()

    @property
    def n_features(self) -> int:
        return self.main.shape[1]

    @property
    def n_rows(self) -> int:
        return self.main.shape[0] + sum(r.shape[0] for r in self._pending)

    def delta(self) -> sp.csr_matrix:
        """The not-yet-merged rows as one CSR matrix."""
        if self._delta is None:
            if self._pending:
                self._delta = sp.csr_matrix(sp.vstack(self._pending, format="csr"), dtype=DTYPE)
            else:
                self._delta = sp.csr_matrix((0, self.n_features), dtype=DTYPE)
        return self._delta

    def append(self, rows: sp.csr_matrix) -> None:
        """Append rows; merge the delta into main once it holds ``merge_every`` rows."""
        rows = sp.csr_matrix(rows, dtype=DTYPE)
        self._pending.append(rows)
        self._delta = None
        if sum(r.shape[0] for r in self._pending) >= self.merge_every:
            self.merge()

    def merge(self) -> None:
        """Fold the delta rows into the main segment."""
        if self._pending:
            self._set_main(sp.csr_matrix(sp.vstack([self.main, self.delta()], format="csr"), dtype=DTYPE))
            self._pending, self._delta = [], None

    def matrix(self) -> sp.csr_matrix:
        """All rows (main then delta) as one CSR matrix."""
        self.merge()
        return self.main

    def take(self, rows: np.ndarray) -> None:
        """Keep only ``rows`` (compaction after removals)."""
        self._set_main(self.matrix()[rows])

    def row_arrays(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        """(column ids, values) of one stored row, without a sparse slice."""
        n_main = self.main.shape[0]
        m = self.main if r < n_main else self.delta()
        if r >= n_main:
            r -= n_main
        lo, hi = m.indptr[r], m.indptr[r + 1]
        return m.indices[lo:hi], m.data[lo:hi]

    def scores(self, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of every row with a positive dot product with the query (``cols``, ``weights``)."""
        n_main = self.main.shape[0]
        # Gathering the query's columns of the CSC matrix touches only their postings.
        scores = np.asarray(self.main_csc[:, cols] @ weights, dtype=DTYPE)
        rows = np.flatnonzero(scores > 0).astype(np.int64)
        out_scores = scores[rows]
        if self._pending:
            d = np.asarray(self.delta()[:, cols] @ weights, dtype=DTYPE)
            d_rows = np.flatnonzero(d > 0)
            rows = np.concatenate([rows, d_rows + n_main])
            out_scores = np.concatenate([out_scores, d[d_rows]])
        return rows, out_scores

    def nbytes(self) -> int:
        """Bytes held by the sparse arrays (both layouts and the delta)."""
        total = 0
        for m in (self.main, self.main_csc, self.delta()):
            total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total
