"""The querying half of `MatchEngine`: query, query_many, excluded, and the matches' reasons.

Kept apart from `engine.py` (fitting, updates, persistence) and from `retrieval.py` (which rows
answer a query vector): this part turns documents into query vectors, runs the search, and
wraps the rows as matches whose reasons are worked out when first read.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple, Sequence

import numpy as np

from .deferred import DeferredMatch, DeferredReasons
from .explain import QueryWords, common_stems, reasons_many
from .index import row_arrays
from .rules import Rules, failures, rules_per_query
from .types import Document, Exclusion, Match
from .query_columns import QueryColumns
from .vectorize import analyse

# A stem in more than this share of the fitted documents is not quoted in reasons
# (only judged on indexes of at least COMMON_MIN_DOCS documents).
COMMON_SHARE = 0.3
COMMON_MIN_DOCS = 20


class QueryVector(NamedTuple):
    """A query's vector: sorted feature ids and their weights (what `_search` reads)."""

    indices: np.ndarray
    data: np.ndarray


def _as_float(x) -> float | None:
    return None if x is None or x == "" else float(x)


class QueryMixin:
    """Query methods of `MatchEngine` (they read its fitted attributes and call `_search`)."""

    def query(self, document: Document, k: int = 10, where=None) -> list[Match]:
        """The ``k`` best eligible indexed documents for ``document``, best first."""
        return self.query_many([document], k=k, where=where)[0]

    def query_many(self, documents: Sequence[Document], k: int = 10, where=None) -> list[list[Match]]:
        """``query`` for many documents, on ``n_jobs`` threads; same results as ``query``.

        ``where`` is None, one rule set for all (a dict or ``Rules``), or a sequence
        with one rule set (or None) per document.
        """
        self._check_fitted()
        docs, rules = self._checked_batch(documents, k, where)
        if len(docs) < 64 or self.n_jobs == 1:
            return self._query_in_steps(docs, k, rules)
        # Each query runs the same exact search as `query`; numpy and scipy release the
        # GIL in their kernels, so threads overlap on several cores.
        with ThreadPoolExecutor(max_workers=self.n_jobs) as pool:
            return list(pool.map(self._query_one, docs, [k] * len(docs), rules, chunksize=64))

    def _checked_batch(self, documents, k, where) -> tuple[list[Document], list[Rules | None]]:
        """The documents and one rule set per document, after the checks of ``query_many``."""
        docs = [self._check_doc(d) for d in documents]
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
            raise ValueError(f"k must be a non-negative int, got {k!r}")
        return docs, rules_per_query(where, len(docs))

    def _query_in_steps(self, docs: list[Document], k: int, rules: list[Rules | None]) -> list[list[Match]]:
        """``_query_one`` for every document, one step at a time over the whole batch: all the
        query vectors, then all the searches, then the matches. The same answers; each step's
        code and data (word caches, the kernel's arrays, champion lists) stay in the caches
        from one query to the next: ~10 % less CPU than query by query (A/B alternated in one
        process, 10 x 900 queries at 100,000 documents, reasons read, load 7-11)."""
        vectors = [self._query_vector(d) for d in docs]
        found = [self._search(q, r, k) for q, r in zip(vectors, rules)]
        return [self._matches(d, q, rows, scores, r) if len(rows) else []
                for d, q, (rows, scores), r in zip(docs, vectors, found, rules)]

    def _query_one(self, doc: Document, k: int, rules: Rules | None) -> list[Match]:
        q = self._query_vector(doc)
        rows, scores = self._search(q, rules, k)
        if len(rows) == 0:
            return []
        return self._matches(doc, q, rows, scores, rules)

    def _query_vector(self, doc: Document) -> QueryVector:
        """A query's vector as (sorted feature ids, weights), without a sparse matrix around it
        (`query_columns.QueryColumns.vector`: the vector of `vectorize.vectorize_one`, faster)."""
        unseen_idf = float(np.log(1.0 + getattr(self, "n_fitted_", len(self.ids_))) + 1.0)
        cols, vals = self._query_columns().vector(analyse(doc.text, doc.tags, self._lexicon()), self._weights(),
                                                  unseen_idf)
        return QueryVector(cols, vals)

    def _query_columns(self) -> QueryColumns:
        """The fitted vocabulary's word -> columns lookups for queries (made again after a refit)."""
        cached = self.__dict__.get("_query_columns_")
        if cached is None or cached.vocabs is not self.vocabs_ or cached.idfs is not self.idfs_:
            cached = QueryColumns(self.vocabs_, self.idfs_, self.offsets_, self._weights().gram_spec,
                                  self._word_cache())
            self.__dict__["_query_columns_"] = cached
        return cached

    def excluded(self, document: Document, k: int = 10, where=None) -> list[Exclusion]:
        """The documents that would be among the ``k`` best for ``document`` (scoring at least
        ``min_score``) if it were not for the hard rules of ``where``, best first, each with
        the rules it fails and the values involved (distance 80 km for 50 km accepted, 1 day
        for 30 asked, modality). Pure data: the caller words it for people.
        """
        self._check_fitted()
        doc = self._check_doc(document)
        rules = Rules.coerce(where)
        if rules is None or k == 0:
            return []
        rows, scores = self._search(self._query_vector(doc), None, k)
        return [
            Exclusion(self.ids_[r], float(min(max(s, 0.0), 1.0)), f)
            for r, s, f in zip(rows.tolist(), scores.tolist(), failures(self.meta_, rows, rules))
            if f
        ]

    def _matches(self, doc, q_row, rows, scores, rules) -> list[Match]:
        """Matches of the found rows; their reasons are worked out when first read (only the
        results a caller keeps cost an explanation: see `matching.deferred`)."""
        origin = self._origin(doc, rules)
        lat, lon = self.meta_["lat"], self.meta_["lon"]
        rows = rows.tolist()
        # What the reasons need, captured now: later updates of the index do not change them
        # (a merge or a compaction builds new matrices, never writes into these ones), so the
        # rows' arrays are sliced only if the reasons are read.
        matrices = self.index_.row_matrices(rows)
        tags, lats, lons = [self.tags_[r] for r in rows], lat[rows].tolist(), lon[rows].tolist()
        vocabs, offsets, spec, cache = self.vocabs_, self.offsets_, self._weights().gram_spec, self._word_cache()
        lexicon, common, columns = self._lexicon(), self._common_stems(), self._query_columns()

        def explain():
            x_rows = [row_arrays(matrices, r) for r in rows]
            words = QueryWords(doc.text, doc.tags, vocabs, offsets, spec, cache, lexicon, common, doc.meta, columns)
            return reasons_many(words, q_row, x_rows, doc.tags, tags, origin, lats, lons)

        deferred = DeferredReasons(explain)
        return [
            DeferredMatch(self.ids_[r], float(min(max(s, 0.0), 1.0)), deferred=deferred, position=i)
            for i, (r, s) in enumerate(zip(rows, scores.tolist()))
        ]

    def _common_stems(self) -> frozenset:
        """Stems of more than ``COMMON_SHARE`` of the fitted documents (cached per fit)."""
        cached = self.__dict__.get("_common_stems_")
        if cached is None or cached[0] is not self.idfs_:
            n = getattr(self, "n_fitted_", len(self.ids_))
            common = common_stems(self.vocabs_["stem"], self.idfs_["stem"], n, COMMON_SHARE, COMMON_MIN_DOCS)
            cached = self.__dict__["_common_stems_"] = (self.idfs_, common)
        return cached[1]

    @staticmethod
    def _origin(doc: Document, rules: Rules | None):
        if rules is not None and rules.lat is not None:
            return rules.lat, rules.lon
        lat, lon = _as_float(doc.meta.get("lat")), _as_float(doc.meta.get("lon"))
        return None if lat is None or lon is None else (lat, lon)
