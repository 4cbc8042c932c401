"""Fit and transform at scale: the CSR matrix built directly from the documents' token arrays
(`corpus.tokenize`: chunks, on processes for large corpora), weighted in place.

Same vocabularies, idf and vectors as the reference path in `vectorize` (`fit_space` then
`vectorize`, kept for small batches and as the reference of tests/matching/test_fit.py), at a
fraction of its time and memory: at 100,000 documents the reference kept every analysed word
as a Python string (~45 per document), built a COO copy per block, one more for the weighted
blocks and one for their concatenation. Here a chunk's words become int32 ids as soon as it is
analysed; the count matrix of all three blocks comes out of one sparse product
``tokens (docs x 2 words) @ features (2 words x features)``, and the tf-idf weighting and both
normalisations run in place on its data array with scikit-learn's own row kernel, so the
floats are bit for bit those of the reference.

With numba (the default), the counts are made chunk by chunk while the next chunks are still
being analysed (`counting`): the product and its two conversions took 2.9 s of CPU at 300,000
documents, after the analysis (~19 s at 2,000,000). The product path stays for ``MATCHING_KERNELS=numpy``.

Feature ids follow first appearance, exactly as in `vectorize.count_blocks`: words are numbered
in the order they first appear in the documents (chunks merged in order), stems are numbered
over the words in that order, then n-grams.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from .corpus import Tokens, analysed_chunks, tokenize
from .index import compiled_passes
from .text import normalize_word, word_grams
from .vectorize import BLOCKS, DTYPE, Weights

# Rows weighted per step: bounds the per-entry temporaries (~20 bytes an entry).
WEIGHT_ROWS = 16_384


def feature_map(words: list[str], stems: list[str], vocabs: dict, gram_spec, grow: bool) -> tuple[sp.csr_matrix, int, int]:
    """(map, n_stems, n_grams): the sparse map (2 words) x (stems + grams + stems) of each word
    as a text word (rows < len(words)) and as a tag word (rows after). With ``grow`` the
    vocabularies are extended in word order (stems first, then n-grams); otherwise unknown
    features are dropped. ``stems[i]`` is the stem of ``words[i]`` (`corpus.Tokens`)."""
    stem_vocab, gram_vocab = vocabs["stem"], vocabs["gram"]
    stem_ids = np.full(len(words), -1, dtype=np.int64)
    for i, s in enumerate(stems):
        j = stem_vocab.get(s)
        if j is None and grow:
            j = stem_vocab[s] = len(stem_vocab)
        if j is not None:
            stem_ids[i] = j
    gram_cols, gram_lens = [], np.zeros(len(words), dtype=np.int64)
    for i, w in enumerate(words):
        for g in word_grams(normalize_word(w), gram_spec):
            j = gram_vocab.get(g)
            if j is None and grow:
                j = gram_vocab[g] = len(gram_vocab)
            if j is not None:
                gram_cols.append(j)
                gram_lens[i] += 1
    n_stem, n_gram = len(stem_vocab), len(gram_vocab)
    has_stem = (stem_ids >= 0).astype(np.int64)
    # text rows: [stem, grams...]; tag rows: [stem in the tag block]
    lens = np.concatenate([has_stem + gram_lens, has_stem])
    indptr = np.zeros(len(lens) + 1, dtype=np.int64)
    np.cumsum(lens, out=indptr[1:])
    indices = np.empty(indptr[-1], dtype=np.int64)
    text_starts = indptr[: len(words)]
    indices[text_starts[has_stem == 1]] = stem_ids[has_stem == 1]
    gram_pos = np.repeat(text_starts + has_stem, gram_lens) + _ranks(gram_lens)
    indices[gram_pos] = np.asarray(gram_cols, dtype=np.int64) + n_stem
    tag_starts = indptr[len(words) : -1]
    indices[tag_starts[has_stem == 1]] = stem_ids[has_stem == 1] + n_stem + n_gram
    shape = (2 * len(words), 2 * n_stem + n_gram)
    return sp.csr_matrix((np.ones(len(indices), dtype=DTYPE), indices, indptr), shape=shape), n_stem, n_gram


def _ranks(lens: np.ndarray) -> np.ndarray:
    """0, 1, ..., len-1 for each length, concatenated."""
    total = int(lens.sum())
    starts = np.repeat(np.cumsum(lens) - lens, lens)
    return np.arange(total, dtype=np.int64) - starts


def count_matrix(tokens: Tokens, fmap: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """Counts of every feature of the three blocks per document (CSR, sorted indices), and
    each feature's document frequency."""
    n_words = len(tokens.words)
    n_docs = len(tokens.n_text)
    per_doc = tokens.n_text.astype(np.int64) + tokens.n_tag
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(per_doc, out=indptr[1:])
    # tag words use the second half of the map's rows
    is_tag = np.repeat(np.tile(np.array([0, 1], dtype=np.int8), n_docs),
                       np.column_stack([tokens.n_text, tokens.n_tag]).ravel())
    cols = tokens.ids.astype(np.int64)
    cols += is_tag * np.int64(n_words)
    del is_tag
    doc_words = sp.csr_matrix((np.ones(len(cols), dtype=DTYPE), cols, indptr), shape=(n_docs, 2 * n_words))
    del cols
    counts = doc_words @ fmap
    del doc_words
    # The product's columns come unsorted. Through CSC and back is two linear passes (a
    # counting sort) where sort_indices sorts every row: ~4x faster, and the CSC's column
    # lengths are the document frequencies.
    by_feature = counts.tocsc()
    del counts
    df = np.diff(by_feature.indptr)
    counts = by_feature.tocsr()
    del by_feature
    counts.sort_indices()  # a check only: already sorted
    return sp.csr_matrix(counts, dtype=DTYPE), df


