"""The convention and the arrêté: legal content from editable templates, party details, versions
frozen with a stored PDF and its SHA-256, signed copies uploaded per signatory."""
from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from marketplace.core.errors import Conflict, NotAllowed, ServiceError
from marketplace.models import ConventionVersion, SignedCopy
from marketplace.pairings.services import consents, documents, engagement as engagements, particulars, queue, signatures
from tests.pairing_world import AGENT, PARTY, fill_details, signed_pdf, w  # noqa: F401  (fixture)
from tests.services.test_pairing_engagement import terms

# Every clause a legal officer looks for (issue 11 §1), as the PDF text must show it.
CONVENTION_CLAUSES = (
    "L. 512-6", "L. 512-7", "L. 512-11", "L. 512-12", "L. 121-1 à L. 121-11", "2008-580 du 18 juin 2008",
    "Villeurbanne", "Lyon", "SIREN", "1 place de la Mairie", "Claire Dupont", "Maire", "délibération n° 2026-045",
    "Marc Durand", "arrêté de délégation", "Camille Martin", "Attaché principal", "Attachés territoriaux",
    "fonctionnaire titulaire", "Direction de la commande publique", "Nature des activités",
    "Rédaction des pièces du marché de voirie", "Hôtel de ville de Lyon et à distance", "Deux jours par mois",
    "prend effet le", "prend fin le", "trois ans", "10 jour(s)", "rapport sur la manière de servir", "évaluation",
    "rembourse", "Frais de déplacement", "accident de service", "responsabilité civile", "comité social territorial",
    "organe délibérant", "renouvelée", "avenant", "préavis de 30 jour(s)", "Obligations de l'agent", "Fait à",
    "Cachet et signature", "Qualité",
)
ARRETE_CLAUSES = ("Arrêté portant mise à disposition", "ARRÊTE", "L. 512-6", "2008-580", "Camille Martin",
                  "Attaché principal", "mis(e) à disposition de Lyon", "recours pour excès de pouvoir", "Fait à",
                  "Notifié à l'agent")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def eng(w):
    pairing = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)[0]
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        consents.give(user, pairing, party, True)
    w["home"].siren = "216902667"
    w["host"].siren = "216901231"
    return engagements.create(w["representative"], pairing, terms())


def test_mise_a_disposition_writes_a_convention_and_an_arrete(w, eng):
    assert [v.document for v in documents.versions(eng, "convention")] == ["convention"]
    assert [v.kind for v in documents.versions(eng, "arrete")] == ["arrete"]


def test_other_legal_route_has_its_own_basis_and_no_arrete(w, eng):
    engagements.update_terms(w["representative"], eng, terms(legal_route="prestation_services"))
    html = documents.latest(eng).html
    assert "L. 5111-1" in html and "n'est pas une mise à disposition" in html and "L. 512-11" not in html.split("Article 6")[0]
    assert documents.documents_for(eng) == ("convention",)


def test_cdi_agent_is_named_as_such(w, eng):
    particulars.set_agent(w["approver"], eng, AGENT | {"agent_status": "cdi"})
    html = documents.latest(eng).html
    assert "contrat à durée indéterminée" in html and "88-145" in html


@pytest.mark.parametrize("status", ["stagiaire", "cdd", "", None])
def test_trainees_and_fixed_term_staff_cannot_be_lent(w, eng, status):
    with pytest.raises(ServiceError) as error:
        particulars.set_agent(w["approver"], eng, AGENT | {"agent_status": status})
    assert error.value.field == "agent_status" and "stagiaires" in error.value.message


def test_the_need_advert_is_never_pasted_into_an_article(w, eng):
    html = documents.latest(eng).html
    assert w["need"].description not in html


def test_party_details_only_by_that_party(w, eng):
    with pytest.raises(NotAllowed):
        particulars.set_party(w["representative"], eng, "employer", PARTY)
    with pytest.raises(NotAllowed):
        particulars.set_agent(w["representative"], eng, AGENT)
    with pytest.raises(ServiceError) as error:
        particulars.set_party(w["approver"], eng, "employer", PARTY | {"mandate": "  "})
    assert error.value.field == "mandate"


def test_freeze_refused_until_details_are_in(w, eng):
    with pytest.raises(ServiceError) as error:
        documents.freeze(w["representative"], documents.latest(eng))
    assert "signataire" in error.value.message and "grade" in error.value.message
    assert not documents.latest(eng).is_frozen


