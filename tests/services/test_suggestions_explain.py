"""Issue 12 §1: exclusions and reasons worded for people (labels, French numbers, plurals)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from marketplace.suggestions import exclusions, index as matching_index, services as suggestions
from marketplace.suggestions.explain import reasons_view, summarize_exclusions
from matching.types import Exclusion, RuleFailure
from tests.workers import factories


@pytest.fixture(autouse=True)
def index_dir(app, tmp_path):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "matching")
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()


def test_exclusions_are_grouped_by_rule_with_french_numbers(app):
    rows = [Exclusion(1, 0.6, (RuleFailure("distance", 80.0, 50.0),)),
            Exclusion(2, 0.5, (RuleFailure("distance", 95.4, 50.0),)),
            Exclusion(3, 0.4, (RuleFailure("days", 12.5, 30.0),)),
            Exclusion(4, 0.3, (RuleFailure("collectivity", "7", None),))]  # nobody can relax that one
    with app.test_request_context():
        summary = summarize_exclusions(rows, for_need=True)
    assert summary.count == 3
    assert summary.headline == "3 agents proches de ce besoin sont exclus :"
    assert summary.reasons == ["trop loin (80 km, 95 km pour 50 km acceptés)",
                               "disponibilité insuffisante (12,5 jours pour 30 jours estimés)"]


def test_one_exclusion_is_singular_and_modalities_are_labels(app):
    rows = [Exclusion(1, 0.6, (RuleFailure("modality", "on_site", "remote"),))]
    with app.test_request_context():
        summary = summarize_exclusions(rows, for_need=False)
        assert summarize_exclusions([], for_need=True) is None
    assert summary.headline == "1 besoin proche de votre offre est exclu :"
    assert summary.reasons == ["modalité incompatible (besoin sur place pour une offre à distance)"]
    assert "on_site" not in " ".join(summary.reasons)


def test_reasons_show_labels_and_places_only_when_relevant(app):
    other = SimpleNamespace(collectivity=SimpleNamespace(name="Villeurbanne"))
    reasons = {"words": ["gpec"], "tags": ["ressources_humaines", "GPEC", "ressources_humaines"], "distance_km": 12.5}
    with app.test_request_context():
        near = reasons_view(reasons, SimpleNamespace(modality="on_site"), SimpleNamespace(modality="hybrid"), other)
        far = reasons_view(reasons, SimpleNamespace(modality="remote"), SimpleNamespace(modality="hybrid"), other)
    assert near["tags"] == ["Ressources humaines", "GPEC"]
    assert near["collectivity"] == "Villeurbanne" and near["distance_text"] == "12 km"
    assert far["collectivity"] is None and far["distance_km"] is None and far["distance_text"] is None


def test_offer_learns_which_close_needs_are_too_far_or_too_long(db, make_collectivity, make_user):
    lyon = make_collectivity("Lyon", latitude=45.76, longitude=4.83)
    grenoble = make_collectivity("Grenoble", departements=("38",), latitude=45.19, longitude=5.72)
    villeurbanne = make_collectivity("Villeurbanne", latitude=45.77, longitude=4.88)
    agent = make_user(roles=[("agent", lyon)])
    far_rep, near_rep = make_user(roles=[("representative", grenoble)]), make_user(roles=[("representative", villeurbanne)])
    far = factories.need(far_rep, grenoble, subject=0, modality="on_site", estimated_days=2)
    long = factories.need(near_rep, villeurbanne, subject=0, modality="on_site", estimated_days=400)
    for item in (far, long):
        matching_index.apply_change("needs", item.id)
    offer = factories.offer(agent, lyon, subject=0, modality="on_site", max_distance_km=50, days_per_month=1)
    assert suggestions.match_offer(offer.id) == []
    found = {e.id: e.failures for e in exclusions.excluded_for_offer(offer)}
    assert set(found) == {far.id, long.id}
    (distance,) = found[far.id]
    assert distance.rule == "distance" and distance.limit == 50 and 80 < distance.value < 110
    (days,) = found[long.id]
    assert days.rule == "days" and days.value == 400 and days.limit < 400


def test_unrelated_offer_is_not_padded_into_the_need(db, make_collectivity, make_user):
    lyon, lille = make_collectivity("Lyon"), make_collectivity("Lille", departements=("59",))
    agent, author = make_user(roles=[("agent", lille)]), make_user(roles=[("representative", lyon)])
    unrelated = factories.offer(agent, lille, subject=4)  # budget, for an urbanism need
    matching_index.apply_change("offers", unrelated.id)
    need = factories.need(author, lyon, subject=0)
    assert suggestions.match_need(need.id) == [] and suggestions.for_need(need.id) == []
    assert not suggestions.has_suggestions(need) and exclusions.exclusions_summary(need) is None
