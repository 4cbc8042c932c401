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
        self._pending.append(sp.csr_matrix(rows, dtype=DTYPE))
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

    def row(self, r: int) -> sp.csr_matrix:
        """One stored row."""
        n_main = self.main.shape[0]
        return self.main[r] if r < n_main else self.delta()[r - n_main]

    def score_one(self, q: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of every row with a positive dot product with the 1-row query ``q``."""
        n_main = self.main.shape[0]
        scores = np.zeros(n_main, dtype=DTYPE)
        csc = self.main_csc
        for j, w in zip(q.indices, q.data):
            lo, hi = csc.indptr[j], csc.indptr[j + 1]
            if hi > lo:
                scores[csc.indices[lo:hi]] += w * csc.data[lo:hi]
        rows = np.flatnonzero(scores > 0)
        out_scores = scores[rows]
        if self._pending:
            d = np.asarray(self.delta() @ q.T.toarray()).ravel().astype(DTYPE)
            d_rows = np.flatnonzero(d > 0)
            rows = np.concatenate([rows, d_rows + n_main])
            out_scores = np.concatenate([out_scores, d[d_rows]])
        return rows, out_scores

    def score_many(self, Q: sp.csr_matrix) -> sp.csr_matrix:
        """Sparse (queries x rows) matrix of positive dot products."""
        out = Q @ self.main_csc.T
        if self._pending:
            out = sp.hstack([out, Q @ self.delta().T], format="csr")
        out = sp.csr_matrix(out, dtype=DTYPE)
        out.eliminate_zeros()
        return out

    def nbytes(self) -> int:
        """Bytes held by the sparse arrays (both layouts and the delta)."""
        total = 0
        for m in (self.main, self.main_csc, self.delta()):
            total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total
