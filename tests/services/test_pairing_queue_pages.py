"""The coordinator's queue at scale: pages, sorts, statements per page, grouped notifications,
and the coordinator's own pairings."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from marketplace.core.errors import NotAllowed, NotFound
from marketplace.core.phrases import Phrases
from marketplace.models import Notification, NotificationPreference, OutboxEmail
from marketplace.pairings.services import page as pairing_page, queue
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py


def _fill(w, n, **kwargs):
    """n more suggestions on the territory, each its own need, the agent's offer suggested to it."""
    return [pw.suggestion(w["offer"], pw.need(w["representative"], w["host"], title=f"Besoin {i}"), **kwargs)
            for i in range(n)]


@contextmanager
def counted(db):
    statements = []

    def count(*_args):
        statements.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_pages_of_25_and_out_of_range_is_page_one(w):
    _fill(w, 29)  # 30 in all
    first, second = queue.queue_page(w["coordinator"], page=1), queue.queue_page(w["coordinator"], page=2)
    assert (len(first.items), len(second.items), first.total, first.pages) == (25, 5, 30, 2)
    assert not {i.suggestion.id for i in first.items} & {i.suggestion.id for i in second.items}
    for wrong in (0, -3, 3, 10**9):
        assert queue.queue_page(w["coordinator"], page=wrong).page == 1
    assert list(queue.queue_page(w["coordinator"], page=1, per_page=2).iter_pages()) == [1, 2, 3, None, 15]


def test_queue_is_no_longer_cut_at_300(w):
    _fill(w, 310)
    assert queue.queue_page(w["coordinator"]).total == 311


def test_sort_by_age_and_departement(w, make_collectivity, make_user):
    old = pw.suggestion(w["offer"], pw.need(w["representative"], w["host"], title="Ancien"), score=0.3, age_days=20)
    ain = make_collectivity("Bourg-en-Bresse", departements=("01",))
    rep = make_user(roles=[("representative", ain)])
    w["coordinator"].roles[0].scope_departements = ["01", "69"]
    ain_s = pw.suggestion(w["offer"], pw.need(rep, ain, title="Besoin de l'Ain"), score=0.1)
    by_age = [i.suggestion.id for i in queue.queue_page(w["coordinator"], sort="age").items]
    assert by_age[0] == old.id
    by_dep = [i.suggestion.id for i in queue.queue_page(w["coordinator"], sort="departement").items]
    assert by_dep[0] == ain_s.id
    by_score = [i.suggestion.id for i in queue.queue_page(w["coordinator"], sort="nonsense").items]
    assert by_score[0] == w["suggestion"].id and by_score[-1] == ain_s.id


def test_statements_do_not_grow_with_rows(db, w, make_user):
    for agent_number in range(3):  # several agents, each with a capacity row
        agent = make_user(roles=[("agent", w["home"])])
        queue_offer = pw.offer(agent, w["home"], title=f"Offre {agent_number}")
        pw.suggestion(queue_offer, w["need"])
    db.session.expire_all()
    with counted(db) as few:
        queue.queue_page(w["coordinator"])
    _fill(w, 20)
    for agent_number in range(5):
        agent = make_user(roles=[("agent", w["home"])])
        pw.suggestion(pw.offer(agent, w["home"], title=f"Autre {agent_number}"), w["need"])
    db.session.expire_all()
    with counted(db) as many:
        page = queue.queue_page(w["coordinator"])
    assert page.total == 29 and len(many) == len(few)


def test_capacities_in_one_statement(db, w, make_user):
    from marketplace.models import AgentCapacity
    agents = [make_user(roles=[("agent", w["home"])]) for _ in range(4)]
    db.session.add_all([AgentCapacity(user_id=a.id, max_open=i + 1) for i, a in enumerate(agents)])
    db.session.commit()
    ids = [a.id for a in agents]
    with counted(db) as statements:
        found = queue.capacities_of(ids)
    assert found == {agent_id: i + 1 for i, agent_id in enumerate(ids)} and len(statements) == 1


