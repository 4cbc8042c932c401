"""Tell the people of a pairing what happened, through their notification preferences."""
from __future__ import annotations

from flask import current_app

from marketplace.models import Pairing
from marketplace.notifications import services as notifications
from marketplace.pairings.services.access import PARTIES_ORDER, people_of

KIND = "pairings"


def page_path(pairing: Pairing) -> str:
    return f"/rapprochements/{pairing.id}"


def tell(pairing: Pairing, users, key: str, message, subject) -> None:
    """Notify each user once per `key` (in the app, and by e-mail as they chose)."""
    link = page_path(pairing)
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link
    seen = set()
    for user in users:
        if user.id in seen or not user.active:
            continue
        seen.add(user.id)
        notifications.notify(user, KIND, f"pairing:{pairing.id}:{key}", message=message, link=link,
                             template="pairing", subject=subject, pairing_url=url)


def everyone(pairing: Pairing, parties=PARTIES_ORDER) -> list:
    """The people of these parties, in party order."""
    return [user for party in parties for user in people_of(pairing, party)]
