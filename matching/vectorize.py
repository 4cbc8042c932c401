"""Turn documents into L2-normalised sparse vectors over a frozen feature space.

Three blocks of features, each tf-idf weighted (sublinear tf, smoothed idf) and
L2-normalised before being weighted and concatenated:

- ``stem``: light French stems of the words of the text and of the tags;
- ``gram``: sub-word features of each accent-free word (prefixes and ending, or
  character n-grams within word boundaries), which match spelling variants and
  forms the stemmer misses;
- ``tag``: stems of the tag words, so that shared tags weigh more than free text.

The vocabulary and idf are learned by `fit_space` (the reference path; `MatchEngine.fit`
uses `fitting.fit_matrix`, which gives the same arrays faster) and then frozen: a document's
vector depends only on its own text and on that frozen state, never on the other
documents added later. Features unseen at fit time are ignored until a refit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

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


@lru_cache(maxsize=100_000)
def tag_key(tag: str) -> str:
    """Comparable form of a tag: its word stems ("Marchés publics" == "marché public")."""
    return " ".join(stem(t) for t in tokens(tag))


def analyse(text: str, tags, lexicon=None) -> tuple[list[str], list[str]]:
    """Folded content words of a document: (words of text and tags, words of tags).

    With a ``lexicon`` (see `matching.lexicon`), the words of the other form of every
    acronym, abbreviation or synonym found in the text or the tags are added to the first
    list (not to the tag block: a tag stays what its author chose).
    """
    words = tokens(text)
    tag_words, tag_extra = _analyse_tags(tuple(tags), lexicon)
    if lexicon is not None:
        return words + tag_words + lexicon.expand(words, text) + tag_extra, list(tag_words)
    return words + tag_words, list(tag_words)


@lru_cache(maxsize=65_536)
def _analyse_tags(tags: tuple, lexicon) -> tuple[list[str], list[str]]:
    # Documents share a small set of tags (domains, skills): analysed once per tag set.
    # The lists are shared between callers: `analyse` copies before anyone may mutate them.
    tag_words = [w for t in tags for w in _tag_tokens(t)]
    extra = lexicon.expand(tag_words, " ; ".join(tags)) if lexicon is not None and tags else []
    return tag_words, extra


@lru_cache(maxsize=65_536)
def _tag_tokens(tag: str) -> tuple[str, ...]:
    return tuple(tokens(tag))


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
    features = [word_features(w, gram_spec) for w in words]
    out = {}
    for block in ("stem", "gram"):
        vocab = vocabs[block]
        rows, cols = [], []
        for i, (s, grams) in enumerate(features):
            for f in (s,) if block == "stem" else grams:
                j = vocab.get(f)
                if j is None and grow:
                    j = vocab[f] = len(vocab)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        out[block] = sp.csr_matrix(
            (np.ones(len(rows), dtype=DTYPE), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(len(words), len(vocab)),
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


def _transformer(idf: np.ndarray | None = None) -> TfidfTransformer:
    """scikit-learn's tf-idf weighting as the engine uses it: sublinear tf (1 + ln tf),
    smoothed idf ln((1+n)/(1+df)) + 1, rows L2-normalised."""
    t = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)
    if idf is not None:
        t.idf_ = idf  # a frozen idf: transform without refitting
    return t


def idf_from_counts(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed idf of each column of a count matrix (scikit-learn's TfidfTransformer)."""
    if counts.shape[0] == 0:  # TfidfTransformer refuses empty input; the formula gives 1 + ln 1
        return np.ones(counts.shape[1], dtype=DTYPE)
    return _transformer().fit(counts).idf_.astype(DTYPE)


def _l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    if m.shape[0] == 0:
        return sp.csr_matrix(m, dtype=DTYPE)
    return sp.csr_matrix(normalize(m, norm="l2", axis=1, copy=False), dtype=DTYPE)


