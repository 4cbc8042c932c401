"""`flask domains add`: the administration page's listing of a domain, for scripted set-ups."""
from __future__ import annotations

from marketplace.models.user import CollectivityEmailDomain


def test_domains_add_lists_a_domain_and_verifies_waiting_requests(app, db, make_collectivity, make_user):
    lyon = make_collectivity("Lyon", siren="216901231")
    waiting = make_user(email="camille@lyon.example.fr", roles=[("agent", lyon)])
    waiting.roles[0].status = "pending"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["domains", "add", "Lyon", "Lyon.Example.fr"])
    assert result.exit_code == 0, result.output
    assert "lyon.example.fr : Lyon" in result.output
    assert db.session.query(CollectivityEmailDomain).one().domain == "lyon.example.fr"
    db.session.refresh(waiting)
    assert waiting.has_role("agent")


def test_domains_add_refuses_a_webmail_or_a_malformed_domain(app, db, make_collectivity):
    make_collectivity("Lyon")
    runner = app.test_cli_runner()
    for bad in ("gmail.com", "pas un domaine", "x" * 300):
        result = runner.invoke(args=["domains", "add", "Lyon", bad])
        assert result.exit_code != 0 and "Error:" in result.output, (bad, result.output)
    assert db.session.query(CollectivityEmailDomain).count() == 0
