"""Feature counts of each analysed chunk as it arrives (numba), so that counting overlaps the
analysis of the next chunks instead of running after all of it.

Per chunk the parent extends the feature map with the chunk's new words (stems, then n-grams,
in word order: the ids `fitting.feature_map` gives) and counts each document's features with a
compiled loop: per document and block, the features sorted and run-length counted. Blocks keep
their own ids until the end, when the n-gram and tag ids are shifted past the stems (their
numbers are known only then); the rows are then sorted already. Imported on first use: numba
takes a while to load.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numba import njit

from .text import normalize_word, word_grams
from .vectorize import DTYPE


class _Growing:
    """An int32 array appended to in place, its capacity doubled as needed."""

    def __init__(self, first=()):
        self.buf = np.empty(1024, dtype=np.int32)
        self.size = 0
        self.extend(np.asarray(first, dtype=np.int32))

    def extend(self, values: np.ndarray) -> None:
        end = self.size + len(values)
        if end > len(self.buf):
            grown = np.empty(max(2 * len(self.buf), end), dtype=np.int32)
            grown[: self.size] = self.buf[: self.size]
            self.buf = grown
        self.buf[self.size : end] = values
        self.size = end

    def view(self) -> np.ndarray:
        return self.buf[: self.size]


class FeatureTable:
    """Per word id: its stem id (-1: none) and its n-gram ids, in the vocabularies ``vocabs``
    (grown in word order with ``grow``, else unknown features dropped)."""

    def __init__(self, vocabs: dict, gram_spec, grow: bool):
        self.vocabs, self.gram_spec, self.grow = vocabs, gram_spec, grow
        self.stem_of = _Growing()
        self.gram_ptr = _Growing([0])
        self.gram_ids = _Growing()

    def add_words(self, words: list[str], stems: list[str]) -> None:
        """The next words (ids follow on), with their stems."""
        stem_vocab, gram_vocab, grow = self.vocabs["stem"], self.vocabs["gram"], self.grow
        stem_ids = []
        for s in stems:
            j = stem_vocab.get(s)
            if j is None and grow:
                j = stem_vocab[s] = len(stem_vocab)
            stem_ids.append(-1 if j is None else j)
        gram_ids, ends = [], []
        for w in words:
            for g in word_grams(normalize_word(w), self.gram_spec):
                j = gram_vocab.get(g)
                if j is None and grow:
                    j = gram_vocab[g] = len(gram_vocab)
                if j is not None:
                    gram_ids.append(j)
            ends.append(len(gram_ids))
        self.stem_of.extend(np.asarray(stem_ids, dtype=np.int32))
        self.gram_ptr.extend(np.asarray(ends, dtype=np.int32) + self.gram_ptr.view()[-1])
        self.gram_ids.extend(np.asarray(gram_ids, dtype=np.int32))


@njit(cache=True, nogil=True)
def _run_lengths(keys, cols, counts, at, df):
    """Sorted ``keys`` written as (distinct key, its count) from position ``at``, each distinct
    key counted once more in ``df``; the new end."""
    keys.sort()
    n = len(keys)
    i = 0
    while i < n:
        j = i + 1
        while j < n and keys[j] == keys[i]:
            j += 1
        cols[at] = keys[i]
        counts[at] = j - i
        df[keys[i]] += 1
        at += 1
        i = j
    return at


@njit(cache=True, nogil=True)
def _stems_of(ids, lo, hi, stem_of, keys):
    """The stem ids of words ``ids[lo:hi]`` that have one, into ``keys``; how many."""
    m = 0
    for k in range(lo, hi):
        s = stem_of[ids[k]]
        if s >= 0:
            keys[m] = s
            m += 1
    return m


@njit(cache=True, nogil=True)
def count_chunk(ids, n_text, n_tag, stem_of, gram_ptr, gram_ids, stem_df, gram_df, tag_df):
    """(feature ids, counts, lengths) of a chunk's documents: per document the stems of its text
    words, their n-grams, then the stems of its tag words, each block sorted by id with its
    count; ``lengths[3 * doc + block]`` entries each. Adds the chunk's document frequencies to
    the blocks' ``*_df``."""
    n_docs = len(n_text)
    bound = 0
    widest = 0
    pos = 0
    for d in range(n_docs):
        size = n_text[d] + n_tag[d]
        for k in range(pos, pos + n_text[d]):
            w = ids[k]
            size += gram_ptr[w + 1] - gram_ptr[w]
        bound += size
        widest = max(widest, size)
        pos += n_text[d] + n_tag[d]
    cols = np.empty(bound, dtype=np.int32)
    counts = np.empty(bound, dtype=np.float32)
    lengths = np.zeros(3 * n_docs, dtype=np.int64)
    keys = np.empty(widest, dtype=np.int32)
    at = 0
    pos = 0
    for d in range(n_docs):
        text_end = pos + n_text[d]
        m = _stems_of(ids, pos, text_end, stem_of, keys)
        lengths[3 * d] = _run_lengths(keys[:m], cols, counts, at, stem_df) - at
        at += lengths[3 * d]
        m = 0
        for k in range(pos, text_end):
            w = ids[k]
            for g in range(gram_ptr[w], gram_ptr[w + 1]):
                keys[m] = gram_ids[g]
                m += 1
        lengths[3 * d + 1] = _run_lengths(keys[:m], cols, counts, at, gram_df) - at
        at += lengths[3 * d + 1]
        pos = text_end + n_tag[d]
        m = _stems_of(ids, text_end, pos, stem_of, keys)
        lengths[3 * d + 2] = _run_lengths(keys[:m], cols, counts, at, tag_df) - at
        at += lengths[3 * d + 2]
    return cols[:at].copy(), counts[:at].copy(), lengths


