"""Coordinator queue: territory, ranking (capacity, similar refusals), staleness, decisions."""
from __future__ import annotations

import pytest

from marketplace.models import AgentCapacity, AuditEntry, Notification, OutboxEmail, Pairing
from marketplace.pairings.services import queue
from marketplace.core.errors import NotAllowed, ServiceError
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)


def test_coordinator_sees_territory_only(w):
    assert [i.suggestion.id for i in queue.queue(w["coordinator"])] == [w["suggestion"].id]
    assert queue.queue(w["far_coordinator"]) == []
    assert [i.suggestion.id for i in queue.queue(w["admin"])] == [w["suggestion"].id]


def test_non_coordinator_refused(w):
    with pytest.raises(NotAllowed):
        queue.queue(w["representative"])


def test_filters(w):
    c = w["coordinator"]
    assert queue.queue(c, departement="69") and not queue.queue(c, departement="59")
    assert queue.queue(c, domain="marches_publics") and not queue.queue(c, domain="culture")
    assert queue.queue(c, min_score=0.5) and not queue.queue(c, min_score=0.9)
    assert not queue.queue(c, min_age_days=3)
    old_need = pw.need(w["representative"], w["host"], title="Ancien besoin")
    pw.suggestion(w["offer"], old_need, score=0.5, age_days=10)
    items = queue.queue(c, min_age_days=3)
    assert [i.need.id for i in items] == [old_need.id] and items[0].stale


def test_explanation_present(w):
    item = queue.queue(w["coordinator"])[0]
    assert item.suggestion.reasons["tags"] == ["achats"]
    assert item.availability and item.rules and not item.stale


def test_approve_notifies_three_parties_and_audits(db, w):
    [pairing] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    assert pairing.status == "proposed" and pairing.decided_by_id == w["coordinator"].id
    told = {n.user_id for n in db.session.query(Notification).filter_by(kind="pairings")}
    assert told == {w["agent"].id, w["approver"].id, w["representative"].id}
    assert db.session.query(OutboxEmail).filter_by(kind="pairings").count() == 3
    entry = db.session.query(AuditEntry).one()
    assert (entry.from_state, entry.to_state, entry.actor_id) == ("pending_review", "proposed", w["coordinator"].id)
    assert queue.queue(w["coordinator"]) == []


def test_reject_requires_reason_and_is_stored(db, w):
    with pytest.raises(ServiceError) as error:
        queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason="  ")
    assert error.value.field == "reason"
    [pairing] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason="Trop loin")
    assert pairing.status == "rejected" and pairing.reason == "Trop loin"


def test_decided_twice_refused(w):
    queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    with pytest.raises(ServiceError):
        queue.decide(w["coordinator"], [w["suggestion"].id], approve=False, reason="non")


def test_out_of_scope_coordinator_refused(db, w):
    with pytest.raises(NotAllowed):
        queue.decide(w["far_coordinator"], [w["suggestion"].id], approve=True)
    assert db.session.query(Pairing).count() == 0


def test_agent_coordinator_cannot_approve_own_pairing(db, make_user, w):
    w["agent"].roles.append(type(w["agent"].roles[0])(role="coordinator", scope_departements=["69"]))
    db.session.commit()
    with pytest.raises(NotAllowed):
        queue.decide(w["agent"], [w["suggestion"].id], approve=True)


def test_bulk_is_all_or_nothing(db, w):
    lille_need = pw.need(w["other_rep"], w["lille"], title="Besoin lillois")
    far = pw.suggestion(w["offer"], lille_need)
    with pytest.raises(NotAllowed):
        queue.decide(w["coordinator"], [w["suggestion"].id, far.id], approve=True)
    assert db.session.query(Pairing).count() == 0
    second = pw.suggestion(pw.offer(w["agent"], w["home"], title="Autre offre"), w["need"])
    assert len(queue.decide(w["coordinator"], [w["suggestion"].id, second.id], approve=True)) == 2


def test_agent_at_capacity_ranked_down(db, w):
    other_agent_offer = pw.offer(pw_user(db, w), w["home"], title="Offre d'un autre agent")
    pw.suggestion(other_agent_offer, w["need"], score=0.6)
    assert queue.queue(w["coordinator"])[0].offer.id == w["offer"].id
    db.session.add(AgentCapacity(user_id=w["agent"].id, max_open=1))
    first_need = pw.need(w["representative"], w["host"], title="Premier besoin")
    queue.decide(w["coordinator"], [pw.suggestion(w["offer"], first_need).id], approve=True)
    items = queue.queue(w["coordinator"])
    assert items[0].offer.id == other_agent_offer.id
    flagged = next(i for i in items if i.offer.id == w["offer"].id)
    assert flagged.at_capacity and flagged.rank == pytest.approx(0.4)


def test_employer_cap_lowers_capacity(db, w):
    db.session.add(AgentCapacity(user_id=w["agent"].id, max_open=5, employer_cap=1))
    db.session.commit()
    assert queue.capacity_of(w["agent"].id) == 1


def test_similar_refusal_lowers_rank(db, w):
    earlier = pw.need(w["representative"], w["host"], title="Besoin refusé")
    queue.decide(w["coordinator"], [pw.suggestion(w["offer"], earlier).id], approve=False, reason="Pas le bon profil")
    item = queue.queue(w["coordinator"])[0]
    assert item.similar_refusals == ["Pas le bon profil"]
    assert item.rank == pytest.approx(0.8 * queue.SIMILAR_REFUSAL_FACTOR)


def pw_user(db, w):
    from marketplace.models import RoleAssignment, User

    user = User(email="autre.agent@example.fr", password_hash="x", display_name="Autre Agent", security_stamp="s" * 32)
    user.roles.append(RoleAssignment(role="agent", collectivity=w["home"]))
    db.session.add(user)
    db.session.commit()
    return user


def test_stale_delay_from_configuration(app, w):
    app.config["SUGGESTION_STALE_DAYS"] = 0
    assert queue.queue(w["coordinator"])[0].stale