def test_item_found_refused_or_missing(w):
    assert queue.item(w["coordinator"], w["suggestion"].id).need.id == w["need"].id
    with pytest.raises(NotAllowed):
        queue.item(w["far_coordinator"], w["suggestion"].id)
    with pytest.raises(NotFound):
        queue.item(w["coordinator"], 999999)


def test_my_pairings_list_those_the_coordinator_approved(w):
    assert pairing_page.mine(w["coordinator"]) == []
    [approved] = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)
    other = pw.suggestion(pw.offer(w["agent"], w["home"], title="Rejetée"), w["need"])
    queue.decide(w["coordinator"], [other.id], approve=False, reason="Non")
    assert [p.id for p, _stage in pairing_page.mine(w["coordinator"])] == [approved.id]
    assert pairing_page.mine(w["far_coordinator"]) == []


def _notify(need, offer_ids):
    from marketplace.suggestions import services as suggestions
    from marketplace.core.unit_of_work import transactional
    transactional(lambda: suggestions._notify_coordinators(need, offer_ids))()


def test_new_suggestions_are_grouped_for_the_coordinator(db, w):
    _notify(w["need"], [w["offer"].id])
    second = pw.need(w["representative"], w["host"], title="Second besoin")
    _notify(second, [w["offer"].id, w["offer"].id + 100])
    notes = db.session.query(Notification).filter_by(user_id=w["coordinator"].id).all()
    assert len(notes) == 1 and notes[0].message == "3 nouvelles suggestions sur votre territoire"
    assert notes[0].link == "/coordination/"
    emails = db.session.query(OutboxEmail).filter_by(to=w["coordinator"].email).all()
    assert len(emails) == 1
    notes[0].read_at = notes[0].created_at
    db.session.commit()
    _notify(second, [w["offer"].id + 200])  # once read, a new group starts
    messages = sorted(n.message for n in db.session.query(Notification).filter_by(user_id=w["coordinator"].id))
    assert messages == ["1 nouvelle suggestion sur votre territoire", "3 nouvelles suggestions sur votre territoire"]


def test_grouped_suggestions_follow_the_digest_preference(db, w):
    db.session.add(NotificationPreference(user_id=w["coordinator"].id, kind="suggestions", frequency="daily"))
    db.session.commit()
    _notify(w["need"], [w["offer"].id])
    _notify(pw.need(w["representative"], w["host"], title="Autre"), [w["offer"].id])
    assert db.session.query(OutboxEmail).filter_by(to=w["coordinator"].email).count() == 0
    from marketplace.notifications import services as notifications
    assert notifications.send_daily_digests() == 1
    digest = db.session.query(OutboxEmail).filter_by(to=w["coordinator"].email).one()
    assert digest.kind == "digest" and "2 nouvelles suggestions sur votre territoire" in str(digest.context)


def test_waiting_email_says_the_current_count(db, w):
    from marketplace.core.unit_of_work import transactional
    from marketplace.suggestions import services as suggestions
    second = pw.need(w["representative"], w["host"], title="Second besoin")

    @transactional
    def one_matching_run():  # one task may find new suggestions for several needs
        suggestions._notify_coordinators(w["need"], [w["offer"].id])
        suggestions._notify_coordinators(second, [w["offer"].id, w["offer"].id + 1])
        return db.session.query(OutboxEmail).filter_by(to=w["coordinator"].email).all()

    [email] = one_matching_run()
    assert email.context["message"] == "3 nouvelles suggestions sur votre territoire"
    assert email.context["offer_count"] == 3 and "/coordination/" in email.context["queue_url"]


def test_grouped_email_renders(db, w):
    from marketplace.core.mail import render_email
    _notify(w["need"], [w["offer"].id])
    email = db.session.query(OutboxEmail).filter_by(to=w["coordinator"].email).one()
    _subject, text, html = render_email(email.subject, email.template, "fr", **email.context)
    assert "1 nouvelle suggestion sur votre territoire" in text and "/coordination/" in html


