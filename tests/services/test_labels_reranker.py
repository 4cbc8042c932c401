"""Training the re-ranker on stored labels (time split), switching it on, applying it to suggestions."""
from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.learning import reranker
from marketplace.models import DecisionLabel, Pairing, RerankerModel, Suggestion
from marketplace.models.base import utcnow
from marketplace.suggestions import services as suggestions
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)
from tests.services.test_offtopic import world  # noqa: F401  (fixture)
from tests.services.test_suggestions import index_dir  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py

START = utcnow() - timedelta(days=40)


def _labelled_queues(db, w, needs=12, offers=4):
    """Queues where the approved pair has the lowest matching score but shares the modality and
    more tags: the fixed weights put it last, something learnable puts it first."""
    offer_rows = [w["offer"]] + [pw.offer(w["agent"], w["home"], title=f"Offre {i}") for i in range(offers - 1)]
    for n in range(needs):
        need = pw.need(w["representative"], w["host"], title=f"Besoin {n}")
        for i, offer in enumerate(offer_rows):
            good = i == n % offers
            pairing = Pairing(offer_id=offer.id, need_id=need.id, status="proposed" if good else "rejected")
            db.session.add(pairing)
            db.session.flush()
            db.session.add(DecisionLabel(
                offer_id=offer.id, need_id=need.id, pairing_id=pairing.id, event="approved" if good else "rejected",
                label=1.0 if good else -1.0, lexical_score=0.2 if good else 0.5 + 0.05 * i, shared_tags=3 if good else 0,
                modality_match=good, distance_km=10.0, capacity_ratio=1.0, decided_at=START + timedelta(days=3 * n)))
    db.session.commit()


def test_train_switches_on_a_model_that_beats_the_fixed_weights(db, w):
    _labelled_queues(db, w)
    row = reranker.train(START + timedelta(days=27), min_labels=20, margin=0.02)
    assert row.active and row.label_counts["train"] == 9 * 4 and row.label_counts["test"] == 3 * 4
    assert row.label_counts["events"] == {"approved": 12, "rejected": 36}
    assert row.metrics["learned"]["ndcg@5"] > row.metrics["fixed"]["ndcg@5"] + 0.02
    assert reranker.active() is not None
    # a second model that wins replaces it: one active at most
    second = reranker.train(START + timedelta(days=27), min_labels=20, margin=0.02)
    assert db.session.query(RerankerModel).filter_by(active=True).one().id == second.id


def test_train_keeps_fixed_weights_without_enough_labels(db, w):
    _labelled_queues(db, w)
    row = reranker.train(START + timedelta(days=27), min_labels=500, margin=0.02)
    assert not row.active and reranker.active() is None
    assert row.metrics["min_labels"] == 500 and row.params["coef"]


def test_train_without_labels_says_so(db):
    with pytest.raises(ValueError):
        reranker.train(utcnow())


def test_active_model_scores_stored_suggestions(db, w, world):
    world_suggestion = world["suggestion"]
    before = world_suggestion.score
    suggestions.match_need(world["need"].id)  # no model: the fixed score stays
    db.session.refresh(world_suggestion)
    assert world_suggestion.score == before and "fixed_score" not in world_suggestion.reasons
    _labelled_queues(db, w)
    assert reranker.train(START + timedelta(days=27), min_labels=20, margin=0.02).active
    db.session.query(Suggestion).filter_by(id=world_suggestion.id).delete()
    db.session.commit()
    suggestions.match_need(world["need"].id)
    stored = db.session.query(Suggestion).filter_by(offer_id=world["offer"].id, need_id=world["need"].id).one()
    assert stored.reasons["fixed_score"] == pytest.approx(before, abs=1e-6)
    assert 0 <= stored.score <= 1 and stored.score != pytest.approx(before)


def test_cli_trains_and_prints_the_comparison(app, db, w):
    runner = app.test_cli_runner()
    empty = runner.invoke(args=["matching", "train-reranker"])
    assert empty.exit_code != 0 and "Apprentissage impossible" in empty.output
    _labelled_queues(db, w)
    cutoff = (START + timedelta(days=27)).strftime("%Y-%m-%d")
    result = runner.invoke(args=["matching", "train-reranker", "--cutoff", cutoff, "--min-labels", "20"])
    assert result.exit_code == 0, result.output
    assert "Poids fixes" in result.output and "Appris" in result.output and "activé" in result.output
    bad = runner.invoke(args=["matching", "train-reranker", "--cutoff", "demain"])
    assert bad.exit_code != 0
    assert "Étiquettes : 48" in runner.invoke(args=["matching", "backfill-labels"]).output
