"""Turn documents into L2-normalised sparse vectors over a frozen feature space.

Three blocks of features, each tf-idf weighted (sublinear tf, smoothed idf) and
L2-normalised before being weighted and concatenated:

- ``stem``: light French stems of the words of the text and of the tags;
- ``gram``: sub-word features of each accent-free word (prefixes and ending, or
  character n-grams within word boundaries), which match spelling variants and
  forms the stemmer misses;
- ``tag``: stems of the tag words, so that shared tags weigh more than free text.

The vocabulary and idf are learned by `fit_space` and then frozen: a document's
vector depends only on its own text and on that frozen state, never on the other
documents added later. Features unseen at fit time are ignored until a refit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .text import normalize_word, stem, tokens, word_grams

BLOCKS = ("stem", "gram", "tag")
DTYPE = np.float32


@dataclass(frozen=True)
class Weights:
    """Block weights and n-gram sizes: the engine's tunable parameters."""

    stem: float
    gram: float
    tag: float
    gram_spec: tuple  # (mode, sizes), see text.word_grams


def word_features(word: str, gram_spec: tuple) -> tuple[str, list[str]]:
    """The stem and the character n-grams that one folded token contributes."""
    return stem(word), word_grams(normalize_word(word), gram_spec)


def tag_key(tag: str) -> str:
    """Comparable form of a tag: its word stems ("Marchés publics" == "marché public")."""
    return " ".join(stem(t) for t in tokens(tag))


def analyse(text: str, tags) -> tuple[list[str], list[str]]:
    """Folded content words of a document: (words of text and tags, words of tags)."""
    tag_words = [w for t in tags for w in tokens(t)]
    return tokens(text) + tag_words, tag_words


def _word_counts(word_lists, word_index: dict[str, int]):
    """CSR parts (data, indices, indptr) of a docs x words count matrix, growing ``word_index``."""
    indptr = np.zeros(len(word_lists) + 1, dtype=np.int64)
    cols = []
    setdefault = word_index.setdefault
    for r, words in enumerate(word_lists):
        for w in words:
            cols.append(setdefault(w, len(word_index)))
        indptr[r + 1] = len(cols)
    return np.ones(len(cols), dtype=DTYPE), np.asarray(cols, dtype=np.int64), indptr


def _word_to_features(words, gram_spec, vocabs, grow: bool):
    """Sparse maps words -> stems and words -> n-grams (rows follow ``words``)."""
    maps = {}
    for block in ("stem", "gram"):
        vocab = vocabs[block]
        rows, cols = [], []
        for i, w in enumerate(words):
            s, grams = word_features(w, gram_spec)
            for f in (s,) if block == "stem" else grams:
                j = vocab.get(f)
                if j is None and grow:
                    j = vocab[f] = len(vocab)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        maps[block] = (rows, cols)
    out = {}
    for block, (rows, cols) in maps.items():
        out[block] = sp.csr_matrix(
            (np.ones(len(rows), dtype=DTYPE), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(len(words), len(vocabs[block])),
        )
    return out


def count_blocks(analysed, vocabs, gram_spec, grow: bool = False) -> dict[str, sp.csr_matrix]:
    """Per-block count matrices of analysed documents.

    Each distinct word is analysed once per batch, then counts are sparse products
    (docs x words) @ (words x features): fast even with character n-grams.
    With ``grow`` the vocabularies are extended (fitting); otherwise unknown
    features are dropped.
    """
    word_index: dict[str, int] = {}
    text_counts = _word_counts([a[0] for a in analysed], word_index)
    tag_counts = _word_counts([a[1] for a in analysed], word_index)
    words = list(word_index)
    shape = (len(analysed), len(words))
    text_counts = sp.csr_matrix(text_counts, shape=shape)
    tag_counts = sp.csr_matrix(tag_counts, shape=shape)
    maps = _word_to_features(words, gram_spec, vocabs, grow)
    out = {
        "stem": text_counts @ maps["stem"],
        "gram": text_counts @ maps["gram"],
        "tag": tag_counts @ maps["stem"],
    }
    return {b: sp.csr_matrix(m, dtype=DTYPE) for b, m in out.items()}


def idf_from_counts(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed idf, as scikit-learn's TfidfVectorizer: ln((1+n)/(1+df)) + 1."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(DTYPE)


def _l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(DTYPE)) @ m, dtype=DTYPE)


def weight_block(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf (1 + ln tf) times idf, rows L2-normalised."""
    m = counts.copy()
    np.log(m.data, out=m.data)
    m.data += 1.0
    m = m @ sp.diags(idf)
    return _l2_rows(sp.csr_matrix(m, dtype=DTYPE))


def fit_space(analysed, gram_spec):
    """Learn the stem and n-gram vocabularies and the per-block idf from analysed documents.

    Returns ``(vocabs, idfs, counts)``; ``counts`` are the fitted documents' count
    matrices, reused by the caller so that fitting analyses only once. The tag
    block shares the stem vocabulary. Feature ids follow first appearance, which
    is deterministic for a given document order.
    """
    vocabs = {"stem": {}, "gram": {}}
    counts = count_blocks(analysed, vocabs, gram_spec, grow=True)
    vocabs["tag"] = vocabs["stem"]
    idfs = {b: idf_from_counts(counts[b]) for b in BLOCKS}
    return vocabs, idfs, counts


def combine(blocks: dict[str, sp.csr_matrix], weights: Weights) -> sp.csr_matrix:
    """Weighted concatenation of the normalised blocks, rows L2-normalised again."""
    parts = [blocks[b] * DTYPE(getattr(weights, b)) for b in BLOCKS]
    return _l2_rows(sp.hstack(parts, format="csr", dtype=DTYPE))


def vectorize(analysed, vocabs, idfs, weights: Weights, counts=None) -> sp.csr_matrix:
    """Vectors of analysed documents in the frozen feature space (CSR, float32)."""
    if counts is None:
        counts = count_blocks(analysed, vocabs, weights.gram_spec)
    blocks = {b: weight_block(counts[b], idfs[b]) for b in BLOCKS}
    out = combine(blocks, weights)
    out.sort_indices()
    return out


def block_offsets(vocabs) -> dict[str, int]:
    """Column offset of each block in the concatenated feature space."""
    offsets, start = {}, 0
    for block in BLOCKS:
        offsets[block] = start
        start += len(vocabs[block])
    return offsets
