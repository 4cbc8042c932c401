"""Reasons for a match, in words a person reads: query words that weighed most,
shared tags, and the distance when both sides have a place."""

from __future__ import annotations

import math

import numpy as np

from .rules import EARTH_RADIUS_KM
from .text import normalize_word, stem, surface_tokens, is_stop_word
from .types import Reasons
from .vectorize import tag_key, word_features


def word_feature_ids(word: str, vocabs, offsets, gram_spec, is_tag: bool) -> set[int]:
    """Columns of the concatenated feature space that one folded query word produces."""
    s, grams = word_features(word, gram_spec)
    ids = set()
    if s in vocabs["stem"]:
        ids.add(offsets["stem"] + vocabs["stem"][s])
        if is_tag:
            ids.add(offsets["tag"] + vocabs["tag"][s])
    gram_vocab = vocabs["gram"]
    ids.update(offsets["gram"] + gram_vocab[g] for g in grams if g in gram_vocab)
    return ids


class QueryWords:
    """A query's content words and their feature columns, computed once per query.

    ``share`` is a (words x features) matrix: a feature produced by several query
    words splits its contribution between them.
    """

    def __init__(self, text: str, tags, vocabs, offsets, gram_spec):
        tag_words = {w for t in tags for w in surface_tokens(t)}
        words, feature_sets = [], []
        seen = set()
        for w in surface_tokens(text) + [w for t in tags for w in surface_tokens(t)]:
            if is_stop_word(w) or w in seen:
                continue
            seen.add(w)
            words.append(w)
            feature_sets.append(word_feature_ids(w, vocabs, offsets, gram_spec, w in tag_words))
        self.words = words
        self.keys = [stem(w) for w in words]
        self.features = np.array(sorted(set().union(*feature_sets)), dtype=np.int64)
        share = np.zeros((len(words), len(self.features)), dtype=np.float64)
        for i, ids in enumerate(feature_sets):
            if ids:
                share[i, np.searchsorted(self.features, sorted(ids))] = 1.0
        counts = share.sum(axis=0)
        self.share = share / np.where(counts == 0, 1.0, counts)


def top_words(query: QueryWords, q_row, x_row, n: int = 3, min_share: float = 0.1) -> tuple[str, ...]:
    """The ``n`` query words whose features contributed most to q.x, one per stem.

    ``x_row`` is (column ids, values) of the indexed document.
    """
    x_indices, x_data = x_row
    common, qi, xi = np.intersect1d(q_row.indices, x_indices, assume_unique=True, return_indices=True)
    if common.size == 0 or query.features.size == 0:
        return ()
    contrib = np.zeros(len(query.features))
    pos = np.searchsorted(query.features, common)
    found = (pos < len(query.features)) & (query.features[np.minimum(pos, len(query.features) - 1)] == common)
    contrib[pos[found]] = (q_row.data[qi] * x_data[xi])[found]
    word_scores = query.share @ contrib
    best: dict[str, tuple[float, str]] = {}
    for word, key, score in zip(query.words, query.keys, word_scores.tolist()):
        if score > best.get(key, (0.0, ""))[0]:
            best[key] = (score, word)
    ranked = sorted(best.values(), key=lambda t: (-t[0], normalize_word(t[1])))
    if not ranked:
        return ()
    floor = ranked[0][0] * min_share
    return tuple(word for score, word in ranked[:n] if score > 0 and score >= floor)


def shared_tags(query_tags, doc_tags) -> tuple[str, ...]:
    """The indexed document's tags that the query also has (compared by stems)."""
    keys = {tag_key(t) for t in query_tags} - {""}
    return tuple(t for t in doc_tags if tag_key(t) in keys)


def distance_km(origin, lat, lon) -> float | None:
    """Rounded distance in km between the query's place and a document's, or None."""
    if origin is None or lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
        return None
    p1, p2 = math.radians(origin[0]), math.radians(lat)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon - origin[1]) / 2) ** 2
    return round(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a))), 1)


def make_reasons(query: QueryWords, q_row, x_row, query_tags, doc_tags, origin, lat, lon) -> Reasons:
    """All reasons for one (query, indexed document) pair."""
    return Reasons(
        words=top_words(query, q_row, x_row),
        tags=shared_tags(query_tags, doc_tags),
        distance_km=distance_km(origin, lat, lon),
    )