def test_page_rows_show_what_the_entities_hold_in_one_statement(db, w, make_collectivity, make_user):
    """The page's rows are plain values read in one statement (queue_rows), not entities; they
    hold what the entities hold: names, sorted départements, availability, the host's request."""
    from datetime import date

    from marketplace.models import Need, Pairing, SkillOffer, Suggestion
    from tests.sql_statements import statements

    border = make_collectivity("Vallée", departements=("69", "01", "42"))
    rep = make_user(name="Léa Hôte", roles=[("representative", border)])
    asked = pw.suggestion(w["offer"], pw.need(rep, border, title="Besoin demandé"), score=0.3)
    db.session.add(Pairing(offer_id=w["offer"].id, need_id=asked.need_id, status="pending_review",
                           requested_by_id=rep.id))
    w["offer"].available_from, w["offer"].max_distance_km = date(2030, 1, 1), 40
    db.session.commit()
    db.session.expire_all()
    with statements(db) as seen:
        items = queue.queue_page(w["coordinator"]).items
    # The collectivities (names, and the host's départements in the same statement) are read once.
    assert len([s for s in seen if "JOIN collectivities AS" in s and "suggestions" in s]) == 1
    assert not [s for s in seen if s.lstrip().startswith("SELECT collectivity_departements")]
    assert [i.suggestion.id for i in items] == [asked.id, w["suggestion"].id]
    for item in items:
        suggestion = db.session.get(Suggestion, item.suggestion.id)
        offer, need = db.session.get(SkillOffer, suggestion.offer_id), db.session.get(Need, suggestion.need_id)
        assert not isinstance(item.offer, SkillOffer) and not isinstance(item.need, Need)
        assert (item.suggestion.score, item.suggestion.reasons) == (suggestion.score, suggestion.reasons)
        assert (item.offer.id, item.offer.title, item.offer.agent.display_name, item.offer.collectivity.name) == (
            offer.id, offer.title, offer.agent.display_name, offer.collectivity.name)
        assert (item.need.id, item.need.title, item.need.domain, item.need.collectivity.name,
                item.need.collectivity.departement_codes) == (need.id, need.title, need.domain, need.collectivity.name,
                                                              need.collectivity.departement_codes)
        assert item.availability == queue.availability(offer, need, Phrases()) and item.rules == queue.rules(offer, Phrases())
    assert items[0].need.collectivity.departement_codes == ["01", "42", "69"]
    assert items[0].requested_by == "Léa Hôte" and items[1].requested_by is None
    assert queue.item(w["coordinator"], asked.id).requested_by == "Léa Hôte"


def test_waiting_statements_are_built_once_and_follow_the_scope(db, w, make_collectivity, make_user):
    """The statement of a territory and filters is built once (the same object, whose derived
    statements are kept too); it holds no data, and a change of scope is a new statement."""
    coordinator = w["coordinator"]
    assert queue._waiting(coordinator) is queue._waiting(coordinator)
    assert queue._waiting(coordinator, domain="culture") is not queue._waiting(coordinator)
    assert queue._waiting(coordinator, min_age_days=2) is not queue._waiting(coordinator, min_age_days=2)
    lille_need = pw.need(w["other_rep"], w["lille"], title="Besoin du Nord")
    pw.suggestion(w["offer"], lille_need)
    assert [i.need.id for i in queue.queue_page(coordinator).items] == [w["need"].id]
    coordinator.roles[0].scope_departements = ["69", "59"]
    db.session.commit()
    assert {i.need.id for i in queue.queue_page(coordinator).items} == {w["need"].id, lille_need.id}
    queue.decide(coordinator, [w["suggestion"].id], approve=False, reason="Non")  # a write: seen at once
    assert [i.need.id for i in queue.queue_page(coordinator).items] == [lille_need.id]
