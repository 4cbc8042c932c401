"""MatchEngine: fit on the indexed side, update, persist; querying in `querying.py`, retrieval in
`retrieval.py`."""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from .index import SparseIndex
from .lexicon import load as load_lexicon
from .querying import COMMON_MIN_DOCS, COMMON_SHARE, QueryMixin, QueryVector  # noqa: F401 (re-exported)
from .retrieval import RetrievalMixin
from .rules import MetaColumns
from .types import Document, Match  # noqa: F401 (Match re-exported)
from .fitting import fit_matrix, transform_matrix
from .vectorize import BLOCKS, Weights, analyse, block_offsets, vectorize_one

# Calibrated in bench/calibrate_floor.py: see bench/README-matching.md.
DEFAULT_MIN_SCORE = 0.2


class MatchEngine(QueryMixin, RetrievalMixin, BaseEstimator):
    """Lexical, French-aware, explainable matching over sparse tf-idf vectors.

    A scikit-learn estimator (``get_params``, ``set_params``, ``clone``, ``check_is_fitted``).
    Parameters (the defaults are the best measured on the French benchmarks in bench/):
    - ``stem_weight``, ``gram_weight``, ``tag_weight``: weights of the three feature
      blocks (light French stems, character n-grams of words, stems of tags);
    - ``gram_mode``: sub-word features, "char" (character n-grams of ``gram_sizes``
      within word boundaries: the best measured on French) or "affix" (prefixes of
      ``gram_sizes`` letters and the 4-letter ending, e.g. ``gram_sizes=(4, 6)``: about
      3x fewer postings, faster and smaller at national scale, ~0.01 nDCG lower);
    - ``max_df``: features found in more than this share of the fitted documents are
      dropped (like scikit-learn's ``max_df``): shorter postings, faster queries;
    - ``merge_every``: appended rows kept in a small side segment before merging;
    - ``compact_ratio``: share of removed rows that triggers a compaction;
    - ``champion_size``: length of each feature's champion list (its postings of
      highest weight); a query scores the main segment from these lists only, then
      re-ranks exactly. None or 0: exhaustive scoring. Features with shorter
      postings (all of them on small corpora) are scored exactly;
    - ``rerank_size``: eligible candidates (by partial score) re-scored exactly; the
      returned scores are always exact cosines;
    - ``query_budget``: champion postings a query scores at most: its features are taken by
      their largest possible contribution until their lists hold this many (rare features
      first; the common character n-grams that add a little to every row last). None or 0:
      every feature. Smaller is faster and less exact;
    - these three default to "auto": 2,000 / 100 / 30,000 up to 100,000 documents, then
      growing with the index (`sizes.auto_sizes`), which keeps overlap@10 with the exhaustive
      top-10 at 0.996 at 100,000 documents and 0.993 at 1,000,000 (bench/README-matching.md);
    - ``min_score``: relevance floor; ``query`` and ``query_many`` return only documents
      scoring at least this (never padded to k). The default is calibrated so that
      unrelated queries return nothing (bench/README-matching.md);
    - ``lexicon``: the dictionary of acronyms and synonyms applied at analysis on both
      sides ("fr-admin": French local public administration, shipped with the library;
      None: no expansion);
    - ``n_jobs``: threads for ``query_many``, and processes analysing the documents of a
      large ``fit`` or ``transform`` (results do not depend on it).

    Learned attributes: ``vocabs_``, ``idfs_``, ``offsets_``, ``index_``, ``meta_``,
    ``ids_``, ``tags_``, ``row_of_``, ``n_dead_``, ``n_fitted_``.
    """

    def __init__(
        self,
        stem_weight: float = 1.0,
        gram_weight: float = 1.0,
        tag_weight: float = 0.5,
        gram_mode: str = "char",
        gram_sizes: tuple[int, ...] = (4,),
        max_df: float = 1.0,
        merge_every: int = 1024,
        compact_ratio: float = 0.25,
        champion_size: int | str | None = "auto",
        rerank_size: int | str = "auto",
        query_budget: int | str | None = "auto",
        min_score: float = DEFAULT_MIN_SCORE,
        lexicon: str | None = "fr-admin",
        n_jobs: int = 2,
    ):
        self.stem_weight = stem_weight
        self.gram_weight = gram_weight
        self.tag_weight = tag_weight
        self.gram_mode = gram_mode
        self.gram_sizes = gram_sizes
        self.max_df = max_df
        self.merge_every = merge_every
        self.compact_ratio = compact_ratio
        self.champion_size = champion_size
        self.rerank_size = rerank_size
        self.query_budget = query_budget
        self.min_score = min_score
        self.lexicon = lexicon
        self.n_jobs = n_jobs

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "index_")

    def _weights(self) -> Weights:
        return Weights(self.stem_weight, self.gram_weight, self.tag_weight, (self.gram_mode, tuple(self.gram_sizes)))

    def _check_fitted(self) -> None:
        check_is_fitted(self, msg="this MatchEngine is not fitted yet: call fit(documents) first")

    # -- fitting and vectors -----------------------------------------------------------
    def fit(self, documents: Iterable[Document]) -> "MatchEngine":
        """Learn the vocabulary and idf from ``documents`` and index them. Returns self."""
        docs = [self._check_doc(d) for d in documents]
        ids = [d.id for d in docs]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise ValueError(f"duplicate document id {dup!r} in fit")
        lex = self._lexicon()
        # chunked analysis (on processes for large corpora), CSR built in place: fitting.py
        self.vocabs_, self.idfs_, matrix = fit_matrix(docs, lex, self._weights(), self.max_df, self.n_jobs)
        self.offsets_ = block_offsets(self.vocabs_)
        self._set_rows(matrix, docs)
        self.n_fitted_ = len(docs)
        self.lexicon_version_ = lex.version if lex is not None else None
        return self

    def _lexicon(self):
        """The lexicon object named by the ``lexicon`` parameter (loaded once per process)."""
        return load_lexicon(self.lexicon)

    def _set_rows(self, matrix: sp.csr_matrix, docs: Sequence[Document]) -> None:
        self.index_ = SparseIndex(matrix, self.merge_every, self.champion_size)
        self.meta_ = MetaColumns()
        self.meta_.append(d.meta for d in docs)
        self.ids_ = [d.id for d in docs]
        self.tags_ = [d.tags for d in docs]
        self.row_of_ = {i: r for r, i in enumerate(self.ids_)}
        self.n_dead_ = 0

    @staticmethod
    def _check_doc(doc) -> Document:
        if not isinstance(doc, Document):
            raise TypeError(f"expected a matching.Document, got {type(doc).__name__}")
        return doc

    def transform(self, documents: Sequence[Document]) -> sp.csr_matrix:
        """L2-normalised vectors of documents in the fitted feature space (CSR, one row each)."""
        self._check_fitted()
        docs = [self._check_doc(d) for d in documents]
        return transform_matrix(docs, self._lexicon(), self.vocabs_, self.idfs_, self._weights(), self.n_jobs)

    def _vector_one(self, doc: Document, query: bool = False) -> sp.csr_matrix:
        """One document's vector; a query's counts its unseen words in its norm (see
        `vectorize.vectorize_one`), an indexed document's does not."""
        weights = self._weights()
        unseen_idf = None
        if query:
            # smoothed idf of a feature that no fitted document has
            unseen_idf = float(np.log(1.0 + getattr(self, "n_fitted_", len(self.ids_))) + 1.0)
        cols, vals = vectorize_one(analyse(doc.text, doc.tags, self._lexicon()), self.vocabs_, self.idfs_, weights,
                                   self.offsets_, self._word_cache(), unseen_idf)
        return sp.csr_matrix((vals, cols, np.array([0, len(cols)])), shape=(1, self.index_.n_features))

    def _word_cache(self) -> dict:
        """Memoised word -> feature ids lookups, tied to the current vocabularies."""
        cache = self.__dict__.get("_word_cache_")
        if cache is None or cache[0] is not self.vocabs_:
            cache = self.__dict__["_word_cache_"] = (self.vocabs_, {})
        return cache[1]

    # -- incremental updates ---------------------------------------------------------------
    def add(self, document: Document) -> "MatchEngine":
        """Index one more document without refitting (its unseen words are ignored until a refit)."""
        self._check_fitted()
        doc = self._check_doc(document)
        if doc.id in self.row_of_:
            raise ValueError(f"document id {doc.id!r} is already indexed; remove it first")
        self.index_.append(self._vector_one(doc))
        self.meta_.append([doc.meta])
        self.row_of_[doc.id] = len(self.ids_)
        self.ids_.append(doc.id)
        self.tags_.append(doc.tags)
        return self

    def remove(self, id) -> "MatchEngine":
        """Stop returning the document ``id`` (KeyError if it is not indexed)."""
        self._check_fitted()
        try:
            row = self.row_of_.pop(id)
        except KeyError:
            raise KeyError(f"document id {id!r} is not indexed") from None
        self.meta_.arrays["alive"][row] = False
        self.n_dead_ += 1
        if self.n_dead_ > self.compact_ratio * len(self.ids_):
            self.compact()
        return self

    def compact(self) -> "MatchEngine":
        """Drop removed rows now (keeps the order of the remaining ones)."""
        self._check_fitted()
        keep = np.flatnonzero(self.meta_["alive"])
        self.index_.take(keep)
        self.meta_ = self.meta_.take(keep)
        self.ids_ = [self.ids_[r] for r in keep.tolist()]
        self.tags_ = [self.tags_[r] for r in keep.tolist()]
        self.row_of_ = {i: r for r, i in enumerate(self.ids_)}
        self.n_dead_ = 0
        return self

    def __len__(self) -> int:
        return len(self.row_of_) if hasattr(self, "row_of_") else 0

    def __contains__(self, id) -> bool:
        return hasattr(self, "row_of_") and id in self.row_of_

    def nbytes(self) -> int:
        """Approximate memory of the index: sparse arrays plus meta columns."""
        self._check_fitted()
        meta = sum(a.nbytes for a in self.meta_.arrays.values())
        return self.index_.nbytes() + meta

    # -- persistence -----------------------------------------------------------------------
    def save(self, path) -> None:
        """Write the fitted engine to ``path`` (a versioned .npz, no pickle)."""
        from .persist import save

        self._check_fitted()
        save(self, path)

    @classmethod
    def load(cls, path) -> "MatchEngine":
        """Read an engine written by ``save``."""
        from .persist import load

        return load(cls, path)


__all__ = ["DEFAULT_MIN_SCORE", "MatchEngine", "NotFittedError", "BLOCKS"]
