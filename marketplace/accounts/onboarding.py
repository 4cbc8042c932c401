"""Onboarding: the roles and collectivity a newcomer chooses, then what to do next by the roles
they hold (never an empty dashboard)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from marketplace.core.extensions import db
from marketplace.core.forms import parse_id
from marketplace.models import Collectivity, Need, RoleAssignment, SkillOffer, User
from marketplace.models.geography import CollectivityPostalCode
from marketplace.core.taxonomy import SELF_SERVICE_ROLES
from marketplace.accounts.services import FieldError
from marketplace.geography.search import INSEE_CODE, SIREN, resolve_collectivity
from marketplace.geography.plan import normalise_name

logger = logging.getLogger(__name__)

UNKNOWN_COLLECTIVITY = _l(
    "Collectivité introuvable : choisissez-la dans la liste ou saisissez son code INSEE."
)


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    url: str
    action: str
    done: bool = False


def set_language(user, session, lang: str) -> None:
    """Remember the chosen language for this session and, when logged in, on the account."""
    if lang not in current_app.config["LANGUAGES"]:
        return
    session["lang"] = lang
    if getattr(user, "is_authenticated", False):
        user.preferred_language = lang
        db.session.commit()


def _count(model, **filters) -> int:
    query = select(func.count()).select_from(model)
    for column, value in filters.items():
        query = query.where(getattr(model, column) == value)
    return db.session.scalar(query) or 0


def next_steps(user) -> list[Step]:
    """The steps that matter for this user now, the undone first."""
    steps: list[Step] = []
    if not user.email_verified:
        steps.append(Step(
            _("Confirmez votre adresse e-mail"),
            _("Nous vous avons envoyé un lien. Sans confirmation, vous ne pouvez pas publier."),
            url_for("accounts.resend_verification"), _("Renvoyer le lien"),
        ))
    if any(not role.active for role in user.roles):
        steps.append(Step(
            _("Votre demande de rôle est en attente"),
            _("Un administrateur va la vérifier ; vous recevrez l'accès dès sa validation."),
            url_for("accounts.profile"), _("Voir mon profil"),
        ))
    if not user.active_roles():
        steps.append(Step(
            _("Choisissez votre rôle et votre collectivité"),
            _("Agent qui propose ses compétences, ou référent qui publie les besoins de sa collectivité."),
            url_for("accounts.onboarding"), _("Choisir mon rôle"),
        ))
    if user.has_role("agent"):
        mine = _count(SkillOffer, agent_id=user.id)
        published = _count(SkillOffer, agent_id=user.id, status="published")
        steps.append(Step(
            _("Proposez vos compétences"),
            _("Décrivez ce que vous savez faire pour une autre collectivité : domaine, disponibilité, modalité.")
            if not mine else _("Vous avez %(n)s offre(s), dont %(p)s publiée(s).", n=mine, p=published),
            url_for("offers.create") if not mine else url_for("offers.mine"),
            _("Publier une offre") if not mine else _("Voir mes offres"),
            done=published > 0,
        ))
        steps.append(Step(
            _("Parcourez les besoins des collectivités"),
            _("Repérez les demandes proches de vos savoir-faire."),
            url_for("needs.index"), _("Voir les besoins"),
        ))
    if user.has_role("representative"):
        mine = _count(Need, author_id=user.id)
        opened = _count(Need, author_id=user.id, status="open")
        steps.append(Step(
            _("Publiez un besoin de votre collectivité"),
            _("Décrivez la mission, les compétences recherchées et le nombre de jours estimé.")
            if not mine else _("Vous avez %(n)s besoin(s), dont %(p)s ouvert(s).", n=mine, p=opened),
            url_for("needs.create") if not mine else url_for("needs.mine"),
            _("Publier un besoin") if not mine else _("Voir mes besoins"),
            done=opened > 0,
        ))
        steps.append(Step(
            _("Trouvez des agents disponibles"),
            _("Consultez les offres de compétences des agents d'autres collectivités."),
            url_for("offers.index"), _("Voir les offres"),
        ))
    if user.has_role("approver"):
        steps.append(Step(
            _("Suivez les agents de votre collectivité"),
            _("Vous donnez votre accord aux mises à disposition de vos agents et fixez leur budget de jours."),
            url_for("pairings.index"), _("Voir les rapprochements"),
        ))
    if any(user.has_role(role) for role in ("agent", "representative")):
        steps.append(Step(
            _("Suivez vos rapprochements"),
            _("Donnez votre accord, signez la convention, suivez les jours réalisés."),
            url_for("pairings.index"), _("Mes rapprochements"),
        ))
    if user.has_role("coordinator"):
        steps.append(Step(
            _("Examinez les rapprochements de votre territoire"),
            _("Approuvez ou refusez, avec un motif, les rapprochements proposés par Essaim."),
            url_for("coordination.index"), _("Ouvrir la file de coordination"),
        ))
    if user.is_admin:
        steps.append(Step(
            _("Administrez les comptes"),
            _("Attribuez les périmètres des coordinateurs et les droits des employeurs."),
            url_for("admin.index"), _("Administration"),
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
            raise FieldError(field, UNKNOWN_COLLECTIVITY)
        return found
    text = " ".join((query or "").split())
    if not text:
        raise FieldError(field, _("Choisissez votre collectivité."))
    compact = text.replace(" ", "")
    if INSEE_CODE.fullmatch(compact) or SIREN.fullmatch(compact):
        found = resolve_collectivity(compact)
        if found is None and compact.isdigit() and len(compact) == 5:
            _refuse_postal_code(compact, field)
    else:
        found = _by_exact_name(text, field)
    if found is None:
        raise FieldError(field, UNKNOWN_COLLECTIVITY)
    return found


def _by_exact_name(text: str, field: str) -> Collectivity | None:
    candidates = list(db.session.scalars(select(Collectivity).where(or_(
        Collectivity.search_name == normalise_name(text),
        func.lower(Collectivity.name) == text.lower(),
    )).limit(2)))
    if len(candidates) > 1:
        raise FieldError(field, _(
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
        raise FieldError(field, _(
            "%(code)s est un code postal (%(names)s) : choisissez votre collectivité dans la "
            "liste ou saisissez son code INSEE.", code=code, names=names))


def complete_onboarding(user: User, roles: list[str], request_approver: bool,
                        collectivity_id: str | None, collectivity_query: str | None) -> list[RoleAssignment]:
    """Give the newcomer the self-service roles they chose in their collectivity, and file a
    request for the approver role, which waits for an administrator."""
    collectivity = resolve_collectivity_choice(collectivity_id, collectivity_query)
    wanted = [(role, True) for role in roles if role in SELF_SERVICE_ROLES]
    if request_approver:
        wanted.append(("approver", False))
    if not wanted:
        raise FieldError("roles", _("Choisissez au moins un rôle."))
    held = {(r.role, r.collectivity_id) for r in user.roles}
    added = []
    for role, active in wanted:
        if (role, collectivity.id) in held:
            continue
        assignment = RoleAssignment(role=role, collectivity=collectivity, active=active)
        user.roles.append(assignment)
        added.append(assignment)
    db.session.commit()
    logger.info("onboarding user=%s roles=%s collectivity=%s", user.id,
                [a.role for a in added], collectivity.id)
    return added
