"""The coordinator queue at scale (issue 13): bounded candidates ranked as the former Python ranking
did, page boundaries, filters, statements that do not grow with the rows, a page of bounded size."""
from __future__ import annotations

import pytest

from marketplace.models import AgentCapacity, Need, Pairing, SkillOffer, Suggestion
from marketplace.models.base import utcnow
from marketplace.pairings.services import queue, queue_ranking
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)
from tests.sql_statements import statements

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py


def reference_order(db, sort: str) -> list[int]:
    """The ranking as queue.py computed it before issue 13, in Python over every waiting suggestion
    (all of the fixture's needs are on the coordinator's territory)."""
    pairings = db.session.query(Pairing).all()
    decided = {(p.offer_id, p.need_id) for p in pairings if p.status != "pending_review"}
    requested = {(p.offer_id, p.need_id) for p in pairings if p.requested_by_id}
    now, rows = utcnow(), []
    for s in db.session.query(Suggestion).all():
        offer, need = db.session.get(SkillOffer, s.offer_id), db.session.get(Need, s.need_id)
        if (s.offer_id, s.need_id) in decided or offer.status != "published" or need.status != "open":
            continue
        mine = [p for p in pairings if p.offer.agent_id == offer.agent_id]
        open_count = sum(1 for p in mine if p.status == "proposed"
                         or (p.status == "engaged" and p.engagement and p.engagement.status == "active"))
        capacity_row = db.session.get(AgentCapacity, offer.agent_id)
        capacity = capacity_row.effective if capacity_row else 2
        similar = [p for p in mine if p.status in ("rejected", "declined")
                   and (p.need.domain == need.domain or p.need.collectivity_id == need.collectivity_id)]
        rank = s.score * (0.5 if open_count >= capacity else 1) * 0.8 ** len(similar)
        created = s.created_at if s.created_at.tzinfo else s.created_at.replace(tzinfo=now.tzinfo)
        departement = min(need.collectivity.departement_codes or [""])
        rows.append((s.id, rank, (now - created).days, (s.offer_id, s.need_id) in requested, departement))
    keys = {"age": lambda r: (-r[2], -r[1], r[0]), "departement": lambda r: (r[4], -r[1], r[0])}
    return [r[0] for r in sorted(rows, key=keys.get(sort, lambda r: (not r[3], -r[1], r[0])))]


@pytest.fixture
def crowd(db, w, make_user, make_collectivity):
    """Twenty-odd waiting suggestions with tied scores and ages, three agents (one at capacity, one
    with refusals alike by domain, by host and by both), a host's request, two départements."""
    ain = make_collectivity("Bourg-en-Bresse", departements=("01",))
    w["coordinator"].roles[0].scope_departements = ["01", "69"]
    ain_rep = make_user(roles=[("representative", ain)])
    agents = [w["agent"]] + [make_user(roles=[("agent", w["home"])]) for _ in range(2)]
    offers = [pw.offer(a, w["home"], title=f"Offre {i}") for i, a in enumerate(agents)]
    culture = pw.offer(agents[2], w["home"], title="Offre culture", domain="culture")
    db.session.add(AgentCapacity(user_id=agents[1].id, max_open=1))
    refused_need = pw.need(w["representative"], w["host"], title="Refusé (même hôte)", domain="culture")
    refused_ain = pw.need(ain_rep, ain, title="Refusé (même domaine)")
    for status, offer, need in (("rejected", offers[2], refused_need), ("declined", offers[2], refused_ain),
                                ("proposed", offers[1], pw.need(ain_rep, ain, title="Proposé"))):
        db.session.add(Pairing(offer_id=offer.id, need_id=need.id, status=status, reason=f"Motif {status}"))
    db.session.commit()
    for i in range(6):
        host_need = pw.need(w["representative"], w["host"], title=f"Besoin Lyon {i}",
                            domain=("marches_publics", "culture")[i % 2])
        ain_need = pw.need(ain_rep, ain, title=f"Besoin Ain {i}")
        for j, offer in enumerate(offers + [culture]):
            if (i + j) % 2:
                pw.suggestion(offer, host_need, score=(0.5, 0.7)[j % 2], age_days=(i * j) % 3 * 4)
            else:
                pw.suggestion(offer, ain_need, score=0.7, age_days=i % 2 * 9)
    asked = pw.suggestion(offers[0], pw.need(ain_rep, ain, title="Demandé"), score=0.2)
    db.session.add(Pairing(offer_id=asked.offer_id, need_id=asked.need_id, status="pending_review",
                           requested_by_id=ain_rep.id))
    db.session.commit()
    return w


