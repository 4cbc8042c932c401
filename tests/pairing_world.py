"""A small world for the pairing tests: two collectivities, their people, one offer, one need and
the suggestion that links them (created directly: the tests do not depend on the matching engine)."""
from __future__ import annotations

from datetime import date, timedelta

from marketplace.core.extensions import db
from marketplace.models import Need, SkillOffer, Suggestion
from marketplace.models.base import utcnow


def offer(agent, collectivity, title="Accompagnement marchés publics", domain="marches_publics"):
    item = SkillOffer(title=title, description="Rédaction de cahiers des charges", domain=domain,
                      modality="remote", status="published", published_at=utcnow(), agent=agent,
                      collectivity=collectivity, days_per_month=4, tags=["achats"])
    db.session.add(item)
    db.session.commit()
    return item


def need(author, collectivity, title="Refonte de nos marchés", domain="marches_publics"):
    item = Need(title=title, description="Nous devons refondre nos procédures", domain=domain,
                modality="remote", status="open", published_at=utcnow(), author=author,
                collectivity=collectivity, estimated_days=10, start_date=date.today() + timedelta(days=10))
    db.session.add(item)
    db.session.commit()
    return item


def suggestion(offer_, need_, score=0.8, age_days=0):
    created = utcnow() - timedelta(days=age_days)
    item = Suggestion(offer_id=offer_.id, need_id=need_.id, score=score, created_at=created, updated_at=created,
                      reasons={"words": ["marchés", "achats"], "tags": ["achats"], "distance_km": 12.5})
    db.session.add(item)
    db.session.commit()
    return item


def build(make_collectivity, make_user):
    """Home employer Villeurbanne (département 69), host Lyon (69), another collectivity Lille (59)."""
    home = make_collectivity("Villeurbanne")
    host = make_collectivity("Lyon")
    lille = make_collectivity("Lille", departements=("59",), regions=("32",), latitude=50.63, longitude=3.06)
    w = {"home": home, "host": host, "lille": lille}
    w["agent"] = make_user(name="Camille Martin", roles=[("agent", home)])
    w["approver"] = make_user(name="Dominique Employeur", roles=[("approver", home)])
    w["approver"].roles[0].yearly_day_budget = 20
    w["representative"] = make_user(name="Sacha Accueil", roles=[("representative", host)])
    w["other_rep"] = make_user(name="Autre Référent", roles=[("representative", lille)])
    w["coordinator"] = make_user(name="Coordination Rhône", roles=[("coordinator", {"departements": ["69"]})])
    w["far_coordinator"] = make_user(name="Coordination Nord", roles=[("coordinator", {"departements": ["59"]})])
    w["admin"] = make_user(name="Admin", roles=["admin"])
    db.session.commit()
    w["offer"] = offer(w["agent"], home)
    w["need"] = need(w["representative"], host)
    w["suggestion"] = suggestion(w["offer"], w["need"])
    return w


# Fixtures shared by the pairing tests (imported by name in each test module).
import pytest  # noqa: E402


@pytest.fixture
def w(app, db, make_collectivity, make_user, tmp_path):
    """The world above; stored documents go to this test's own folder."""
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return build(make_collectivity, make_user)


PARTY = {"address": "1 place de la Mairie, 69100 Villeurbanne", "signatory_name": "Claire Dupont",
         "signatory_title": "Maire", "mandate": "délibération n° 2026-045 du 12 mars 2026"}
HOST_PARTY = {"address": "Hôtel de ville, 1 place de la Comédie, 69001 Lyon", "signatory_name": "Marc Durand",
              "signatory_title": "Adjoint au maire délégué aux ressources humaines",
              "mandate": "arrêté de délégation n° 2026-12 du 2 janvier 2026"}
AGENT = {"agent_grade": "Attaché principal", "agent_cadre": "Attachés territoriaux", "agent_status": "titulaire",
         "agent_service": "Direction de la commande publique"}


def fill_details(w, engagement):
    """The three parties state what the documents need before they are frozen."""
    from marketplace.pairings.services import particulars

    particulars.set_party(w["approver"], engagement, "employer", PARTY)
    particulars.set_party(w["representative"], engagement, "host", HOST_PARTY)
    particulars.set_agent(w["approver"], engagement, AGENT)


def signed_pdf(text: str = "Signé") -> bytes:
    """A real PDF, as a signatory's tool would give back."""
    from marketplace.pairings.services.documents import render_pdf

    return render_pdf(f"<html><head></head><body><p>{text}</p></body></html>")


@pytest.fixture
def pairing(w):
    """The world's suggestion approved by its coordinator: a proposal waiting for three consents."""
    from marketplace.pairings.services import queue

    return queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)[0]
