"""/lexique: coordinators propose dictionary entries, administrators decide; bad inputs get French
messages next to the fields; accepted entries reach the analysis and the CSV export."""
from __future__ import annotations

import pytest

from marketplace.admin import lexicon as lexicon_service
from marketplace.models import LexiconProposal, TaskIntent
from matching import Document, MatchEngine
from matching.lexicon import SHIPPED, read_entries
from tests import pairing_world as pw
from tests.pairing_world import w  # noqa: F401  (fixture)
from tests.tools.sessions import sign_in

GOOD = {"term": "PGRE", "expansion": "plan de gestion de la ressource en eau", "kind": "sigle",
        "domain": "eau", "source": "SDAGE", "comment": "Fréquent dans les besoins des syndicats"}


@pytest.fixture
def lexicon_dir(app, tmp_path):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "matching")


def _propose(client, data):
    return client.post_form("/lexique/", data, token_from="/lexique/")


def test_access(client, w):
    assert client.get("/lexique/").status_code == 302  # anonymous: to the login page
    sign_in(client, w["representative"])
    assert client.get("/lexique/").status_code == 403
    assert client.post_form("/lexique/", GOOD, token_from="/rapprochements/").status_code == 403
    sign_in(client, w["coordinator"])
    page = client.get("/lexique/")
    assert page.status_code == 200 and "Proposer une entrée" in page.get_data(as_text=True)
    assert "Propositions à examiner" not in page.get_data(as_text=True)
    assert client.get("/lexique/export.csv").status_code == 403


def test_coordinator_proposes_then_admin_accepts(client, db, w, lexicon_dir):
    sign_in(client, w["coordinator"])
    response = _propose(client, GOOD)
    assert response.status_code == 302
    proposal = db.session.query(LexiconProposal).one()
    assert (proposal.status, proposal.proposed_by_id) == ("pending", w["coordinator"].id)
    # the coordinator cannot decide
    assert client.post_form(f"/lexique/{proposal.id}/decision", {f"p{proposal.id}-accept": "Accepter"},
                            token_from="/lexique/").status_code == 403
    sign_in(client, w["admin"])
    page = client.get("/lexique/").get_data(as_text=True)
    assert "PGRE" in page and "Propositions à examiner" in page
    response = client.post_form(f"/lexique/{proposal.id}/decision", {f"p{proposal.id}-accept": "Accepter"},
                                token_from="/lexique/")
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert (proposal.status, proposal.decided_by_id) == ("accepted", w["admin"].id) and proposal.decided_at
    refits = db.session.query(TaskIntent).filter_by(task="workers.tasks.refit_index").all()
    assert sorted(i.args[0] for i in refits) in ([], ["needs", "offers"])  # eager Celery may have run them
    export = client.get("/lexique/export.csv")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    lines = export.get_data(as_text=True).splitlines()
    assert lines[0] == "terme;developpement;type;domaine;source;casse"
    assert lines[1] == "PGRE;plan de gestion de la ressource en eau;sigle;eau;SDAGE;"


def test_admin_refuses_with_reason_only(client, db, w):
    sign_in(client, w["coordinator"])
    _propose(client, GOOD)
    proposal = db.session.query(LexiconProposal).one()
    sign_in(client, w["admin"])
    url = f"/lexique/{proposal.id}/decision"
    empty = client.post_form(url, {f"p{proposal.id}-refuse": "Refuser"}, token_from="/lexique/")
    assert empty.status_code == 400 and "Indiquez le motif du refus." in empty.get_data(as_text=True)
    done = client.post_form(url, {f"p{proposal.id}-refuse": "Refuser", f"p{proposal.id}-reason": "Sigle trop rare"},
                            token_from="/lexique/")
    assert done.status_code == 302
    db.session.refresh(proposal)
    assert (proposal.status, proposal.decision_reason) == ("refused", "Sigle trop rare")
    again = client.post_form(url, {f"p{proposal.id}-accept": "Accepter"}, token_from="/lexique/")
    assert again.status_code == 400 and "déjà été traitée" in again.get_data(as_text=True)
    assert client.post_form("/lexique/999999/decision", {"p999999-accept": "Accepter"},
                            token_from="/lexique/").status_code == 404
    sign_in(client, w["coordinator"])
    assert "Sigle trop rare" in client.get("/lexique/").get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"term": ""}, "term", "Ce champ est obligatoire."),
    ({"expansion": "   "}, "expansion", "Ce champ est obligatoire."),
    ({"term": "X" * 81}, "term", "80 caractères au plus"),
    ({"expansion": "<script>alert(1)</script>"}, "expansion", "ne sont pas acceptés"),
    ({"term": "PLU", "expansion": "plan local d'urbanisme"}, "term", "figure déjà dans le dictionnaire"),
    ({"term": "PLU", "expansion": "PLU"}, "expansion", "autre chose que le terme"),
    ({"kind": "autre"}, "kind", "Choisissez un type proposé."),
    ({"term": "de la"}, "term", "mot porteur de sens"),
])
def test_bad_inputs_get_french_messages_next_to_the_field(client, db, w, changes, field, message):
    sign_in(client, w["coordinator"])
    response = _propose(client, GOOD | changes)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body
    assert f'id="{field}-messages"' in body or f'{field}-desc-error' in body or "fr-error-text" in body
    assert "<script>alert(1)</script>" not in body
    assert db.session.query(LexiconProposal).count() == 0


def test_same_proposal_twice_refused(client, db, w):
    sign_in(client, w["coordinator"])
    _propose(client, GOOD)
    second = _propose(client, GOOD | {"term": "pgre"})
    assert second.status_code == 400 and "déjà été proposée" in second.get_data(as_text=True)


def test_accepted_entry_is_merged_at_analysis_time(app, db, w, lexicon_dir):
    assert lexicon_service.analysis_lexicon() == "fr-admin"
    proposal = lexicon_service.propose(w["coordinator"], GOOD)
    lexicon_service.decide(w["admin"], proposal.id, True)
    path = lexicon_service.analysis_lexicon()
    version, entries = read_entries(path)
    shipped_version, shipped = read_entries(SHIPPED["fr-admin"])
    assert version.startswith(shipped_version + "+1-") and len(entries) == len(shipped) + 1
    assert lexicon_service.analysis_lexicon() == path  # same content, same file
    # the acronym now meets its expansion
    engine = MatchEngine(lexicon=path, min_score=0.0).fit([
        _doc("o1", "Rédaction d'un plan de gestion de la ressource en eau pour un syndicat"),
        _doc("o2", "Animation de la fête du village")])
    assert engine.query(_doc("q", "Besoin d'aide pour notre PGRE"), k=1)[0].id == "o1"
    baseline = MatchEngine(min_score=0.0).fit([_doc("o1", "plan de gestion de la ressource en eau")])
    assert baseline.query(_doc("q", "notre PGRE"), k=1) == []


def _doc(doc_id, text):
    return Document(doc_id, text)


def test_refit_uses_the_merged_lexicon(app, db, w, lexicon_dir):
    from marketplace.suggestions import index as matching_index

    proposal = lexicon_service.propose(w["coordinator"], GOOD)
    lexicon_service.decide(w["admin"], proposal.id, True)
    matching_index.reset_cache()
    pw.offer(w["agent"], w["home"], title="Plan de gestion de la ressource en eau")
    matching_index.refit("offers")
    engine = matching_index.current("offers")
    assert engine.lexicon == lexicon_service.analysis_lexicon() and "+1-" in engine.lexicon_version_
    matching_index.reset_cache()
