"""Abuse reports on messages: who may report, the administrators' e-mails, the decisions and their audit."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.core.errors import Conflict, NotAllowed, NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.messaging.services import conversations, reports
from marketplace.models import AuditEntry, OutboxEmail
from tests.pairing_world import w  # noqa: F401  (fixture)


@pytest.fixture
def message(w):
    conversation = conversations.start(w["representative"], w["need"].id, w["offer"].id, "Bonjour", "t1")
    return conversations.reply(w["agent"], conversation.id, "Achetez mes formations !", "a1")


def test_a_participant_reports_and_every_admin_is_emailed(w, message, make_user):
    second_admin = make_user(roles=["admin"])
    report = reports.report(w["representative"], message.id, "spam", "  Démarchage commercial  ")
    assert (report.reason, report.comment) == ("spam", "Démarchage commercial")
    emails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "message_report")).all()
    assert sorted(e.to for e in emails) == sorted([w["admin"].email, second_admin.email])
    assert emails[0].context["admin_url"].endswith("/admin/signalements")
    assert reports.open_reports() == [report]


def test_reporting_twice_is_a_conflict(w, message):
    reports.report(w["representative"], message.id, "spam", "")
    with pytest.raises(Conflict):
        reports.report(w["representative"], message.id, "other", "encore")


@pytest.mark.parametrize("reason, comment, field", [("", "", "reason"), ("virus", "", "reason"),
                                                    ("other", "x" * 1001, "comment"), ("other", "\x00", "comment")])
def test_bad_report_inputs_are_refused_next_to_their_field(w, message, reason, comment, field):
    with pytest.raises(ServiceError) as error:
        reports.report(w["representative"], message.id, reason, comment)
    assert error.value.field == field


def test_only_the_other_participant_may_report(w, message):
    with pytest.raises(NotAllowed):
        reports.report(w["agent"], message.id, "spam", "")  # their own message
    with pytest.raises(NotFound):
        reports.report(w["other_rep"], message.id, "spam", "")
    with pytest.raises(NotFound):
        reports.report(w["representative"], 999999, "spam", "")


def _audit(report):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "message_report",
                                                       AuditEntry.object_id == report.id)).all()


def test_dismiss_keeps_the_message_and_is_audited(w, message):
    report = reports.report(w["representative"], message.id, "spam", "")
    reports.decide(w["admin"], report.id, "dismissed", "Message commercial mais légitime")
    assert message.hidden_at is None and w["agent"].active
    entry, = _audit(report)
    assert (entry.actor_id, entry.to_state, entry.detail["reason"]) == (
        w["admin"].id, "dismissed", "Message commercial mais légitime")
    assert reports.open_reports() == [] and reports.decided_reports() == [report]
    with pytest.raises(Conflict):
        reports.decide(w["admin"], report.id, "hidden", "Deuxième décision")


def test_hiding_hides_the_message_and_its_file_from_readers(w, message):
    report = reports.report(w["representative"], message.id, "harassment", "")
    reports.decide(w["admin"], report.id, "hidden", "Propos insultants")
    assert message.hidden_reason == "Propos insultants" and message.hidden_at is not None
    assert conversations.unread_total(w["representative"]) == 0  # a hidden message is not waiting
    assert _audit(report)[0].to_state == "hidden"


def test_suspending_deactivates_the_sender_and_hides_the_message(w, message):
    report = reports.report(w["representative"], message.id, "harassment", "Insultes répétées")
    reports.decide(w["admin"], report.id, "suspended", "Insultes répétées")
    assert not w["agent"].active and message.hidden_at is not None
    assert _audit(report)[0].detail["sender_id"] == w["agent"].id


@pytest.mark.parametrize("decision, reason, field", [("ban", "r", "decision"), ("hidden", "", "reason"),
                                                     ("hidden", "x" * 501, "reason")])
def test_bad_decisions_are_refused(w, message, decision, reason, field):
    report = reports.report(w["representative"], message.id, "spam", "")
    with pytest.raises(ServiceError) as error:
        reports.decide(w["admin"], report.id, decision, reason)
    assert error.value.field == field
    assert report.decided_at is None


def test_only_admins_decide(w, message):
    report = reports.report(w["representative"], message.id, "spam", "")
    with pytest.raises(NotAllowed):
        reports.decide(w["coordinator"], report.id, "dismissed", "non")
    with pytest.raises(NotFound):
        reports.decide(w["admin"], 999999, "dismissed", "non")