def _all_pages(user, sort, per_page):
    first = queue.queue_page(user, sort=sort, per_page=per_page)
    ids = [i.suggestion.id for i in first.items]
    for number in range(2, first.pages + 1):
        ids += [i.suggestion.id for i in queue.queue_page(user, page=number, sort=sort, per_page=per_page).items]
    return first.total, ids


@pytest.mark.parametrize("sort", queue.SORTS)
def test_order_and_pages_equal_the_former_python_ranking(db, crowd, sort):
    expected = reference_order(db, sort)
    assert len(expected) > 25 and [i.suggestion.id for i in queue.queue(crowd["coordinator"], sort=sort)] == expected
    assert _all_pages(crowd["coordinator"], sort, per_page=4) == (len(expected), expected)


@pytest.mark.parametrize("sort", ["score", "age"])
def test_score_bound_retries_until_the_page_is_exact(db, crowd, monkeypatch, sort):
    # Bounds kept small: the first bound leaves out rows that belong on the page, then it is lowered.
    monkeypatch.setattr(queue_ranking, "PRUNE_MIN", 1)
    monkeypatch.setattr(queue_ranking, "PRUNE_FACTOR", 2)
    expected = reference_order(db, sort)
    assert _all_pages(crowd["coordinator"], sort, per_page=3) == (len(expected), expected)


def test_age_order_retries_when_the_best_scores_of_the_oldest_day_rank_low(db, crowd, monkeypatch):
    """The oldest day's best scores belong to an agent at capacity (rank halved): the first bound
    keeps only them, the page then needs the lower scores that rank higher."""
    monkeypatch.setattr(queue_ranking, "PRUNE_MIN", 1)
    monkeypatch.setattr(queue_ranking, "PRUNE_FACTOR", 2)
    busy, free = (db.session.query(SkillOffer).filter_by(title=title).one() for title in ("Offre 1", "Offre 0"))
    for i, (offer, score) in enumerate([(busy, 0.9)] * 4 + [(free, 0.6)] * 3):
        pw.suggestion(offer, pw.need(crowd["representative"], crowd["host"], title=f"Ancien {i}"), score=score,
                      age_days=30)
    expected = reference_order(db, "age")
    assert _all_pages(crowd["coordinator"], "age", per_page=2) == (len(expected), expected)
    first = queue.queue_page(crowd["coordinator"], sort="age", per_page=2).items
    assert [i.offer.title for i in first] == ["Offre 0", "Offre 0"]


def test_pages_of_rows_hosts_asked_for_are_ranked_among_them(db, crowd):
    """Five rows a host asked for: the first two pages of two hold only them (read without the
    other rows), the third mixes the last one with the best of the others."""
    busy, free = (db.session.query(SkillOffer).filter_by(title=title).one() for title in ("Offre 1", "Offre 0"))
    for i, (offer, score) in enumerate([(busy, 0.9), (free, 0.6), (busy, 0.3), (free, 0.95)]):
        asked = pw.suggestion(offer, pw.need(crowd["representative"], crowd["host"], title=f"Demandé {i}"), score=score)
        db.session.add(Pairing(offer_id=offer.id, need_id=asked.need_id, status="pending_review",
                               requested_by_id=crowd["representative"].id))
    db.session.commit()
    expected = reference_order(db, "score")
    assert _all_pages(crowd["coordinator"], "score", per_page=2) == (len(expected), expected)
    assert all(i.requested_by for i in queue.queue_page(crowd["coordinator"], page=2, per_page=2).items)


