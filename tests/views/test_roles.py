"""The pages of role verification: a coordinator's or an admin's review page, the admin's list of
e-mail domains, and what a pending user reads."""
import pytest
from sqlalchemy import select

from marketplace.accounts import onboarding
from marketplace.models import RoleAssignment
from marketplace.models.user import CollectivityEmailDomain


def text(response):
    return response.get_data(as_text=True).replace("&#39;", "'")


@pytest.fixture
def lyon(make_collectivity):
    return make_collectivity("Lyon", code="69123", siren="216901231", departements=("69",), regions=("84",))


@pytest.fixture
def pending(make_user, lyon):
    user = make_user(name="Camille Demandeuse")
    [assignment] = onboarding.complete_onboarding(user, ["agent"], str(lyon.id), "")
    return assignment


def decide(client, assignment_id, **data):
    fields = {f"r{assignment_id}-{k}": v for k, v in data.items()}
    return client.post_form(f"/compte/demandes-de-role/{assignment_id}", fields,
                            token_from="/compte/profil")


def test_agents_and_representatives_cannot_open_the_review_page(client, login, make_user, lyon, pending):
    login(make_user(roles=[("agent", lyon), ("representative", lyon)]))
    assert client.get("/compte/demandes-de-role").status_code == 403
    assert decide(client, pending.id, decision="approve", reason="Je confirme").status_code == 403
    assert pending.status == "pending"


def test_coordinator_sees_and_approves_requests_of_their_territory(client, login, make_user, db, pending):
    login(make_user(roles=[("coordinator", {"departements": ["69"]})]))
    page = text(client.get("/compte/demandes-de-role"))
    assert "Camille Demandeuse" in page and "Agent territorial · Lyon" in page
    response = decide(client, pending.id, decision="approve", reason="Confirmé par la DRH de Lyon")
    assert response.status_code == 302
    db.session.refresh(pending)
    assert pending.active and pending.reason == "Confirmé par la DRH de Lyon"


def test_coordinator_elsewhere_sees_nothing_and_cannot_decide(client, login, make_user, pending):
    login(make_user(roles=[("coordinator", {"departements": ["29"]})]))
    assert "Aucune demande en attente" in text(client.get("/compte/demandes-de-role"))
    assert decide(client, pending.id, decision="approve", reason="Je confirme").status_code == 403


