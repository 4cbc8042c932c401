"""Account deletion: the person is anonymised and what is only theirs goes; a signed convention they
were party to, its signed copies and its audit trail stay readable by the other parties."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts.passwords import verify_password
from marketplace.accounts.proconnect import NO_PASSWORD as PROCONNECT_ONLY
from marketplace.accounts.sessions import check_session, open_session
from marketplace.core.errors import ServiceError
from marketplace.models import (AccountDeletion, AuditEntry, Consent, Need, Notification, OutboxEmail, RoleAssignment,
                                SignedCopy, SkillOffer, UserSession)
from marketplace.models.base import utcnow
from marketplace.pairings.services import access, documents, signatures
from marketplace.privacy.services import deletion
from tests.pairing_world import fill_details, offer, signed_pdf, w  # noqa: F401  (fixture)
from tests.services.test_pairing_documents import eng  # noqa: F401  (fixture)

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def signed(db, w, eng):
    """The world's pairing with its convention frozen and signed by the three parties."""
    fill_details(w, eng)
    version = documents.freeze(w["representative"], documents.latest(eng))
    for user, party in ((w["approver"], "employer"), (w["representative"], "host"), (w["agent"], "agent")):
        signatures.upload(user, version, party, io.BytesIO(signed_pdf(party)), f"{party}.pdf")
    assert signatures.convention_signed(eng)
    return version


def test_deleting_a_party_keeps_the_signed_convention_for_the_others(db, w, eng, signed):
    agent = w["agent"]
    old_email = agent.email
    token = open_session(agent)
    db.session.add(Notification(user_id=agent.id, kind="pairing", key="x", message="Rappel"))
    db.session.commit()
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEntry))

    deletion.delete_account(agent, PASSWORD, token)

    db.session.expire_all()
    assert agent.display_name == deletion.DELETED_NAME and agent.email != old_email
    assert agent.email.endswith("@supprime.invalid") and not agent.active
    assert not verify_password(agent.password_hash, PASSWORD)
    assert db.session.scalar(select(RoleAssignment).where(RoleAssignment.user_id == agent.id)) is None
    assert db.session.scalar(select(UserSession).where(UserSession.user_id == agent.id)) is None
    assert not check_session(token, agent.id)
    assert db.session.scalar(select(Notification).where(Notification.user_id == agent.id)) is None
    assert db.session.scalar(select(AccountDeletion.reason).where(AccountDeletion.user_id == agent.id)) == "request"
    # The offer behind the pairing is archived, not deleted (deleting it would delete the pairing).
    assert db.session.get(SkillOffer, w["offer"].id).status == "archived"
    # What binds the collectivities is intact and readable by the other parties.
    copies = db.session.scalars(select(SignedCopy).where(SignedCopy.version_id == signed.id)).all()
    assert {copy.party for copy in copies} == {"agent", "employer", "host"}
    agent_copy = next(copy for copy in copies if copy.party == "agent")
    assert agent_copy.user_id == agent.id and signatures.read_copy(agent_copy)[:4] == b"%PDF"
    assert signatures.convention_signed(eng)
    pairing = eng.pairing
    assert access.can_view(w["representative"], pairing) and access.can_view(w["approver"], pairing)
    assert db.session.scalar(select(func.count()).select_from(Consent).where(Consent.pairing_id == pairing.id)) == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) >= audit_before
    # One e-mail still goes to the old address: the confirmation.
    [mail] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == old_email,
                                                          OutboxEmail.template == "account_deleted"))
    assert mail.user_id is None


def test_listings_without_pairing_and_drafts_are_deleted(db, w, make_collectivity):
    agent = w["agent"]
    lone = offer(agent, w["home"], title="Offre sans suite")
    lone_need = Need(title="Besoin sans suite", description="x", domain="marches_publics", modality="remote",
                     status="open", author=agent, collectivity=w["home"], estimated_days=2)
    db.session.add(lone_need)
    db.session.commit()
    lone_id, need_id, paired_offer = lone.id, lone_need.id, w["offer"].id
    deletion.delete_account(agent, PASSWORD, None)
    db.session.expire_all()
    assert db.session.get(SkillOffer, lone_id) is None and db.session.get(Need, need_id) is None
    assert db.session.get(SkillOffer, paired_offer) is None  # only suggested, never paired: deleted too


def test_wrong_or_missing_password_is_refused_next_to_the_field(db, w):
    for password in ("", None, "mauvais", "x" * 2000):
        with pytest.raises(ServiceError) as error:
            deletion.delete_account(w["agent"], password, None)
        assert error.value.field == "password"
    db.session.expire_all()
    assert w["agent"].active and w["agent"].display_name == "Camille Martin"


def test_proconnect_only_account_needs_a_fresh_proconnect_login(db, w):
    agent = w["agent"]
    agent.password_hash = PROCONNECT_ONLY
    db.session.commit()
    password_session = open_session(agent, method="password")
    old = open_session(agent, method="proconnect")
    db.session.commit()
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == agent.id, UserSession.method == "proconnect"))
    row.created_at = utcnow() - timedelta(minutes=deletion.REAUTH_MINUTES + 1)
    db.session.commit()
    for token in (None, password_session, old):
        with pytest.raises(ServiceError) as error:
            deletion.delete_account(agent, "anything", token)
        assert error.value.field == "password" and "ProConnect" in error.value.message
    fresh = open_session(agent, method="proconnect")
    db.session.commit()
    deletion.delete_account(agent, None, fresh)
    assert deletion.is_deleted(agent)


def test_deleting_twice_changes_nothing(db, w):
    deletion.delete_account(w["agent"], PASSWORD, None)
    email = w["agent"].email
    deletion.anonymise(w["agent"], reason="inactivity")
    db.session.commit()
    assert w["agent"].email == email
    assert db.session.scalar(select(func.count()).select_from(AccountDeletion)) == 1
