"""Sparse storage of the indexed vectors and the scoring kernels over it.

Rows live in a *main* segment (CSR for row access, CSC as an inverted index so
that one query touches only the postings of its own features) and a small *delta*
segment of recent appends, merged into main when it grows. Removed rows stay as
tombstones (the caller's ``alive`` mask) until a compaction.

Champion lists (impact-ordered postings, cut at ``champion_size``): for each feature
the main segment also keeps the ``champion_size`` postings of highest weight. A query
accumulates partial scores from those lists only, so its cost no longer grows with
the length of the common features' postings; the engine then re-ranks the best
candidates with exact dot products (`exact_scores`). They are rebuilt from the main
segment whenever it changes (fit, merge, compaction, load): a deterministic function
of the stored rows.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .sizes import resolve

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


def champion_lists(csc: sp.csc_matrix, size: int | None) -> sp.csc_matrix | None:
    """For each column, its ``size`` postings of highest weight (ties: the smaller rows).

    A CSC matrix of the same shape holding a subset of ``csc``'s entries (rows sorted
    within each column); None when no column is longer than ``size`` (or ``size`` is
    None/0): then the full postings are the champion lists.
    """
    if not size:
        return None
    lens = np.diff(csc.indptr)
    long = np.flatnonzero(lens > size)
    if long.size == 0:
        return None
    if compiled_passes():
        from .champions import champion_arrays

        out = sp.csc_matrix(champion_arrays(csc.indptr, csc.indices, csc.data, size)[::-1], shape=csc.shape)
        out.has_sorted_indices = True
        return out
    keep = np.ones(csc.nnz, dtype=bool)
    data = csc.data
    for j in long.tolist():
        lo, hi = csc.indptr[j], csc.indptr[j + 1]
        col = data[lo:hi]
        # rows are sorted within a column, so a stable sort on -weight breaks ties
        # by the smaller row: the cut is a deterministic function of the stored rows
        kth = -np.partition(-col, size - 1)[size - 1]
        above = col > kth
        n_above = int(above.sum())
        ties = np.flatnonzero(col == kth)[: size - n_above]
        keep[lo:hi] = above
        keep[lo + ties] = True
    indptr = np.zeros(len(lens) + 1, dtype=np.int64)
    np.cumsum(np.minimum(lens, size), out=indptr[1:])
    out = sp.csc_matrix((data[keep], csc.indices[keep], indptr), shape=csc.shape)
    out.has_sorted_indices = True
    return out


def compiled_passes() -> bool:
    """Whether the fit's bulk passes run in numba (`champions`, `counting`): as for the query
    kernels, unless numba is missing or ``MATCHING_KERNELS`` is "numpy" (same results)."""
    import importlib.util
    import os

    return os.environ.get("MATCHING_KERNELS", "numba") != "numpy" and importlib.util.find_spec("numba") is not None


def row_arrays(matrices: tuple[sp.csr_matrix, sp.csr_matrix | None], r: int) -> tuple[np.ndarray, np.ndarray]:
    """(column ids, values) of stored row ``r`` in `SparseIndex.row_matrices`, without a sparse slice."""
    main, delta = matrices
    m, i = (main, r) if r < main.shape[0] else (delta, r - main.shape[0])
    lo, hi = m.indptr[i], m.indptr[i + 1]
    return m.indices[lo:hi], m.data[lo:hi]


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Positions ``starts[i] .. starts[i] + lens[i] - 1`` for every i, concatenated."""
    total = int(lens.sum())
    ends = np.cumsum(lens)
    return np.repeat(starts - ends + lens, lens) + np.arange(total)


