"""Comments on sheets, follows (a sheet, a domain, a territory) and telling followers.

Followers of a sheet, of its domain, or of a département or région the sheet's collectivity lies
in hear of its new revisions and comments; the person who acted is never told of their own act.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.core.forms import parse_id
from marketplace.models import Follow, PracticeComment, PracticeSheet, User
from marketplace.models.practices import FOLLOW_KINDS
from marketplace.core.taxonomy import DOMAINS
from marketplace.notifications import services as notifications
from marketplace.practices.services.access import require_member

COMMENT_MAX = 5000
NOTIFICATION_KIND = "practices"


@transactional
def add_comment(sheet: PracticeSheet, author, body: str) -> PracticeComment:
    """Post a comment (Markdown) on a sheet and tell its followers."""
    require_member(author)
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Écrivez votre commentaire."), "body")
    if len(body) > COMMENT_MAX:
        raise ServiceError(_("Un commentaire fait au plus %(n)s caractères.", n=COMMENT_MAX), "body")
    comment = PracticeComment(sheet_id=sheet.id, author_id=author.id, body=body)
    db.session.add(comment)
    db.session.flush()
    if sheet.status == "published":
        notify_followers(sheet, "comment", author, comment=comment)
    return comment  # committed with its notifications (outbox rows), in one unit of work


def comments(sheet: PracticeSheet) -> list[PracticeComment]:
    """The sheet's comments, oldest first."""
    return list(db.session.scalars(
        select(PracticeComment).where(PracticeComment.sheet_id == sheet.id)
        .order_by(PracticeComment.created_at, PracticeComment.id)
    ))


def _check_target(kind: str, key: str) -> str:
    key = (key or "").strip()
    if kind == "departement":
        key = key.upper()  # '2a' is Corse-du-Sud, stored as '2A'
    valid = {
        "sheet": parse_id(key) is not None and db.session.get(PracticeSheet, parse_id(key)) is not None,
        "domain": key in DOMAINS,
        # Territory codes: '01', '2A', '971' for départements, 2 or 3 characters for régions.
        "departement": 2 <= len(key) <= 3 and key.isascii() and key.isalnum(),
        "region": 2 <= len(key) <= 3 and key.isascii() and key.isdigit(),
    }
    if kind not in FOLLOW_KINDS or not valid.get(kind):
        raise ServiceError(_("Ce que vous voulez suivre n'existe pas."))
    return key


@transactional
def follow(user, kind: str, key: str) -> Follow:
    """Follow a sheet, a domain or a territory; following twice is harmless."""
    require_member(user)
    key = _check_target(kind, key)
    existing = find_follow(user, kind, key)
    if existing is not None:
        return existing
    item = Follow(user_id=user.id, target_kind=kind, target_key=key)
    try:
        with db.session.begin_nested():  # a savepoint: losing the race must not undo the caller's work
            db.session.add(item)
    except IntegrityError:  # a double click raced us: the follow exists, which is what was asked
        return find_follow(user, kind, key)
    return item


@transactional
def unfollow(user, kind: str, key: str) -> None:
    """Stop following; unfollowing what one does not follow is harmless."""
    key = (key or "").strip()
    item = find_follow(user, kind, key.upper() if kind == "departement" else key)
    if item is not None:
        db.session.delete(item)


def find_follow(user, kind: str, key: str) -> Follow | None:
    """This user's follow of (kind, key), if any (None for a visitor)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Follow).where(
        Follow.user_id == user.id, Follow.target_kind == kind, Follow.target_key == key))


def follows_of(user) -> list[Follow]:
    """Everything this user follows, in the order they chose it."""
    return list(db.session.scalars(select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)))


def sheet_targets(sheet: PracticeSheet) -> list[tuple[str, str]]:
    """The (kind, key) pairs whose followers hear of this sheet."""
    targets = [("sheet", str(sheet.id)), ("domain", sheet.domain)]
    collectivity = sheet.collectivity
    if collectivity is not None:
        targets += [("departement", code) for code in collectivity.departement_codes]
        targets += [("region", code) for code in collectivity.region_codes]
    return targets


def followers(sheet: PracticeSheet, exclude_user_id: int | None = None) -> list[User]:
    """Active users following the sheet, its domain or its territory, each once."""
    conditions = [and_(Follow.target_kind == kind, Follow.target_key == key)
                  for kind, key in sheet_targets(sheet)]
    query = (select(User).join(Follow, Follow.user_id == User.id)
             .where(or_(*conditions), User.active.is_(True)).distinct().order_by(User.id))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return list(db.session.scalars(query))


def notify_followers(sheet: PracticeSheet, event: str, actor, revision=None, comment=None) -> list[User]:
    """Tell the followers of `sheet` about `event` ("revision" or "comment"), through each one's
    notification preference for the kind "practices" (immediate, daily digest or none); returns
    the recipients. Writes in the caller's transaction: the caller commits."""
    recipients = followers(sheet, exclude_user_id=getattr(actor, "id", None))
    if not recipients:
        return []
    if event == "revision":
        message = _l("%(who)s a modifié la fiche « %(title)s » (version %(n)s).",
                     who=actor.display_name, title=sheet.title, n=revision.number)
        key = f"practice:{sheet.id}:revision:{revision.number}"
    else:
        message = _l("%(who)s a commenté la fiche « %(title)s ».",
                     who=actor.display_name, title=sheet.title)
        key = f"practice:{sheet.id}:comment:{comment.id}"
    # Built from the URL map: tasks and commands have no request to build it from.
    link = current_app.url_map.bind("").build("practices.detail", {"sheet_id": sheet.id})
    sheet_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link
    for user in recipients:
        notifications.notify(user, NOTIFICATION_KIND, key, message, link=link,
                             template="practice_update", subject=_l("Du nouveau sur une fiche pratique"),
                             sheet_url=sheet_url, sheet_title=sheet.title)
    return recipients