def smoothed_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """ln((1 + n) / (1 + df)) + 1 in float32, computed as scikit-learn's TfidfTransformer does."""
    df = df.astype(DTYPE)
    df += 1.0
    idf = np.full_like(df, fill_value=n_docs + 1, dtype=DTYPE)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def drop_common(counts: sp.csr_matrix, df: np.ndarray, vocabs: dict, n_stem: int, n_gram: int, max_df: float):
    """Drop the stems and n-grams found in more than ``max_df`` of the documents (ids stay dense)."""
    n_docs = counts.shape[0]
    keep_stem = np.flatnonzero(df[:n_stem] <= max_df * n_docs)
    keep_gram = np.flatnonzero(df[n_stem : n_stem + n_gram] <= max_df * n_docs)
    if len(keep_stem) == n_stem and len(keep_gram) == n_gram:
        return counts, df, n_stem, n_gram
    for block, keep in (("stem", keep_stem), ("gram", keep_gram)):
        names = list(vocabs[block])
        vocabs[block] = {names[j]: i for i, j in enumerate(keep.tolist())}
    cols = np.concatenate([keep_stem, keep_gram + n_stem, keep_stem + n_stem + n_gram])
    counts = sp.csr_matrix(counts[:, cols], dtype=DTYPE)
    counts.sort_indices()
    return counts, df[cols], len(keep_stem), len(keep_gram)


