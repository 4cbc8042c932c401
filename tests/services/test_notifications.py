"""Notifications: per-kind frequency, daily digest, one-click unsubscribe tokens, unread count."""
from __future__ import annotations

from datetime import date

import pytest

from marketplace.core.errors import ServiceError
from marketplace.models import Notification, OutboxEmail
from marketplace.notifications import services as notifications


def _notify(user, key="n1"):
    return notifications.notify(user, "suggestions", key, message="Une suggestion", link="/besoins/1",
                                template="suggestion", subject="Sujet", need_url="http://x/besoins/1")


def test_immediate_by_default_writes_an_email(db, make_user):
    user = make_user()
    _notify(user)
    db.session.commit()
    email = db.session.query(OutboxEmail).one()
    assert email.to == user.email and email.status == "sent"
    assert "/notifications/desabonnement/" in email.context["unsubscribe_url"]


def test_same_key_notifies_once(db, make_user):
    user = make_user()
    assert _notify(user) is not None
    db.session.commit()
    assert _notify(user) is None
    assert db.session.query(Notification).count() == 1 and db.session.query(OutboxEmail).count() == 1


def test_none_means_in_app_only(db, make_user):
    user = make_user()
    notifications.set_preferences(user, {"suggestions": "none"})
    _notify(user)
    db.session.commit()
    assert db.session.query(OutboxEmail).count() == 0
    assert notifications.unread_count(user) == 1


def test_bad_preferences_are_refused(db, make_user):
    user = make_user()
    with pytest.raises(ServiceError) as refused:
        notifications.set_preferences(user, {"practices": "daily", "suggestions": "hourly"})
    assert refused.value.field == "suggestions" and "fréquence" in refused.value.message
    with pytest.raises(ServiceError) as refused:
        notifications.set_preferences(user, {"spam": "none"})
    assert refused.value.field == "spam"
    db.session.rollback()
    assert set(notifications.preferences(user).values()) == {"immediate"}  # nothing half-saved


def test_daily_digest_once_a_day(db, make_user):
    daily = make_user()
    other = make_user()
    notifications.set_preferences(daily, {"suggestions": "daily"})
    _notify(daily, "a")
    _notify(daily, "b")
    _notify(other, "a")
    db.session.commit()
    assert db.session.query(OutboxEmail).filter_by(user_id=daily.id).count() == 0
    assert notifications.send_daily_digests(date(2026, 1, 5)) == 1
    assert notifications.send_daily_digests(date(2026, 1, 5)) == 0
    digest = db.session.query(OutboxEmail).filter_by(kind="digest").one()
    assert digest.to == daily.email and len(digest.context["items"]) == 2
    _notify(daily, "c")
    db.session.commit()
    assert notifications.send_daily_digests(date(2026, 1, 6)) == 1  # only the new one
    latest = db.session.query(OutboxEmail).filter_by(kind="digest").order_by(OutboxEmail.id.desc()).first()
    assert len(latest.context["items"]) == 1


def test_unsubscribe_token(db, make_user):
    user = make_user()
    token = notifications.unsubscribe_token(user.id, "suggestions")
    assert notifications.unsubscribe(token) == (user, "suggestions")
    assert notifications.frequency(user.id, "suggestions") == "none"
    assert notifications.unsubscribe(token + "x") is None
    assert notifications.unsubscribe("garbage") is None
    assert notifications.unsubscribe(notifications._serializer().dumps([user.id, "unknown"])) is None
    assert notifications.unsubscribe(notifications._serializer().dumps(["1", "suggestions"])) is None


def test_mark_all_read(db, make_user):
    user = make_user()
    _notify(user, "a")
    _notify(user, "b")
    db.session.commit()
    assert notifications.unread_count(user) == 2
    assert notifications.mark_all_read(user) == 2
    assert notifications.unread_count(user) == 0
    assert [n.key for n in notifications.for_user(user)] == ["b", "a"]
