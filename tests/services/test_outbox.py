"""The e-mail outbox: written with the change, sent once; the row owns the retries (backoff honoured
by claim and sweep), goes dead after too many attempts, and can be replayed."""
from __future__ import annotations

import socket
from datetime import timedelta, timezone

import pytest
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import Conflict, NotFound
from marketplace.core.extensions import db as _db
from marketplace.models import OutboxEmail
from marketplace.models.base import utcnow
from marketplace.core import outbox


def _aware(moment):
    # SQLite gives back naive datetimes (stored in UTC).
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _sent(app):
    return getattr(app.extensions["mailman"], "outbox", [])


def _queue(key="k1", **extra):
    fields = dict(to="coord@example.fr", kind="suggestions", key=key, subject=_l("Nouvelles suggestions"),
                  template="suggestion", language="fr", display_name="Camille", message="Deux offres",
                  need_url="http://x/besoins/1", unsubscribe_url="http://x/notifications/desabonnement/t")
    fields.update(extra)
    return outbox.queue_email(**fields)


def test_written_with_the_change_and_sent_after_commit(app, db):
    email = _queue()
    assert _sent(app) == []  # nothing leaves before the commit
    db.session.commit()
    db.session.refresh(email)
    assert email.status == "sent" and email.sent_at is not None and email.attempts == 1
    message = _sent(app)[0]
    assert message.to == ["coord@example.fr"] and message.subject == "Nouvelles suggestions"
    assert "Deux offres" in message.body
    html = message.alternatives[0]
    assert html[1] == "text/html" and 'lang="fr"' in html[0]


def test_unsubscribe_headers_rfc8058(app, db):
    _queue()
    db.session.commit()
    headers = _sent(app)[0].extra_headers
    assert headers["List-Unsubscribe"] == "<http://x/notifications/desabonnement/t>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_rendered_in_the_recipients_language(app, db):
    _queue(language="en")
    db.session.commit()
    assert 'lang="en"' in _sent(app)[0].alternatives[0][0]


def test_rollback_sends_nothing(app, db):
    _queue()
    db.session.rollback()
    assert _sent(app) == [] and db.session.query(OutboxEmail).count() == 0


def test_same_key_is_queued_once(app, db):
    first = _queue()
    db.session.commit()
    second = _queue()
    db.session.commit()
    assert first.id == second.id and len(_sent(app)) == 1


def test_delivered_email_is_never_sent_again(app, db):
    email = _queue()
    db.session.commit()
    assert outbox.deliver(email.id) is False
    assert outbox.claim(email.id) is False
    assert len(_sent(app)) == 1


def test_a_claimed_email_is_not_claimed_twice(app, db):
    app.config["MAIL_BACKEND"] = "locmem"
    email = OutboxEmail(idempotency_key="x", kind="k", to="a@example.fr", subject="s", template="suggestion",
                        context={})
    db.session.add(email)
    db.session.commit()
    assert outbox.claim(email.id) is True
    assert outbox.claim(email.id) is False  # another worker finds it taken
    # A claim whose worker died expires, and the e-mail can be claimed again.
    email.lease_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert outbox.claim(email.id) is True


@pytest.fixture
def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there: connections are refused
    return port


def _smtp_app(app, port):
    from marketplace.core.extensions import mail

    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
    mail.init_app(app)


def _row(key="y", **fields):
    email = OutboxEmail(idempotency_key=key, kind="k", to="a@example.fr", subject="s", template="suggestion",
                        context={"display_name": "A", "message": "m", "need_url": "u", "unsubscribe_url": "u"},
                        **fields)
    _db.session.add(email)
    _db.session.commit()
    return email


def _due_now(email):
    # Time passes: the backed-off attempt is due.
    email.next_attempt_at = utcnow() - timedelta(seconds=1)
    _db.session.commit()


def test_claim_honours_next_attempt_at(app, db):
    app.config["MAIL_BACKEND"] = "locmem"
    email = _row(next_attempt_at=utcnow() + timedelta(minutes=5))
    assert outbox.claim(email.id) is False  # backed off: not before its time
    db.session.refresh(email)
    assert email.status == "pending" and email.attempts == 0
    _due_now(email)
    assert outbox.claim(email.id) is True


def test_smtp_failure_is_recorded_on_the_row_then_dead(app, db, closed_port):
    _smtp_app(app, closed_port)
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    email = _row()
    assert outbox.deliver(email.id) is False  # recorded, not raised: Celery does not retry it
    db.session.refresh(email)
    assert email.status == "pending" and email.attempts == 1 and "Connection" in email.last_error
    assert email.lease_until is None
    assert _aware(email.next_attempt_at) > utcnow() + timedelta(seconds=20)
    assert outbox.deliver(email.id) is False and email.attempts == 1  # not due yet: not even tried
    _due_now(email)
    assert outbox.deliver(email.id) is False
    db.session.refresh(email)
    assert email.status == "dead" and email.attempts == 2 and "Connection" in email.last_error
    _due_now(email)
    assert outbox.claim(email.id) is False and outbox.sweep() == 0  # dead: nothing tries it again
    assert _sent(app) == []


