import pytest

from marketplace.models import User
from marketplace.models.geography import CollectivityPostalCode
from marketplace.accounts import services as accounts, onboarding
from marketplace.core import tokens
from marketplace.core.errors import ServiceError


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/"):
        yield


def outbox(app):
    return getattr(app.extensions["mailman"], "outbox", [])


def test_register_sends_verification_in_chosen_language(app, db, request_ctx):
    user = accounts.register_user(" Camille@Commune.fr ", "une phrase solide", "Camille", "fr")
    assert user.email == "Camille@Commune.fr"
    assert not user.email_verified and user.active
    assert user.password_hash.startswith("$argon2")
    [message] = outbox(app)
    assert message.to == ["Camille@Commune.fr"]
    assert message.subject == "Confirmez votre adresse e-mail"
    assert "/compte/verification/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_register_with_a_taken_address_in_another_case_creates_nothing_and_tells_the_owner(
        app, db, make_user, request_ctx):
    from marketplace.models import OutboxEmail

    make_user(email="camille@commune.fr")
    assert accounts.register_user("CAMILLE@Commune.FR", "une phrase solide", "Camille", "fr") is None
    assert db.session.query(User).count() == 1
    [email] = db.session.query(OutboxEmail).all()
    assert email.to == "camille@commune.fr" and email.template == "account_exists"


def test_authenticate_is_generic_and_refuses_inactive(app, make_user, request_ctx):
    user = make_user(email="a@b.fr")
    assert accounts.authenticate("A@B.FR", "motdepasse-solide-42") == user
    for email, password in (("a@b.fr", "mauvais"), ("inconnu@b.fr", "motdepasse-solide-42")):
        with pytest.raises(ServiceError) as error:
            accounts.authenticate(email, password)
        assert error.value.message == "Adresse e-mail ou mot de passe incorrect."
    user.active = False
    with pytest.raises(ServiceError, match="désactivé"):
        accounts.authenticate("a@b.fr", "motdepasse-solide-42")


def test_verify_email_token(app, make_user, request_ctx):
    user = make_user(verified=False)
    assert accounts.verify_email_token(tokens.email_verification_token(user)) == user
    assert user.email_verified


def test_verification_token_dies_when_address_changes(app, db, make_user, request_ctx):
    user = make_user(verified=False)
    token = tokens.email_verification_token(user)
    user.email = "nouvelle@commune.fr"
    db.session.commit()
    with pytest.raises(tokens.TokenInvalid):
        accounts.verify_email_token(token)
    assert not user.email_verified


def test_password_reset_is_single_use_and_changes_stamp(app, make_user, request_ctx):
    user = make_user(email="r@b.fr")
    stamp = user.security_stamp
    accounts.request_password_reset("R@B.fr")
    [message] = outbox(app)
    token = message.body.split("/compte/mot-de-passe/nouveau/")[1].split()[0]
    accounts.reset_password(token, "un autre mot de passe")
    assert user.security_stamp != stamp
    assert accounts.authenticate("r@b.fr", "un autre mot de passe") == user
    with pytest.raises(tokens.TokenInvalid):
        accounts.reset_password(token, "encore un autre mot")


def test_password_reset_for_unknown_or_inactive_sends_nothing(app, make_user, request_ctx):
    make_user(email="off@b.fr", active=False)
    accounts.request_password_reset("off@b.fr")
    accounts.request_password_reset("personne@b.fr")
    assert outbox(app) == []


def test_email_rendered_in_recipient_language(app, make_user, request_ctx):
    user = make_user(preferred_language="en", verified=False)
    assert accounts.resend_verification(user)
    [message] = outbox(app)
    assert '<html lang="en">' in message.alternatives[0][0]
    user.email_verified = True
    assert not accounts.resend_verification(user)
    assert len(outbox(app)) == 1


def test_can_publish_needs_verified_active_account(app, make_user, make_collectivity):
    town = make_collectivity()
    assert accounts.can_publish(make_user(verified=True, roles=[("agent", town)]))
    refused = accounts.can_publish(make_user(verified=False, roles=[("agent", town)]))
    assert not refused and "Confirmez votre adresse" in refused.reason
    assert not accounts.can_publish(make_user(active=False, roles=[("agent", town)]))
    assert not accounts.can_publish(make_user(verified=True))


def test_onboarding_resolution(app, db, make_collectivity, make_user):
    lyon = make_collectivity("Lyon", code="69123")
    db.session.add(CollectivityPostalCode(collectivity_id=lyon.id, postal_code="69001"))
    make_collectivity("Villeurbanne", code="69266")
    make_collectivity("Saint-Martin", code="38001")
    make_collectivity("Saint-Martin", code="38002")
    assert onboarding.resolve_collectivity_choice(str(lyon.id), "") == lyon
    assert onboarding.resolve_collectivity_choice("", "69123") == lyon
    assert onboarding.resolve_collectivity_choice("", "  LYON ") == lyon
    for query, expected in (
        ("69001", "code postal"),
        ("99999", "Collectivité introuvable"),
        ("Nulle Part", "Collectivité introuvable"),
        ("Saint-Martin", "Plusieurs collectivités"),
        ("", "Choisissez votre collectivité"),
    ):
        with pytest.raises(ServiceError, match=expected):
            onboarding.resolve_collectivity_choice("", query)
    with pytest.raises(ServiceError, match="introuvable"):
        onboarding.resolve_collectivity_choice("999999", "")


def test_siren_resolution(app, make_collectivity):
    epci = make_collectivity("Grand Lyon", kind="epci", code="200046977", siren="200046977")
    assert onboarding.resolve_collectivity_choice(None, "200046977") == epci


def test_complete_onboarding_files_pending_requests_once(app, make_collectivity, make_user):
    town = make_collectivity("Lyon", code="69123")
    user = make_user()
    [request] = onboarding.complete_onboarding(user, ["agent"], "", "69123")
    assert request.status == "pending" and request.collectivity == town
    assert not user.has_role("agent") and user.pending_roles("agent") == [request]
    # Asking again does not duplicate the request; other roles cannot be asked for.
    assert onboarding.complete_onboarding(user, ["agent"], str(town.id), "") == []
    with pytest.raises(ServiceError) as error:
        onboarding.complete_onboarding(user, ["approver", "admin"], str(town.id), "")
    assert error.value.field == "roles"
    assert len(user.roles) == 1


def test_complete_onboarding_needs_a_role(app, make_collectivity, make_user):
    make_collectivity("Lyon", code="69123")
    with pytest.raises(ServiceError) as error:
        onboarding.complete_onboarding(make_user(), [], "", "69123")
    assert error.value.field == "roles"
