"""Moderation: pin, lock and hide with a reason (each act in the audit log), and members' reports."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from marketplace.communities.services import access
from marketplace.communities.services.checks import audit, line
from marketplace.core.errors import Conflict
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import AuditEntry, Community, CommunityPost, CommunityReport, CommunityThread
from marketplace.models.base import utcnow

REASON_MAX = 500
# What each logged act reads as on the moderation page.
ACTION_LABELS = {
    "thread_pinned": _l("Discussion épinglée"), "thread_unpinned": _l("Discussion désépinglée"),
    "thread_locked": _l("Discussion verrouillée"), "thread_unlocked": _l("Discussion déverrouillée"),
    "post_hidden": _l("Message masqué"), "post_shown": _l("Message rendu visible"),
    "report_closed": _l("Signalement clos"), "member_accepted": _l("Adhésion acceptée"),
    "member_refused": _l("Adhésion refusée"), "moderator_named": _l("Modérateur nommé"),
    "moderator_removed": _l("Rôle de modérateur retiré"),
}
ACTIONS = {
    "pin": ("pinned", True, "thread_pinned"), "unpin": ("pinned", False, "thread_unpinned"),
    "lock": ("locked", True, "thread_locked"), "unlock": ("locked", False, "thread_unlocked"),
}


def _reason(reason: str, required: bool = True) -> str:
    return line(reason, "reason", REASON_MAX,
                _("Indiquez la raison : elle est gardée dans le journal de modération.") if required else None)


@transactional
def moderate_thread(community: Community, thread: CommunityThread, moderator, action: str, reason: str) -> None:
    """Pin, unpin, lock or unlock a thread, with a reason kept in the audit log."""
    access.require_moderator(community, moderator)
    if action not in ACTIONS:
        raise Conflict(_("Cette action de modération n'existe pas."))
    attribute, value, logged = ACTIONS[action]
    reason = _reason(reason)
    setattr(thread, attribute, value)
    audit(community, moderator, logged, "thread", thread.id, reason)


@transactional
def set_post_hidden(community: Community, post: CommunityPost, moderator, hidden: bool, reason: str) -> None:
    """Hide a post (its text stays for moderators, readers see the reason) or show it again;
    the open reports on it are closed."""
    access.require_moderator(community, moderator)
    reason = _reason(reason)
    post.hidden, post.hidden_reason = bool(hidden), reason if hidden else ""
    audit(community, moderator, "post_hidden" if hidden else "post_shown", "post", post.id, reason)
    for report in db.session.scalars(select(CommunityReport).where(
            CommunityReport.post_id == post.id, CommunityReport.closed_at.is_(None))):
        report.closed_at = utcnow()
    db.session.flush()


@transactional
def report_post(community: Community, post: CommunityPost, member, reason: str) -> CommunityReport:
    """Any member reports a post to the moderators, once."""
    access.require_member(community, member)
    reason = line(reason, "reason", REASON_MAX, _("Dites aux modérateurs ce qui pose problème."))
    exists = db.session.scalar(select(CommunityReport.id).where(
        CommunityReport.post_id == post.id, CommunityReport.reporter_id == member.id))
    if exists is not None:
        raise Conflict(_("Vous avez déjà signalé ce message ; les modérateurs vont l'examiner."))
    report = CommunityReport(post_id=post.id, reporter_id=member.id, reason=reason)
    db.session.add(report)
    db.session.flush()
    return report


@transactional
def close_report(community: Community, report_id, moderator) -> None:
    """A moderator closes a report without hiding the post (kept in the audit log)."""
    access.require_moderator(community, moderator)
    report = db.session.get(CommunityReport, report_id) if isinstance(report_id, int) else None
    if report is None or report.post.thread.community_id != community.id:
        raise Conflict(_("Ce signalement n'existe pas ou a déjà été traité."))
    if report.closed_at is None:
        report.closed_at = utcnow()
        audit(community, moderator, "report_closed", "post", report.post_id, report.reason)


def open_reports(community: Community, moderator) -> list[CommunityReport]:
    """The reports no moderator has dealt with yet, oldest first (moderators only)."""
    access.require_moderator(community, moderator)
    return list(db.session.scalars(
        select(CommunityReport).join(CommunityPost, CommunityPost.id == CommunityReport.post_id)
        .join(CommunityThread, CommunityThread.id == CommunityPost.thread_id)
        .where(CommunityThread.community_id == community.id, CommunityReport.closed_at.is_(None))
        .order_by(CommunityReport.created_at, CommunityReport.id)))


def audit_log(community: Community, moderator, limit: int = 200) -> list[AuditEntry]:
    """The community's moderation acts, newest first (moderators only)."""
    access.require_moderator(community, moderator)
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "community", AuditEntry.object_id == community.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))
