"""The fast query path (postings budget, compiled kernel, deferred reasons) against the reference.

- Where every feature of a query is scored from its full postings (small corpora, or lists
  uncut and under the budget), the fast path is exact: the same top k as the reference path
  (`matching.reference.ReferenceEngine`) and the exhaustive search, ids and scores, with and
  without rules, with pending rows and tombstones; with the numba kernel and the numpy one.
- Under a budget that cuts, it is an approximation that never mis-scores: every result is an
  eligible row with its exact cosine, sorted, and no better than the exact answer rank by rank.
- The kernel's rule check (with its distance bounds and its own haversine) equals `eligible`.
- Reasons are computed once per query, when first read, from what the query saw.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from matching import Document, MatchEngine, explain, retrieval
from matching.reference import ReferenceEngine, overlap_at_k
from matching.rules import Rules, eligible, kernel_rules

WORDS = (
    "urbanisme aménagement voirie marchés publics commande finances budget communal "
    "numérique ateliers cybersécurité réseaux espaces verts biodiversité eau assainissement "
    "école périscolaire culture médiathèque sport piscine social insertion emploi"
).split()
MODALITIES = ("remote", "on_site", "both", None)


def corpus(n, seed, prefix="d"):
    rng = np.random.default_rng(seed)
    docs = []
    for i in range(n):
        words = rng.choice(WORDS, size=rng.integers(1, 9))
        tags = tuple(rng.choice(WORDS, size=rng.integers(0, 3)))
        meta = {"collectivity": str(rng.integers(0, 6)), "epci": str(rng.integers(0, 3)),
                "days_available": float(rng.integers(0, 10)) if rng.random() < 0.9 else None,
                "modality": MODALITIES[rng.integers(0, 4)]}
        if rng.random() < 0.8:
            meta.update(lat=float(rng.uniform(43, 50)), lon=float(rng.uniform(-2, 7)))
        if rng.random() < 0.7:
            meta["max_distance_km"] = float(rng.choice([20, 100, 300]))
        docs.append(Document(f"{prefix}{i}", " ".join(words), tags, meta))
    return docs


rules_st = st.one_of(st.none(), st.builds(
    lambda coll, epci, mod, days, place, km: {k: v for k, v in {
        "exclude_collectivity": coll, "exclude_epci": epci, "modality": mod, "min_days": days,
        "lat": place[0] if place else None, "lon": place[1] if place else None, "max_distance_km": km}.items()
        if v is not None},
    st.one_of(st.none(), st.sampled_from("0123456789")), st.one_of(st.none(), st.sampled_from("012")),
    st.sampled_from(MODALITIES), st.one_of(st.none(), st.integers(0, 9)),
    st.one_of(st.none(), st.tuples(st.floats(43, 50), st.floats(-2, 7))),
    st.one_of(st.none(), st.sampled_from([30.0, 150.0, 500.0]))))
query_st = st.builds(lambda words, tags: Document("q", " ".join(words), tuple(tags)),
                     st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.lists(st.sampled_from(WORDS), max_size=2))


def same_topk(a, b):
    """Same ids and scores; ids may swap only between equal scores."""
    assert len(a) == len(b), (a, b)
    assert np.allclose([m.score for m in a], [m.score for m in b], atol=1e-5)
    for x, y in zip(a, b):
        if x.id != y.id:
            assert abs(x.score - y.score) < 1e-5


@pytest.fixture(params=["numba", "numpy"])
def kernels(request, monkeypatch):
    """Run a test with the compiled kernel and with the numpy fast path."""
    monkeypatch.setattr(retrieval, "_KERNELS", [] if request.param == "numba" else [None])
    yield request.param


def churned_engine():
    """An engine with merged rows, pending (unmerged) rows and tombstones."""
    docs = corpus(160, 11)
    engine = MatchEngine(merge_every=10_000).fit(docs[:120])
    for d in docs[120:]:
        engine.add(d)
    for d in docs[::9]:
        engine.remove(d.id)
    assert engine.index_._pending and engine.n_dead_
    return engine


CHURNED = churned_engine()
CHURNED_REF = ReferenceEngine.of(CHURNED)
CHURNED_EXACT = MatchEngine(**{**CHURNED.get_params(), "champion_size": None})
CHURNED_EXACT.__dict__.update({k: v for k, v in CHURNED.__dict__.items() if k.endswith("_")})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=query_st, where=rules_st, k=st.integers(1, 12))
def test_property_fast_path_equals_reference(kernels, q, where, k):
    fast = CHURNED.query(q, k=k, where=where)
    same_topk(fast, CHURNED_REF.query(q, k=k, where=where))
    rules = Rules.coerce(where)
    rows, scores = CHURNED._search_exact(CHURNED._query_vector(q), rules, k)
    same_topk(fast, [type("M", (), {"id": CHURNED.ids_[r], "score": float(s)}) for r, s in zip(rows, scores)])
    removed = {d.id for d in corpus(160, 11)[::9]}
    assert not removed & {m.id for m in fast}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=query_st, where=rules_st, k=st.integers(1, 12))
def test_property_budget_cut_never_misscores(kernels, q, where, k):
    engine = BUDGET
    res = engine.query(q, k=k, where=where)
    exact = BUDGET_EXACT.query(q, k=k, where=where)
    assert len(res) <= len(exact)
    assert [m.score for m in res] == sorted((m.score for m in res), reverse=True)
    v = engine._query_vector(q)
    X = engine.index_.matrix()
    rows = np.array([engine.row_of_[m.id] for m in res], dtype=np.int64)
    assert eligible(engine.meta_, rows, Rules.coerce(where)).all()
    dense = np.zeros(X.shape[1], dtype=np.float64)
    dense[v.indices] = v.data
    for m, r in zip(res, rows.tolist()):
        assert abs(m.score - min(max(float((X[r] @ dense)[0]), 0.0), 1.0)) < 1e-5
    for got, best in zip(res, exact):
        assert got.score <= best.score + 1e-5


BUDGET = MatchEngine(champion_size=8, rerank_size=4, query_budget=20).fit(corpus(300, 12))
BUDGET_EXACT = MatchEngine(**{**BUDGET.get_params(), "champion_size": None})
BUDGET_EXACT.__dict__.update({k: v for k, v in BUDGET.__dict__.items() if k.endswith("_")})


@settings(max_examples=60, deadline=None)
@given(where=rules_st, seed=st.integers(0, 10_000))
def test_property_kernel_rules_equal_eligible(where, seed):
    from matching import kernels as compiled

    engine = CHURNED
    rules = Rules.coerce(where)
    rng = np.random.default_rng(seed)
    n = engine.index_.n_main
    cols = np.sort(rng.choice(engine.index_.n_features, size=6, replace=False)).astype(np.int32)
    weights = rng.uniform(0.1, 1.0, size=6).astype(np.float32)
    # every feature scored (budget 0) and no list cut here: all the eligible touched rows
    assert engine.index_.champions is None
    got, _ = compiled.search_main(engine.index_, cols, weights, 0, 10**9, kernel_rules(engine.meta_, rules))
    work = compiled.scratch(1, 1)
    assert not work.acc.any() and not work.qdense.any()  # the scratch arrays are left clean
    touched, _ = engine.index_.partial_scores(cols, weights)
    expected = touched[eligible(engine.meta_, touched, rules)]
    assert sorted(got.tolist()) == sorted(expected.tolist())


def test_kernel_distance_agrees_with_haversine_near_the_limit():
    # rows placed just inside and just outside a 100 km limit, in every direction
    from matching.rules import haversine_km

    rng = np.random.default_rng(3)
    lat0, lon0 = 46.0, 2.0
    docs = []
    for i, (dlat, dlon) in enumerate(rng.uniform(-1.3, 1.3, size=(400, 2))):
        docs.append(Document(f"p{i}", "urbanisme", (), {"modality": "on_site", "lat": lat0 + dlat, "lon": lon0 + dlon,
                                                        "max_distance_km": 100.0}))
    engine = MatchEngine(min_score=0.0).fit(docs)
    found = {m.id for m in engine.query(Document("q", "urbanisme"), k=400, where={"lat": lat0, "lon": lon0})}
    near = {d.id for d in docs if haversine_km(lat0, lon0, d.meta["lat"], d.meta["lon"]) <= 100.0}
    assert found == near and 0 < len(near) < 400


def test_reasons_computed_once_when_first_read(monkeypatch):
    engine = MatchEngine().fit(corpus(120, 13))
    calls = []
    real = explain.reasons_many

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr("matching.querying.reasons_many", counting)
    q = Document("q", "urbanisme voirie aménagement", ("urbanisme",), {"lat": 46.0, "lon": 2.0})
    res = engine.query(q, k=8)
    assert res and not calls  # nothing explained yet
    eager = ReferenceEngine.of(engine).query(q, k=8)
    assert len(calls) == 1
    assert [m.reasons for m in res] == [m.reasons for m in eager] and len(calls) == 2  # one call for all
    assert res == eager


def test_reasons_read_after_the_index_changed_describe_the_query_time_rows():
    engine = MatchEngine(compact_ratio=0.01).fit(corpus(120, 14))
    q = Document("q", "piscine sport école", ("sport",))
    eager = ReferenceEngine.of(engine).query(q, k=5)
    res = engine.query(q, k=5)
    for d in corpus(120, 14)[:30]:
        engine.remove(d.id)  # compacts: rows move
    assert [m.reasons for m in res] == [m.reasons for m in eager]


def test_reasons_of_pending_rows_survive_their_merge():
    engine = MatchEngine(merge_every=3, compact_ratio=0.01).fit(corpus(60, 14))
    q = Document("q", "piscine sport école", ("sport",))
    for i in range(2):  # pending rows, not merged yet
        engine.add(Document(f"new{i}", "piscine municipale sport école primaire", ("sport",)))
    eager = ReferenceEngine.of(engine).query(q, k=5)
    res = engine.query(q, k=5)
    assert {"new0", "new1"} <= {m.id for m in res}
    engine.add(Document("new2", "gymnase", ()))  # the delta is merged into a new main segment
    for d in corpus(60, 14)[:10]:
        engine.remove(d.id)  # compacts: every row moves up
    assert [m.reasons for m in res] == [m.reasons for m in eager]


def test_overlap_at_k_is_one_where_the_fast_path_is_exact():
    queries = [Document(f"q{i}", " ".join(WORDS[i : i + 3])) for i in range(0, 24, 3)]
    shares = overlap_at_k(CHURNED, queries, k=5, where={"min_days": 2})
    assert any(s is not None for s in shares)
    assert all(s == 1.0 for s in shares if s is not None)


def test_auto_sizes_grow_with_the_index():
    from matching.sizes import auto_sizes

    assert auto_sizes(0) == auto_sizes(100_000) == (2000, 30_000, 100)
    assert auto_sizes(1_000_000) == (20_000, 300_000, 1000)
    assert auto_sizes(2_000_000) == (40_000, 600_000, 2000)
    engine = MatchEngine(champion_size=4).fit(corpus(100, 15))
    assert engine.get_params()["rerank_size"] == engine.get_params()["query_budget"] == "auto"
    assert engine._sizes() == (30_000, 100)
    assert MatchEngine().fit(corpus(100, 15)).index_.champions is None  # 2,000 > any list here


def test_kernel_scratch_is_shared_by_indexes_of_any_size(monkeypatch):
    # one thread's scratch arrays serve a small index, then a larger one (they grow), then the
    # small one again: answers are the numpy path's, and the arrays are left clean each time
    from matching import kernels as compiled

    small, large = MatchEngine(champion_size=4, query_budget=10).fit(corpus(50, 16)), BUDGET
    q = Document("q", "urbanisme voirie école piscine sport", ("sport",))
    where = {"min_days": 2, "lat": 46.0, "lon": 2.0, "modality": "on_site"}
    got = [engine.query(q, k=6, where=where) for engine in (small, large, small)]
    assert compiled.scratch(1, 1, 1).acc.size >= large.index_.n_main
    assert not compiled.scratch(1, 1, 1).acc.any() and not compiled.scratch(1, 1, 1).qdense.any()
    monkeypatch.setattr(retrieval, "_KERNELS", [None])
    assert got == [engine.query(q, k=6, where=where) for engine in (small, large, small)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=query_st, where=rules_st, k=st.integers(1, 12), floor=st.sampled_from([0.0, 0.05, 0.2]))
def test_property_compiled_call_equals_numpy_path_under_a_cut_budget(monkeypatch, q, where, k, floor):
    # the kernel chooses the features, applies the floor and orders the top k itself: the same
    # rows and scores as the numpy path, which does these steps in Python
    engine = MatchEngine(**{**BUDGET.get_params(), "min_score": floor})
    engine.__dict__.update({key: v for key, v in BUDGET.__dict__.items() if key.endswith("_")})
    monkeypatch.setattr(retrieval, "_KERNELS", [])
    compiled = engine.query(q, k=k, where=where)
    monkeypatch.setattr(retrieval, "_KERNELS", [None])
    assert compiled == engine.query(q, k=k, where=where)


def test_compiled_feature_choice_equals_budget_features_at_every_boundary():
    from matching import kernels as compiled

    idx = BUDGET.index_
    lens_of, col_max, cut = idx.feature_bounds()
    for i in range(0, 24, 2):
        v = BUDGET._query_vector(Document("q", " ".join(WORDS[i : i + 6]), (WORDS[i],)))
        lens = np.cumsum(lens_of[v.indices])
        for budget in sorted({0, 1, *lens.tolist(), *(lens - 1).tolist(), *(lens + 1).tolist()}):
            cols, _, exact = idx.budget_features(v.indices, v.data, budget)
            chosen, k_exact, postings = compiled._choose_features(v.indices, v.data, lens_of, col_max, cut, budget)
            assert v.indices[chosen].tolist() == cols.tolist() and k_exact == exact
            assert postings == lens_of[cols].sum()
