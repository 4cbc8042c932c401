"""The e-mail outbox: written with the change, sent once, retried with backoff, swept."""
from __future__ import annotations

import socket
from datetime import timedelta, timezone

import pytest
from flask_babel import lazy_gettext as _l

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


def test_smtp_failure_backs_off_then_gives_up(app, db, closed_port):
    _smtp_app(app, closed_port)
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    email = OutboxEmail(idempotency_key="y", kind="k", to="a@example.fr", subject="s", template="suggestion",
                        context={"display_name": "A", "message": "m", "need_url": "u", "unsubscribe_url": "u"})
    db.session.add(email)
    db.session.commit()
    with pytest.raises(OSError):
        outbox.deliver(email.id)
    db.session.refresh(email)
    assert email.status == "pending" and email.attempts == 1 and "Connection" in email.last_error
    assert _aware(email.next_attempt_at) > utcnow() + timedelta(seconds=30)
    with pytest.raises(OSError):
        outbox.deliver(email.id)
    db.session.refresh(email)
    assert email.status == "failed" and email.attempts == 2


def test_sweep_resends_what_is_pending(app, db, closed_port):
    _smtp_app(app, closed_port)
    _queue()
    db.session.commit()  # the send after commit fails (SMTP down): stays pending
    email = _db.session.query(OutboxEmail).one()
    assert email.status == "pending"
    app.config["MAIL_BACKEND"] = "locmem"
    from marketplace.core.extensions import mail

    mail.init_app(app)
    assert outbox.sweep() == 0  # not due yet: backed off
    assert outbox.sweep(now=utcnow() + timedelta(hours=1)) == 1
    db.session.refresh(email)
    assert email.status == "sent" and len(_sent(app)) == 1


def test_send_email_drop_in_for_account_emails(app, db, make_user):
    user = make_user(name="Camille")
    first = outbox.send_email(user.email, _l("Réinitialisez votre mot de passe"), "reset_password", "fr",
                              user=user, link="http://x/reset/abc", max_age_minutes=60)
    again = outbox.send_email(user.email, _l("Réinitialisez votre mot de passe"), "reset_password", "fr",
                              user=user, link="http://x/reset/abc", max_age_minutes=60)
    assert first.id == again.id and first.status == "sent" and first.kind == "account"
    assert first.context["user"] == {"id": user.id, "email": user.email, "display_name": "Camille"}
    assert len(_sent(app)) == 1 and "Camille" in _sent(app)[0].body
