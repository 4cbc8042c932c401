"""Onboarding: the roles and collectivity a newcomer chooses, then what to do next by the roles
they hold (never an empty dashboard)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from marketplace.accounts import roles as role_requests
from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.taxonomy import ROLES, SELF_SERVICE_ROLES, label
from marketplace.core.unit_of_work import transactional
from marketplace.core.forms import parse_id
from marketplace.models import Collectivity, Need, RoleAssignment, SkillOffer, User
from marketplace.models.geography import CollectivityPostalCode
from marketplace.geography.search import INSEE_CODE, SIREN, resolve_collectivity
from marketplace.geography.plan import normalise_name

logger = logging.getLogger(__name__)

UNKNOWN_COLLECTIVITY = _l(
    "Collectivité introuvable : choisissez-la dans la liste ou saisissez son code INSEE."
)


@dataclass(frozen=True)
class Step:
    """One card of the dashboard; `endpoint` is the view it leads to (the template builds the URL)."""

    title: str
    text: str
    endpoint: str
    action: str
    done: bool = False


@transactional
def set_language(user, lang: str) -> bool:
    """Remember the chosen language on the account when logged in; False for an unknown language
    (the view keeps it in the session only when True)."""
    if lang not in current_app.config["LANGUAGES"]:
        return False
    if getattr(user, "is_authenticated", False):
        user.preferred_language = lang
    return True


def _count(model, **filters) -> int:
    query = select(func.count()).select_from(model)
    for column, value in filters.items():
        query = query.where(getattr(model, column) == value)
    return db.session.scalar(query) or 0


def _pending_steps(user) -> list[Step]:
    """What a pending request waits for, and why, so that a newcomer never faces an empty page."""
    steps = []
    for request in user.pending_roles():
        what = _("%(role)s pour %(place)s", role=label(ROLES, request.role),
                 place=request.collectivity.name if request.collectivity else "")
        if not user.email_verified:
            why = _("Confirmez d'abord votre adresse e-mail : aucun rôle n'est actif avant.")
        elif request.role not in SELF_SERVICE_ROLES:
            why = _("Un administrateur va vérifier votre demande.")
        else:
            why = _("Votre adresse n'est pas sur un domaine connu de cette collectivité : un "
                    "coordinateur de son territoire ou un administrateur va vérifier votre demande. "
                    "Une connexion avec ProConnect la valide aussi. En attendant, vous pouvez "
                    "préparer des brouillons.")
        steps.append(Step(_("Demande en attente : %(what)s", what=what), why,
                          "accounts.profile", _("Voir mes rôles")))
    for refused in (r for r in user.roles if r.status == "refused"):
        steps.append(Step(
            _("Demande refusée : %(role)s", role=label(ROLES, refused.role)),
            _("Motif : %(reason)s", reason=refused.reason or "-"),
            "accounts.onboarding", _("Faire une autre demande"),
        ))
    return steps


def next_steps(user) -> list[Step]:
    """The steps that matter for this user now, the undone first."""
    steps: list[Step] = []
    if not user.email_verified:
        steps.append(Step(
            _("Confirmez votre adresse e-mail"),
            _("Nous vous avons envoyé un lien. Sans confirmation, vous ne pouvez pas publier."),
            "accounts.resend_verification", _("Renvoyer le lien"),
        ))
    steps.extend(_pending_steps(user))
    if not user.active_roles() and not user.pending_roles():
        steps.append(Step(
            _("Choisissez votre rôle et votre collectivité"),
            _("Agent qui propose ses compétences, ou référent qui publie les besoins de sa collectivité."),
            "accounts.onboarding", _("Choisir mon rôle"),
        ))
    if user.has_role("agent"):
        mine = _count(SkillOffer, agent_id=user.id)
        published = _count(SkillOffer, agent_id=user.id, status="published")
        steps.append(Step(
            _("Proposez vos compétences"),
            _("Décrivez ce que vous savez faire pour une autre collectivité : domaine, disponibilité, modalité.")
            if not mine else _("Vous avez %(n)s offre(s), dont %(p)s publiée(s).", n=mine, p=published),
            "offers.create" if not mine else "offers.mine",
            _("Publier une offre") if not mine else _("Voir mes offres"),
            done=published > 0,
        ))
        steps.append(Step(
            _("Parcourez les besoins des collectivités"),
            _("Repérez les demandes proches de vos savoir-faire."),
            "needs.index", _("Voir les besoins"),
        ))
    if user.has_role("representative"):
        mine = _count(Need, author_id=user.id)
        opened = _count(Need, author_id=user.id, status="open")
        steps.append(Step(
            _("Publiez un besoin de votre collectivité"),
            _("Décrivez la mission, les compétences recherchées et le nombre de jours estimé.")
            if not mine else _("Vous avez %(n)s besoin(s), dont %(p)s ouvert(s).", n=mine, p=opened),
            "needs.create" if not mine else "needs.mine",
            _("Publier un besoin") if not mine else _("Voir mes besoins"),
            done=opened > 0,
        ))
        steps.append(Step(
            _("Trouvez des agents disponibles"),
            _("Consultez les offres de compétences des agents d'autres collectivités."),
            "offers.index", _("Voir les offres"),
        ))
    if user.has_role("approver"):
        steps.append(Step(
            _("Suivez les agents de votre collectivité"),
            _("Vous donnez votre accord aux mises à disposition de vos agents et fixez leur budget de jours."),
            "pairings.index", _("Voir les rapprochements"),
        ))
    if any(user.has_role(role) for role in ("agent", "representative")):
        steps.append(Step(
            _("Suivez vos rapprochements"),
            _("Donnez votre accord, signez la convention, suivez les jours réalisés."),
            "pairings.index", _("Mes rapprochements"),
        ))
    if user.has_role("coordinator"):
        steps.append(Step(
            _("Examinez les rapprochements de votre territoire"),
            _("Approuvez ou refusez, avec un motif, les rapprochements proposés par Essaim."),
            "coordination.index", _("Ouvrir la file de coordination"),
        ))
    if user.is_admin or user.has_role("coordinator"):
        steps.append(Step(
            _("Vérifiez les demandes de rôle"),
            _("Validez ou refusez, avec un motif, les demandes d'agents et de référents de votre périmètre."),
            "accounts.role_requests", _("Voir les demandes"),
        ))
    if user.is_admin:
        steps.append(Step(
            _("Administrez les comptes"),
            _("Attribuez les périmètres des coordinateurs et les droits des employeurs."),
            "admin.index", _("Administration"),
        ))
    return sorted(steps, key=lambda step: step.done)


# --- onboarding: roles and collectivity -------------------------------------------------------


def resolve_collectivity_choice(collectivity_id: str | None, query: str | None,
                                field: str = "collectivity_query") -> Collectivity:
    """The collectivity picked in the list (its id) or typed as an INSEE code, a SIREN or its
    exact name. A postal code alone is refused: it does not identify a collectivity."""
    if parse_id(collectivity_id):
        found = db.session.get(Collectivity, parse_id(collectivity_id))
        if found is None:
            raise ServiceError(field=field, message=UNKNOWN_COLLECTIVITY)
        return found
    text = " ".join((query or "").split())
    if not text:
        raise ServiceError(field=field, message=_("Choisissez votre collectivité."))
    compact = text.replace(" ", "")
    if INSEE_CODE.fullmatch(compact) or SIREN.fullmatch(compact):
        found = resolve_collectivity(compact)
        if found is None and compact.isdigit() and len(compact) == 5:
            _refuse_postal_code(compact, field)
    else:
        found = _by_exact_name(text, field)
    if found is None:
        raise ServiceError(field=field, message=UNKNOWN_COLLECTIVITY)
    return found


def _by_exact_name(text: str, field: str) -> Collectivity | None:
    candidates = list(db.session.scalars(select(Collectivity).where(or_(
        Collectivity.search_name == normalise_name(text),
        func.lower(Collectivity.name) == text.lower(),
    )).limit(2)))
    if len(candidates) > 1:
        raise ServiceError(field=field, message=_(
            "Plusieurs collectivités portent ce nom : choisissez la vôtre dans la liste "
            "ou saisissez son code INSEE."))
    return candidates[0] if candidates else None


def _refuse_postal_code(code: str, field: str) -> None:
    communes = list(db.session.scalars(
        select(Collectivity).join(CollectivityPostalCode,
                                  CollectivityPostalCode.collectivity_id == Collectivity.id)
        .where(CollectivityPostalCode.postal_code == code).order_by(Collectivity.name).limit(6)
    ))
    if communes:
        names = ", ".join(c.name for c in communes[:5]) + ("…" if len(communes) > 5 else "")
        raise ServiceError(field=field, message=_(
            "%(code)s est un code postal (%(names)s) : choisissez votre collectivité dans la "
            "liste ou saisissez son code INSEE.", code=code, names=names))


@transactional
def complete_onboarding(user: User, roles: list[str], collectivity_id: str | None,
                        collectivity_query: str | None) -> list[RoleAssignment]:
    """File the newcomer's requests for the self-service roles they chose in their collectivity:
    pending until verified (see `accounts.roles`); verified at once when their verified address
    is on a domain the collectivity is known to use."""
    collectivity = resolve_collectivity_choice(collectivity_id, collectivity_query)
    added = role_requests.request_roles(user, roles, collectivity)
    logger.info("onboarding user=%s requests=%s collectivity=%s", user.id,
                [a.role for a in added], collectivity.id)
    return added
