"""Figures shown on the public home page.

Counting five tables costs ~90 ms of SQL at 100,000 offers, on every anonymous view of the most
visited page; the figures may be a minute old, so they are cached (PUBLIC_COUNTS_TTL seconds).
A cache that does not answer (a Redis down) never breaks the page: the figures are counted.
"""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import func, select, union

from marketplace.core.extensions import cache, db
from marketplace.models import Collectivity, Need, SkillOffer, User

CACHE_KEY = "main.public_counts"
logger = logging.getLogger(__name__)


def public_counts() -> dict[str, int]:
    """How many published offers, open needs, collectivities with members, and members."""
    try:
        counts = cache.get(CACHE_KEY)
    except Exception:  # any backend failure: count instead
        logger.warning("cache unavailable: counting the home page figures", exc_info=True)
        return count_public()
    if counts is None:
        counts = count_public()
        try:
            cache.set(CACHE_KEY, counts, timeout=current_app.config["PUBLIC_COUNTS_TTL"])
        except Exception:
            logger.warning("cache unavailable: the home page figures were not kept", exc_info=True)
    return counts


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
