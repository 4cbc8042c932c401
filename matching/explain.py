"""Reasons for a match, in words a person reads: query words that weighed most,
shared tags, and the distance when both sides have a place."""

from __future__ import annotations

import math

import numpy as np

from .rules import EARTH_RADIUS_KM
from .text import normalize_word, stem, surface_tokens, is_stop_word
from .types import Reasons
from .vectorize import tag_key, word_columns


def word_feature_ids(word: str, vocabs, offsets, gram_spec, is_tag: bool, cache: dict | None = None) -> set[int]:
    """Columns of the concatenated feature space that one folded query word produces."""
    sid, grams = word_columns(word, vocabs, gram_spec, cache)
    ids = set()
    if sid >= 0:
        ids.add(offsets["stem"] + sid)
        if is_tag:
            ids.add(offsets["tag"] + sid)
    ids.update((grams + offsets["gram"]).tolist())
    return ids


class QueryWords:
    """A query's content words and their feature columns, computed once per query.

    ``share`` is a (words x features) matrix: a feature produced by several query
    words splits its contribution between them.
    """

    def __init__(self, text: str, tags, vocabs, offsets, gram_spec, cache: dict | None = None):
        tag_words = {w for t in tags for w in surface_tokens(t)}
        words, feature_sets = [], []
        seen = set()
        for w in surface_tokens(text) + [w for t in tags for w in surface_tokens(t)]:
            if is_stop_word(w) or w in seen:
                continue
            seen.add(w)
            words.append(w)
            feature_sets.append(word_feature_ids(w, vocabs, offsets, gram_spec, w in tag_words, cache))
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
    return top_words_many(query, q_row, [x_row], n, min_share)[0]


def top_words_many(query: QueryWords, q_row, x_rows, n: int = 3, min_share: float = 0.1) -> list[tuple[str, ...]]:
    """`top_words` for several indexed rows at once (one matrix product for all)."""
    F = query.features
    if F.size == 0:
        return [()] * len(x_rows)
    last = len(F) - 1
    # the query's weight on each of its words' features (0 where the vector has none)
    q_pos = np.searchsorted(F, q_row.indices)
    q_hit = (q_pos <= last) & (F[np.minimum(q_pos, last)] == q_row.indices)
    qf = np.zeros(len(F), dtype=q_row.data.dtype)
    qf[q_pos[q_hit]] = q_row.data[q_hit]
    contrib = np.zeros((len(x_rows), len(F)))
    for i, (x_indices, x_data) in enumerate(x_rows):
        pos = np.searchsorted(F, x_indices)
        hit = (pos <= last) & (F[np.minimum(pos, last)] == x_indices)
        contrib[i, pos[hit]] = qf[pos[hit]] * x_data[hit]
    scores = contrib @ query.share.T
    return [_ranked_words(query, row.tolist(), n, min_share) for row in scores]


def _ranked_words(query: QueryWords, word_scores, n: int, min_share: float) -> tuple[str, ...]:
    if not any(s > 0 for s in word_scores):
        return ()
    best: dict[str, tuple[float, str]] = {}
    for word, key, score in zip(query.words, query.keys, word_scores):
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


def make_reasons(query: QueryWords, q_row, x_row, query_tags, doc_tags, origin, lat, lon, words=None) -> Reasons:
    """All reasons for one (query, indexed document) pair (``words``: precomputed `top_words`)."""
    return Reasons(
        words=top_words(query, q_row, x_row) if words is None else words,
        tags=shared_tags(query_tags, doc_tags),
        distance_km=distance_km(origin, lat, lon),
    )