def test_backoff_doubles_at_each_failure(app, db, closed_port):
    _smtp_app(app, closed_port)
    app.config.update(OUTBOX_MAX_ATTEMPTS=5, OUTBOX_RETRY_BASE=40)
    email = _row()
    delays = []
    for _attempt in range(3):
        before = utcnow()
        outbox.deliver(email.id)
        after = utcnow()
        db.session.refresh(email)
        due = _aware(email.next_attempt_at)
        delays.append((due - after, due - before))
        _due_now(email)
    # 40 s, then 80 s, then 160 s after each failure (bounds taken around each call, no timing).
    for (low, high), expected in zip(delays, (40, 80, 160)):
        assert low <= timedelta(seconds=expected) <= high
    assert email.attempts == 3 and email.status == "pending"


def test_the_send_task_does_not_retry_itself(app, db, closed_port):
    from workers import tasks

    _smtp_app(app, closed_port)
    assert not getattr(tasks.send_outbox_email, "autoretry_for", ())
    email = _row()
    result = tasks.send_outbox_email.apply(args=[email.id])
    assert result.successful()  # the failure lives on the row, not in a Celery retry
    db.session.refresh(email)
    assert email.attempts == 1 and email.status == "pending" and email.last_error


def test_sweep_resends_what_is_pending_once_due(app, db, closed_port):
    _smtp_app(app, closed_port)
    _queue()
    db.session.commit()  # the send after commit fails (SMTP down): stays pending, backed off
    email = _db.session.query(OutboxEmail).one()
    assert email.status == "pending" and email.attempts == 1
    app.config["MAIL_BACKEND"] = "locmem"
    from marketplace.core.extensions import mail

    mail.init_app(app)
    assert outbox.sweep() == 0  # not due yet: backed off
    _due_now(email)
    assert outbox.sweep() == 1
    db.session.refresh(email)
    assert email.status == "sent" and email.attempts == 2 and len(_sent(app)) == 1
    assert outbox.sweep() == 0


def test_sweep_leaves_a_row_whose_task_is_on_its_way(app, db):
    app.config["MAIL_BACKEND"] = "locmem"
    # Due, but a send task was published a moment ago (its lease runs): no second task yet.
    email = _row(next_attempt_at=utcnow() - timedelta(seconds=5), lease_until=utcnow() + timedelta(minutes=2))
    assert outbox.sweep() == 0
    email.lease_until = utcnow() - timedelta(seconds=1)  # that message was lost
    db.session.commit()
    assert outbox.sweep() == 1
    db.session.refresh(email)
    assert email.status == "sent"


def test_sweep_takes_back_a_claim_whose_worker_died(app, db):
    app.config["MAIL_BACKEND"] = "locmem"
    email = _row(status="sending", attempts=1, lease_until=utcnow() - timedelta(seconds=1))
    assert outbox.sweep() == 1
    db.session.refresh(email)
    assert email.status == "sent" and email.attempts == 2 and len(_sent(app)) == 1


def test_a_claim_lost_too_often_goes_dead(app, db):
    app.config.update(MAIL_BACKEND="locmem", OUTBOX_MAX_ATTEMPTS=3)
    email = _row(status="sending", attempts=3, lease_until=utcnow() - timedelta(seconds=1))
    assert outbox.sweep() == 0
    db.session.refresh(email)
    assert email.status == "dead" and "3" in email.last_error and _sent(app) == []


def test_replay_gives_fresh_attempts_and_sends(app, db):
    app.config["MAIL_BACKEND"] = "locmem"
    email = _row(status="dead", attempts=8, last_error="SMTPServerDisconnected: gone")
    assert outbox.dead_letters() == [email] and outbox.count_dead() == 1
    outbox.replay(email.id)
    db.session.refresh(email)
    assert email.status == "sent" and email.attempts == 1 and len(_sent(app)) == 1
    assert outbox.dead_letters() == []


def test_replay_refuses_what_is_not_dead(app, db):
    app.config["MAIL_BACKEND"] = "locmem"
    email = _row(status="sent")
    with pytest.raises(Conflict):
        outbox.replay(email.id)
    with pytest.raises(NotFound):
        outbox.replay(email.id + 1000)
    db.session.refresh(email)
    assert email.status == "sent" and _sent(app) == []


def test_replay_all(app, db):
    app.config["MAIL_BACKEND"] = "locmem"
    for key in ("a", "b"):
        _row(key, status="dead", attempts=8, last_error="x")
    _row("c", status="sent")
    assert outbox.replay_all() == 2
    assert {e.status for e in db.session.query(OutboxEmail)} == {"sent"} and len(_sent(app)) == 2


def test_send_email_drop_in_for_account_emails(app, db, make_user):
    user = make_user(name="Camille")
    first = outbox.send_email(user.email, _l("Réinitialisez votre mot de passe"), "reset_password", "fr",
                              user=user, link="http://x/reset/abc", max_age_minutes=60)
    again = outbox.send_email(user.email, _l("Réinitialisez votre mot de passe"), "reset_password", "fr",
                              user=user, link="http://x/reset/abc", max_age_minutes=60)
    assert first.id == again.id and first.status == "sent" and first.kind == "account"
    assert first.context["user"] == {"id": user.id, "email": user.email, "display_name": "Camille"}
    assert len(_sent(app)) == 1 and "Camille" in _sent(app)[0].body


def test_queued_inside_a_unit_of_work_is_sent_and_committed(app, db):
    from marketplace.core.unit_of_work import unit_of_work

    with unit_of_work():
        _queue()
    # The send ran (eager) after the commit of that unit of work, in units of its own: its "sent"
    # survives a rollback of whatever the session does next.
    db.session.rollback()
    assert db.session.query(OutboxEmail).one().status == "sent" and len(_sent(app)) == 1
