"""Close items a hard rule excluded, for the pages of a need or an offer: found in the saved
indexes (a page never fits one), worded by explain.py, shown to who may act on them."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.models import Need, SkillOffer
from marketplace.suggestions import index as matching_index
from marketplace.suggestions.explain import ExclusionSummary, summarize_exclusions
from marketplace.suggestions.services import _rules
from matching.types import Exclusion, RuleFailure

# Rules nobody can relax (an agent is not lent within their own collectivity or EPCI): never worded.
UNRELAXABLE = frozenset({"collectivity", "epci"})


def excluded_for_need(need: Need) -> list:
    """Offers close to the need that a hard rule excluded (distance, days, modality), as
    matching.Exclusion rows with the values, for the page to say what to relax. Same
    collectivity or EPCI is not a constraint anyone can relax: left out."""
    engine = matching_index.current("offers", build=False)  # for a page: never fit on a request
    found = engine.excluded(matching_index.need_document(need), k=current_app.config["MATCHING_TOP_K"],
                            where=_rules(need, asker_days=need.estimated_days)) if engine else []
    return [e for e in found if not {f.rule for f in e.failures} & UNRELAXABLE]


def excluded_for_offer(offer: SkillOffer) -> list:
    """Open needs close to the offer that a hard rule excluded (distance, modality, or more days
    than the offer gives), as matching.Exclusion rows with the values; the twin of
    `excluded_for_need`. Same collectivity or EPCI: left out (nobody can relax them)."""
    engine = matching_index.current("needs", build=False)  # for a page: never fit on a request
    if engine is None:
        return []
    k = current_app.config["MATCHING_TOP_K"]
    document, rules = matching_index.offer_document(offer), _rules(offer, max_km=offer.max_distance_km)
    found = [e for e in engine.excluded(document, k=k, where=rules)
             if not {f.rule for f in e.failures} & UNRELAXABLE]
    # Days go the other way for an offer (see _store_offer_suggestions): the needs that pass the
    # rules but ask more days than the offer gives are excluded too, with both numbers.
    days = matching_index.offer_days_available(offer)
    passing = engine.query(document, k=k, where=rules)
    asked = dict(db.session.execute(select(Need.id, Need.estimated_days).where(
        Need.id.in_([m.id for m in passing] + [e.id for e in found]), Need.status == "open")).all())
    found = [e for e in found if e.id in asked]
    found += [Exclusion(m.id, m.score, (RuleFailure("days", asked[m.id], days),))
              for m in passing if m.id in asked and asked[m.id] > days]
    return sorted(found, key=lambda e: -e.score)[:k]


def exclusions_summary(item) -> ExclusionSummary | None:
    """What the page of a need or an offer says about close items a hard rule excluded, worded in
    plain French with the values (None when there are none, or when the item is not matched at all:
    a draft, a paused offer, a closed need)."""
    if not matching_index.is_indexed("needs" if isinstance(item, Need) else "offers", item):
        return None
    if isinstance(item, Need):
        return summarize_exclusions(excluded_for_need(item), for_need=True)
    return summarize_exclusions(excluded_for_offer(item), for_need=False)


def can_see_exclusions(user, item) -> bool:
    """Who reads why close items were excluded: the item's owner, administrators, and the
    coordinators whose territory holds its collectivity (not anonymous visitors of public pages)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin or item.owner_id == user.id:
        return True
    collectivity = item.collectivity
    return any(role.covers(collectivity.departement_codes, collectivity.region_codes)
               for role in user.active_roles("coordinator"))