def weight_block(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf (1 + ln tf) times idf, rows L2-normalised (scikit-learn's TfidfTransformer)."""
    if counts.shape[0] == 0:
        return sp.csr_matrix(counts.shape, dtype=DTYPE)
    return sp.csr_matrix(_transformer(idf).transform(sp.csr_matrix(counts, dtype=DTYPE)), dtype=DTYPE)


def _drop_common(vocab: dict[str, int], counts: sp.csr_matrix, max_df: float):
    """Drop features present in more than ``max_df`` of the documents; ids stay dense."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.flatnonzero(df <= max_df * n)
    if len(keep) == counts.shape[1]:
        return vocab, keep
    names = list(vocab)
    return {names[j]: i for i, j in enumerate(keep.tolist())}, keep


def fit_space(analysed, gram_spec, max_df: float = 1.0):
    """Learn the stem and n-gram vocabularies and the per-block idf from analysed documents.

    Features found in more than ``max_df`` of the documents are dropped (they carry
    almost no information and make the longest postings). Returns ``(vocabs, idfs,
    counts)``; ``counts`` are the fitted documents' count matrices, reused by the
    caller so that fitting analyses only once. The tag block shares the stem
    vocabulary. Feature ids follow first appearance: deterministic for a given order.
    """
    vocabs = {"stem": {}, "gram": {}}
    counts = count_blocks(analysed, vocabs, gram_spec, grow=True)
    if max_df < 1.0:
        vocabs["stem"], keep_stem = _drop_common(vocabs["stem"], counts["stem"], max_df)
        vocabs["gram"], keep_gram = _drop_common(vocabs["gram"], counts["gram"], max_df)
        counts = {
            "stem": counts["stem"][:, keep_stem],
            "gram": counts["gram"][:, keep_gram],
            "tag": counts["tag"][:, keep_stem],
        }
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
    out.eliminate_zeros()
    out.sort_indices()
    return out


_NO_GRAMS = np.zeros(0, dtype=np.int64)
WORD_CACHE_SIZE = 500_000


def word_columns(word: str, vocabs, gram_spec: tuple, cache: dict | None = None) -> tuple[int, np.ndarray, int]:
    """(stem id or -1, n-gram ids, number of n-grams unknown to the vocabulary) of one folded
    word in the frozen vocabularies.

    ``cache`` (a dict owned by the caller and tied to ``vocabs``) memoises the lookups:
    queries repeat the same words, so this is most of a query's analysis cost.
    """
    if cache is not None:
        hit = cache.get(word)
        if hit is not None:
            return hit
    s, grams = word_features(word, gram_spec)
    gram_vocab = vocabs["gram"]
    ids = [gram_vocab[g] for g in grams if g in gram_vocab]
    out = (vocabs["stem"].get(s, -1), np.array(ids, dtype=np.int64) if ids else _NO_GRAMS, len(grams) - len(ids))
    if cache is not None:
        if len(cache) >= WORD_CACHE_SIZE:
            cache.clear()
        cache[word] = out
    return out


def vectorize_one(analysed_doc, vocabs, idfs, weights: Weights, offsets, cache: dict | None = None,
                  unseen_idf: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(column ids, values) of one document's vector, without building sparse matrices.

    Same arithmetic as `vectorize` (float32 rounding aside): the fast path for a single
    query or an added document. ``cache``: see `word_columns`.

    ``unseen_idf`` (for queries): features unknown to the vocabulary still count in the
    norms, as features of that idf (the idf of a feature no fitted document has), though
    they cannot match anything. The ranking of one query does not change, but a query made
    mostly of words the index has never seen ("recette de la tarte aux pommes") gets low
    scores instead of the full cosine of its one known word: what makes a fixed relevance
    floor meaningful. Without it, unknown features are ignored (an indexed document's vector
    depends only on the vocabulary, as with a refit).
    """
    words, tag_words = analysed_doc
    spec = weights.gram_spec
    stems, grams, tag_ids = [], [], []
    unseen = {"stem": 0, "gram": 0, "tag": 0}
    for w in words:
        sid, g, missing = word_columns(w, vocabs, spec, cache)
        if sid >= 0:
            stems.append(sid)
        else:
            unseen["stem"] += 1
        if len(g):
            grams.append(g)
        unseen["gram"] += missing
    for w in tag_words:
        sid = word_columns(w, vocabs, spec, cache)[0]
        if sid >= 0:
            tag_ids.append(sid)
        else:
            unseen["tag"] += 1
    per_block = {
        "stem": np.array(stems, dtype=np.int64),
        "gram": np.concatenate(grams) if grams else _NO_GRAMS,
        "tag": np.array(tag_ids, dtype=np.int64),
    }
    cols, vals = [], []
    full_norm2 = 0.0  # squared norm of the concatenation, unseen features included
    for block in BLOCKS:
        extra = unseen[block] * unseen_idf**2 if unseen_idf else 0.0
        if not len(per_block[block]):
            if extra:
                full_norm2 += float(getattr(weights, block)) ** 2
            continue
        ids, tf = np.unique(per_block[block], return_counts=True)
        tf = tf.astype(DTYPE)
        v = (np.log(tf) + DTYPE(1.0)) * idfs[block][ids]
        block_norm = np.sqrt(np.dot(v, v) + extra)
        if block_norm == 0:
            continue
        v *= DTYPE(getattr(weights, block)) / DTYPE(block_norm)
        if getattr(weights, block):
            full_norm2 += float(getattr(weights, block)) ** 2
        cols.append(ids + offsets[block])
        vals.append(v.astype(DTYPE))
    if not cols:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=DTYPE)
    cols_a, vals_a = np.concatenate(cols), np.concatenate(vals)
    keep = vals_a != 0
    cols_a, vals_a = cols_a[keep], vals_a[keep]
    norm = np.sqrt(full_norm2) if unseen_idf else np.sqrt(np.dot(vals_a, vals_a))
    if norm > 0:
        vals_a = vals_a / DTYPE(norm)
    order = np.argsort(cols_a)
    return cols_a[order].astype(np.int32), vals_a[order].astype(DTYPE)


def block_offsets(vocabs) -> dict[str, int]:
    """Column offset of each block in the concatenated feature space."""
    offsets, start = {}, 0
    for block in BLOCKS:
        offsets[block] = start
        start += len(vocabs[block])
    return offsets
