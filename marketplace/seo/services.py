"""The public content a sitemap lists: published offers, open needs and published practice sheets."""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.models import Need, PracticeSheet, SkillOffer

# A sitemap file holds at most 50,000 URLs (sitemaps.org); past that the newest are listed.
MAX_ITEMS_PER_KIND = 15_000


def public_items() -> Iterator[tuple[str, int, datetime | None]]:
    """(endpoint, id, last modification) of every public item, newest first within each kind."""
    kinds = (
        ("offers.detail", SkillOffer, SkillOffer.status == "published"),
        ("needs.detail", Need, Need.status.in_(("open", "in_progress"))),
        ("practices.detail", PracticeSheet, PracticeSheet.status == "published"),
    )
    for endpoint, model, visible in kinds:
        rows = db.session.execute(select(model.id, model.updated_at).where(visible)
                                  .order_by(model.updated_at.desc()).limit(MAX_ITEMS_PER_KIND))
        for item_id, updated_at in rows:
            yield endpoint, item_id, updated_at
