"""Proposals for the acronym dictionary: coordinators propose, administrators accept or refuse.

Accepted entries join the shipped CSV (matching/data/sigles_administration_fr.csv) at analysis
time: the indexes are rebuilt with a merged dictionary file whose version names the accepted
entries, and the refit goes through the task intents of the decision's unit of work. They can be
exported as CSV lines, to be added to the versioned file by hand.
"""
from __future__ import annotations

import csv
import hashlib
import io
import logging
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core import task_queue
from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import LexiconProposal
from marketplace.models.base import utcnow
from matching.lexicon import COLUMNS, KINDS, SHIPPED, form_key, read_entries

logger = logging.getLogger(__name__)

SHIPPED_NAME = "fr-admin"
REFIT_TASK = "workers.tasks.refit_index"
LIMITS = {"term": 80, "expansion": 300, "domain": 80, "source": 200, "comment": 2000}
REQUIRED = ("term", "expansion")


def can_propose(user) -> bool:
    return getattr(user, "is_authenticated", False) and (user.is_admin or user.has_role("coordinator"))


def _clean(fields: dict) -> dict:
    """The fields stripped and checked: French message on the first wrong field."""
    values = {name: " ".join(str(fields.get(name) or "").split()) for name in LIMITS}
    values["comment"] = str(fields.get("comment") or "").strip()
    values["kind"] = str(fields.get("kind") or "sigle")
    for name in REQUIRED:
        if not values[name]:
            raise ServiceError(_("Ce champ est obligatoire."), name)
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise ServiceError(_("%(n)s caractères au plus.", n=limit), name)
        # The entry ends up in a CSV file and in analysed text: no markup, no separator games.
        if any(ch in values[name] for ch in "<>") or (name != "comment" and ";" in values[name]):
            raise ServiceError(_("Les caractères < > et ; ne sont pas acceptés ici."), name)
    if values["kind"] not in KINDS:
        raise ServiceError(_("Choisissez un type proposé."), "kind")
    if not form_key(values["term"]) or not form_key(values["expansion"]):
        raise ServiceError(_("Écrivez au moins un mot porteur de sens (pas seulement des mots vides)."), "term")
    if form_key(values["term"]) == form_key(values["expansion"]):
        raise ServiceError(_("Le développement doit dire autre chose que le terme."), "expansion")
    return values


def _same(term: str, expansion: str, other_term: str, other_expansion: str) -> bool:
    return form_key(term) == form_key(other_term) and form_key(expansion) == form_key(other_expansion)


def _check_new(values: dict) -> None:
    _version, entries = read_entries(SHIPPED[SHIPPED_NAME])
    for entry in entries:
        if _same(values["term"], values["expansion"], entry.term, entry.expansion):
            raise ServiceError(_("« %(term)s » figure déjà dans le dictionnaire avec ce développement.",
                                 term=entry.term), "term")
    for other in db.session.scalars(select(LexiconProposal).where(LexiconProposal.status.in_(("pending", "accepted")))):
        if _same(values["term"], values["expansion"], other.term, other.expansion):
            raise ServiceError(_("Cette entrée a déjà été proposée (%(status)s).",
                                 status=_("acceptée") if other.status == "accepted" else _("en attente")), "term")


@transactional
def propose(user, fields: dict) -> LexiconProposal:
    """A coordinator's (or administrator's) proposal, waiting for an administrator."""
    if not can_propose(user):
        raise NotAllowed(_("Seuls les coordinateurs et les administrateurs proposent des entrées."))
    values = _clean(fields)
    _check_new(values)
    proposal = LexiconProposal(**values, status="pending", proposed_by_id=user.id)
    db.session.add(proposal)
    db.session.flush()
    return proposal


@transactional
def decide(admin, proposal_id: int, accept: bool, reason: str = "") -> LexiconProposal:
    """Accept (the indexes are rebuilt with it) or refuse with a reason; who, when and why stay."""
    if not getattr(admin, "is_admin", False):
        raise NotAllowed(_("Seuls les administrateurs statuent sur les propositions."))
    proposal = db.session.get(LexiconProposal, proposal_id)
    if proposal is None:
        raise NotFound(_("Cette proposition n'existe pas."))
    if proposal.status != "pending":
        raise ServiceError(_("Cette proposition a déjà été traitée."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ServiceError(_("Indiquez le motif du refus."), "reason")
    if len(reason) > LIMITS["comment"] or any(ch in reason for ch in "<>"):
        raise ServiceError(_("Motif trop long ou contenant < ou >."), "reason")
    proposal.status = "accepted" if accept else "refused"
    proposal.decided_by_id, proposal.decided_at, proposal.decision_reason = admin.id, utcnow(), reason
    logger.info("lexicon proposal %s %s by user %s", proposal.id, proposal.status, admin.id)
    if accept:
        # A new dictionary changes the analysis of every document: both indexes are refitted.
        for kind in ("offers", "needs"):
            task_queue.enqueue_after_commit(REFIT_TASK, kind, True)
    return proposal


def listing(user) -> dict:
    """What the page shows: the user's own proposals, and for an administrator every pending and
    decided one."""
    query = select(LexiconProposal).order_by(LexiconProposal.created_at.desc(), LexiconProposal.id.desc())
    mine = db.session.scalars(query.where(LexiconProposal.proposed_by_id == user.id)).all()
    if not user.is_admin:
        return {"mine": mine, "pending": [], "decided": []}
    every = db.session.scalars(query).all()
    return {"mine": mine, "pending": [p for p in every if p.status == "pending"],
            "decided": [p for p in every if p.status != "pending"]}


def _accepted() -> list[LexiconProposal]:
    return db.session.scalars(select(LexiconProposal).where(LexiconProposal.status == "accepted")
                              .order_by(LexiconProposal.id)).all()


def _rows(proposals) -> list[list[str]]:
    return [[p.term, p.expansion, p.kind, p.domain, p.source or _("proposition n° %(id)s", id=p.id), ""]
            for p in proposals]


def export_csv() -> str:
    """The accepted entries as lines of the versioned CSV file (same columns, ";"-separated)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(_accepted()))
    return out.getvalue()


def analysis_lexicon() -> str:
    """The dictionary the indexes analyse with: the shipped name while nothing was accepted, else a
    merged file (shipped lines + accepted entries) whose version says which entries it holds."""
    accepted = _accepted()
    if not accepted:
        return SHIPPED_NAME
    shipped = Path(SHIPPED[SHIPPED_NAME]).read_text(encoding="utf-8")
    version, _entries = read_entries(SHIPPED[SHIPPED_NAME])
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(_rows(accepted))
    extra = out.getvalue()
    digest = hashlib.sha256((shipped + extra).encode("utf-8")).hexdigest()[:12]
    path = Path(current_app.config["MATCHING_INDEX_DIR"]) / f"lexicon-{digest}.csv"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        merged = shipped.replace(f"# version: {version}", f"# version: {version}+{len(accepted)}-{digest}", 1)
        tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_text(merged.rstrip("\n") + "\n" + extra, encoding="utf-8")
        tmp.replace(path)  # complete or absent: another worker may read it at once
    return str(path)