def weight_in_place(counts: sp.csr_matrix, idfs: dict, weights: Weights) -> sp.csr_matrix:
    """Turn a count matrix into the engine's vectors, in place: per block sublinear tf x idf,
    L2-normalised, times the block weight; then rows L2-normalised again; zeros dropped."""
    n_stem, n_gram = len(idfs["stem"]), len(idfs["gram"])
    idf = np.concatenate([idfs[b] for b in BLOCKS]).astype(DTYPE)
    block_weight = np.array([getattr(weights, b) for b in BLOCKS], dtype=DTYPE)
    data, indices, indptr = counts.data, counts.indices, counts.indptr
    n_docs = counts.shape[0]
    # Rows of (document, block): their boundaries let scikit-learn's row kernel normalise each
    # block of each document in place, with the reference's exact arithmetic.
    segments = np.zeros(3 * n_docs + 1, dtype=np.int64)
    for a in range(0, n_docs, WEIGHT_ROWS):
        b = min(a + WEIGHT_ROWS, n_docs)
        lo, hi = indptr[a], indptr[b]
        cols = indices[lo:hi]
        block = (cols >= n_stem).astype(np.int64) + (cols >= n_stem + n_gram)
        rows = np.repeat(np.arange(b - a, dtype=np.int64), np.diff(indptr[a : b + 1]))
        segments[3 * a + 1 : 3 * b + 1] = np.bincount(rows * 3 + block, minlength=3 * (b - a))
        chunk = data[lo:hi]
        np.log(chunk, out=chunk)
        chunk += 1.0
        chunk *= idf[cols]
    np.cumsum(segments, out=segments)
    by_block = sp.csr_matrix((data, indices, segments), shape=(3 * n_docs, counts.shape[1]), copy=False)
    inplace_csr_row_normalize_l2(by_block)
    del by_block
    if not np.all(block_weight == 1.0):
        for a in range(0, n_docs, WEIGHT_ROWS):
            b = min(a + WEIGHT_ROWS, n_docs)
            lo, hi = indptr[a], indptr[b]
            cols = indices[lo:hi]
            block = (cols >= n_stem).astype(np.int64) + (cols >= n_stem + n_gram)
            data[lo:hi] *= block_weight[block]
    inplace_csr_row_normalize_l2(counts)
    counts.eliminate_zeros()
    return counts


def _counts(docs, lexicon, vocabs: dict, gram_spec, grow: bool, n_jobs: int):
    """(counts, df, n_stem, n_gram) of ``docs`` in ``vocabs`` (grown with ``grow``): counted
    chunk by chunk during the analysis (`counting`), or after it without numba."""
    if compiled_passes():
        from .counting import ChunkCounts

        counter = ChunkCounts(vocabs, gram_spec, grow)
        for chunk in analysed_chunks(docs, lexicon, n_jobs):
            counter.add(chunk)
        return counter.assemble()
    tokens = tokenize(docs, lexicon, n_jobs)
    fmap, n_stem, n_gram = feature_map(tokens.words, tokens.stems, vocabs, gram_spec, grow)
    counts, df = count_matrix(tokens, fmap)
    return counts, df, n_stem, n_gram


def fit_matrix(docs, lexicon, weights: Weights, max_df: float = 1.0, n_jobs: int = 1):
    """(vocabs, idfs, matrix) of ``docs``: what `vectorize.fit_space` then `vectorize.vectorize`
    give, faster and leaner."""
    vocabs = {"stem": {}, "gram": {}}
    counts, df, n_stem, n_gram = _counts(docs, lexicon, vocabs, weights.gram_spec, True, n_jobs)
    if max_df < 1.0:
        counts, df, n_stem, n_gram = drop_common(counts, df, vocabs, n_stem, n_gram, max_df)
    vocabs["tag"] = vocabs["stem"]
    n_docs = counts.shape[0]
    if n_docs == 0:  # the reference's formula for an empty fit: 1 + ln 1
        idfs = {b: np.ones(len(vocabs[b]), dtype=DTYPE) for b in BLOCKS}
    else:
        idfs = {
            "stem": smoothed_idf(df[:n_stem], n_docs),
            "gram": smoothed_idf(df[n_stem : n_stem + n_gram], n_docs),
            "tag": smoothed_idf(df[n_stem + n_gram :], n_docs),
        }
    del df
    return vocabs, idfs, weight_in_place(counts, idfs, weights)


def transform_matrix(docs, lexicon, vocabs, idfs, weights: Weights, n_jobs: int = 1) -> sp.csr_matrix:
    """Vectors of ``docs`` in a frozen feature space (what `vectorize.vectorize` gives)."""
    frozen = {"stem": vocabs["stem"], "gram": vocabs["gram"]}
    counts = _counts(docs, lexicon, frozen, weights.gram_spec, False, n_jobs)[0]
    return weight_in_place(counts, idfs, weights)
