import re

import pytest

from marketplace.models import Departement, Region, RoleAssignment


def listed(response):
    """The names in the accounts table."""
    return set(re.findall(r'/admin/utilisateurs/\d+">([^<]+)</a>', text(response)))


def text(response):
    return response.get_data(as_text=True).replace("&#39;", "'")


@pytest.fixture
def admin(make_user, login):
    user = make_user(name="Alice Admin", roles=["admin"])
    login(user)
    return user


def post(client, url, data=None):
    return client.post_form(url, data or {}, token_from="/admin/")


ADMIN_URLS = ["/admin/", "/admin/utilisateurs/1"]


def test_anonymous_is_sent_to_login(client):
    for url in ADMIN_URLS:
        response = client.get(url)
        assert response.status_code == 302
        assert "/compte/connexion" in response.location


@pytest.mark.parametrize("role", ["agent", "representative", "approver", "coordinator", None])
def test_non_admins_are_refused(client, make_user, make_collectivity, login, role):
    if role == "coordinator":
        roles = [("coordinator", {"departements": ["69"]})]
    elif role:
        roles = [(role, make_collectivity())]
    else:
        roles = []
    login(make_user(roles=roles))
    for url in ADMIN_URLS:
        assert client.get(url).status_code == 403
    token = client.csrf_token("/espace")
    response = client.post("/admin/utilisateurs/1/activation", data={"csrf_token": token, "active": "0"})
    assert response.status_code == 403


def test_list_filters_and_pagination(client, app, admin, make_user, make_collectivity, db):
    town = make_collectivity("Lyon")
    make_user(name="Bruno Agent", email="bruno@lyon.fr", roles=[("agent", town)])
    pending = make_user(name="Chloé Employeur")
    pending.roles.append(RoleAssignment(role="approver", collectivity=town, active=False))
    db.session.commit()
    assert listed(client.get("/admin/?q=BRUNO")) == {"Bruno Agent"}
    assert listed(client.get("/admin/?q=lyon.fr")) == {"Bruno Agent"}
    assert listed(client.get("/admin/?role=agent")) == {"Bruno Agent"}
    assert listed(client.get("/admin/?pending=y")) == {"Chloé Employeur"}
    assert listed(client.get("/admin/")) == {"Alice Admin", "Bruno Agent", "Chloé Employeur"}
    assert "1 demande(s) de rôle en attente" in text(client.get("/admin/"))
    for n in range(25):
        make_user(name=f"Zoé {n:02d}")
    first, second = listed(client.get("/admin/")), listed(client.get("/admin/?page=2"))
    assert len(first) == 20 and len(second) == 8 and not first & second
    assert "fr-pagination" in text(client.get("/admin/"))


def test_deactivate_and_reactivate(client, admin, make_user, db):
    user = make_user()
    url = f"/admin/utilisateurs/{user.id}/activation"
    assert post(client, url, {"active": "0"}).status_code == 302
    assert not user.active
    post(client, url, {"active": "1"})
    assert user.active


def test_admin_cannot_deactivate_self_nor_drop_own_admin_role(client, admin):
    response = post(client, f"/admin/utilisateurs/{admin.id}/activation", {"active": "0"})
    page = text(client.get(response.location))
    assert "Vous ne pouvez pas désactiver votre propre compte." in page
    assert admin.active
    [role] = admin.roles
    response = post(client, f"/admin/utilisateurs/{admin.id}/roles/{role.id}/retirer")
    assert "retirer votre propre rôle d'administrateur" in text(client.get(response.location))
    assert admin.is_admin


def test_pending_approver_needs_admin_with_budget(client, admin, make_user, make_collectivity, db):
    town = make_collectivity("Lyon")
    user = make_user()
    request = RoleAssignment(role="approver", collectivity=town, active=False)
    user.roles.append(request)
    db.session.commit()
    assert not user.has_role("approver")
    url = f"/admin/utilisateurs/{user.id}/roles/{request.id}/approuver"
    assert "Indiquez le nombre de jours par an." in text(post(client, url))
    assert "entre 0 et 220 jours" in text(post(client, url, {"yearly_day_budget": "221"}))
    assert not user.has_role("approver")
    assert post(client, url, {"yearly_day_budget": "30"}).status_code == 302
    assert user.has_role("approver")
    assert request.yearly_day_budget == 30 and request.granted_by_id == admin.id


