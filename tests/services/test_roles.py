"""Roles that must be earned (issue 10 §1): pending requests, the three verification paths, the
audit log, the limit per account, and pending roles giving no right anywhere."""
import pytest
from flask import url_for
from sqlalchemy import select

from marketplace.accounts import onboarding, roles
from marketplace.accounts import services as accounts
from marketplace.admin import domains
from marketplace.admin import services as admin_service
from marketplace.core import tokens
from marketplace.core.errors import NotAllowed, NotFound, ServiceError
from marketplace.models import Notification, RoleAssignment, SkillOffer, User
from marketplace.models.user import CollectivityEmailDomain, RoleAuditEntry


def outbox(app):
    return getattr(app.extensions["mailman"], "outbox", [])


@pytest.fixture
def places(make_collectivity):
    return {
        "lyon": make_collectivity("Lyon", code="69123", siren="216901231", departements=("69",), regions=("84",)),
        "brest": make_collectivity("Brest", code="29019", siren="212900195", departements=("29",), regions=("53",)),
        "caen": make_collectivity("Caen", code="14118", siren="211401187", departements=("14",), regions=("28",)),
        "nice": make_collectivity("Nice", code="06088", siren="210600888", departements=("06",), regions=("93",)),
    }


def request(user, place, *wanted):
    return onboarding.complete_onboarding(user, list(wanted or ["agent"]), str(place.id), "")


def list_domain(db, place, domain):
    db.session.add(CollectivityEmailDomain(collectivity_id=place.id, domain=domain))
    db.session.commit()


def actions(db, user):
    return [(e.action, e.method) for e in db.session.scalars(
        select(RoleAuditEntry).where(RoleAuditEntry.user_id == user.id).order_by(RoleAuditEntry.id))]


# --- pending roles give no right -------------------------------------------------------------

def test_pending_roles_count_nowhere(app, db, places, make_user):
    user = make_user()
    request(user, places["lyon"], "agent", "representative")
    assert not user.has_role("agent") and not user.has_role("representative")
    assert user.active_roles() == [] and user.collectivity_ids() == set()
    # Queries of other features filter on RoleAssignment.active: a pending row is not selected.
    assert db.session.scalars(select(RoleAssignment).where(RoleAssignment.active.is_(True))).all() == []
    assert {r.status for r in db.session.scalars(select(RoleAssignment))} == {"pending"}


def test_pending_user_prepares_drafts_but_cannot_publish(app, db, places, make_user):
    from marketplace.listings import services as listings
    user = make_user()
    request(user, places["lyon"])
    data = {"title": "Conseil en marchés publics", "description": "", "tags": [], "domain": "marches_publics",
            "modality": "remote", "collectivity_id": places["lyon"].id, "days_per_month": 2}
    draft = listings.create_offer(user, data)
    assert draft.status == "draft"
    refusal = accounts.can_publish(user, places["lyon"].id)
    assert not refusal and "en attente de vérification" in refusal.reason
    with pytest.raises(ServiceError,
                       match="en attente"):
        listings.change_offer_status(draft, "published", user)
    db.session.rollback()
    assert db.session.get(SkillOffer, draft.id).status == "draft"


def test_active_role_elsewhere_does_not_publish_for_a_pending_collectivity(app, places, make_user):
    user = make_user(roles=[("agent", places["brest"])])
    request(user, places["lyon"])
    assert accounts.can_publish(user, places["brest"].id)
    assert not accounts.can_publish(user, places["lyon"].id)


# --- path 2: e-mail domain -------------------------------------------------------------------

def test_listed_domain_of_a_verified_address_verifies_at_once(app, db, places, make_user):
    list_domain(db, places["lyon"], "mairie-lyon.fr")
    user = make_user(email="Camille@Mairie-Lyon.fr")
    [assignment] = request(user, places["lyon"])
    assert assignment.active and assignment.verification_method == "email_domain"
    assert assignment.evidence == "mairie-lyon.fr"
    assert actions(db, user) == [("requested", None), ("verified", "email_domain")]


def test_domain_of_another_collectivity_verifies_nothing(app, db, places, make_user):
    list_domain(db, places["brest"], "mairie-brest.fr")
    user = make_user(email="camille@mairie-brest.fr")
    [assignment] = request(user, places["lyon"])
    assert assignment.status == "pending"


def test_unverified_address_waits_then_verifying_it_activates(app, db, places, make_user):
    list_domain(db, places["lyon"], "mairie-lyon.fr")
    user = make_user(email="camille@mairie-lyon.fr", verified=False)
    [assignment] = request(user, places["lyon"])
    assert assignment.status == "pending"
    with app.test_request_context("/"):
        accounts.verify_email_token(tokens.email_verification_token(user))
    db.session.refresh(assignment)
    assert assignment.active and user.has_role("agent")


def test_listing_a_domain_verifies_the_requests_already_waiting(app, db, places, make_user):
    admin = make_user(roles=["admin"])
    user = make_user(email="camille@mairie-lyon.fr")
    [assignment] = request(user, places["lyon"])
    domains.add_domain(admin, str(places["lyon"].id), "", "@Mairie-Lyon.FR ")
    db.session.refresh(assignment)
    assert assignment.active and assignment.evidence == "mairie-lyon.fr"