@njit(cache=True, nogil=True)
def _place(cols, lengths, gram_offset, tag_offset, out, at):
    """A chunk's block ids written into ``out`` from ``at`` as matrix columns: n-grams after
    the stems, tags after the n-grams."""
    i = 0
    for r in range(len(lengths)):
        block = r % 3
        shift = 0 if block == 0 else (gram_offset if block == 1 else tag_offset)
        for _ in range(lengths[r]):
            out[at + i] = cols[i] + shift
            i += 1


# Entries from which the chunks' counts are joined into one array (see `ChunkCounts.add`).
GROUP_ENTRIES = 8 << 20


class ChunkCounts:
    """The count matrix of the three blocks, built chunk by chunk (`add`) then `assemble`d."""

    def __init__(self, vocabs: dict, gram_spec, grow: bool):
        self.features = FeatureTable(vocabs, gram_spec, grow)
        # per chunk: feature ids, counts, entries per (document, block)
        self.cols: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []
        self._grouped = 0  # the first entries of the lists above hold groups of chunks
        self._loose = 0  # entries in the chunks after them
        # per block: document frequency of each feature id (longer than the vocabulary)
        self.df = {"stem": np.zeros(0, dtype=np.int64), "gram": np.zeros(0, dtype=np.int64),
                   "tag": np.zeros(0, dtype=np.int64)}

    def add(self, chunk) -> None:
        """Count a `corpus.Chunk` (chunks in document order)."""
        f = self.features
        f.add_words(chunk.new_words, chunk.new_stems)
        for block, vocab in (("stem", "stem"), ("gram", "gram"), ("tag", "stem")):
            self._grow_df(block, len(f.vocabs[vocab]))
        cols, counts, lengths = count_chunk(chunk.ids, chunk.n_text, chunk.n_tag, f.stem_of.view(),
                                            f.gram_ptr.view(), f.gram_ids.view(), self.df["stem"],
                                            self.df["gram"], self.df["tag"])
        self.cols.append(cols)
        self.counts.append(counts)
        self.lengths.append(lengths)
        self._loose += len(cols)
        if self._loose >= GROUP_ENTRIES:
            # A chunk's arrays (~2 MB) come from the heap, and freed they stay in the process
            # (+1.3 GB at the end of a 2,000,000-document fit); a group's are larger than
            # malloc's largest mmap threshold (32 MB), mapped apart, and go back when freed.
            for parts in (self.cols, self.counts, self.lengths):
                parts[self._grouped :] = [np.concatenate(parts[self._grouped :])]
            self._grouped += 1
            self._loose = 0

    def _grow_df(self, block: str, size: int) -> None:
        df = self.df[block]
        if size > len(df):
            grown = np.zeros(max(size, 2 * len(df)), dtype=np.int64)
            grown[: len(df)] = df
            self.df[block] = grown

    def assemble(self) -> tuple[sp.csr_matrix, np.ndarray, int, int]:
        """(counts CSR with sorted indices, document frequency of each column, n_stems, n_grams)."""
        n_stem, n_gram = len(self.features.vocabs["stem"]), len(self.features.vocabs["gram"])
        for block, size in (("stem", n_stem), ("gram", n_gram), ("tag", n_stem)):
            self._grow_df(block, size)  # a frozen vocabulary, no chunk
        df = np.concatenate([self.df["stem"][:n_stem], self.df["gram"][:n_gram], self.df["tag"][:n_stem]])
        per_row = (np.concatenate(self.lengths) if self.lengths else np.zeros(0, dtype=np.int64)).reshape(-1, 3).sum(axis=1)
        indptr = np.zeros(len(per_row) + 1, dtype=np.int64)
        np.cumsum(per_row, out=indptr[1:])
        # Written chunk by chunk, each chunk's arrays freed once copied: the output's pages are
        # touched only as they are written, so memory holds about one copy of the counts.
        indices = np.empty(indptr[-1], dtype=np.int32)
        data = np.empty(indptr[-1], dtype=DTYPE)
        at = 0
        self.cols.reverse(), self.counts.reverse(), self.lengths.reverse()
        while self.cols:
            cols, counts, lengths = self.cols.pop(), self.counts.pop(), self.lengths.pop()
            _place(cols, lengths, n_stem, n_stem + n_gram, indices, at)
            data[at : at + len(counts)] = counts
            at += len(counts)
        counts = sp.csr_matrix((data, indices, indptr), shape=(len(per_row), len(df)), copy=False)
        counts.has_sorted_indices = True
        return counts, df, n_stem, n_gram
