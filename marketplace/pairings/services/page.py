"""What the pairing page shows a given person, and the list of their pairings."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from marketplace.core.errors import NotAllowed
from marketplace.core.extensions import db
from marketplace.models import Feedback, Need, Pairing, SkillOffer
from marketplace.pairings.services import audit, documents, feedback, lifecycle, messages
from marketplace.pairings.services.access import PARTIES_ORDER, can_view, parties_of, people_of, yearly_budget
from marketplace.pairings.services.consents import PARTY_LABELS, all_accepted, expires_at, what_you_consent_to
from marketplace.pairings.services.engagement import logged_in_year, remaining_budget
from marketplace.pairings.services.signatures import SIGNATORY_LABELS

__all__ = ["get_visible", "mine", "parties_of", "view"]


def get_visible(user, pairing_id: int) -> Pairing | None:
    """The pairing if it exists (None: 404); NotAllowed when this user may not see it."""
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is not None and not can_view(user, pairing):
        raise NotAllowed("")
    return pairing


def _documents(engagement, mine: list[str]) -> list[dict]:
    """Each document with its versions, and what this person may still do on the latest one."""
    shown = []
    for document in documents.documents_for(engagement):
        latest = documents.latest(engagement, document)
        signable = [p for p in mine if latest is not None and latest.is_frozen and p in latest.signatories
                    and latest.copy_of(p) is None]
        shown.append({"document": document, "label": documents.DOCUMENT_LABELS[document],
                      "versions": documents.versions(engagement, document), "latest": latest,
                      "signable": signable, "can_freeze": bool(mine) and latest is not None
                      and not latest.is_frozen and engagement.status == "active"})
    return shown


def view(user, pairing: Pairing) -> dict:
    """Everything the page shows this user about the pairing."""
    mine = parties_of(user, pairing)
    engagement = pairing.engagement
    parties = [{"party": p, "label": PARTY_LABELS[p], "people": people_of(pairing, p),
                "consent": pairing.consent_of(p), "text": what_you_consent_to(pairing, p)} for p in PARTIES_ORDER]
    given = {c.user_id for c in pairing.consents}
    stage = lifecycle.stage(pairing)
    context = {
        "pairing": pairing, "my_parties": mine, "parties": parties, "expires_at": expires_at(pairing),
        "stage": stage, "steps": lifecycle.STEPS,
        # Parties this user may still answer for (one answer per person).
        "answerable": [] if user.id in given or pairing.status != "proposed" or stage.done
        else [p for p in mine if pairing.consent_of(p) is None],
        "all_accepted": all_accepted(pairing), "engagement": engagement, "audit": audit.for_pairing(pairing.id),
        "audit_label": audit.label, "audit_objects": audit.OBJECT_LABELS, "audit_states": audit.STATE_LABELS,
        "can_set_terms": "host" in mine and (engagement is None or engagement.status == "active")
        and pairing.status in ("proposed", "engaged") and all_accepted(pairing),
        "messages": messages.thread(pairing), "can_write": messages.can_write(user, pairing),
        "party_labels": PARTY_LABELS, "signatory_labels": SIGNATORY_LABELS,
    }
    if engagement is not None:
        year = date.today().year
        budget = yearly_budget(pairing.offer)
        details = documents.party_details(engagement)
        context.update(
            documents=_documents(engagement, mine), missing=documents.missing(engagement), details=details,
            editable_parties=[p for p in documents.SIGNING_PARTIES if p in mine] if engagement.status == "active" else [],
            can_edit_agent=engagement.status == "active" and bool({"employer", "agent"} & set(mine)),
            budget=budget, budget_left=None if budget is None else budget - logged_in_year(pairing.offer.agent_id, year),
            plan_left=engagement.planned_days - engagement.logged_days,
            planning_left=remaining_budget(pairing.offer, engagement.start_date.year, exclude_id=engagement.id),
            feedback=feedback.of(engagement), report=feedback.report_of(engagement),
            feedback_parties=[p for p in ("agent", "host") if p in mine and p not in feedback.of(engagement)],
            end_waiting=[str(PARTY_LABELS[p]) for p in PARTIES_ORDER if p not in (engagement.end_agreed_by or [])]
            if engagement.end_agreed_by else [],
        )
    return context


def mine(user) -> list[tuple[Pairing, lifecycle.Stage]]:
    """The pairings this user is a party to or, as coordinator, approved; newest first, each with
    where it stands."""
    conditions = [SkillOffer.agent_id == user.id, Pairing.decided_by_id == user.id]
    if user.collectivity_ids("approver"):
        conditions.append(SkillOffer.collectivity_id.in_(user.collectivity_ids("approver")))
    if user.collectivity_ids("representative"):
        conditions.append(Need.collectivity_id.in_(user.collectivity_ids("representative")))
    pairings = db.session.scalars(
        select(Pairing).join(SkillOffer, SkillOffer.id == Pairing.offer_id).join(Need, Need.id == Pairing.need_id)
        .where(or_(*conditions), Pairing.status.in_(("proposed", "declined", "expired", "engaged")))
        .order_by(Pairing.decided_at.desc(), Pairing.id.desc())
    ).all()
    return [(pairing, lifecycle.stage(pairing)) for pairing in pairings]


def mine_for_export(user) -> list[tuple[Pairing, "lifecycle.Stage", dict]]:
    """`mine` with each engagement's feedback ratings by party, read in one query."""
    rows = mine(user)
    engagement_ids = [pairing.engagement.id for pairing, _stage in rows if pairing.engagement is not None]
    ratings: dict[int, dict[str, int]] = {}
    if engagement_ids:
        for engagement_id, party, rating in db.session.execute(
                select(Feedback.engagement_id, Feedback.party, Feedback.rating)
                .where(Feedback.engagement_id.in_(engagement_ids))):
            ratings.setdefault(engagement_id, {})[party] = rating
    return [(pairing, stage, ratings.get(pairing.engagement.id, {}) if pairing.engagement else {})
            for pairing, stage in rows]