@pytest.mark.parametrize("domain, message", [
    ("", "nom de domaine valide"), ("pas un domaine", "nom de domaine valide"),
    ("x" * 300 + ".fr", "nom de domaine valide"), ("gmail.com", "messagerie ouverte à tous"),
    ("orange.fr", "messagerie ouverte à tous"),
])
def test_bad_domains_are_refused_next_to_the_field(app, db, places, make_user, domain, message):
    admin = make_user(roles=["admin"])
    with pytest.raises(ServiceError, match=message) as error:
        domains.add_domain(admin, str(places["lyon"].id), "", domain)
    assert error.value.field == "domain"
    assert db.session.scalars(select(CollectivityEmailDomain)).all() == []


def test_duplicate_domain_and_unknown_collectivity(app, db, places, make_user):
    admin = make_user(roles=["admin"])
    domains.add_domain(admin, str(places["lyon"].id), "", "mairie-lyon.fr")
    with pytest.raises(ServiceError, match="déjà enregistré") as error:
        domains.add_domain(admin, "", "69123", "MAIRIE-LYON.fr")
    assert error.value.field == "domain"
    with pytest.raises(ServiceError, match="introuvable"):
        domains.add_domain(admin, "", "Nulle Part", "nulle-part.fr")
    [entry] = domains.list_domains()
    domains.remove_domain(admin, entry.id)
    assert domains.list_domains() == []
    with pytest.raises(NotFound):
        domains.remove_domain(admin, entry.id)


def test_demo_domains_are_seeded_once(app, db, places):
    assert domains.seed_demo_domains(places.values()) == 4
    db.session.commit()
    assert domains.seed_demo_domains(places.values()) == 0
    assert {d.domain for d in domains.list_domains(places["lyon"].id)} == {"lyon.essaim-demo.fr"}


# --- path 1: ProConnect SIRET ----------------------------------------------------------------

def test_siret_verifies_only_its_own_collectivity(app, db, places, make_user):
    user = make_user()
    request(user, places["lyon"], "agent", "representative")
    request(user, places["brest"])
    verified = roles.verify_by_siret(user, "21690123100019")
    assert {(a.role, a.collectivity_id) for a in verified} == {("agent", places["lyon"].id),
                                                                ("representative", places["lyon"].id)}
    assert all(a.verification_method == "proconnect" and a.evidence == "21690123100019" for a in verified)
    assert [r.collectivity_id for r in user.pending_roles()] == [places["brest"].id]
    assert user.collectivity_ids() == {places["lyon"].id}
    assert ("verified", "proconnect") in actions(db, user)


def test_siret_of_another_collectivity_or_unverified_address_verifies_nothing(app, places, make_user):
    user = make_user()
    request(user, places["lyon"])
    assert roles.verify_by_siret(user, "21290019500013") == []
    unverified = make_user(verified=False)
    request(unverified, places["lyon"])
    assert roles.verify_by_siret(unverified, "21690123100019") == []
    assert not user.has_role("agent") and not unverified.has_role("agent")


@pytest.mark.parametrize("siret", ["", "2169012310001", "216901231000199", "2169012310001A", None])
def test_malformed_siret_is_refused(app, places, make_user, siret):
    user = make_user()
    request(user, places["lyon"])
    with pytest.raises(ServiceError, match="SIRET"):
        roles.verify_by_siret(user, siret)
    assert user.pending_roles()


# --- path 3: manual review -------------------------------------------------------------------

def test_coordinator_of_the_territory_approves_with_a_reason(app, db, places, make_user):
    coordinator = make_user(roles=[("coordinator", {"departements": ["69"]})])
    user = make_user(preferred_language="fr")
    [assignment] = request(user, places["lyon"])
    assert roles.reviewable_requests(coordinator) == [assignment]
    roles.decide_request(coordinator, assignment.id, True, "  Appel à la mairie :   confirmé ")
    assert assignment.active and assignment.verification_method == "manual"
    assert assignment.decided_by_id == coordinator.id and assignment.decided_at is not None
    assert assignment.reason == "Appel à la mairie : confirmé"
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
    assert "Agent territorial" in note.message and "Lyon" in note.message and "validé" in note.message
    [mail] = [m for m in outbox(app) if m.to == [user.email]]
    assert "validée" in mail.subject
    entry = db.session.scalars(select(RoleAuditEntry).where(RoleAuditEntry.action == "verified")).one()
    assert entry.actor_id == coordinator.id and entry.reason == "Appel à la mairie : confirmé"


def test_refusal_is_told_with_its_reason(app, db, places, make_user):
    admin = make_user(roles=["admin"])
    user = make_user()
    [assignment] = request(user, places["nice"])
    roles.decide_request(admin, assignment.id, False, "Inconnu des services de la ville")
    assert assignment.status == "refused" and not user.has_role("agent")
    [mail] = [m for m in outbox(app) if m.to == [user.email]]
    assert "refusée" in mail.subject and "Inconnu des services de la ville" in mail.body
    assert actions(db, user)[-1] == ("refused", "manual")
    # A refused request may be filed again: it is pending once more, and decided again later.
    [again] = request(user, places["nice"])
    assert again.id == assignment.id and again.status == "pending" and again.reason is None


