"""Abuse reports on a message: a participant reports, the administrators are e-mailed through the
outbox, and one of them decides (dismiss, hide the message, suspend its sender), with a reason kept
in the audit log."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from marketplace.communities.services.checks import line, prose
from marketplace.core import outbox
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.messaging.services import access
from marketplace.models import AuditEntry, ConversationMessage, MessageReport, RoleAssignment, User
from marketplace.models.base import utcnow

REASONS = {
    "spam": _l("Démarchage ou message publicitaire"),
    "harassment": _l("Harcèlement ou propos insultants"),
    "inappropriate": _l("Contenu inapproprié ou illégal"),
    "other": _l("Autre motif"),
}
DECISIONS = {
    "dismissed": _l("Signalement écarté"),
    "hidden": _l("Message masqué"),
    "suspended": _l("Compte de l'auteur suspendu"),
}
COMMENT_MAX = 1000
DECISION_REASON_MAX = 500
ADMIN_PAGE = "/admin/signalements"


def _admins() -> list[User]:
    return list(db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == "admin", RoleAssignment.active.is_(True), User.active.is_(True))
        .order_by(User.id).distinct()))


@transactional
def report(user, message_id, reason: str, comment: str) -> MessageReport:
    """A participant reports a message of the other person, once; every administrator is e-mailed."""
    message = db.session.get(ConversationMessage, message_id) if isinstance(message_id, int) else None
    if message is None or not access.is_participant(user, message.conversation):
        raise NotFound(_("Ce message n'existe pas."))
    if message.author_id == user.id:
        raise NotAllowed(_("Vous ne pouvez pas signaler votre propre message."))
    if reason not in REASONS:
        raise ServiceError(_("Choisissez un motif parmi ceux proposés."), "reason")
    comment = prose(comment, "comment", COMMENT_MAX)
    if db.session.scalar(select(MessageReport.id).where(
            MessageReport.message_id == message.id, MessageReport.reporter_id == user.id)) is not None:
        raise Conflict(_("Vous avez déjà signalé ce message : les administrateurs vont l'examiner."))
    item = MessageReport(message_id=message.id, reporter_id=user.id, reason=reason, comment=comment)
    db.session.add(item)
    db.session.flush()
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + ADMIN_PAGE
    for admin in _admins():
        outbox.queue_email(to=admin.email, kind="message_report", key=f"message_report:{item.id}:{admin.id}",
                           subject=_l("Un message a été signalé sur Essaim"), template="message_report",
                           language=admin.preferred_language, user_id=admin.id, display_name=admin.display_name,
                           reporter=user.display_name, author=message.author.display_name,
                           reason=item.reason, comment=comment, admin_url=url)
    return item


def open_reports() -> list[MessageReport]:
    """The reports waiting for a decision, oldest first (the admin views are admins only)."""
    return list(db.session.scalars(select(MessageReport).where(MessageReport.decided_at.is_(None))
                                   .order_by(MessageReport.created_at, MessageReport.id)))


def decided_reports(limit: int = 50) -> list[MessageReport]:
    """The latest decisions, newest first."""
    return list(db.session.scalars(select(MessageReport).where(MessageReport.decided_at.is_not(None))
                                   .order_by(MessageReport.decided_at.desc(), MessageReport.id.desc()).limit(limit)))


def _close(item: MessageReport, admin, decision: str, reason: str) -> None:
    item.decision, item.decision_reason = decision, reason
    item.decided_by_id, item.decided_at = admin.id, utcnow()
    db.session.add(AuditEntry(object_type="message_report", object_id=item.id, actor_id=admin.id,
                              from_state="open", to_state=decision,
                              detail={"message_id": item.message_id, "sender_id": item.message.author_id,
                                      "reason": reason}))


@transactional
def decide(admin, report_id, decision: str, reason: str) -> MessageReport:
    """Dismiss the report, hide the message, or suspend its sender (which hides it too). The other
    open reports of the same message are closed with the same decision; each act is audited."""
    if not getattr(admin, "is_admin", False):
        raise NotAllowed(_("Seuls les administrateurs traitent les signalements."))
    item = db.session.get(MessageReport, report_id) if isinstance(report_id, int) else None
    if item is None:
        raise NotFound(_("Ce signalement n'existe pas."))
    if item.decided_at is not None:
        raise Conflict(_("Ce signalement a déjà été traité."))
    if decision not in DECISIONS:
        raise ServiceError(_("Choisissez une décision parmi celles proposées."), "decision")
    reason = line(reason, "reason", DECISION_REASON_MAX, _("Indiquez la raison : elle est gardée dans le journal."))
    message = item.message
    if decision == "suspended":
        if message.author_id == admin.id:
            raise ServiceError(_("Vous ne pouvez pas suspendre votre propre compte."), "decision")
        message.author.active = False
    if decision in ("hidden", "suspended"):
        message.hidden_at, message.hidden_reason = utcnow(), reason
    for other in db.session.scalars(select(MessageReport).where(
            MessageReport.message_id == message.id, MessageReport.decided_at.is_(None))):
        _close(other, admin, decision, reason)
    db.session.flush()
    return item