def test_refuse_pending_request(client, admin, make_user, make_collectivity, db):
    town = make_collectivity()
    user = make_user()
    user.roles.append(RoleAssignment(role="approver", collectivity=town, active=False))
    db.session.commit()
    role_id = user.roles[0].id
    post(client, f"/admin/utilisateurs/{user.id}/roles/{role_id}/retirer")
    assert db.session.query(RoleAssignment).filter_by(user_id=user.id).count() == 0


def test_grant_coordinator_with_format_check_when_geography_is_empty(client, admin, make_user):
    user = make_user()
    url = f"/admin/utilisateurs/{user.id}/coordinateur"
    page = text(post(client, url, {"departements": "69, 2C, 123", "regions": ""}))
    assert "Code(s) de département inconnu(s) : 123, 2C." in page
    assert 'value="69, 2C, 123"' in page
    assert "Indiquez au moins un département ou une région." in text(post(client, url, {}))
    assert not user.has_role("coordinator")
    post(client, url, {"departements": "69 2a", "regions": "84"})
    [scope] = user.active_roles("coordinator")
    assert scope.scope_departements == ["2A", "69"] and scope.scope_regions == ["84"]


def test_grant_coordinator_checks_imported_geography(client, admin, make_user, db):
    db.session.add(Region(code="84", name="Auvergne-Rhône-Alpes", vintage="2025"))
    db.session.add(Departement(code="69", name="Rhône", region_code="84", vintage="2025"))
    db.session.commit()
    user = make_user()
    url = f"/admin/utilisateurs/{user.id}/coordinateur"
    page = text(post(client, url, {"departements": "01", "regions": "11"}))
    assert "Code(s) de département inconnu(s) : 01." in page
    post(client, url, {"departements": "69", "regions": "84"})
    assert user.has_role("coordinator")


def test_grant_and_revoke_approver(client, admin, make_user, make_collectivity):
    town = make_collectivity("Lyon", code="69123")
    user = make_user()
    url = f"/admin/utilisateurs/{user.id}/approbateur"
    assert "Collectivité introuvable" in text(post(client, url, {"collectivity_query": "00000",
                                                                   "yearly_day_budget": "10"}))
    assert "entre 0 et 220 jours" in text(post(client, url, {"collectivity_id": str(town.id),
                                                               "yearly_day_budget": "-1"}))
    assert not user.has_role("approver")
    post(client, url, {"collectivity_query": "69123", "yearly_day_budget": "220"})
    [right] = user.active_roles("approver")
    assert right.collectivity == town and right.yearly_day_budget == 220
    post(client, f"/admin/utilisateurs/{user.id}/roles/{right.id}/retirer")
    assert not user.has_role("approver")


def test_grant_admin(client, admin, make_user):
    user = make_user()
    post(client, f"/admin/utilisateurs/{user.id}/administrateur")
    assert user.is_admin


def test_admin_post_without_csrf_is_refused(client, admin, make_user):
    user = make_user()
    response = client.post(f"/admin/utilisateurs/{user.id}/activation", data={"active": "0"})
    assert response.status_code == 400
    assert user.active


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/utilisateurs/9999").status_code == 404


def test_admin_approval_of_a_request_tells_the_requester_and_is_logged(client, admin, make_user,
                                                                      make_collectivity, db, app):
    from marketplace.accounts import onboarding
    from marketplace.models import Notification
    from marketplace.models.user import RoleAuditEntry

    town = make_collectivity("Lyon")
    user = make_user(name="Camille Demandeuse", email="camille@lyon.fr")
    [request] = onboarding.complete_onboarding(user, ["agent"], str(town.id), "")
    assert post(client, f"/admin/utilisateurs/{user.id}/roles/{request.id}/approuver").status_code == 302
    db.session.refresh(request)
    assert request.active and request.verification_method == "manual" and request.decided_by_id == admin.id
    assert db.session.query(Notification).filter_by(user_id=user.id).count() == 1
    assert any(m.to == ["camille@lyon.fr"] for m in app.extensions["mailman"].outbox)
    actions = [e.action for e in db.session.query(RoleAuditEntry).filter_by(user_id=user.id)]
    assert actions == ["requested", "verified"]
    page = text(client.get(f"/admin/utilisateurs/{user.id}"))
    assert "Journal des rôles" in page and "Vérification par un coordinateur ou un administrateur" in page
