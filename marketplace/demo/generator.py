"""A deterministic plan of the demo data: who, where, which offers and needs.

Pure Python over the content tables: the same seed always gives the same plan, so two runs of
`flask seed-demo` produce the same titles and a test can compare the database with the plan.
Profiles are coherent: an agent holds a job of one domain that exists in their kind of
collectivity (no PCAET in a commune, lycées only in a région) and offers only the skills that
job practises; a collectivity asks only for what its kind does. Dates are offsets in days from
the day of the seed, applied by the service.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from marketplace.core.text import slug
from marketplace.demo.collectivities import PLACES, Place, place_key
from marketplace.demo.paraphrases import PARAPHRASE_PAIRS
from marketplace.demo.people import (
    AGENT_HOME, APPROVER_DAY_BUDGET, COORDINATOR_SCOPE, DEMO_ACCOUNTS, DEMO_DOMAIN, FEMININE_NAMES,
    FIRST_NAMES, LAST_NAMES, REFERENT_HOME,
)
from marketplace.demo.showcase import (
    DEMO_AGENT_OFFER_TEXT, DEMO_REFERENT_NEED_DAYS, DEMO_REFERENT_NEED_TEXT, SHOWCASE_NEEDS,
    SHOWCASE_OFFERS, WrittenNeed, WrittenOffer,
)
from marketplace.demo.skills import CATALOGUE, Family
from marketplace.demo.writing import Writer, gendered

DEFAULT_SEED = 2026
PLACE_WEIGHTS = {"commune": 3.0, "epci": 3.0, "departement": 1.5, "region": 1.0,
                 "statut_particulier": 1.0, "groupement": 1.0}
OFFER_DAYS = (0.5, 1, 1, 1.5, 2, 2, 3, 4)
NEED_DAYS = (2, 3, 5, 5, 8, 10, 12, 15, 20, 30)
DISTANCES = (30, 50, 80, 150)
MODALITY_WEIGHTS = {"remote": 35, "hybrid": 40, "on_site": 25}
OFFER_STATUS_WEIGHTS = {"published": 82, "draft": 10, "paused": 8}
NEED_STATUS_WEIGHTS = {"open": 78, "draft": 10, "in_progress": 12}
CANTEEN_FAMILY = ("alimentation_durable", 1)  # the demo referent's canteen need (practice test)
# The demo agent plans land use in Rennes; their first offer (ZAN) is what the demo referent's
# first need asks for, the pairing the browser journeys walk through.
DEMO_AGENT_JOB, DEMO_AGENT_FAMILY = 2, 3


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


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def profiles(kind: str) -> list[tuple[str, int]]:
    """(domain, job index) pairs an agent of this kind of collectivity can hold: the job
    practises at least one skill family that exists in that kind."""
    return [(domain, index) for domain in sorted(CATALOGUE)
            for index in range(len(CATALOGUE[domain].jobs))
            if any(kind in f.kinds and f.practised_by(index) for f in CATALOGUE[domain].families)]


class _Planner:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.writer = Writer(self.rng)
        self.places = {place_key(p): p for p in PLACES}
        self.keys = list(self.places)
        self.place_weights = [PLACE_WEIGHTS[k[0]] for k in self.keys]
        self.emails: set[str] = {account.email for account in DEMO_ACCOUNTS}
        self.family_of: dict[str, Family] = {}

    def place(self) -> tuple[str, str]:
        return self.rng.choices(self.keys, weights=self.place_weights)[0]

    def person(self) -> tuple[str, str]:
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            email = f"{slug(first)}.{slug(last)}@{DEMO_DOMAIN}"
            if email not in self.emails:
                self.emails.add(email)
                return f"{first} {last}", email

    def _status(self, family: Family, weights: dict, full_tags: bool = False) -> dict:
        rng = self.rng
        status = _weighted(rng, weights)
        chosen = set(family.tags) if full_tags else set(
            rng.sample(family.tags, rng.randint(2, min(4, len(family.tags)))))
        return {
            "tags": tuple(tag for tag in family.tags if tag in chosen),
            "modality": _weighted(rng, MODALITY_WEIGHTS),
            "status": status,
            "published_days_ago": None if status == "draft" else rng.randint(1, 150),
        }

    def offer(self, email: str, home: tuple[str, str], domain: str, job_index: int, years: int,
              feminine: bool, pinned: tuple[Family, str] | None = None):
        """An offer within the agent's job; `pinned` (family, title): that one, published with
        all the family's tags (the demo agent's first offer, which the journeys walk through)."""
        rng, place = self.rng, self.places[home]
        if pinned:
            family, title = pinned
            self.writer.titles.add(title)
        else:
            family = self.writer.pick([f for f in CATALOGUE[domain].families
                                       if place.kind in f.kinds and f.practised_by(job_index)])
            title = self.writer.offer_title(family)
        self.family_of[title] = family
        common = self._status(family, OFFER_STATUS_WEIGHTS, full_tags=bool(pinned))
        days = rng.choice(OFFER_DAYS)
        if pinned:  # within reach of the demo referent, whatever the seed draws elsewhere
            common.update(status="published", published_days_ago=rng.randint(1, 30), modality="hybrid")
            days = 2
        job = gendered(CATALOGUE[domain].jobs[job_index], feminine)
        starts = rng.randint(-30, 45)
        return PlannedListing(
            owner_email=email, collectivity=home, title=title,
            description=self.writer.offer_text(place, job, years, family, common["modality"], days),
            domain=domain, days=days, starts_in_days=starts,
            ends_in_days=None if rng.random() < 0.3 else starts + rng.choice((90, 180, 270, 365)),
            max_distance_km=None if common["modality"] == "remote" else (
                DISTANCES[-1] if pinned else rng.choice(DISTANCES)),
            **common,
        )

    def need(self, email: str, home: tuple[str, str], family: Family | None = None,
             answering: PlannedListing | None = None, full_tags: bool = False):
        """A need of `home`: of `family` when given, else of the least asked family its kind
        has; when `answering` (an offer) is given, an open need asking for what that offer
        gives: same family and tags, its modality, days it can cover."""
        rng, place = self.rng, self.places[home]
        if answering:
            family = self.family_of[answering.title]
        if family is None:
            family = self.writer.pick([f for skills in CATALOGUE.values() for f in skills.families
                                       if place.kind in f.kinds])
        domain = next(d for d, skills in CATALOGUE.items() if family in skills.families)
        common = self._status(family, NEED_STATUS_WEIGHTS, full_tags)
        days = rng.choice(NEED_DAYS)
        if answering:
            common.update(tags=answering.tags, modality=answering.modality)
            days = min(days, 3 * answering.days)
        if answering or full_tags:
            common.update(status="open", published_days_ago=rng.randint(1, 30))
        starts = rng.randint(7, 60)
        return PlannedListing(
            owner_email=email, collectivity=home,
            title=self.writer.need_title(family, place.kind, first=answering is not None),
            description=self.writer.need_text(place, family, days), domain=domain,
            days=days, starts_in_days=starts, ends_in_days=starts + rng.choice((30, 60, 90, 180)),
            **common,
        )

    def written_offer(self, email: str, offer: WrittenOffer) -> PlannedListing:
        self.writer.titles.add(offer.title)
        return PlannedListing(
            owner_email=email, collectivity=offer.place, title=offer.title,
            description=offer.description, tags=offer.tags, domain=offer.domain,
            modality=offer.modality, status="published", days=offer.days,
            published_days_ago=self.rng.randint(5, 90), starts_in_days=-self.rng.randint(5, 60),
            ends_in_days=None, max_distance_km=None if offer.modality == "remote" else 150,
        )

    def written_need(self, email: str, need: WrittenNeed) -> PlannedListing:
        self.writer.titles.add(need.title)
        starts = self.rng.randint(10, 40)
        return PlannedListing(
            owner_email=email, collectivity=need.place, title=need.title,
            description=need.description, tags=need.tags, domain=need.domain,
            modality=need.modality, status="open", days=need.days,
            published_days_ago=self.rng.randint(1, 20), starts_in_days=starts,
            ends_in_days=starts + 120,
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


def _feminine(display_name: str) -> bool:
    return display_name.split(" ", 1)[0] in FEMININE_NAMES


def _written_offers() -> list[WrittenOffer]:
    return list(SHOWCASE_OFFERS) + [offer for _need, offer in PARAPHRASE_PAIRS]


def _written_needs() -> list[WrittenNeed]:
    return list(SHOWCASE_NEEDS) + [need for need, _offer in PARAPHRASE_PAIRS]


def build_plan(seed: int = DEFAULT_SEED, agents: int = 120, offers: int = 300,
               needs: int = 150) -> DemoPlan:
    """Plan the demo: the role accounts, `agents` agents with `offers` offers between them, one
    representative per collectivity and `needs` needs, among which the hand-written showcase
    and paraphrase needs and offers. Same seed, same plan."""
    planner = _Planner(seed)
    rng = planner.rng
    plan = DemoPlan(users=_accounts())
    written_offers, written_needs = _written_offers(), _written_needs()
    generated_agents = agents - len(written_offers)

    demo_agent = DEMO_ACCOUNTS[0]
    staff = [(demo_agent.email, AGENT_HOME, "urbanisme", DEMO_AGENT_JOB, 9, _feminine(demo_agent.display_name))]
    # One agent in every collectivity first (practice sheets are written by local agents).
    homes = planner.keys + [planner.place() for _ in range(generated_agents - 1 - len(planner.keys))]
    for home in homes:
        name, email = planner.person()
        plan.users.append(PlannedUser(email, name, (PlannedRole("agent", home),)))
        domain, job_index = rng.choice(profiles(home[0]))
        staff.append((email, home, domain, job_index, rng.randint(2, 25), _feminine(name)))

    # Every agent offers at least twice, a few more often, always within their job.
    count = offers - len(written_offers)
    owners = [member for member in staff for _ in range(2)]
    owners += [rng.choice(staff) for _ in range(max(0, count - len(owners)))]
    zan = CATALOGUE["urbanisme"].families[DEMO_AGENT_FAMILY]
    plan.offers.append(replace(planner.offer(*owners[0], pinned=(zan, zan.offers[1])),
                               description=DEMO_AGENT_OFFER_TEXT))
    for member in owners[1:count]:
        plan.offers.append(planner.offer(*member))
    for written in written_offers:
        name, email = planner.person()
        plan.users.append(PlannedUser(email, name, (PlannedRole("agent", written.place),)))
        plan.offers.append(planner.written_offer(email, written))

    representatives = {REFERENT_HOME: DEMO_ACCOUNTS[1].email}
    for key in planner.keys:
        if key not in representatives:
            name, email = planner.person()
            plan.users.append(PlannedUser(email, name, (PlannedRole("representative", key),)))
            representatives[key] = email
    # The demo referent's first need answers the demo agent's first offer, so that the
    # coordinator's queue always holds a pairing of the demo accounts to walk through; the
    # second asks for canteen help, which a practice sheet answers.
    referent = representatives[REFERENT_HOME]
    plan.needs.append(replace(planner.need(referent, REFERENT_HOME, answering=plan.offers[0]),
                              description=DEMO_REFERENT_NEED_TEXT, days=DEMO_REFERENT_NEED_DAYS))
    domain, index = CANTEEN_FAMILY
    plan.needs.append(planner.need(referent, REFERENT_HOME, family=CATALOGUE[domain].families[index],
                                   full_tags=True))
    # Every collectivity asks for something at least once, so that every kind shows up.
    count = needs - len(written_needs) - len(plan.needs)
    homes = [REFERENT_HOME] * 2 + planner.keys
    homes += [planner.place() for _ in range(max(0, count - len(homes)))]
    for home in homes[:count]:
        plan.needs.append(planner.need(representatives[home], home))
    for written in written_needs:
        plan.needs.append(planner.written_need(representatives[written.place], written))
    return plan


def places_used(plan: DemoPlan) -> list[Place]:
    """The built-in collectivities the plan refers to, in table order."""
    used = {role.collectivity for user in plan.users for role in user.roles if role.collectivity}
    used |= {item.collectivity for item in plan.offers + plan.needs}
    return [place for place in PLACES if place_key(place) in used]