@pytest.mark.parametrize("data, message", [
    ({"decision": "approve", "reason": ""}, "Indiquez le motif de votre décision."),
    ({"decision": "approve", "reason": "ok"}, "Le motif fait entre 3 et 1000 caractères."),
    ({"decision": "peut-être", "reason": "Je ne sais pas"}, "Choisissez de valider ou de refuser."),
])
def test_bad_decisions_keep_the_request_and_say_why(client, login, make_user, pending, data, message):
    login(make_user(roles=["admin"]))
    response = decide(client, pending.id, **data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert pending.status == "pending"


def test_unverified_requester_cannot_be_approved_message_next_to_reason(client, login, make_user, lyon, db):
    user = make_user(verified=False)
    [assignment] = onboarding.complete_onboarding(user, ["representative"], str(lyon.id), "")
    login(make_user(roles=["admin"]))
    response = decide(client, assignment.id, decision="approve", reason="Confirmé par téléphone")
    assert response.status_code == 400
    assert "n'a pas encore confirmé son adresse e-mail" in text(response)
    assert db.session.get(RoleAssignment, assignment.id).status == "pending"


def test_refusal_reaches_the_requester_dashboard_and_profile(client, login, make_user, pending):
    login(make_user(roles=["admin"]))
    decide(client, pending.id, decision="refuse", reason="Inconnu de la mairie")
    client.post_form("/compte/deconnexion", {}, token_from="/espace")
    login(pending.user)
    dashboard = text(client.get("/espace"))
    assert "Demande refusée : Agent territorial" in dashboard and "Motif : Inconnu de la mairie" in dashboard
    assert "refusé" in text(client.get("/compte/profil"))
    notes = text(client.get("/notifications/"))
    assert "Votre demande de rôle « Agent territorial » pour Lyon est refusée : Inconnu de la mairie" in notes


def test_pending_dashboard_explains_how_verification_happens(client, login, pending):
    login(pending.user)
    page = text(client.get("/espace"))
    assert "Demande en attente : Agent territorial pour Lyon" in page
    assert "ProConnect" in page and "brouillons" in page
    assert "en attente de vérification" in text(client.get("/compte/profil"))


def test_admin_manages_domains(client, login, make_user, lyon, db):
    login(make_user(roles=["admin"]))
    response = client.post_form("/admin/domaines", {"collectivity_id": str(lyon.id), "domain": "mairie-lyon.fr"},
                                token_from="/admin/domaines")
    assert response.status_code == 302
    page = text(client.get("/admin/domaines"))
    assert "mairie-lyon.fr" in page and "Lyon" in page
    [entry] = db.session.scalars(select(CollectivityEmailDomain)).all()
    response = client.post_form(f"/admin/domaines/{entry.id}/supprimer", {}, token_from="/admin/domaines")
    assert response.status_code == 302
    assert db.session.scalars(select(CollectivityEmailDomain)).all() == []


@pytest.mark.parametrize("data, message", [
    ({"collectivity_id": "", "collectivity_query": "", "domain": "mairie.fr"}, "Choisissez votre collectivité."),
    ({"collectivity_query": "69123", "domain": ""}, "Saisissez le domaine"),
    ({"collectivity_query": "69123", "domain": "gmail.com"}, "messagerie ouverte à tous"),
    ({"collectivity_query": "69123", "domain": "pas un domaine"}, "nom de domaine valide"),
])
def test_bad_domain_input_is_shown_next_to_the_field(client, login, make_user, lyon, db, data, message):
    login(make_user(roles=["admin"]))
    response = client.post_form("/admin/domaines", data, token_from="/admin/domaines")
    assert response.status_code == 400 and message in text(response)
    assert db.session.scalars(select(CollectivityEmailDomain)).all() == []


def test_only_admins_manage_domains(client, login, make_user, lyon):
    login(make_user(roles=[("coordinator", {"departements": ["69"]})]))
    assert client.get("/admin/domaines").status_code == 403


def test_admin_user_page_shows_the_role_audit_log(client, login, make_user, pending):
    login(make_user(roles=["admin"]))
    page = text(client.get(f"/admin/utilisateurs/{pending.user_id}"))
    assert "Journal des rôles" in page and "demande" in page and "En attente" in page


def test_person_withdraws_a_request_and_the_limit_is_shown_next_to_the_field(client, login, make_user,
                                                                            make_collectivity, app, db):
    app.config["MAX_COLLECTIVITIES_PER_ACCOUNT"] = 1
    first = make_collectivity("Lyon", code="69123")
    make_collectivity("Brest", code="29019")
    user = make_user()
    login(user)
    client.post_form("/compte/bienvenue", {"roles": ["agent"], "collectivity_id": str(first.id)},
                     token_from="/compte/bienvenue")
    response = client.post_form("/compte/bienvenue", {"roles": ["agent"], "collectivity_query": "29019"},
                                token_from="/compte/bienvenue")
    assert "des rôles dans 1 collectivités au plus" in text(response)
    [request] = user.roles
    response = client.post_form(f"/compte/roles/{request.id}/retirer", {}, token_from="/compte/profil")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.query(RoleAssignment).filter_by(user_id=user.id).count() == 0
    response = client.post_form("/compte/bienvenue", {"roles": ["agent"], "collectivity_query": "29019"},
                                token_from="/compte/bienvenue")
    assert response.status_code == 302


def test_a_person_cannot_withdraw_an_administrators_grant_or_anothers_role(client, login, make_user, lyon, db):
    other = make_user(roles=[("agent", lyon)])
    user = make_user(roles=[("approver", lyon)])
    login(user)
    assert client.post_form(f"/compte/roles/{user.roles[0].id}/retirer", {},
                            token_from="/compte/profil").status_code == 403
    assert client.post_form(f"/compte/roles/{other.roles[0].id}/retirer", {},
                            token_from="/compte/profil").status_code == 404
    assert db.session.query(RoleAssignment).count() == 2
