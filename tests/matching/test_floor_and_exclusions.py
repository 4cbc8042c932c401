"""Issue 12 §1: never pad, a calibrated floor, and what the hard rules excluded, with values."""

import importlib.util
import json
from pathlib import Path

import pytest

from matching import DEFAULT_MIN_SCORE, Document, MatchEngine
from matching.rules import haversine_km

BENCH = Path(__file__).resolve().parents[2] / "bench" / "paraphrase_fr.py"


def _paraphrase():
    spec = importlib.util.spec_from_file_location("paraphrase_fr", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_engine():
    corpus, _queries, _kinds = _paraphrase().task()
    return MatchEngine().fit([Document(i, t) for i, t in corpus])


def test_unrelated_query_returns_nothing_above_the_floor(bench_engine):
    # issue 12: "recette de la tarte aux pommes" returns nothing above the floor
    assert bench_engine.query(Document("q", "recette de la tarte aux pommes"), k=10) == []
    assert bench_engine.query_many([Document("q", "comment tricoter une écharpe en laine")], k=10) == [[]]


def test_never_padded_and_floor_is_a_parameter(bench_engine):
    q = Document("q", "Révision générale du PLU")
    res = bench_engine.query(q, k=10)
    assert 0 < len(res) < 10 and all(m.score >= DEFAULT_MIN_SCORE for m in res)
    loose = bench_engine.set_params(min_score=0.0).query(q, k=10)
    bench_engine.set_params(min_score=DEFAULT_MIN_SCORE)
    assert len(loose) == 10 and [m.id for m in loose[: len(res)]] == [m.id for m in res]
    assert all(m.score > 0 for m in loose)  # no document without a shared feature, ever


def test_unseen_words_lower_scores_not_rankings():
    docs = [Document("a", "urbanisme et aménagement"), Document("b", "urbanisme commercial"), Document("c", "budget")]
    engine = MatchEngine(min_score=0.0).fit(docs)
    known = engine.query(Document("q", "urbanisme aménagement"), k=3)
    noisy = engine.query(Document("q", "urbanisme aménagement tarte pommes"), k=3)
    assert [m.id for m in known] == [m.id for m in noisy]
    assert all(n.score < k.score for k, n in zip(known, noisy))


PARIS = (48.8566, 2.3522)
CHARTRES = (48.4439, 1.4890)


@pytest.fixture()
def engine():
    offers = [
        Document("far", "Révision du plan local d'urbanisme", (), {"collectivity": "28085", "modality": "on_site",
                 "days_available": 40, "lat": CHARTRES[0], "lon": CHARTRES[1], "max_distance_km": 50}),
        Document("busy", "Révision du plan local d'urbanisme et zonage", (), {"collectivity": "92012", "modality": "both",
                 "days_available": 1, "lat": 48.83, "lon": 2.24}),
        Document("remote", "Plan local d'urbanisme : révision à distance", (), {"collectivity": "69123", "modality": "remote",
                 "days_available": 40}),
        Document("own", "Révision du PLU", (), {"collectivity": "75056", "modality": "on_site", "days_available": 40}),
        Document("ok", "Révision du PLU de la commune", (), {"collectivity": "94028", "modality": "both",
                 "days_available": 35, "lat": 48.79, "lon": 2.45}),
        Document("other", "Paie des agents", (), {"collectivity": "1", "modality": "on_site", "days_available": 40}),
    ]
    return MatchEngine().fit(offers)


WHERE = {"exclude_collectivity": "75056", "modality": "on_site", "min_days": 30, "lat": PARIS[0], "lon": PARIS[1]}


def test_excluded_says_which_rule_with_the_values(engine):
    q = Document("n", "Révision de notre PLU")
    assert [m.id for m in engine.query(q, k=10, where=WHERE)] == ["ok"]
    out = {e.id: e for e in engine.excluded(q, k=10, where=WHERE)}
    assert set(out) == {"far", "busy", "remote", "own"}  # "other" shares nothing: never a candidate
    (far,) = out["far"].failures
    assert far.rule == "distance" and far.limit == 50.0
    assert far.value == round(float(haversine_km(*PARIS, *CHARTRES)), 1) and 70 < far.value < 90
    assert [(f.rule, f.value, f.limit) for f in out["busy"].failures] == [("days", 1.0, 30)]
    assert [(f.rule, f.value, f.limit) for f in out["remote"].failures] == [("modality", "remote", "on_site")]
    assert [(f.rule, f.value) for f in out["own"].failures] == [("collectivity", "75056")]
    assert all(e.score >= engine.min_score for e in out.values())
    json.dumps([e.to_dict() for e in out.values()])  # pure data, JSON-ready


def test_excluded_distance_limit_is_the_stricter_side(engine):
    where = dict(WHERE, max_distance_km=10)
    out = {e.id: e for e in engine.excluded(Document("n", "Révision de notre PLU"), k=10, where=where)}
    assert [(f.rule, f.limit) for f in out["far"].failures] == [("distance", 10.0)]
    assert "ok" in out and out["ok"].failures[0].rule == "distance"  # ~11 km from Paris


def test_excluded_edge_cases(engine):
    q = Document("n", "Révision de notre PLU")
    assert engine.excluded(q, k=10) == []  # no rules, nothing excluded
    assert engine.excluded(q, k=0, where=WHERE) == []
    assert len(engine.excluded(q, k=2, where=WHERE)) <= 2
    assert engine.excluded(Document("n", "recette de la tarte aux pommes"), where=WHERE) == []
    with pytest.raises(TypeError):
        engine.excluded(q, where={"nope": 1})
