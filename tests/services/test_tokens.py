import pytest

from marketplace.core import tokens


def test_token_round_trip_per_purpose(app):
    token = tokens.make_token(tokens.EMAIL_VERIFY, {"uid": 3})
    assert tokens.read_token(tokens.EMAIL_VERIFY, token) == {"uid": 3}


def test_token_of_one_purpose_is_refused_for_another(app):
    token = tokens.make_token(tokens.EMAIL_VERIFY, {"uid": 3})
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token(tokens.PASSWORD_RESET, token)


def test_tampered_token_is_invalid(app):
    token = tokens.make_token(tokens.PASSWORD_RESET, {"uid": 3, "stamp": "a"})
    payload, _dot, rest = token.partition(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token(tokens.PASSWORD_RESET, forged)
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token(tokens.PASSWORD_RESET, "pas-un-jeton")


def test_expired_token(app):
    token = tokens.make_token(tokens.EMAIL_VERIFY, {"uid": 3})
    with pytest.raises(tokens.TokenExpired):
        tokens.read_token(tokens.EMAIL_VERIFY, token, max_age=-1)


def test_lifetime_comes_from_config(app):
    token = tokens.make_token(tokens.PASSWORD_RESET, {"uid": 3})
    app.config["PASSWORD_RESET_MAX_AGE"] = -1  # this test's own app, not a global
    with pytest.raises(tokens.TokenExpired):
        tokens.read_token(tokens.PASSWORD_RESET, token)


def test_token_signed_with_another_key_is_invalid(app):
    token = tokens.make_token(tokens.EMAIL_VERIFY, {"uid": 3})
    app.config["SECRET_KEY"] = "another-key"
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token(tokens.EMAIL_VERIFY, token)


def test_reset_token_carries_the_security_stamp(app, make_user):
    user = make_user()
    payload = tokens.read_token(tokens.PASSWORD_RESET, tokens.password_reset_token(user))
    assert payload == {"uid": user.id, "stamp": user.security_stamp}


def test_token_refusals_belong_to_the_one_error_family(app):
    from marketplace.core.errors import ServiceError

    token = tokens.make_token(tokens.EMAIL_VERIFY, {"uid": 3})
    with pytest.raises(ServiceError) as refused:
        tokens.read_token(tokens.PASSWORD_RESET, token)
    assert isinstance(refused.value, tokens.TokenInvalid) and refused.value.status == 400
    assert "lien" in refused.value.message  # a French message ready to show
    with pytest.raises(ServiceError) as refused:
        tokens.read_token(tokens.EMAIL_VERIFY, token, max_age=-1)
    assert isinstance(refused.value, tokens.TokenExpired) and "expiré" in refused.value.message
