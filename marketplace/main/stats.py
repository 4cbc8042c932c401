"""Figures shown on the public home page.

Counting five tables costs ~90 ms of SQL at 100,000 offers, on every anonymous view of the most
visited page; the figures may be a minute old, so they are cached (PUBLIC_COUNTS_TTL seconds).
"""
from __future__ import annotations

from sqlalchemy import func, select, union

from marketplace.core.cached import remembered
from marketplace.core.extensions import db
from marketplace.models import Collectivity, Need, SkillOffer, User

CACHE_KEY = "main.public_counts"


def public_counts() -> dict[str, int]:
    """How many published offers, open needs, collectivities with members, and members."""
    return remembered(CACHE_KEY, count_public)


def count_public() -> dict[str, int]:
    """The figures, counted now."""
    offers = db.session.scalar(select(func.count()).where(SkillOffer.status == "published"))
    needs = db.session.scalar(select(func.count()).where(Need.status == "open"))
    members = db.session.scalar(select(func.count()).select_from(User).where(User.active.is_(True)))
    involved = union(
        select(SkillOffer.collectivity_id), select(Need.collectivity_id)
    ).subquery()
    active_collectivities = db.session.scalar(select(func.count()).select_from(involved)) or 0
    referenced = db.session.scalar(select(func.count()).select_from(Collectivity)) or 0
    return {
        "offers": offers or 0,
        "needs": needs or 0,
        "members": members or 0,
        "active_collectivities": active_collectivities,
        "referenced_collectivities": referenced,
    }
