"""A query's vector in the fitted feature space, with a few numpy calls in all.

`vectorize.vectorize_one` (kept: indexed documents and the reference) works block by block:
a lookup per word, then per block an array, a ``np.unique``, the tf-idf, a norm, and at the end a
concatenation and an argsort: some forty numpy calls of a few microseconds each, 0.15 ms of a
query at 100,000 documents (about 15 % of it). Here each word's columns are cached already
shifted into the concatenated space (stem, n-grams, tag), so one ``np.unique`` over the whole
query gives its sorted columns and counts, and the three blocks are contiguous slices of them.
Same arithmetic on the same float32 values in the same order: the same vector, bit for bit
(tests/matching/test_query_columns.py).
"""

from __future__ import annotations

from operator import itemgetter

import numpy as np

from .vectorize import BLOCKS, DTYPE, WORD_CACHE_SIZE, Weights, word_columns

_NO_COLS = np.zeros(0, dtype=np.int64)
# the fields of `QueryColumns.word`'s tuples, read in C by map()
_TEXT, _STEM_UNSEEN, _GRAMS_UNSEEN, _TAG = (itemgetter(i) for i in range(4))


class QueryColumns:
    """Word -> columns in the concatenated space, and the concatenated idf, for one fitted
    vocabulary (the engine makes a new one when it is refitted)."""

    def __init__(self, vocabs, idfs, offsets, gram_spec, word_cache: dict):
        self.vocabs, self.idfs, self.offsets, self.gram_spec = vocabs, idfs, offsets, gram_spec
        self.word_cache = word_cache
        self.idf = np.concatenate([idfs[b] for b in BLOCKS]).astype(DTYPE)
        # where the n-gram and the tag blocks start: ``np.searchsorted`` splits a query there
        self.bounds = np.array([offsets["gram"], offsets["tag"]], dtype=np.int64)
        self.words: dict[str, tuple] = {}
        self.id_sets: dict[tuple[str, bool], frozenset] = {}

    def word(self, word: str) -> tuple[np.ndarray, int, int, int]:
        """(text columns: stem then n-grams, 1 if the stem is unknown, unknown n-grams, tag
        column or -1) of one folded word."""
        hit = self.words.get(word)
        if hit is None:
            sid, grams, missing = word_columns(word, self.vocabs, self.gram_spec, self.word_cache)
            grams = grams + self.offsets["gram"]
            text = np.concatenate([np.array([sid + self.offsets["stem"]]), grams]) if sid >= 0 else grams
            tag = sid + self.offsets["tag"] if sid >= 0 else -1
            hit = (text.astype(np.int64), int(sid < 0), missing, tag)
            if len(self.words) >= WORD_CACHE_SIZE:
                self.words.clear()
            self.words[word] = hit
        return hit

    def feature_ids(self, word: str, is_tag: bool) -> frozenset:
        """The columns one folded query word produces, its tag column too when it is a tag word:
        `explain.word_feature_ids`, kept between queries."""
        key = (word, is_tag)
        hit = self.id_sets.get(key)
        if hit is None:
            text, _, _, tag = self.word(word)
            hit = frozenset(text.tolist() + [tag] if is_tag and tag >= 0 else text.tolist())
            if len(self.id_sets) >= WORD_CACHE_SIZE:
                self.id_sets.clear()
            self.id_sets[key] = hit
        return hit

    def vector(self, analysed_doc, weights: Weights, unseen_idf: float | None) -> tuple[np.ndarray, np.ndarray]:
        """(sorted column ids, values): what `vectorize.vectorize_one` returns for the same
        arguments (see it for ``unseen_idf``)."""
        words, tag_words = analysed_doc
        get, word = self.words.get, self.word  # cache hits without a Python call
        entries = [get(w) or word(w) for w in words]
        tag_cols = [c for c in (get(w) or word(w) for w in tag_words) if c[3] >= 0]
        tag_cols = list(map(_TAG, tag_cols))
        unseen = (sum(map(_STEM_UNSEEN, entries)), sum(map(_GRAMS_UNSEEN, entries)), len(tag_words) - len(tag_cols))
        parts = list(map(_TEXT, entries))
        if tag_cols:
            parts.append(np.array(tag_cols, dtype=np.int64))
        ids = np.concatenate(parts) if parts else _NO_COLS
        cols, tf = np.unique(ids, return_counts=True)
        tf = tf.astype(DTYPE)
        v = (np.log(tf) + DTYPE(1.0)) * self.idf[cols]
        lo, hi = np.searchsorted(cols, self.bounds).tolist()
        full_norm2 = 0.0  # squared norm of the concatenation, unseen features included
        for block, (a, b), n_unseen in zip(BLOCKS, ((0, lo), (lo, hi), (hi, len(cols))), unseen):
            weight = getattr(weights, block)
            extra = n_unseen * unseen_idf**2 if unseen_idf else 0.0
            if a == b:
                if extra:
                    full_norm2 += float(weight) ** 2
                continue
            seg = v[a:b]  # a view: the block is scaled in place
            block_norm = np.sqrt(np.dot(seg, seg) + extra)
            if block_norm == 0:
                seg[:] = 0  # dropped below, as `vectorize_one` leaves the block out
                continue
            seg *= DTYPE(weight) / DTYPE(block_norm)
            if weight:
                full_norm2 += float(weight) ** 2
        keep = v != 0
        if not keep.all():
            cols, v = cols[keep], v[keep]
        if not len(cols):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=DTYPE)
        norm = np.sqrt(full_norm2) if unseen_idf else np.sqrt(np.dot(v, v))
        if norm > 0:
            v = v / DTYPE(norm)
        return cols.astype(np.int32), v.astype(DTYPE, copy=False)
