"""The demo data: volume, coverage, accounts, determinism, idempotence, refusal in production."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from marketplace import create_app
from marketplace.demo.generator import DEFAULT_SEED, build_plan
from marketplace.demo.people import DEMO_PASSWORD
from marketplace.core.extensions import db as _db
from marketplace.demo.practices import PRACTICES, plan_practices
from marketplace.models import (
    Collectivity, Need, PracticeReuse, PracticeRevision, PracticeSheet, RoleAssignment, SkillOffer,
    User,
)
from marketplace.demo.seed import DemoDisabled, demo_accounts, is_seeded, seed_demo
from marketplace.accounts.passwords import verify_password
from marketplace.practices.services.essaimage import region_table
from marketplace.practices.services.search import search_sheets, similar_practices_for_need
from marketplace.core.taxonomy import (
    COLLECTIVITY_KINDS, DOMAINS, MODALITIES, NEED_STATUSES, OFFER_STATUSES, ROLES,
)


def _user(email: str) -> User:
    return _db.session.scalar(select(User).where(User.email == email))


def test_seed_on_empty_database_creates_varied_valid_content_everywhere(db):
    counts = seed_demo()

    assert counts["already_seeded"] is False
    assert counts["offers"] >= 300 and counts["needs"] >= 150
    assert counts["regions"] >= 5
    assert db.session.scalar(select(func.count()).select_from(SkillOffer)) == counts["offers"]
    involved = {o.collectivity for o in db.session.scalars(select(SkillOffer))}
    involved |= {n.collectivity for n in db.session.scalars(select(Need))}
    assert {c.kind for c in involved} == set(COLLECTIVITY_KINDS)
    assert len({code for c in involved for code in c.region_codes}) >= 5
    offers = db.session.scalars(select(SkillOffer)).all()
    needs = db.session.scalars(select(Need)).all()
    assert {o.status for o in offers} == {"published", "draft", "paused"}
    assert {n.status for n in needs} == {"open", "draft", "in_progress"}
    assert sum(o.status == "published" for o in offers) > len(offers) / 2
    assert sum(n.status == "open" for n in needs) > len(needs) / 2
    assert len({o.domain for o in offers}) == len(DOMAINS)
    assert len({o.title for o in offers}) >= 80
    agents = db.session.scalar(select(func.count(func.distinct(SkillOffer.agent_id))))
    assert agents >= 100

    # Every listing is valid and belongs to someone holding the right role in its collectivity.
    for item in offers + needs:
        assert 0 < len(item.title) <= 200
        assert item.domain in DOMAINS and item.modality in MODALITIES
        assert isinstance(item.tags, list) and item.tags
        assert all(isinstance(tag, str) and 0 < len(tag) <= 40 for tag in item.tags)
        assert len(item.description) > 100
        assert (item.published_at is None) == (item.status == "draft")
        if isinstance(item, SkillOffer):
            assert item.status in OFFER_STATUSES and item.days_per_month > 0
            assert item.collectivity_id in item.agent.collectivity_ids("agent")
        else:
            assert item.status in NEED_STATUSES and item.estimated_days > 0
            assert item.collectivity_id in item.author.collectivity_ids("representative")
            assert item.deadline > item.start_date


def test_one_account_per_role_logs_in_with_the_documented_password(db):
    seed_demo()

    accounts = dict((email, label) for label, email in demo_accounts())
    assert len(accounts) == len(ROLES) == 5
    held = set()
    for email in accounts:
        user = _user(email)
        assert user.email_verified and user.active
        assert verify_password(user.password_hash, DEMO_PASSWORD)
        assert not verify_password(user.password_hash, "mauvais-mot-de-passe")
        held |= {role.role for role in user.roles}
    assert held == set(ROLES)

    agent, referent = _user("agent@demo.essaim.fr"), _user("referent@demo.essaim.fr")
    approver = _user("employeur@demo.essaim.fr").roles[0]
    coordinator = _user("coordinateur@demo.essaim.fr").roles[0]
    assert approver.collectivity_id in agent.collectivity_ids("agent")
    assert approver.yearly_day_budget and approver.yearly_day_budget > 0
    assert coordinator.scope_regions and coordinator.scope_departements
    assert _user("admin@demo.essaim.fr").is_admin

    agent_offers = db.session.scalars(select(SkillOffer).where(SkillOffer.agent_id == agent.id)).all()
    referent_needs = db.session.scalars(select(Need).where(Need.author_id == referent.id)).all()
    assert agent_offers and referent_needs
    offer_places = {o.collectivity_id for o in agent_offers}
    assert offer_places.isdisjoint({n.collectivity_id for n in referent_needs})
    assert agent.collectivity_ids().isdisjoint(referent.collectivity_ids())


def test_plan_is_deterministic_and_a_second_run_changes_nothing(app, db):
    plan = build_plan()
    assert build_plan() == plan
    assert [o.title for o in build_plan(DEFAULT_SEED + 1).offers] != [o.title for o in plan.offers]

    first = seed_demo()

    stored = db.session.scalars(select(SkillOffer.title).order_by(SkillOffer.id)).all()
    assert stored == [o.title for o in plan.offers]
    stored = db.session.scalars(select(Need.description).order_by(Need.id)).all()
    assert stored == [n.description for n in plan.needs]
    users = db.session.scalar(select(func.count()).select_from(User))
    assert is_seeded()

    second = seed_demo()

    assert second["already_seeded"] is True and second["collectivities_created"] == 0
    for key in ("users", "offers", "needs", "collectivities", "regions", "practices", "reuses"):
        assert second[key] == first[key]
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    assert db.session.scalar(select(func.count()).select_from(PracticeSheet)) == first["practices"]
    assert db.session.scalar(select(func.count()).select_from(PracticeRevision)) == first["practices"]
    assert db.session.scalar(select(func.count()).select_from(PracticeReuse)) == first["reuses"]
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "déjà chargées" in result.output


def test_practice_sheets_are_published_by_local_agents_and_spread_elsewhere(db):
    counts = seed_demo()

    every = db.session.scalars(select(PracticeSheet).order_by(PracticeSheet.id)).all()
    # The demo's finished call for projects adds one retour d'expérience (marketplace/demo/calls.py).
    sheets = [s for s in every if "appel à projets" not in s.tags]
    assert counts["practices"] == len(every) == len(sheets) + 1 and len(sheets) == len(PRACTICES) >= 10
    assert [s.title for s in sheets] == [p.title for p in PRACTICES]
    assert len({s.domain for s in sheets}) >= 8 and len({s.collectivity_id for s in sheets}) == len(sheets)
    assert len({code for s in sheets for code in s.collectivity.region_codes}) >= 6
    for sheet in sheets:
        assert sheet.status == "published" and sheet.domain in DOMAINS
        assert 0 < len(sheet.title) <= 200 and sheet.tags and sheet.days > 0
        for text in (sheet.summary, sheet.problem, sheet.results, sheet.costs, sheet.contacts):
            assert len(text) > 20
        assert "\n- " in sheet.actions and "@" not in sheet.contacts
        # Written by an agent of the collectivity that ran the practice, as revision 1.
        assert sheet.collectivity_id in sheet.created_by.collectivity_ids("agent")
        assert sheet.created_by.email.endswith("@demo.essaim.fr")
        revision = db.session.get(PracticeRevision, sheet.current_revision_id)
        assert (revision.sheet_id, revision.number, sheet.revision_number) == (sheet.id, 1, 1)
        assert revision.author_id == sheet.created_by_id and revision.content == sheet.content()
        assert sheet.updated_at < revision.created_at + timedelta(seconds=1)
    assert len({s.updated_at.date() for s in sheets}) > 1  # "recent" sort has something to sort

    reuses = db.session.scalars(select(PracticeReuse)).all()
    by_sheet = {s.id: s for s in sheets}
    assert counts["reuses"] == len(reuses)
    assert len({r.sheet_id for r in reuses}) >= 5
    assert {r.stage for r in reuses} == {"inspired", "implemented"}
    for reuse in reuses:
        assert reuse.collectivity_id != by_sheet[reuse.sheet_id].collectivity_id
        declarer = db.session.get(User, reuse.declared_by_id)
        assert reuse.collectivity_id in declarer.collectivity_ids("representative")
        assert (reuse.implemented_at is not None) == (reuse.stage == "implemented")
        assert reuse.inspired_at > by_sheet[reuse.sheet_id].created_at
    # The library's spread sort and table have something to show.
    ranked = search_sheets(sort="spread")
    assert ranked[0].spread > ranked[-1].spread == 0
    assert [f.spread for f in ranked] == sorted((f.spread for f in ranked), reverse=True)
    table = region_table()
    assert len(table) >= 5 and any(row["implemented"] for row in table)


def test_the_demo_referent_finds_a_practice_close_to_an_open_need(db):
    seed_demo()

    referent = _user("referent@demo.essaim.fr")
    needs = db.session.scalars(select(Need).where(Need.author_id == referent.id,
                                                  Need.status == "open")).all()
    suggested = {need.title: similar_practices_for_need(need) for need in needs}
    canteen = next(n for n in needs if "cantine" in n.tags)
    assert any("cantine" in found.sheet.tags for found in suggested[canteen.title])
    found = suggested[canteen.title][0]
    assert found.authors and found.sheet.collectivity_id not in referent.collectivity_ids()


def test_practice_plan_is_deterministic(db):
    plan = build_plan()
    assert plan_practices(plan, DEFAULT_SEED) == plan_practices(build_plan(), DEFAULT_SEED)
    assert plan_practices(plan, DEFAULT_SEED) != plan_practices(plan, DEFAULT_SEED + 1)


def test_reuses_the_imported_geography(db, make_collectivity):
    rennes = make_collectivity(name="Rennes", code="35238", departements=("35",), regions=("53",))
    metropole = make_collectivity(name="Rennes Métropole", kind="epci", code="243500139",
                                  siren="243500139", departements=("35",), regions=("53",))

    counts = seed_demo()

    agent = _user("agent@demo.essaim.fr")
    assert agent.collectivity_ids("agent") == {rennes.id}
    rows = db.session.scalars(select(Collectivity).where(Collectivity.code == "35238")).all()
    assert rows == [rennes]
    assert db.session.scalar(select(func.count()).where(Collectivity.siren == "243500139")) == 1
    total = db.session.scalar(select(func.count()).select_from(Collectivity))
    assert counts["collectivities_created"] == total - 2
    assert metropole.epci_id is None and rennes.name == "Rennes"


def test_command_prints_counts_and_accounts(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    assert "300 offres" in result.output and "150 besoins" in result.output
    assert DEMO_PASSWORD in result.output
    for _label, email in demo_accounts():
        assert email in result.output


def test_refused_when_demo_is_disabled(app):
    # Same database as the `app` fixture, production-like switch off.
    disabled = create_app(
        TestingConfig, DEMO_ENABLED=False,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SQLALCHEMY_ENGINE_OPTIONS=app.config["SQLALCHEMY_ENGINE_OPTIONS"],
    )
    with disabled.app_context():
        _db.create_all()
        with pytest.raises(DemoDisabled):
            seed_demo()
        result = disabled.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code != 0 and "désactivée" in result.output
        assert _db.session.scalar(select(func.count()).select_from(User)) == 0
        assert _db.session.scalar(select(func.count()).select_from(RoleAssignment)) == 0
        _db.session.remove()
        _db.engine.dispose()


def test_demo_accounts_sign_in_through_the_login_form(db, login, client):
    seed_demo()

    for _label, email in demo_accounts():
        login(_user(email), password=DEMO_PASSWORD)
        assert client.get("/espace").status_code == 200
        response = client.post_form("/compte/deconnexion", {}, token_from="/espace")
        assert response.status_code in (302, 303)
