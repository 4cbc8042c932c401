"""§4: only failed logins count, per account (all addresses) and per address, with a doubling
wait and a clear French message; colleagues behind one address are not blocked by each other."""
from datetime import timedelta

import pytest

from marketplace.models import LoginThrottle
from marketplace.models.base import utcnow

PASSWORD = "motdepasse-solide-42"
SLOWED = "Trop de tentatives de connexion ont échoué"


def _try(client, email, password, ip="127.0.0.1"):
    return client.post_form("/compte/connexion", {"email": email, "password": password},
                            environ_base={"REMOTE_ADDR": ip})


def _text(response):
    return response.get_data(as_text=True)


def test_successes_from_one_office_address_never_block_each_other(client, make_user):
    """Flask-Limiter used to count every POST: ten colleagues logging in from one NAT address
    within a minute got 'Trop de tentatives'."""
    for number in range(15):
        user = make_user(email=f"collegue{number}@mairie.fr")
        assert _try(client, user.email, PASSWORD, ip="192.0.2.10").status_code == 302
        client.post_form("/compte/deconnexion", {}, token_from="/espace")


def test_failures_on_an_account_slow_it_down_from_any_address(app, client, make_user, db):
    user = make_user()
    free = app.config["LOGIN_FREE_FAILURES_ACCOUNT"]
    for attempt in range(free):
        response = _try(client, user.email, "mauvais", ip=f"198.51.100.{attempt}")
        assert response.status_code == 200 and SLOWED not in _text(response)
    _try(client, user.email, "mauvais", ip="198.51.100.99")  # one too many: the wait starts
    # Even the right password, from yet another address, waits: the account is the target.
    response = _try(client, user.email, PASSWORD, ip="203.0.113.5")
    assert response.status_code == 200
    assert SLOWED in _text(response) and "minute" in _text(response)


def test_the_wait_doubles_with_each_further_failure(app, client, make_user, db):
    user = make_user()
    free = app.config["LOGIN_FREE_FAILURES_ACCOUNT"]
    waits = []
    for _ in range(free + 3):
        row = db.session.query(LoginThrottle).filter_by(key=f"account:{user.email}").one_or_none()
        if row is not None and row.blocked_until is not None:  # let the wait pass: move it
            row.blocked_until = utcnow() - timedelta(seconds=1)
            db.session.commit()
        _try(client, user.email, "mauvais")
        row = db.session.query(LoginThrottle).filter_by(key=f"account:{user.email}").one()
        db.session.refresh(row)
        if row.blocked_until is not None:
            waits.append(round((row.blocked_until.replace(tzinfo=None) - row.last_failure_at.replace(tzinfo=None))
                               .total_seconds()))
    base = app.config["LOGIN_DELAY_BASE"]
    assert waits == [base, 2 * base, 4 * base]


def test_after_the_wait_the_right_password_works_and_clears_the_count(client, make_user, db, app):
    user = make_user()
    for _ in range(app.config["LOGIN_FREE_FAILURES_ACCOUNT"] + 1):
        _try(client, user.email, "mauvais")
    row = db.session.query(LoginThrottle).filter_by(key=f"account:{user.email}").one()
    row.blocked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _try(client, user.email, PASSWORD).status_code == 302
    assert db.session.query(LoginThrottle).filter_by(key=f"account:{user.email}").count() == 0


def test_failures_from_one_address_on_many_accounts_slow_that_address(app, client, make_user):
    app.config["LOGIN_FREE_FAILURES_IP"] = 4
    for number in range(5):
        _try(client, f"inconnu{number}@exemple.fr", "mauvais", ip="198.51.100.66")
    user = make_user()
    response = _try(client, user.email, PASSWORD, ip="198.51.100.66")
    assert SLOWED in _text(response)
    assert _try(client, user.email, PASSWORD, ip="198.51.100.67").status_code == 302


def test_a_refused_attempt_while_slowed_down_is_not_even_checked(app, client, make_user, db):
    user = make_user()
    for _ in range(app.config["LOGIN_FREE_FAILURES_ACCOUNT"] + 1):
        _try(client, user.email, "mauvais")
    before = db.session.query(LoginThrottle).filter_by(key=f"account:{user.email}").one().failures
    _try(client, user.email, "mauvais")
    db.session.expire_all()
    assert db.session.query(LoginThrottle).filter_by(key=f"account:{user.email}").one().failures == before


@pytest.mark.parametrize("email", ["", "pas-une-adresse", "x" * 400 + "@exemple.fr"])
def test_bad_inputs_get_a_message_not_an_error(client, email):
    response = _try(client, email, "mauvais")
    assert response.status_code == 200


# --- account e-mails: reset, verification, registration ---------------------------------------


def _forgot(client, email, ip="127.0.0.1"):
    return client.post_form("/compte/mot-de-passe/oubli", {"email": email}, token_from="/compte/mot-de-passe/oubli",
                            environ_base={"REMOTE_ADDR": ip})


def test_forgot_password_answers_the_same_and_mails_from_the_outbox(client, make_user, db):
    from marketplace.models import OutboxEmail

    user = make_user()
    known, unknown = _forgot(client, user.email), _forgot(client, "personne@exemple.fr")
    assert known.status_code == unknown.status_code == 302 and known.location == unknown.location
    [row] = db.session.query(OutboxEmail).all()
    assert row.to == user.email and row.template == "reset_password"


def test_reset_emails_are_limited_per_address(app, client, make_user, db):
    from marketplace.models import OutboxEmail

    app.config["EMAIL_RATE_LIMIT_ADDRESS"] = "2 per hour"
    user = make_user()
    statuses = [_forgot(client, user.email, ip=f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    # (two requests within one second make the same link, which the outbox sends once)
    assert 1 <= db.session.query(OutboxEmail).count() <= 2
    # The limit is the same for an address without an account: it reveals nothing.
    statuses = [_forgot(client, "personne@exemple.fr", ip=f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert "Trop de tentatives" in _forgot(client, user.email).get_data(as_text=True)


def test_account_emails_are_limited_per_client_address(app, client, make_user):
    app.config["EMAIL_RATE_LIMIT_IP"] = "3 per hour"
    statuses = [_forgot(client, f"n{n}@exemple.fr", ip="198.51.100.20").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    # Registration shares the budget: same address, refused too; another address is not.
    data = {"display_name": "Camille Martin", "email": "z@exemple.fr", "password": "une phrase solide",
            "confirm": "une phrase solide", "language": "fr", "accept_terms": "y"}
    assert client.post_form("/compte/inscription", data, token_from="/compte/inscription",
                            environ_base={"REMOTE_ADDR": "198.51.100.20"}).status_code == 429
    assert client.post_form("/compte/inscription", data, token_from="/compte/inscription",
                            environ_base={"REMOTE_ADDR": "198.51.100.21"}).status_code == 302


def test_verification_emails_are_limited_per_account(app, client, make_user, login):
    app.config["EMAIL_RATE_LIMIT_ADDRESS"] = "2 per hour"
    login(make_user(verified=False))
    statuses = [client.post_form("/compte/verification/renvoyer", {}, token_from="/compte/verification/renvoyer")
                .status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert client.get("/compte/verification/renvoyer").status_code == 200  # reading the page is free
