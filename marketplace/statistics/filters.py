"""What a statistics page is filtered by, read from the query string (so the URL keeps it), and
who sees which territory."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from marketplace.core import taxonomy
from marketplace.core.errors import ServiceError

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class Filters:
    """A period (inclusive dates), a domain, a département or a région; empty means all."""

    start: date | None = None
    end: date | None = None
    domain: str = ""
    departement: str = ""
    region: str = ""

    def as_args(self) -> dict[str, str]:
        """The query-string form, for links that keep the filters (exports, map level)."""
        values = {"du": self.start.isoformat() if self.start else "", "au": self.end.isoformat() if self.end else "",
                  "domaine": self.domain, "departement": self.departement, "region": self.region}
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Scope:
    """The territory a viewer may see: everything, or the départements and régions of a coordinator.

    `public` viewers see aggregates only: no names, no free-text reasons.
    """

    departements: frozenset = field(default_factory=frozenset)
    regions: frozenset = field(default_factory=frozenset)
    everything: bool = False
    public: bool = False


def _date(args, name: str, errors: dict) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Indiquez une date au format AAAA-MM-JJ.")
        return None
    if not EARLIEST <= value <= LATEST:
        errors[name] = _("Indiquez une date entre 2000 et 2100.")
        return None
    return value


def parse_filters(args, known_departements: set[str], known_regions: set[str]) -> Filters:
    """Read and check the filters; raises ServiceError on the first wrong field (French message)."""
    errors: dict[str, str] = {}
    start, end = _date(args, "du", errors), _date(args, "au", errors)
    if start and end and end < start:
        errors["au"] = _("La fin de la période doit suivre son début.")
    domain = (args.get("domaine") or "").strip()
    if domain and domain not in taxonomy.DOMAINS:
        errors["domaine"] = _("Domaine inconnu.")
    departement = (args.get("departement") or "").strip().upper()
    if departement and departement not in known_departements:
        errors["departement"] = _("Département inconnu.")
    region = (args.get("region") or "").strip()
    if region and region not in known_regions:
        errors["region"] = _("Région inconnue.")
    if errors:
        name, message = next(iter(errors.items()))
        raise ServiceError(message, field=name)
    return Filters(start, end, domain, departement, region)


def scope_for(user) -> Scope:
    """Administrators see everything; a coordinator their départements and régions; others the
    public aggregates of the whole country."""
    if getattr(user, "is_authenticated", False):
        if user.is_admin:
            return Scope(everything=True)
        scopes = user.active_roles("coordinator")
        if scopes:
            return Scope(departements=frozenset(d for r in scopes for d in r.scope_departements),
                         regions=frozenset(g for r in scopes for g in r.scope_regions))
    return Scope(everything=True, public=True)
