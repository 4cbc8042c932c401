"""Load the demonstration data planned by marketplace/demo into the database.

`flask seed-demo` calls `seed_demo`; `make run` and README list `demo_accounts()`. The seed is
refused when DEMO_ENABLED is false (production), and a second run changes nothing.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from flask import current_app
from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm.attributes import flag_modified

from marketplace.admin.domains import seed_demo_domains
from marketplace.demo.calls import seed_calls
from marketplace.demo.communities import seed_communities
from marketplace.demo.essaimage import seed_essaimage_kit
from marketplace.demo.collectivities import PLACES, Place, place_key
from marketplace.demo.generator import DEFAULT_SEED, DemoPlan, PlannedListing, build_plan, places_used
from marketplace.demo.people import DEMO_ACCOUNTS, DEMO_DOMAIN, DEMO_PASSWORD
from marketplace.demo.practices import PlannedPractice, plan_practices
from marketplace.core.errors import NotAllowed
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import (
    Collectivity, CollectivityRegion, Need, PracticeReuse, PracticeRevision, PracticeSheet,
    RoleAssignment, SkillOffer, User,
)
from marketplace.geography.plan import normalise_name
from marketplace.accounts.passwords import hash_password

Progress = Callable[[str], None]


class DemoDisabled(NotAllowed):
    """Raised when the demo is asked for where it is switched off (DEMO_ENABLED false)."""


def demo_accounts() -> list[tuple[str, str]]:
    """(role label, e-mail) of the one-per-role demo accounts, in role order."""
    return [(account.label, account.email) for account in DEMO_ACCOUNTS]


def demo_password() -> str:
    """The password shared by every demo account (demo only)."""
    return DEMO_PASSWORD


def is_seeded() -> bool:
    """Whether the demo accounts are already in the database."""
    emails = [account.email for account in DEMO_ACCOUNTS]
    return db.session.scalar(select(func.count()).where(func.lower(User.email).in_(emails))) > 0


def demo_counts() -> dict[str, int]:
    """What the demo holds now: users, offers, needs, collectivities and régions they involve,
    published practice sheets written by demo accounts and the reuses declared of them."""
    demo_users = select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))
    offers = select(SkillOffer.collectivity_id).where(SkillOffer.agent_id.in_(demo_users))
    needs = select(Need.collectivity_id).where(Need.author_id.in_(demo_users))
    involved = offers.union(needs).subquery()
    regions = select(func.count(distinct(CollectivityRegion.region_code))).where(
        CollectivityRegion.collectivity_id.in_(select(involved.c[0]))
    )
    sheets = select(PracticeSheet.id).where(PracticeSheet.created_by_id.in_(demo_users),
                                            PracticeSheet.status == "published")
    reuses = select(PracticeReuse.id).where(PracticeReuse.sheet_id.in_(sheets))
    return {
        "practices": db.session.scalar(select(func.count()).select_from(sheets.subquery())),
        "reuses": db.session.scalar(select(func.count()).select_from(reuses.subquery())),
        "users": db.session.scalar(select(func.count()).select_from(demo_users.subquery())),
        "offers": db.session.scalar(select(func.count()).select_from(offers.subquery())),
        "needs": db.session.scalar(select(func.count()).select_from(needs.subquery())),
        "collectivities": db.session.scalar(select(func.count()).select_from(involved)),
        "regions": db.session.scalar(regions),
    }


@transactional  # one commit for everything: a failure half-way leaves no partial demo behind
def seed_demo(progress: Progress | None = None, seed: int = DEFAULT_SEED) -> dict:
    """Create the demo content (collectivities when missing, their e-mail domains, accounts,
    offers, needs, practice sheets and their reuses, two communities of practice) in one
    transaction and return the counts; when the demo is already there, return its counts with
    already_seeded=True and change nothing. Raises DemoDisabled where the demo is switched off."""
    if not current_app.config.get("DEMO_ENABLED"):
        raise DemoDisabled("La démonstration est désactivée dans cette configuration (DEMO_ENABLED).")
    if is_seeded():
        return {"already_seeded": True, "collectivities_created": 0, **demo_counts()}
    report = progress or (lambda _message: None)
    plan = build_plan(seed)
    report("Collectivités…")
    places, created = _ensure_collectivities(plan)
    report("Comptes…")
    users = _create_users(plan, places)
    report("Offres et besoins…")
    _create_listings(plan, places, users)
    report("Fiches pratiques…")
    _create_practices(plan_practices(plan, seed), places, users)
    seed_essaimage_kit()
    report("Domaines de messagerie des collectivités…")
    seed_demo_domains(places.values())
    report("Communautés de pratique…")
    db.session.flush()
    seed_communities()
    db.session.flush()
    seed_calls()  # after the communities: two calls for projects, one closed with laureates
    return {"already_seeded": False, "collectivities_created": created, **demo_counts()}


def _ensure_collectivities(plan: DemoPlan) -> tuple[dict[tuple[str, str], Collectivity], int]:
    """The collectivities the plan uses, found by official code (or SIREN), created when missing."""
    wanted = places_used(plan)
    epci_of = {p.epci for p in wanted if p.epci}
    wanted += [p for p in PLACES if p.kind == "epci" and p.code in epci_of and p not in wanted]
    codes = {p.code for p in wanted}
    found = db.session.scalars(
        select(Collectivity).where(or_(Collectivity.code.in_(codes), Collectivity.siren.in_(codes)))
    ).all()
    by_key = {(c.kind, c.code): c for c in found}
    by_siren = {c.siren: c for c in found if c.siren}
    places: dict[tuple[str, str], Collectivity] = {}
    missing: list[tuple[Place, Collectivity]] = []
    for place in wanted:
        existing = by_key.get(place_key(place)) or (
            by_siren.get(place.code) if place.kind in ("epci", "groupement") else None
        )
        if existing is None:
            existing = _new_collectivity(place)
            missing.append((place, existing))
        places[place_key(place)] = existing
    db.session.add_all(item for _place, item in missing)
    db.session.flush()
    for place, item in missing:
        epci = places.get(("epci", place.epci)) if place.epci else None
        if epci is not None:
            item.epci_id = epci.id
    return places, len(missing)


def _new_collectivity(place: Place) -> Collectivity:
    item = Collectivity(
        kind=place.kind, code=place.code, name=place.name, search_name=normalise_name(place.name),
        nature=place.nature, insee_code=place.code if place.kind == "commune" else None,
        siren=place.code if place.kind in ("epci", "groupement") else None,
        postal_codes=list(place.postal_codes), population=place.population,
        latitude=place.latitude, longitude=place.longitude, coordinates_source="demo",
    )
    item.set_territory(place.departements, place.regions)
    return item


def _create_users(plan: DemoPlan, places) -> dict[str, User]:
    # Hashing is deliberately slow: one hash shared by every demo account keeps the seed fast.
    password_hash = hash_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for planned in plan.users:
        user = User(email=planned.email, display_name=planned.display_name,
                    password_hash=password_hash, email_verified=True,
                    security_stamp=uuid.uuid4().hex)
        for role in planned.roles:
            user.roles.append(RoleAssignment(
                role=role.role,
                collectivity=places[role.collectivity] if role.collectivity else None,
                scope_departements=list(role.scope_departements),
                scope_regions=list(role.scope_regions),
                yearly_day_budget=role.yearly_day_budget,
            ))
        users[planned.email] = user
    db.session.add_all(users.values())
    db.session.flush()
    return users


def _create_listings(plan: DemoPlan, places, users) -> None:
    today, now = date.today(), datetime.now(timezone.utc)

    def common(item: PlannedListing) -> dict:
        published = item.published_days_ago
        return {
            "title": item.title, "description": item.description, "tags": list(item.tags),
            "domain": item.domain, "modality": item.modality, "status": item.status,
            "published_at": now - timedelta(days=published) if published is not None else None,
            "collectivity": places[item.collectivity],
        }

    def day(offset: int | None) -> date | None:
        return today + timedelta(days=offset) if offset is not None else None

    db.session.add_all(
        SkillOffer(agent=users[o.owner_email], days_per_month=o.days,
                   available_from=day(o.starts_in_days), available_until=day(o.ends_in_days),
                   max_distance_km=o.max_distance_km, **common(o))
        for o in plan.offers
    )
    db.session.flush()
    db.session.add_all(
        Need(author=users[n.owner_email], estimated_days=n.days, start_date=day(n.starts_in_days),
             deadline=day(n.ends_in_days), **common(n))
        for n in plan.needs
    )
    db.session.flush()


def _create_practices(practices: list[PlannedPractice], places, users) -> None:
    """Published sheets, each with its first revision, and their reuses.

    Rows are written here rather than through practices.editing.create_sheet and
    essaimage.declare_reuse because both commit: the demo must stay one transaction. What
    they would do is reproduced: a sheet and revision 1 holding its content; nobody follows
    anything yet, so there is nobody to notify."""
    now = datetime.now(timezone.utc)
    for planned in practices:
        text, author = planned.text, users[planned.author_email]
        published = now - timedelta(days=planned.published_days_ago)
        sheet = PracticeSheet(
            title=text.title, summary=text.summary, problem=text.problem, actions=text.actions,
            results=text.results, costs=text.costs, days=text.days, contacts=text.contacts,
            domain=text.domain, tags=list(text.tags), collectivity_id=places[text.collectivity].id,
            status="published", created_by_id=author.id, revision_number=1,
            created_at=published, updated_at=published,
        )
        db.session.add(sheet)
        db.session.flush()
        revision = PracticeRevision(sheet_id=sheet.id, number=1, author_id=author.id,
                                    comment="Création de la fiche", content=sheet.content(),
                                    created_at=published)
        db.session.add(revision)
        db.session.flush()
        sheet.current_revision_id = revision.id
        # Named in the UPDATE (the value is unchanged, so it must be flagged), so that the
        # column's onupdate does not date every demo sheet today.
        flag_modified(sheet, "updated_at")
        db.session.add_all(
            PracticeReuse(
                sheet_id=sheet.id, collectivity_id=places[reuse.collectivity].id,
                declared_by_id=users[reuse.declared_by_email].id, stage=reuse.stage,
                inspired_at=now - timedelta(days=reuse.inspired_days_ago),
                implemented_at=(now - timedelta(days=reuse.implemented_days_ago)
                                if reuse.implemented_days_ago is not None else None),
            )
            for reuse in planned.reuses
        )
    db.session.flush()
