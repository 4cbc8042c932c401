"""Retrieval: which indexed rows answer a query vector, with exact scores, rules applied first.

Kept apart from `engine.py` (the public estimator, explanations, updates, persistence): this is
the hot path, and what a faster kernel would replace.
"""

from __future__ import annotations

import numpy as np

from .index import top_k
from .rules import eligible


class RetrievalMixin:
    """Search methods of `MatchEngine`; they read ``index_``, ``meta_``, ``champion_size`` and
    ``rerank_size``."""

    def _search(self, q, rules, k):
        """Top k eligible rows for the query vector ``q``, with exact scores.

        Champion path: partial scores of the main rows from the champion lists of the
        query's features; the ``rerank_size`` best eligible candidates are re-scored
        exactly, with every pending (not yet merged) row; the top k of those is
        returned. When none of the query's lists was cut, the partial scores are
        exact and this is the exhaustive search. When fewer than k eligible
        candidates are found, it falls back to the exhaustive search, so k results
        come back whenever k eligible documents exist.
        """
        idx = self.index_
        if k == 0 or not self.champion_size:
            return self._search_exact(q, rules, k)
        rows, partial, exact = idx.champion_scores(q.indices, q.data)
        if exact:
            d_rows, d_scores = idx.delta_scores(q.indices, q.data)
            rows, scores = np.concatenate([rows, d_rows]), np.concatenate([partial, d_scores])
            return self._eligible_top(rows, scores, rules, k)
        rows, _ = self._eligible_best(rows, partial, rules, max(self.rerank_size, k))
        scores = idx.exact_scores(rows, q.indices, q.data)
        d_rows, d_scores = idx.delta_scores(q.indices, q.data)
        ok = eligible(self.meta_, d_rows, rules)
        rows, scores = np.concatenate([rows, d_rows[ok]]), np.concatenate([scores, d_scores[ok]])
        if len(rows) < k:
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
        """Top k of the eligible rows, checking rules on a growing best-first prefix.

        Exactly "filter, then rank": a prefix is accepted only when its k-th eligible
        score is strictly above every score left outside it.
        """
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
        rows, scores = rows[ok], scores[ok]
        if len(rows) < k:
            rows, scores = self._fill(rows, scores, rules, k)
        return top_k(rows, scores, k)

    def _fill(self, rows, scores, rules, k):
        # Rules filter before ranking: when fewer than k documents share a feature with
        # the query, eligible documents without any overlap complete the list at score 0.
        n = self.index_.n_rows
        all_rows = np.arange(n)
        ok = eligible(self.meta_, all_rows, rules)
        ok[rows] = False
        extra = np.flatnonzero(ok)[: k - len(rows)]
        return np.concatenate([rows, extra]), np.concatenate([scores, np.zeros(len(extra), dtype=np.float32)])
