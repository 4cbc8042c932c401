"""Retrieval: which indexed rows answer a query vector, with exact scores, rules applied first.

Kept apart from `engine.py` (the public estimator, explanations, updates, persistence): this is
the hot path, and what a faster kernel would replace.
"""

from __future__ import annotations

import numpy as np

from .index import top_k
from .sizes import resolve
from .rules import eligible, kernel_rules

_KERNELS: list = []


def compiled_kernels():
    """The numba kernels (`matching.kernels`), or None when numba is not installed or
    ``MATCHING_KERNELS=numpy`` (then the numpy fast path runs: same results, slower).
    Imported on the first query, not when the library is."""
    if not _KERNELS:
        import os

        kernels = None
        if os.environ.get("MATCHING_KERNELS", "numba") != "numpy":
            try:
                from . import kernels
            except ImportError:
                kernels = None
        _KERNELS.append(kernels)
    return _KERNELS[0]


class RetrievalMixin:
    """Search methods of `MatchEngine`; they read ``index_``, ``meta_``, ``champion_size``,
    ``rerank_size``, ``query_budget`` and ``min_score``. A query vector ``q`` is anything with
    ``indices`` (sorted feature ids) and ``data`` (their weights): a CSR row or a `QueryVector`."""

    def _sizes(self) -> tuple[int | None, int]:
        """(query_budget, rerank_size) as numbers for the current index ("auto": `sizes.auto_sizes`)."""
        n = self.index_.n_main
        return resolve(getattr(self, "query_budget", None), n, 1), resolve(self.rerank_size, n, 2)

    def _floor(self) -> float:
        """Lowest score returned: ``min_score``, and never a document without shared features."""
        return max(float(self.min_score or 0.0), 1e-6)

    def _search(self, q, rules, k):
        """Top k eligible rows for the query vector ``q`` scoring at least the floor, exact scores.

        Never padded. The fast path: partial scores from the champion lists of the query's
        most telling features, up to ``query_budget`` postings (`SparseIndex.budget_features`);
        the rules over every row so scored (cheap rules first, trigonometry last); the
        ``rerank_size`` best eligible of them re-scored exactly, with every eligible pending
        row; the top k above the floor. When every feature of the query was scored from its
        full postings, the partial scores are exact and so is the answer (the same as
        `_search_exact`). Otherwise it is an approximation whose agreement with the
        exhaustive answer (overlap@10) bench/matching_speed.py measures and the nightly task
        samples; `_search_reference` is the path it replaced, kept to compare.
        """
        idx = self.index_
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if not self.champion_size:
            return self._search_exact(q, rules, k)
        budget, rerank = self._sizes()
        kernels = compiled_kernels()
        n = max(rerank, k)
        if kernels is not None and not idx.has_pending:
            # one compiled call: features, scores, rules, re-scoring, the floor and the top k
            return kernels.search_main(idx, q.indices, q.data, budget, n, kernel_rules(self.meta_, rules),
                                       self._floor(), k)
        if kernels is None:
            cols, weights, exact = idx.budget_features(q.indices, q.data, budget)
            rows, scores = idx.partial_scores(cols, weights)
            ok = eligible(self.meta_, rows, rules)
            rows, scores = rows[ok], scores[ok]
            if not exact:
                if len(rows) > n:  # ties to the smaller row, as in the kernel
                    rows = top_k(rows, scores, n)[0]
                scores = idx.exact_scores(rows, q.indices, q.data)
        else:
            rows, scores = kernels.search_main(idx, q.indices, q.data, budget, n, kernel_rules(self.meta_, rules))
        d_rows, d_scores = idx.delta_scores(q.indices, q.data)
        if len(d_rows):
            ok = eligible(self.meta_, d_rows, rules)
            rows, scores = np.concatenate([rows, d_rows[ok]]), np.concatenate([scores, d_scores[ok]])
        above = scores >= self._floor()
        return top_k(rows[above], scores[above], k)

    def _search_reference(self, q, rules, k):
        """The champion path before the fast one (kept as the reference the tests and the
        benchmark compare with): top k eligible rows for ``q`` at least at the floor.

        Never padded: fewer than k rows (or none) come back when fewer qualify.
        Champion path: partial scores of the main rows from the champion lists of the
        query's features; the ``rerank_size`` best eligible candidates are re-scored
        exactly, with every pending (not yet merged) row; the top k of those above the
        floor is returned. When none of the query's lists was cut, the partial scores
        are exact and this is the exhaustive search. When fewer than k qualify and the
        postings left out of the lists could still lift a row to the floor, it falls
        back to the exhaustive search.
        """
        idx = self.index_
        floor = self._floor()
        if k == 0 or not self.champion_size:
            return self._search_exact(q, rules, k)
        rows, partial, exact, bound = idx.champion_scores(q.indices, q.data)
        if exact:
            d_rows, d_scores = idx.delta_scores(q.indices, q.data)
            rows, scores = np.concatenate([rows, d_rows]), np.concatenate([partial, d_scores])
            return self._eligible_top(rows, scores, rules, k)
        rows, _ = self._eligible_best(rows, partial, rules, max(self._sizes()[1], k))
        scores = idx.exact_scores(rows, q.indices, q.data)
        d_rows, d_scores = idx.delta_scores(q.indices, q.data)
        ok = eligible(self.meta_, d_rows, rules)
        rows, scores = np.concatenate([rows, d_rows[ok]]), np.concatenate([scores, d_scores[ok]])
        above = scores >= floor
        rows, scores = rows[above], scores[above]
        if len(rows) < k and bound >= floor:
            return self._search_exact(q, rules, k)
        return top_k(rows, scores, k)

    def _eligible_best(self, rows, scores, rules, n):
        """The ``n`` best eligible (rows, scores), checking rules on a growing best-first prefix."""
        m = max(64 * n, 1024)  # the benchmark's rules keep 2-6% of the rows: one pass most of the time
        while m < len(rows):
            part = np.argpartition(-scores, m)[:m]
            ok = eligible(self.meta_, rows[part], rules)
            if ok.sum() >= n:
                return top_k(rows[part][ok], scores[part][ok], n)
            m *= 8
        ok = eligible(self.meta_, rows, rules)
        return top_k(rows[ok], scores[ok], n)

    def _search_exact(self, q, rules, k):
        """Exact top k eligible rows for the query vector ``q`` (exhaustive over the postings).

        Scores come from the query's postings only (CSC columns); rules are checked on
        a best-first prefix of the scored rows (see `_eligible_top`).
        """
        rows, scores = self.index_.scores(q.indices, q.data)
        return self._eligible_top(rows, scores, rules, k)

    def _eligible_top(self, rows, scores, rules, k):
        """Top k of the eligible rows scoring at least the floor, checking rules on a growing
        best-first prefix.

        Exactly "filter, then rank": a prefix is accepted only when its k-th eligible
        score is strictly above every score left outside it.
        """
        above = scores >= self._floor()
        rows, scores = rows[above], scores[above]
        if k == 0:
            return rows[:0], scores[:0]
        m = max(8 * k, 256)
        while m < len(rows):
            order = np.argpartition(-scores, m)
            part, outside_max = order[:m], scores[order[m]]
            ok = eligible(self.meta_, rows[part], rules)
            if ok.sum() >= k:
                r, s = top_k(rows[part][ok], scores[part][ok], k)
                if s[-1] > outside_max:
                    return r, s
            m *= 8
        ok = eligible(self.meta_, rows, rules)
        return top_k(rows[ok], scores[ok], k)
