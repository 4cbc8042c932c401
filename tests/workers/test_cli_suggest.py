"""`flask matching rebuild --suggest` stores the suggestions of every open need, and the demo data
guarantees a suggestion pairing the demo agent's offer with a need of the demo referent."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.demo.generator import build_plan
from marketplace.models import Need, SkillOffer, Suggestion, User
from marketplace.suggestions import index as matching_index, services as suggestions
from marketplace.demo.seed import seed_demo
from marketplace.pairings.services import queue
from tests.workers import factories


def test_rebuild_with_suggest_stores_the_suggestions_of_open_needs(app, db, tmp_path, make_collectivity, make_user):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "idx")
    matching_index.reset_cache()
    lyon, lille = make_collectivity("Lyon"), make_collectivity("Lille")
    agent, author = make_user(roles=[("agent", lille)]), make_user(roles=[("representative", lyon)])
    offer = factories.offer(agent, lille, subject=0)
    need = factories.need(author, lyon, subject=0)
    closed = factories.need(author, lyon, subject=0, status="in_progress")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["matching", "rebuild"]).exit_code == 0
    assert db.session.scalars(select(Suggestion)).all() == []  # a plain rebuild stores none

    result = runner.invoke(args=["matching", "rebuild", "--suggest"])

    assert result.exit_code == 0, result.output
    assert "1 besoin(s) examiné(s), 1 nouvelle(s) suggestion(s)" in result.output
    rows = db.session.execute(select(Suggestion.offer_id, Suggestion.need_id)).all()
    assert rows == [(offer.id, need.id)] and closed.id not in {n for _o, n in rows}
    again = runner.invoke(args=["matching", "rebuild", "--suggest"])
    assert "0 nouvelle(s) suggestion(s)" in again.output  # idempotent
    matching_index.reset_cache()


def test_demo_referent_need_answers_the_demo_agent_offer(app, db, tmp_path):
    plan = build_plan()
    offer, need = plan.offers[0], plan.needs[0]
    assert offer.owner_email == "agent@demo.essaim.fr" and need.owner_email == "referent@demo.essaim.fr"
    assert (need.domain, need.tags, need.modality, need.status) == (offer.domain, offer.tags, offer.modality, "open")

    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "idx")
    matching_index.reset_cache()
    seed_demo()
    for kind in matching_index.KINDS:
        matching_index.refit(kind)
    stored_need = db.session.scalar(select(Need).where(Need.title == need.title, Need.collectivity.has(code=need.collectivity[1])))
    stored_offer = db.session.scalar(select(SkillOffer).join(User, User.id == SkillOffer.agent_id)
                                     .where(User.email == offer.owner_email, SkillOffer.title == offer.title))
    suggestions.match_need(stored_need.id)
    coordinator = db.session.scalar(select(User).where(User.email == "coordinateur@demo.essaim.fr"))
    queued = {(i.offer.id, i.need.id) for i in queue.queue(coordinator, departement="35", domain=need.domain)}
    assert (stored_offer.id, stored_need.id) in queued
    matching_index.reset_cache()