def test_ranks_and_explanations_follow_capacity_and_refusals(crowd):
    items = {i.offer.title: i for i in queue.queue(crowd["coordinator"])}
    assert items["Offre 1"].at_capacity and (items["Offre 1"].open_count, items["Offre 1"].capacity) == (1, 1)
    alike = [i for i in queue.queue(crowd["coordinator"]) if i.offer.agent_id == items["Offre 2"].offer.agent_id]
    assert all(set(i.similar_refusals) <= {"Motif rejected", "Motif declined"} for i in alike)
    assert all(i.rank == pytest.approx(i.suggestion.score * 0.8 ** len(i.similar_refusals)) for i in alike)
    assert any(i.similar_refusals for i in alike) and not items["Offre 0"].similar_refusals
    assert queue.queue(crowd["coordinator"])[0].requested_by  # what a host asked for comes first


def test_filters_narrow_the_total_and_the_pages(crowd):
    c = crowd["coordinator"]
    for filters in ({"departement": "01"}, {"domain": "culture"}, {"min_score": 0.6}, {"min_age_days": 5},
                    {"departement": "69", "domain": "marches_publics"}):
        everything = [i.suggestion.id for i in queue.queue(c, **filters)]
        page = queue.queue_page(c, per_page=100, **filters)
        assert page.total == len(everything) and [i.suggestion.id for i in page.items] == everything
        assert 0 < len(everything) < len(queue.queue(c))


def test_loads_capacities_and_refusals_in_one_statement_for_the_page(db, crowd):
    db.session.expire_all()
    with statements(db) as seen:
        queue.queue_page(crowd["coordinator"], per_page=5)
    capacity_reads = [s for s in seen if "agent_capacities" in s]
    refusal_reads = [s for s in seen if "pairings.reason" in s]
    # Open pairings (with their engagements) and refusals in the same statement as the capacities.
    assert len(capacity_reads) == 1 and "engagements" in capacity_reads[0] and refusal_reads == capacity_reads


def test_past_the_exact_count_the_total_is_more_than_and_pages_go_on(db, crowd, monkeypatch):
    monkeypatch.setattr(queue, "EXACT_TOTAL_UP_TO", 5)
    every = [i.suggestion.id for i in queue.queue(crowd["coordinator"])]
    assert len(every) > 12
    with statements(db) as seen:
        first = queue.queue_page(crowd["coordinator"], per_page=2)
    assert (first.total, first.more, first.pages, first.has_next) == (5, True, 3, True)
    assert list(first.iter_pages()) == [1, 2, 3, None]  # no last page: it is unknown
    counts = [s for s in seen if "count(" in s.lower() and "suggestions" in s]
    assert len(counts) == 1 and "LIMIT" in counts[0]  # never every row
    # Deeper pages count up to their own end, and every row is reached once, in order.
    ids, number = [i.suggestion.id for i in first.items], 1
    while True:
        number += 1
        page = queue.queue_page(crowd["coordinator"], page=number, per_page=2)
        if page.page != number:  # past the end: page 1
            break
        ids += [i.suggestion.id for i in page.items]
        assert page.more == (number * 2 < len(every)) and page.total == (max(5, number * 2) if page.more else len(every))
    assert ids == every and page.page == 1


def test_pages_stop_at_the_deepest_row(crowd, monkeypatch):
    monkeypatch.setattr(queue, "DEEPEST_ROW", 6)
    assert queue.queue_page(crowd["coordinator"], page=3, per_page=2).page == 3
    assert queue.queue_page(crowd["coordinator"], page=4, per_page=2).page == 1


def test_page_weight_is_bounded(db, client, login, w):
    """The issue measured a 500 KB queue page: 25 rows at most, and an agent's long history of
    refusals shows a few reasons, not all of them, on each row."""
    for i in range(40):
        refused = pw.need(w["representative"], w["host"], title=f"Ancien besoin {i}")
        db.session.add(Pairing(offer_id=w["offer"].id, need_id=refused.id, status="rejected",
                               reason=f"Motif de refus numéro {i} : " + "profil éloigné du besoin " * 4))
    db.session.commit()
    for i in range(30):
        pw.suggestion(w["offer"], pw.need(w["representative"], w["host"], title=f"Besoin {i}"))
    login(w["coordinator"])
    html = client.get("/coordination/").get_data(as_text=True)
    assert html.count('name="suggestion_ids" value=') == 25
    assert "Motif de refus numéro 39" in html and "Motif de refus numéro 0 " not in html
    assert len(html.encode()) < 150_000
