"""The faster explanation steps give what the one-by-one steps gave, bit for bit: distances of
all rows in one haversine call, word contributions of all rows in one search, feature ids read
from the engine's `QueryColumns`, and the reasons built with them."""

import math

import numpy as np
from hypothesis import given, settings, strategies as st

from matching import Document, MatchEngine
from matching.explain import (QueryWords, distance_km, distances_km, reasons_many, shared_tags, top_phrases,
                              word_feature_ids, word_scores_many)
from matching.text import stem, tokens
from matching.types import Reasons
from matching.index import row_arrays
from matching.rules import KM_PER_DEGREE
from tests.matching.test_fast_path import corpus, query_st

ENGINE = MatchEngine(min_score=0.01).fit(corpus(200, 3))

place = st.one_of(st.none(), st.just(float("nan")), st.floats(41, 51))


@settings(max_examples=200, deadline=None)
@given(origin=st.one_of(st.none(), st.tuples(st.floats(41, 51), st.floats(-5, 9))),
       points=st.lists(st.tuples(place, st.one_of(st.none(), st.floats(-5, 9))), max_size=12))
def test_property_distances_equal_one_by_one(origin, points):
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    assert distances_km(origin, lats, lons) == [distance_km(origin, a, b) for a, b in zip(lats, lons)]


def test_distances_at_rounding_boundaries_equal_one_by_one():
    # points due north at x.x5 km (and one ulp around): where the vectorised and one-value
    # arcsines may round apart; 60,000 French pairs beside them
    rng = np.random.default_rng(7)
    origin = (45.0, 3.0)
    lats = [45.0 + (d + 0.05) / KM_PER_DEGREE for d in np.arange(0, 900, 0.1)]
    lats += [math.nextafter(x, 90) for x in lats] + [math.nextafter(x, 0) for x in lats]
    lons = [3.0] * len(lats)
    lats += rng.uniform(41, 51, 60_000).tolist()
    lons += rng.uniform(-5, 9, 60_000).tolist()
    batched = distances_km(origin, lats, lons)
    assert batched == [distance_km(origin, a, b) for a, b in zip(lats, lons)]


def _row_by_row(query, q_row, x_rows):
    """The contributions worked out through dense vectors, one row at a time."""
    n_features = ENGINE.index_.n_features
    q_dense = np.zeros(n_features, dtype=np.float32)
    q_dense[q_row.indices] = q_row.data
    contrib = np.zeros((len(x_rows), len(query.features)))
    for i, (x_indices, x_data) in enumerate(x_rows):
        x_dense = np.zeros(n_features, dtype=np.float32)
        x_dense[x_indices] = x_data
        contrib[i] = q_dense[query.features] * x_dense[query.features]
    return contrib @ query.share.T


def _query_words(q, columns=None):
    e = ENGINE
    return QueryWords(q.text, q.tags, e.vocabs_, e.offsets_, e._weights().gram_spec, e._word_cache(), e._lexicon(),
                      e._common_stems(), q.meta, columns)


@settings(max_examples=80, deadline=None)
@given(q=query_st, extra=st.sampled_from(["", "mot inconnu zzyzx", "PLU et DCE", "plan local d'urbanisme"]))
def test_property_reasons_with_the_faster_steps_equal_the_one_by_one_steps(q, extra):
    q = Document(q.id, f"{q.text} {extra}", q.tags, {"lat": 46.0, "lon": 2.0})
    vector = ENGINE._query_vector(q)
    rows = list(range(0, 200, 7))
    x_rows = [row_arrays(ENGINE.index_.row_matrices(rows), r) for r in rows]
    plain, fast = _query_words(q), _query_words(q, ENGINE._query_columns())
    assert fast.features.tolist() == plain.features.tolist() and np.array_equal(fast.share, plain.share)
    scores = word_scores_many(fast, vector, x_rows)
    assert np.array_equal(scores, _row_by_row(plain, vector, x_rows))
    lat, lon = ENGINE.meta_["lat"][rows].tolist(), ENGINE.meta_["lon"][rows].tolist()
    tags = [ENGINE.tags_[r] for r in rows]
    reasons = reasons_many(fast, vector, x_rows, q.tags, tags, (46.0, 2.0), lat, lon)
    assert reasons == reasons_many(plain, vector, x_rows, q.tags, tags, (46.0, 2.0), lat, lon)
    # the rows compared all at once give what `top_phrases` gives row by row
    one_by_one = []
    for row_scores, doc_tags, a, b in zip(scores, tags, lat, lon):
        shared = shared_tags(q.tags, doc_tags)
        skip = {stem(w) for t in shared for w in tokens(t)}
        one_by_one.append(Reasons(top_phrases(plain, row_scores, skip), shared, distance_km((46.0, 2.0), a, b)))
    assert reasons == one_by_one


def test_feature_ids_of_query_columns_equal_word_feature_ids():
    e, columns = ENGINE, ENGINE._query_columns()
    for word in ["urbanisme", "voirie", "zzyzx", "publics", "a"]:
        for is_tag in (False, True):
            assert columns.feature_ids(word, is_tag) == word_feature_ids(
                word, e.vocabs_, e.offsets_, e._weights().gram_spec, is_tag)
