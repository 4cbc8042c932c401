"""A community's meetings: moderators schedule them (date and time, place or video link, agenda)
and write the minutes once the meeting has started."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.communities.services import access
from marketplace.communities.services.checks import line, prose, web_address
from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Community, CommunityMeeting
from marketplace.models.base import utcnow

# Dates are typed in French local time; they are stored in UTC.
LOCAL = ZoneInfo("Europe/Paris")
TEXT_MAX = 20_000


def as_utc(value) -> datetime:
    """A typed local date and time as an aware UTC datetime; ServiceError when it is not one."""
    if not isinstance(value, datetime) or not 2000 <= value.year <= 2100:
        raise ServiceError(_("Indiquez une date et une heure valides (ex. : 14/03/2027 à 10:00)."), "starts_at")
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL)
    return value.astimezone(timezone.utc)


def _aware(value: datetime) -> datetime:
    # SQLite gives back naive datetimes: they were stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@transactional
def schedule(community: Community, moderator, data: dict) -> CommunityMeeting:
    """Schedule a meeting in the future, with a place, a video link or both."""
    access.require_moderator(community, moderator)
    title = line(data.get("title"), "title", 200, _("Donnez un titre à la réunion."))
    starts_at = as_utc(data.get("starts_at"))
    if starts_at <= utcnow():
        raise ServiceError(_("La réunion doit avoir lieu dans le futur."), "starts_at")
    if starts_at.year > utcnow().year + 5:
        raise ServiceError(_("Choisissez une date dans les cinq prochaines années."), "starts_at")
    place = line(data.get("place"), "place", 300)
    video_url = web_address(data.get("video_url"), "video_url", required=False)
    if not place and not video_url:
        raise ServiceError(_("Indiquez un lieu ou un lien de visioconférence."), "place")
    meeting = CommunityMeeting(community_id=community.id, title=title, starts_at=starts_at, place=place,
                               video_url=video_url, agenda=prose(data.get("agenda"), "agenda", TEXT_MAX),
                               created_by_id=moderator.id)
    db.session.add(meeting)
    db.session.flush()
    return meeting


@transactional
def write_minutes(community: Community, meeting: CommunityMeeting, moderator, minutes: str) -> None:
    """Record the minutes of a meeting that has started."""
    access.require_moderator(community, moderator)
    if _aware(meeting.starts_at) > utcnow():
        raise ServiceError(_("Le compte rendu s'écrit après le début de la réunion."), "minutes")
    meeting.minutes = prose(minutes, "minutes", TEXT_MAX, _("Écrivez le compte rendu."))


def get_meeting(community: Community, meeting_id, user) -> CommunityMeeting:
    """A meeting of this community the user may read (NotFound otherwise)."""
    access.require_reader(community, user)
    meeting = db.session.get(CommunityMeeting, meeting_id) if isinstance(meeting_id, int) else None
    if meeting is None or meeting.community_id != community.id:
        raise NotFound(_("Cette réunion n'existe pas."))
    return meeting


def meetings(community: Community, user) -> tuple[list[CommunityMeeting], list[CommunityMeeting]]:
    """(upcoming meetings soonest first, past meetings latest first)."""
    access.require_reader(community, user)
    rows = db.session.scalars(select(CommunityMeeting).where(CommunityMeeting.community_id == community.id)
                              .order_by(CommunityMeeting.starts_at)).all()
    now = utcnow()
    upcoming = [m for m in rows if _aware(m.starts_at) > now]
    past = [m for m in rows if _aware(m.starts_at) <= now]
    return upcoming, list(reversed(past))


def local_time(value: datetime) -> datetime:
    """A stored time as French local time, for pages."""
    return _aware(value).astimezone(LOCAL)