def test_frozen_pdf_is_stored_with_its_hash_and_holds_every_clause(w, eng):
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    data = documents.pdf(version)
    assert hashlib.sha256(data).hexdigest() == version.pdf_sha256 and data.startswith(b"%PDF-")
    assert documents.pdf(version) == data  # the same bytes every time: stored, not re-rendered
    text = pdf_text(data)
    missing = [clause for clause in CONVENTION_CLAUSES if clause not in text]
    assert not missing, missing
    for day in (eng.start_date, eng.end_date):
        assert day.strftime("%d/%m/%Y") in text
    arrete = documents.freeze(w["approver"], documents.latest(eng, "arrete"))
    text = pdf_text(documents.pdf(arrete))
    assert not [clause for clause in ARRETE_CLAUSES if clause not in text]


def test_freezing_twice_is_one_freeze(w, eng):
    fill_details(w, eng)
    first = documents.freeze(w["representative"], documents.latest(eng))
    digest = first.pdf_sha256
    assert documents.freeze(w["approver"], first).pdf_sha256 == digest


def test_frozen_version_never_changes_and_a_change_writes_an_avenant(db, w, eng):
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    frozen_html, digest = version.html, version.pdf_sha256
    engagements.update_terms(w["representative"], eng, terms(place="Télétravail"))
    versions = documents.versions(eng, "convention")
    assert [v.kind for v in versions] == ["convention", "avenant"]
    assert versions[0].html == frozen_html and versions[0].pdf_sha256 == digest
    assert "Télétravail" in versions[1].html and "Avenant n° 1" in versions[1].html
    version.html = "<html><body>autre texte</body></html>"
    with pytest.raises(ServiceError):
        db.session.commit()
    db.session.rollback()
    assert "autre texte" not in db.session.get(ConventionVersion, version.id).html


def test_signed_copies_make_the_convention_signed(db, w, eng):
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    for user, party in ((w["approver"], "employer"), (w["representative"], "host")):
        signatures.upload(user, version, party, io.BytesIO(signed_pdf(party)), f"{party}.pdf")
        assert not signatures.convention_signed(eng)
    data = signed_pdf("agent")
    copy = signatures.upload(w["agent"], version, "agent", io.BytesIO(data), "C:\\docs\\conv\r\nsignée.pdf")
    assert signatures.convention_signed(eng)
    assert copy.sha256 == hashlib.sha256(data).hexdigest() and copy.user_id == w["agent"].id
    assert copy.original_name == "convsignée.pdf"  # no path, no CR/LF
    assert signatures.read_copy(copy) == data


def test_same_file_twice_is_one_copy_another_is_refused(db, w, eng):
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    data = signed_pdf("accueil")
    first = signatures.upload(w["representative"], version, "host", io.BytesIO(data), "a.pdf")
    assert signatures.upload(w["representative"], version, "host", io.BytesIO(data), "a.pdf").id == first.id
    with pytest.raises(Conflict):
        signatures.upload(w["representative"], version, "host", io.BytesIO(signed_pdf("autre")), "b.pdf")
    assert db.session.query(SignedCopy).count() == 1


@pytest.mark.parametrize("content, message", [
    (b"", "Choisissez"),
    (b"MZ\x90\x00 not a pdf", "n'est pas un PDF"),
    (b"%PDF-1.4\n garbage that is no pdf", "illisible"),
])
def test_bad_files_are_refused_next_to_the_field(db, w, eng, content, message):
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    with pytest.raises(ServiceError) as error:
        signatures.upload(w["representative"], version, "host", io.BytesIO(content), "x.pdf")
    assert error.value.field == "file" and message in error.value.message
    assert db.session.query(SignedCopy).count() == 0


def test_size_limit(app, db, w, eng):
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    app.config["SIGNED_PDF_MAX_BYTES"] = 100
    with pytest.raises(ServiceError) as error:
        signatures.upload(w["representative"], version, "host", io.BytesIO(signed_pdf()), "x.pdf")
    assert "taille maximale" in error.value.message


def test_upload_rules(db, w, eng):
    draft = documents.latest(eng)
    with pytest.raises(ServiceError):  # not frozen yet
        signatures.upload(w["representative"], draft, "host", io.BytesIO(signed_pdf()), "x.pdf")
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    with pytest.raises(NotAllowed):
        signatures.upload(w["other_rep"], version, "host", io.BytesIO(signed_pdf()), "x.pdf")
    arrete = documents.freeze(w["approver"], documents.latest(eng, "arrete"))
    with pytest.raises(NotAllowed):  # the arrêté is signed by the home employer only
        signatures.upload(w["representative"], arrete, "host", io.BytesIO(signed_pdf()), "x.pdf")
    with pytest.raises(ServiceError) as error:
        signatures.upload(w["approver"], arrete, "employer", io.BytesIO(signed_pdf()), "x.pdf",
                          signed_outside_on=date.today() + timedelta(days=1))
    assert error.value.field == "signed_outside_on"
    copy = signatures.upload(w["approver"], arrete, "employer", io.BytesIO(signed_pdf()), "scan.pdf",
                             signed_outside_on=date.today())
    assert copy.signed_outside_on == date.today() and arrete.fully_signed
