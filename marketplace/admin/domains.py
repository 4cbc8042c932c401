"""The e-mail domains each collectivity is known to use, managed by administrators.

A verified address on one of these domains verifies a pending agent/référent request for that
collectivity at once (see `accounts.roles.verify_by_email_domain`). Webmail domains shared by the
public are refused: they prove nothing about an employer.
"""
from __future__ import annotations

import logging
import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts import roles as role_service
from marketplace.accounts.onboarding import resolve_collectivity_choice
from marketplace.core.text import slug
from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Collectivity, User
from marketplace.models.user import CollectivityEmailDomain

logger = logging.getLogger(__name__)

DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Addresses anyone can open: never proof of working for a collectivity.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.fr", "yahoo.com", "hotmail.fr", "hotmail.com",
    "outlook.fr", "outlook.com", "live.fr", "live.com", "msn.com", "orange.fr", "wanadoo.fr",
    "free.fr", "sfr.fr", "neuf.fr", "laposte.net", "bbox.fr", "aol.com", "icloud.com", "me.com",
    "gmx.fr", "gmx.com", "protonmail.com", "proton.me", "yopmail.com", "numericable.fr",
})
DEMO_DOMAIN_SUFFIX = "essaim-demo.fr"


def normalise_domain(text: str) -> str:
    """The domain as stored: lower case, no surrounding "@" or dots, IDN in its ASCII form."""
    domain = (text or "").strip().lower().lstrip("@").strip(".")
    try:
        return domain.encode("idna").decode("ascii") if domain else ""
    except UnicodeError:
        return domain


def list_domains(collectivity_id: int | None = None) -> list[CollectivityEmailDomain]:
    """All the listed domains (of one collectivity when given), by collectivity then domain."""
    query = (select(CollectivityEmailDomain).join(Collectivity)
             .order_by(Collectivity.name, CollectivityEmailDomain.domain))
    if collectivity_id is not None:
        query = query.where(CollectivityEmailDomain.collectivity_id == collectivity_id)
    return list(db.session.scalars(query))


@transactional
def add_domain(admin: User | None, collectivity_id: str | None, collectivity_query: str | None,
               domain: str) -> CollectivityEmailDomain:
    """List a domain for a collectivity (by an administrator, or by the `flask domains add`
    command when `admin` is None); the pending requests it proves are verified at once."""
    collectivity = resolve_collectivity_choice(collectivity_id, collectivity_query)
    domain = normalise_domain(domain)
    if not DOMAIN.fullmatch(domain):
        raise ServiceError(_("Saisissez un nom de domaine valide, par exemple mairie-exemple.fr."),
                           field="domain")
    if domain in PUBLIC_MAIL_DOMAINS:
        raise ServiceError(_("%(domain)s est une messagerie ouverte à tous : elle ne prouve pas "
                             "l'appartenance à une collectivité.", domain=domain), field="domain")
    exists = db.session.scalar(select(func.count()).select_from(CollectivityEmailDomain).where(
        CollectivityEmailDomain.collectivity_id == collectivity.id,
        CollectivityEmailDomain.domain == domain))
    if exists:
        raise ServiceError(_("Ce domaine est déjà enregistré pour %(name)s.", name=collectivity.name),
                           field="domain")
    entry = CollectivityEmailDomain(collectivity=collectivity, domain=domain,
                                    added_by_id=admin.id if admin else None)
    db.session.add(entry)
    db.session.flush()
    logger.info("admin=%s listed domain %s for collectivity=%s", admin.id if admin else "cli", domain,
                collectivity.id)
    _verify_waiting_requests(domain)
    return entry


def _verify_waiting_requests(domain: str) -> None:
    # Requests filed before the domain was listed: verified now, as they would have been then.
    suffix = f"%@{domain}"
    for user in db.session.scalars(select(User).where(func.lower(User.email).like(suffix))):
        role_service.verify_by_email_domain(user)


@transactional
def remove_domain(admin: User, domain_id: int) -> None:
    """Take a domain off a collectivity's list; roles it verified before stay (they are logged)."""
    entry = db.session.get(CollectivityEmailDomain, domain_id)
    if entry is None:
        raise NotFound(_("Ce domaine n'est plus enregistré."))
    logger.info("admin=%s removed domain %s of collectivity=%s", admin.id, entry.domain,
                entry.collectivity_id)
    db.session.delete(entry)


def demo_domain(collectivity: Collectivity) -> str:
    """The made-up domain a demo collectivity uses, e.g. "lyon.essaim-demo.fr"."""
    name = re.sub(r"[^a-z0-9]+", "-", slug(collectivity.name)).strip("-")[:50].strip("-") or "collectivite"
    return f"{name}.{DEMO_DOMAIN_SUFFIX}"


def seed_demo_domains(collectivities) -> int:
    """Give each demo collectivity its demo domain (for the demo seed to call; it flushes, the seed commits).
    Returns how many domains were added; running it again adds none."""
    added = 0
    for collectivity in collectivities:
        domain = demo_domain(collectivity)
        known = db.session.scalar(select(func.count()).select_from(CollectivityEmailDomain).where(
            CollectivityEmailDomain.collectivity_id == collectivity.id,
            CollectivityEmailDomain.domain == domain))
        if not known:
            db.session.add(CollectivityEmailDomain(collectivity_id=collectivity.id, domain=domain))
            added += 1
    db.session.flush()
    return added
