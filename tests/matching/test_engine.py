"""MatchEngine: ranking, rules, reasons, incremental updates, persistence, robustness."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matching import Document, Match, MatchEngine, NotFittedError, Rules

OFFERS = [
    ("o1", "Accompagnement en urbanisme et aménagement du territoire", ("urbanisme",),
     {"collectivity": "75056", "epci": "200054781", "modality": "on_site", "days_available": 10,
      "lat": 48.8566, "lon": 2.3522, "max_distance_km": 50}),
    ("o2", "Rédaction et passation des marchés publics, commande publique", ("marchés publics",),
     {"collectivity": "69123", "epci": "200046977", "modality": "remote", "days_available": 5}),
    ("o3", "Cybersécurité des systèmes d'information et réseaux informatiques", ("informatique",),
     {"collectivity": "13055", "epci": "200054807", "modality": "both", "days_available": 2,
      "lat": 43.2965, "lon": 5.3698}),
    ("o4", "Gestion des espaces verts et de la biodiversité communale", ("environnement",),
     {"collectivity": "33063", "modality": "on_site", "days_available": 8,
      "lat": 44.8378, "lon": -0.5792, "max_distance_km": 30}),
    ("o5", "Animation d’ateliers numériques pour les habitants", ("numérique", "inclusion"),
     {"collectivity": "75056", "epci": "200054781", "modality": "both", "days_available": 3}),
    ("o6", "Conseil en finances locales et préparation du budget communal", ("finances",),
     {"collectivity": "59350", "modality": "remote", "days_available": 12}),
]


@pytest.fixture
def offers():
    return [Document(i, t, tags, meta) for i, t, tags, meta in OFFERS]


def ids(matches):
    return [m.id for m in matches]


def test_fit_returns_self_and_init_only_stores(offers):
    engine = MatchEngine(gram_weight=0.5)
    assert not hasattr(engine, "index_")
    assert engine.fit(offers) is engine
    assert engine.get_params()["gram_weight"] == 0.5 and len(engine) == len(offers)


def test_library_imports_no_web_stack():
    code = (
        "import sys, matching; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'celery')]; "
        "assert not bad, bad"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_french_forms_match(offers):
    engine = MatchEngine().fit(offers)
    top = engine.query(Document("n", "Besoin d'une aide pour un MARCHÉ PUBLIC"), k=3)
    assert top[0].id == "o2"
    top = engine.query(Document("n", "amenagements et urbanismes"), k=3)
    assert top[0].id == "o1"
    top = engine.query(Document("n", "espace vert, biodiversite communales"), k=3)
    assert top[0].id == "o4"


def test_tags_weigh_more_than_text():
    docs = [Document("text", "finances finances"), Document("tag", "conseil", ("finances",))]
    engine = MatchEngine().fit(docs)
    assert engine.query(Document("q", "conseil", ("finances",)), k=1)[0].id == "tag"


def test_scores_in_unit_interval_and_best_first(offers):
    res = MatchEngine().fit(offers).query(Document("q", "numérique urbanisme finances"), k=10)
    scores = [m.score for m in res]
    assert all(0.0 <= s <= 1.0 for s in scores) and scores == sorted(scores, reverse=True)
    assert isinstance(res[0], Match)


def test_rules_exclude_collectivity_and_epci(offers):
    engine = MatchEngine(min_score=0.0).fit(offers)
    q = Document("q", "ateliers numériques urbanisme marchés cybersécurité espaces verts budget")
    assert len(engine.query(q, k=10)) == 6
    assert not {"o1", "o5"} & set(ids(engine.query(q, k=10, where={"exclude_collectivity": "75056"})))
    res = engine.query(q, k=10, where=Rules(exclude_epci="200054781"))
    assert "o1" not in ids(res) and "o5" not in ids(res) and len(res) == 4


def test_rules_modality_days_distance(offers):
    engine = MatchEngine(min_score=0.0).fit(offers)
    q = Document("q", "urbanisme espaces verts cybersécurité marchés ateliers numériques budget")
    remote = ids(engine.query(q, k=10, where={"modality": "distanciel"}))
    assert set(remote) == {"o2", "o3", "o5", "o6"}
    assert set(ids(engine.query(q, k=10, where={"min_days": 8}))) == {"o1", "o4", "o6"}
    # From Versailles, on site: Paris (50 km allowed) yes, Bordeaux (30 km) no.
    near = ids(engine.query(q, k=10, where={"modality": "on_site", "lat": 48.8049, "lon": 2.1204}))
    assert "o1" in near and "o4" not in near
    limited = ids(engine.query(q, k=10, where={"lat": 48.8049, "lon": 2.1204, "max_distance_km": 5, "modality": "on_site"}))
    assert "o1" not in limited


def test_never_pads_and_exclude_everything(offers):
    # issue 12 §1: lists were filled to k with score-0 documents
    engine = MatchEngine().fit(offers)
    res = engine.query(Document("q", "urbanisme"), k=5, where={"exclude_collectivity": "69123"})
    assert ids(res) == ["o1"] and res[0].score > engine.min_score
    assert engine.query_many([Document("q", "urbanisme")], k=5) == [res]
    assert engine.query(Document("q", "urbanisme"), k=5, where={"min_days": 1000}) == []


def test_where_validation(offers):
    engine = MatchEngine().fit(offers)
    with pytest.raises(TypeError):
        engine.query(Document("q", "x"), where={"colectivity": "1"})
    with pytest.raises(ValueError):
        engine.query(Document("q", "x"), where={"modality": "teleportation"})
    with pytest.raises(ValueError):
        engine.query_many([Document("q", "x")], where=[None, None])


def test_reasons_are_readable(offers):
    engine = MatchEngine().fit(offers)
    q = Document("q", "L’aménagement urbain de la commune", ("Urbanisme",), {"lat": 48.8049, "lon": 2.1204})
    m = engine.query(q, k=1)[0]
    assert m.id == "o1"
    assert m.reasons.words == ("aménagement urbain",) and "urbanisme" in m.reasons.tags
    assert 10 < m.reasons.distance_km < 25
    assert "urbanisme" in str(m.reasons) and m.reasons.to_dict()["tags"] == ["urbanisme"]
    far = engine.query(Document("q", "budget"), k=1)[0]
    assert far.reasons.distance_km is None and "budget" in far.reasons.words


def test_robustness_inputs(offers):
    engine = MatchEngine().fit(offers)
    for text in ("", "le la les de", "🙂🙂", "日本語の文章", "zzqxw kkvvb"):
        assert engine.query(Document("q", text), k=3) == []
    res = engine.query(Document("q", "budget " * 150_000), k=3)
    assert ids(res) == ["o6"] and 0 < res[0].score <= 1
    assert ids(engine.query(Document("q", "budget"), k=100)) == ["o6"]
    assert engine.query(Document("q", "budget"), k=0) == []
    with pytest.raises(ValueError):
        engine.query(Document("q", "budget"), k=-1)


def test_empty_index_and_unfitted():
    with pytest.raises(NotFittedError):
        MatchEngine().query(Document("q", "x"))
    engine = MatchEngine().fit([])
    assert engine.query(Document("q", "budget"), k=5) == []
    engine.add(Document("a", "budget communal"))
    # words unseen at fit are ignored until a refit: no shared feature, no match
    assert engine.query(Document("q", "budget"), k=5) == []
    assert ids(MatchEngine().fit([Document("a", "budget communal")]).query(Document("q", "budget"), k=5)) == ["a"]


def test_ids_unknown_and_duplicate(offers):
    engine = MatchEngine().fit(offers)
    with pytest.raises(KeyError):
        engine.remove("nope")
    with pytest.raises(ValueError):
        engine.add(Document("o1", "again"))
    with pytest.raises(ValueError):
        MatchEngine().fit(offers + [Document("o1", "twice")])
    with pytest.raises(TypeError):
        Document(["not", "hashable"], "x")
    assert Document(np.int64(3), "x", None, None) == Document(3, "x")


def test_remove_then_add_and_compaction(offers):
    engine = MatchEngine(compact_ratio=0.0).fit(offers)
    engine.remove("o1")
    assert "o1" not in ids(engine.query(Document("q", "urbanisme"), k=10))
    assert len(engine) == 5 and engine.n_dead_ == 0  # compacted at once
    engine.add(offers[0])
    assert engine.query(Document("q", "urbanisme"), k=1)[0].id == "o1"


def test_save_load_roundtrip(tmp_path, offers):
    engine = MatchEngine(tag_weight=0.7).fit(offers)
    engine.add(Document("extra", "ateliers numériques", ("numérique",), {"collectivity": "1"}))
    engine.remove("o6")
    path = tmp_path / "index.bin"
    engine.save(path)
    loaded = MatchEngine.load(path)
    assert loaded.get_params() == engine.get_params()
    q = Document("q", "numérique budget urbanisme", ("numérique",))
    rules = {"exclude_collectivity": "75056"}
    assert loaded.query(q, k=10, where=rules) == engine.query(q, k=10, where=rules)
    bad = tmp_path / "bad.npz"
    np.savez(bad, header=np.frombuffer(b'{"format": "other"}', dtype=np.uint8))
    with pytest.raises(ValueError):
        MatchEngine.load(bad)
