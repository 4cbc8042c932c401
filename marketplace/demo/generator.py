"""A deterministic plan of the demo data: who, where, which offers and needs.

Pure Python over the content tables: the same seed always gives the same plan, so two runs of
`flask seed-demo` produce the same titles and a test can compare the database with the plan.
Dates are offsets in days from the day of the seed, applied by the service.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from marketplace.core.text import slug
from marketplace.demo.collectivities import PLACES, Place, place_key
from marketplace.demo.people import (
    AGENT_HOME, APPROVER_DAY_BUDGET, COORDINATOR_SCOPE, DEMO_ACCOUNTS, DEMO_DOMAIN, FIRST_NAMES,
    LAST_NAMES, REFERENT_HOME,
)
from marketplace.demo.phrases import (
    KIND_WORDS, NEED_CLOSINGS, NEED_CONTEXT, NEED_EXPECTED, NEED_INTROS, OFFER_CLOSINGS,
    OFFER_EXPERIENCE, OFFER_INTROS, OFFER_MODALITY,
)
from marketplace.demo.skills import CATALOGUE

DEFAULT_SEED = 2026
PLACE_WEIGHTS = {"commune": 3.0, "epci": 3.0, "departement": 1.5, "region": 1.0,
                 "statut_particulier": 1.0, "groupement": 1.0}
OFFER_DAYS = (0.5, 1, 1, 1.5, 2, 2, 3, 4)
NEED_DAYS = (2, 3, 5, 5, 8, 10, 12, 15, 20, 30)
DISTANCES = (30, 50, 80, 150)
MODALITY_WEIGHTS = {"remote": 35, "hybrid": 40, "on_site": 25}
OFFER_STATUS_WEIGHTS = {"published": 82, "draft": 10, "paused": 8}
NEED_STATUS_WEIGHTS = {"open": 78, "draft": 10, "in_progress": 12}


@dataclass(frozen=True)
class PlannedRole:
    role: str
    collectivity: tuple[str, str] | None = None
    scope_departements: tuple[str, ...] = ()
    scope_regions: tuple[str, ...] = ()
    yearly_day_budget: int | None = None


@dataclass(frozen=True)
class PlannedUser:
    email: str
    display_name: str
    roles: tuple[PlannedRole, ...]


@dataclass(frozen=True)
class PlannedListing:
    owner_email: str
    collectivity: tuple[str, str]
    title: str
    description: str
    tags: tuple[str, ...]
    domain: str
    modality: str
    status: str
    days: float  # days per month for an offer, estimated days for a need
    published_days_ago: int | None
    starts_in_days: int
    ends_in_days: int | None
    max_distance_km: int | None = None


@dataclass
class DemoPlan:
    users: list[PlannedUser] = field(default_factory=list)
    offers: list[PlannedListing] = field(default_factory=list)
    needs: list[PlannedListing] = field(default_factory=list)


def _days(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _population(value: int | None) -> str:
    return f"{value:,}".replace(",", "\u202f") if value else "?"


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _Planner:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.places = {place_key(p): p for p in PLACES}
        self.keys = list(self.places)
        self.place_weights = [PLACE_WEIGHTS[k[0]] for k in self.keys]
        self.emails: set[str] = {account.email for account in DEMO_ACCOUNTS}
        self.titles: set[tuple[str, str]] = set()

    def place(self) -> tuple[str, str]:
        return self.rng.choices(self.keys, weights=self.place_weights)[0]

    def person(self) -> tuple[str, str]:
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            email = f"{slug(first)}.{slug(last)}@{DEMO_DOMAIN}"
            if email not in self.emails:
                self.emails.add(email)
                return f"{first} {last}", email

    def _family(self, owner: str, domain: str, side: str):
        """A skill family of the domain and a title this owner has not used yet."""
        for _attempt in range(20):
            family = self.rng.choice(CATALOGUE[domain].families)
            title = self.rng.choice(getattr(family, side))
            if (owner, title) not in self.titles:
                break
        self.titles.add((owner, title))
        return family, title

    def _common(self, family, status_weights) -> dict:
        rng = self.rng
        status = _weighted(rng, status_weights)
        chosen = set(rng.sample(family.tags, rng.randint(2, min(4, len(family.tags)))))
        return {
            "tags": tuple(tag for tag in family.tags if tag in chosen),
            "modality": _weighted(rng, MODALITY_WEIGHTS),
            "status": status,
            "published_days_ago": None if status == "draft" else rng.randint(1, 150),
        }

    def offer(self, email: str, home: tuple[str, str], domain: str, job: str, years: int):
        rng, place = self.rng, self.places[home]
        family, title = self._family(email, domain, "offers")
        common = self._common(family, OFFER_STATUS_WEIGHTS)
        days = rng.choice(OFFER_DAYS)
        values = {"job": job, "job_lower": job[0].lower() + job[1:], "years": years,
                  "place": f"{place.name} ({KIND_WORDS[place.kind]})", "days": _days(days)}
        text = [rng.choice(OFFER_INTROS), family.detail, *rng.sample(OFFER_EXPERIENCE, 2),
                OFFER_MODALITY[common["modality"]], rng.choice(OFFER_CLOSINGS)]
        starts = rng.randint(-30, 45)
        return PlannedListing(
            owner_email=email, collectivity=home, title=title,
            description=" ".join(part.format(**values) for part in text), domain=domain,
            days=days, starts_in_days=starts,
            ends_in_days=None if rng.random() < 0.3 else starts + rng.choice((90, 180, 270, 365)),
            max_distance_km=None if common["modality"] == "remote" else rng.choice(DISTANCES),
            **common,
        )

    def need(self, email: str, home: tuple[str, str], answering: PlannedListing | None = None):
        """A need of `home`; when `answering` (an offer) is given, an open need asking for what
        that offer gives: same domain, skill family and tags, its modality, days it can cover."""
        rng, place = self.rng, self.places[home]
        domain = answering.domain if answering else rng.choice(sorted(CATALOGUE))
        if answering:
            family = next(f for f in CATALOGUE[domain].families if answering.title in f.offers)
            title = family.needs[0]
        else:
            family, title = self._family(email, domain, "needs")
        common = self._common(family, NEED_STATUS_WEIGHTS)
        days = rng.choice(NEED_DAYS)
        if answering:
            common.update(tags=answering.tags, modality=answering.modality, status="open",
                          published_days_ago=rng.randint(1, 30))
            days = min(days, 3 * answering.days)
        values = {"name": place.name, "kind": KIND_WORDS[place.kind],
                  "population": _population(place.population), "days": _days(days)}
        intro = rng.choice(NEED_INTROS) if place.population else "{name} ({kind})."
        text = [intro, family.ask, rng.choice(NEED_CONTEXT), rng.choice(NEED_EXPECTED),
                rng.choice(NEED_CLOSINGS)]
        starts = rng.randint(7, 60)
        return PlannedListing(
            owner_email=email, collectivity=home, title=title,
            description=" ".join(part.format(**values) for part in text), domain=domain,
            days=days, starts_in_days=starts, ends_in_days=starts + rng.choice((30, 60, 90, 180)),
            **common,
        )


def _accounts() -> list[PlannedUser]:
    roles = {
        "agent": PlannedRole("agent", AGENT_HOME),
        "representative": PlannedRole("representative", REFERENT_HOME),
        "approver": PlannedRole("approver", AGENT_HOME, yearly_day_budget=APPROVER_DAY_BUDGET),
        "coordinator": PlannedRole("coordinator",
                                   scope_departements=tuple(COORDINATOR_SCOPE["departements"]),
                                   scope_regions=tuple(COORDINATOR_SCOPE["regions"])),
        "admin": PlannedRole("admin"),
    }
    return [PlannedUser(a.email, a.display_name, (roles[a.role],)) for a in DEMO_ACCOUNTS]


def build_plan(seed: int = DEFAULT_SEED, agents: int = 120, offers: int = 300,
               needs: int = 150) -> DemoPlan:
    """Plan the demo: the role accounts, `agents` agents with `offers` offers between them, one
    representative per collectivity and `needs` needs. Same seed, same plan."""
    planner = _Planner(seed)
    rng = planner.rng
    plan = DemoPlan(users=_accounts())
    demo_agent = DEMO_ACCOUNTS[0].email
    domains = sorted(CATALOGUE)

    staff = [(demo_agent, AGENT_HOME, "urbanisme", CATALOGUE["urbanisme"].jobs[0], 9)]
    for _index in range(agents - 1):
        name, email = planner.person()
        home, domain = planner.place(), rng.choice(domains)
        plan.users.append(PlannedUser(email, name, (PlannedRole("agent", home),)))
        staff.append((email, home, domain, rng.choice(CATALOGUE[domain].jobs), rng.randint(2, 25)))

    # Every agent offers at least twice, a few more often; now and then outside their domain.
    owners = [member for member in staff for _ in range(2)]
    owners += [rng.choice(staff) for _ in range(max(0, offers - len(owners)))]
    for email, home, domain, job, years in owners[:offers]:
        if rng.random() < 0.15:
            domain = rng.choice(domains)
        plan.offers.append(planner.offer(email, home, domain, job, years))

    representatives = {REFERENT_HOME: DEMO_ACCOUNTS[1].email}
    for key in planner.keys:
        if key not in representatives:
            name, email = planner.person()
            plan.users.append(PlannedUser(email, name, (PlannedRole("representative", key),)))
            representatives[key] = email
    # Every collectivity asks for something at least once, so that every kind shows up.
    homes = [REFERENT_HOME] * 4 + planner.keys
    homes += [planner.place() for _ in range(max(0, needs - len(homes)))]
    for home in homes[:needs]:
        plan.needs.append(planner.need(representatives[home], home))
    # The demo referent's first need answers the demo agent's first offer, so that the
    # coordinator's queue always holds a pairing of the demo accounts to walk through (planned
    # last: the rest of the plan stays what the seed gave before).
    plan.needs[0] = planner.need(representatives[REFERENT_HOME], REFERENT_HOME, answering=plan.offers[0])
    return plan


def places_used(plan: DemoPlan) -> list[Place]:
    """The built-in collectivities the plan refers to, in table order."""
    used = {role.collectivity for user in plan.users for role in user.roles if role.collectivity}
    used |= {item.collectivity for item in plan.offers + plan.needs}
    return [place for place in PLACES if place_key(place) in used]