def test_reviewers_outside_the_territory_or_without_the_role_are_refused(app, places, make_user):
    elsewhere = make_user(roles=[("coordinator", {"departements": ["29"], "regions": ["53"]})])
    representative = make_user(roles=[("representative", places["lyon"])])
    user = make_user()
    [assignment] = request(user, places["lyon"])
    assert roles.reviewable_requests(elsewhere) == []
    with pytest.raises(NotAllowed):
        roles.decide_request(elsewhere, assignment.id, True, "Je le connais")
    with pytest.raises(NotAllowed):
        roles.reviewable_requests(representative)
    with pytest.raises(NotAllowed):
        roles.decide_request(representative, assignment.id, True, "Je le connais")
    assert assignment.status == "pending"


def test_region_scope_covers_and_nobody_reviews_their_own(app, places, make_user):
    coordinator = make_user(roles=[("coordinator", {"regions": ["84"]})])
    [own] = request(coordinator, places["lyon"])
    with pytest.raises(NotAllowed):
        roles.decide_request(coordinator, own.id, True, "C'est moi")
    user = make_user()
    [other] = request(user, places["lyon"])
    assert roles.reviewable_requests(coordinator) == [other]


@pytest.mark.parametrize("reason", ["", "  ", "ok", "x" * 1001, None])
def test_a_decision_needs_a_reason(app, places, make_user, reason):
    admin = make_user(roles=["admin"])
    user = make_user()
    [assignment] = request(user, places["lyon"])
    with pytest.raises(ServiceError, match="motif") as error:
        roles.decide_request(admin, assignment.id, True, reason)
    assert error.value.field == "reason" and assignment.status == "pending"


def test_no_role_is_approved_on_an_unverified_address(app, places, make_user):
    admin = make_user(roles=["admin"])
    user = make_user(verified=False)
    [assignment] = request(user, places["lyon"])
    with pytest.raises(ServiceError, match="confirmé son adresse"):
        roles.decide_request(admin, assignment.id, True, "Confirmé par téléphone")
    assert assignment.status == "pending"


def test_decided_or_unknown_request_is_not_found(app, places, make_user):
    admin = make_user(roles=["admin"])
    user = make_user()
    [assignment] = request(user, places["lyon"])
    roles.decide_request(admin, assignment.id, True, "Confirmé par téléphone")
    for target in (assignment.id, 999999):
        with pytest.raises(NotFound):
            roles.decide_request(admin, target, False, "Trop tard")


# --- limit per account -----------------------------------------------------------------------

def test_collectivities_per_account_are_limited(app, places, make_user):
    app.config["MAX_COLLECTIVITIES_PER_ACCOUNT"] = 3
    user = make_user()
    for name in ("lyon", "brest", "caen"):
        request(user, places[name])
    with pytest.raises(ServiceError, match="3 collectivités au plus") as error:
        request(user, places["nice"])
    assert error.value.field == "collectivity_query"
    # Another role in a collectivity already held is not one more collectivity.
    request(user, places["lyon"], "representative")
    assert len(user.roles) == 4


def test_refused_requests_do_not_count_towards_the_limit(app, places, make_user):
    app.config["MAX_COLLECTIVITIES_PER_ACCOUNT"] = 1
    admin = make_user(roles=["admin"])
    user = make_user()
    [first] = request(user, places["lyon"])
    roles.decide_request(admin, first.id, False, "Pas dans nos effectifs")
    [second] = request(user, places["brest"])
    assert second.status == "pending"


# --- roles an administrator grants -----------------------------------------------------------

def test_admin_grants_need_a_verified_address_and_are_logged(app, db, places, make_user):
    admin = make_user(roles=["admin"])
    unverified = make_user(verified=False)
    with pytest.raises(ServiceError, match="confirmé son adresse") as error:
        admin_service.grant_coordinator(admin, unverified, "69", "")
    assert error.value.field == "role"
    with pytest.raises(ServiceError, match="confirmé son adresse"):
        admin_service.grant_approver(admin, unverified, str(places["lyon"].id), "", 20)
    with pytest.raises(ServiceError, match="confirmé son adresse"):
        admin_service.grant_admin(admin, unverified)
    assert unverified.roles == []
    user = make_user()
    admin_service.grant_approver(admin, user, str(places["lyon"].id), "", 20)
    assert user.has_role("approver")
    assert actions(db, user) == [("verified", "admin_grant")]
    admin_service.revoke_role(admin, user, user.roles[0].id)
    assert actions(db, user)[-1] == ("revoked", None)


# --- e-mail links without url_for in services ------------------------------------------------

def test_link_paths_are_the_routes(app):
    with app.test_request_context("/"):
        assert url_for("accounts.verify_email", token="T") == accounts.VERIFY_PATH.format(token="T")
        assert url_for("accounts.reset_password", token="T") == accounts.RESET_PATH.format(token="T")
