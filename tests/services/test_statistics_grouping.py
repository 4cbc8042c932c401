"""The statistics page's figures at national scale (issue 13): grouped by the database, so that
what a view reads does not grow with the number of offers, and the same figures as before."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from marketplace.models import Engagement, Need, Pairing, SkillOffer
from marketplace.statistics.filters import Filters, Scope
from marketplace.statistics.services import overview

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py

PUBLIC = Scope(everything=True, public=True)
EVERYTHING = Scope(everything=True)


@contextmanager
def rows_read():
    """The number of rows each statement run through the session gave back."""
    counts: list[int] = []

    def measure(state):
        frozen = state.invoke_statement().freeze()
        counts.append(len(frozen.data))
        return frozen()

    event.listen(Session, "do_orm_execute", measure)
    try:
        yield counts
    finally:
        event.remove(Session, "do_orm_execute", measure)


@pytest.fixture
def place(db, make_collectivity, make_user):
    lyon = make_collectivity("Lyon", departements=("69",), regions=("84",))
    lille = make_collectivity("Lille", departements=("59",), regions=("32",))
    agent = make_user(roles=[("agent", lyon)])
    rep = make_user(roles=[("representative", lille)])
    return {"lyon": lyon.id, "lille": lille.id, "agent": agent.id, "rep": rep.id}


def at(month: int, day: int = 1) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=timezone.utc)


def add_offers(db, place, n, month=3, domain="numerique"):
    db.session.execute(insert(SkillOffer), [
        {"title": f"Offre {i}", "description": "", "tags": [], "search_text": "", "domain": domain,
         "modality": "remote", "collectivity_id": place["lyon"], "status": "published", "agent_id": place["agent"],
         "days_per_month": 2.0, "published_at": at(month)} for i in range(n)])
    db.session.commit()


def add_needs(db, place, n, month=4, domain="urbanisme"):
    db.session.execute(insert(Need), [
        {"title": f"Besoin {i}", "description": "", "tags": [], "search_text": "", "domain": domain,
         "modality": "remote", "collectivity_id": place["lille"], "status": "open", "author_id": place["rep"],
         "estimated_days": 5.0, "published_at": at(month)} for i in range(n)])
    db.session.commit()


def test_what_a_view_reads_does_not_grow_with_the_offers(db, place):
    add_offers(db, place, 5)
    add_needs(db, place, 5)
    with rows_read() as few:
        overview(Filters(), PUBLIC)
    add_offers(db, place, 200, month=5)
    add_needs(db, place, 100, month=6)
    with rows_read() as many:
        overview(Filters(), PUBLIC)
    # Grouped rows only: a handful per month, domain, département, région or status, never one
    # per offer (the page used to read every published offer and need into Python).
    assert max(many) <= 10, many
    assert len(many) == len(few)


def test_figures_by_month_domain_place_and_stage(db, place):
    add_offers(db, place, 3, month=3)
    add_offers(db, place, 2, month=5, domain="finances")
    add_needs(db, place, 4, month=4)
    offers = [row[0] for row in db.session.execute(db.select(SkillOffer.id).order_by(SkillOffer.id))]
    needs = db.session.execute(db.select(Need.id, Need.published_at).order_by(Need.id)).all()
    stages = [("engaged", 2, ""), ("proposed", 5, ""), ("proposed", 9, ""), ("rejected", 1, " Trop loin "),
              ("rejected", 1, "Trop loin"), ("rejected", 1, "Hors sujet"), ("pending_review", None, "")]
    for i, (status, after_days, reason) in enumerate(stages):
        db.session.add(Pairing(offer_id=offers[i % 5], need_id=needs[i % 4].id, status=status,
                               reason=reason, decided_at=at(4) + timedelta(days=after_days) if after_days else None))
    db.session.commit()
    engaged = db.session.scalars(db.select(Pairing).where(Pairing.status == "engaged")).one()
    db.session.add(Engagement(pairing_id=engaged.id, activities="Conseil", start_date=at(5).date(),
                              end_date=at(8).date(), planned_days=12.5, place="Lille", working_time="1 j/sem",
                              renewal_terms="-", termination_terms="-", created_by_id=place["agent"]))
    db.session.commit()

    result = overview(Filters(), EVERYTHING)
    assert result.totals["offers"] == 5 and result.totals["needs"] == 4
    assert (result.totals["approved"], result.totals["rejected"], result.totals["engagements"]) == (3, 3, 1)
    assert result.totals["days_planned"] == 12.5
    assert result.pairings_by_status == {"engaged": 1, "proposed": 2, "rejected": 3, "pending_review": 1}
    assert result.rejection_reasons == [("Trop loin", 2), ("Hors sujet", 1)]
    assert result.by_month["offers"] == {"2026-03": 3, "2026-05": 2}
    assert result.by_month["needs"] == {"2026-04": 4}
    assert result.by_month["approved"] == {"2026-04": 3}
    assert result.by_domain == {"offers": {"numerique": 3, "finances": 2}, "needs": {"urbanisme": 4}}
    assert result.by_departement["offers"] == {"69": 5} and result.by_region["needs"] == {"32": 4}
    assert result.by_departement["pairings"] == {"59": 7}
    # Needs published on 1 April at noon, approved 2, 5 and 9 days later: the median is 5 days.
    assert result.medians["need_to_approval"] == 5.0
    assert result.medians["need_to_signature"] is None

    public = overview(Filters(), PUBLIC)
    assert public.rejection_reasons == [] and public.totals == result.totals
    march = overview(Filters(start=at(3).date(), end=at(3, 31).date(), domain="numerique"), EVERYTHING)
    assert march.totals["offers"] == 3 and march.totals["needs"] == 0
    nord = overview(Filters(departement="59"), EVERYTHING)
    assert nord.totals["offers"] == 0 and nord.totals["needs"] == 4


def test_an_even_number_of_spans_has_the_mean_of_the_middle_two(db, place):
    add_offers(db, place, 4)
    add_needs(db, place, 1)
    offer_ids = db.session.scalars(db.select(SkillOffer.id)).all()
    need_id = db.session.scalar(db.select(Need.id))
    for offer_id, days in zip(offer_ids, (1, 2, 4, 30)):
        db.session.add(Pairing(offer_id=offer_id, need_id=need_id, status="proposed",
                               decided_at=at(4) + timedelta(days=days)))
    db.session.commit()
    assert overview(Filters(), EVERYTHING).medians["need_to_approval"] == 3.0
