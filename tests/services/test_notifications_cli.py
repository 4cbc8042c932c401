"""`flask notifications send-digests` sends the daily digests once per day."""
from __future__ import annotations

from marketplace.models import OutboxEmail
from marketplace.notifications import services as notifications


def _notify(user, key):
    notifications.notify(user, "practices", key, message=f"Fiche modifiée {key}", link="/pratiques/1",
                         template="practice_update", subject="Sujet")


def test_send_digests_command_once_per_day(app, db, make_user):
    daily, immediate = make_user(), make_user()
    notifications.set_preferences(daily, {"practices": "daily"})
    _notify(daily, "a")
    _notify(immediate, "a")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "send-digests", "--day", "2026-03-02"])
    assert result.exit_code == 0, result.output
    assert "Récapitulatifs envoyés : 1" in result.output
    digest = db.session.query(OutboxEmail).filter_by(kind="digest").one()
    assert digest.to == daily.email and digest.idempotency_key.endswith("2026-03-02")
    assert [item["message"] for item in digest.context["items"]] == ["Fiche modifiée a"]
    again = runner.invoke(args=["notifications", "send-digests", "--day", "2026-03-02"])
    assert again.exit_code == 0 and "Récapitulatifs envoyés : 0" in again.output
    assert db.session.query(OutboxEmail).filter_by(kind="digest").count() == 1


def test_send_digests_command_refuses_a_bad_day(app, db):
    result = app.test_cli_runner().invoke(args=["notifications", "send-digests", "--day", "02/03/2026"])
    assert result.exit_code != 0 and "--day" in result.output
    assert db.session.query(OutboxEmail).count() == 0
