"""Each role finds its way: the menu and the dashboard's next steps point to its pages."""


def test_coordinator_is_sent_to_the_queue(client, make_user, login):
    coordinator = make_user(roles=[("coordinator", {"regions": ["84"]})])
    login(coordinator)
    page = client.get("/espace").get_data(as_text=True)
    assert 'href="/coordination/"' in page
    assert "Ouvrir la file de coordination" in page


def test_agent_sees_pairings_but_not_the_queue(client, make_user, make_collectivity, login):
    agent = make_user(roles=[("agent", make_collectivity("Lyon"))])
    login(agent)
    page = client.get("/espace").get_data(as_text=True)
    assert 'href="/rapprochements/"' in page
    assert 'href="/coordination/"' not in page
    assert 'href="/pratiques/"' in page


def test_newcomer_without_role_is_asked_to_choose(client, make_user, login):
    login(make_user())
    page = client.get("/espace").get_data(as_text=True)
    assert "Choisissez votre rôle et votre collectivité" in page
    assert 'href="/rapprochements/"' not in page