class SparseIndex:
    """Row-appendable sparse matrix with fast single and bulk dot products."""

    def __init__(self, matrix: sp.csr_matrix, merge_every: int, champion_size: int | str | None = None):
        self.merge_every = merge_every
        self.champion_size = champion_size
        self._set_main(sp.csr_matrix(matrix, dtype=DTYPE))
        self._pending: list[sp.csr_matrix] = []
        self._delta: sp.csr_matrix | None = None

    def _set_main(self, main: sp.csr_matrix) -> None:
        main.sort_indices()
        self.main = main
        self.main_csc = main.tocsc()
        self.main_csc.sort_indices()
        self.champions = champion_lists(self.main_csc, resolve(self.champion_size, main.shape[0], 0))
        full = np.diff(self.main_csc.indptr)
        ch = self.champions if self.champions is not None else self.main_csc
        self._champ_len = np.diff(ch.indptr)
        # per feature: its largest weight (the most one posting of it can add to a score, per
        # unit of query weight), what orders a query's features under a postings budget
        self._col_max = np.zeros(len(full), dtype=DTYPE)
        filled = np.flatnonzero(full > 0)
        if filled.size:
            self._col_max[filled] = np.maximum.reduceat(self.main_csc.data, self.main_csc.indptr[filled])
        # per feature: True when its champion list is shorter than its postings
        self._cut = (np.diff(self.champions.indptr) if self.champions is not None else full) < full
        # per cut feature: the smallest weight kept, an upper bound of every weight left out
        self._cut_max = np.zeros(len(full), dtype=DTYPE)
        if self._cut.any():
            ch = self.champions
            filled = np.flatnonzero(np.diff(ch.indptr) > 0)
            # reduceat over the starts of the non-empty columns: each range is one column
            mins = np.minimum.reduceat(ch.data, ch.indptr[filled])
            self._cut_max[filled] = mins
            self._cut_max[~self._cut] = 0

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

    def row_matrices(self, rows: list[int]) -> tuple[sp.csr_matrix, sp.csr_matrix | None]:
        """(main, delta or None) holding ``rows``, for `row_arrays` to read later: both are
        replaced, never written into, when rows are appended, merged or compacted."""
        n_main = self.main.shape[0]
        return self.main, (self.delta() if any(r >= n_main for r in rows) else None)

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

    @property
    def has_pending(self) -> bool:
        """Whether rows were appended since the last merge (they are scored apart, exactly)."""
        return bool(self._pending)

    @property
    def n_main(self) -> int:
        return self.main.shape[0]

    def champion_scores(self, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
        """Partial scores of main rows from the champion lists of the query's features.

        Returns (rows, partial scores, exact, bound): ``exact`` is True when none of the
        query's lists was cut, so the partial scores are the exact dot products; ``bound``
        is the most that the postings left out of the lists can add to any row's score.
        """
        ch = self.champions if self.champions is not None else self.main_csc
        scores = np.asarray(ch[:, cols] @ weights, dtype=DTYPE)
        rows = np.flatnonzero(scores > 0).astype(np.int64)
        exact = self.champions is None or not self._cut[cols].any()
        bound = 0.0 if exact else float(np.dot(self._cut_max[cols], weights))
        return rows, scores[rows], exact, bound

    def budget_features(self, cols: np.ndarray, weights: np.ndarray, budget: int | None):
        """The query's features whose champion lists a query scores under a postings ``budget``.

        The features are taken by decreasing largest possible contribution (query weight
        times the feature's largest weight) until their lists hold ``budget`` postings (None
        or 0: all of them): rare features come first and their lists are short; the common
        character n-grams that add a little to every row come last.

        Returns (cols, weights, exact): ``exact`` is True when every feature of the query was
        kept and none of their lists was cut (then partial scores are exact dot products).
        """
        lens = self._champ_len[cols]
        scored_all = True
        if budget and int(lens.sum()) > budget:
            order = np.argsort(-(weights * self._col_max[cols]), kind="stable")
            n = max(1, int(np.searchsorted(np.cumsum(lens[order]), budget, side="right")))
            scored_all = n == len(order)
            chosen = np.sort(order[:n])
            exact = False
            return cols[chosen], weights[chosen], exact
        exact = scored_all and (self.champions is None or not self._cut[cols].any())
        return cols, weights, exact

    def feature_bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per feature: the length of its champion list, its largest weight, and whether its list
        was cut (what `budget_features` reads; the compiled kernel chooses features the same way)."""
        return self._champ_len, self._col_max, self._cut

    def champion_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, row ids, weights) of the champion lists (the full postings when none is cut)."""
        ch = self.champions if self.champions is not None else self.main_csc
        return ch.indptr, ch.indices, ch.data

    def partial_scores(self, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the main rows with a positive score from the champion lists of
        ``cols`` only: one ``bincount`` over their postings (no sparse slicing)."""
        indptr, indices, data = self.champion_arrays()
        lens = indptr[cols + 1] - indptr[cols]
        pos = _ranges(indptr[cols], lens)
        acc = np.bincount(indices[pos], weights=data[pos] * np.repeat(weights, lens), minlength=self.n_main)
        rows = np.flatnonzero(acc)
        return rows, acc[rows].astype(DTYPE)

    def exact_scores(self, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Exact dot products of main ``rows`` with the query (``cols``, ``weights``)."""
        if len(rows) == 0:
            return np.zeros(0, dtype=DTYPE)
        q = np.zeros(self.n_features, dtype=DTYPE)
        q[cols] = weights
        # gather the rows' entries directly: a CSR row slice costs more than the products
        ip = self.main.indptr
        lens = ip[rows + 1] - ip[rows]
        pos = _ranges(ip[rows], lens)
        products = self.main.data[pos] * q[self.main.indices[pos]]
        sums = np.bincount(np.repeat(np.arange(len(rows)), lens), weights=products, minlength=len(rows))
        return sums.astype(DTYPE)

    def delta_scores(self, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, exact scores) of the pending rows with a positive dot product (all of them scored)."""
        if not self._pending:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=DTYPE)
        d = np.asarray(self.delta()[:, cols] @ weights, dtype=DTYPE)
        d_rows = np.flatnonzero(d > 0)
        return d_rows + self.n_main, d[d_rows]

    def nbytes(self) -> int:
        """Bytes held by the sparse arrays (both layouts, the champion lists and the delta)."""
        total = 0
        mats = [self.main, self.main_csc, self.delta()]
        if self.champions is not None:
            mats.append(self.champions)
        for m in mats:
            total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total
