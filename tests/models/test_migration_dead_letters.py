"""The dead-letters migration keeps what was there: failed e-mails become "dead", and back."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.models.test_migrations import _fresh_database

BEFORE = "7d5f865dc393"
AFTER = "outbox_dead_letters"


def _insert_rows(db):
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO outbox_emails (idempotency_key, kind, \"to\", subject, template, language, context, status,"
            " attempts, next_attempt_at, created_at) VALUES ('k', 'account', 'a@example.fr', 's', 'verify_email',"
            " 'fr', '{}', 'failed', 8, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        conn.execute(text(
            "INSERT INTO task_intents (task, args, attempts, next_attempt_at, created_at)"
            " VALUES ('workers.tasks.match_need', '[1]', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))


def test_failed_emails_become_dead_and_intents_pending(app, db):
    _fresh_database(db)
    upgrade(revision=BEFORE)
    _insert_rows(db)
    upgrade(revision=AFTER)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM outbox_emails")).scalar_one() == "dead"
        assert conn.execute(text("SELECT status, last_error FROM task_intents")).one() == ("pending", None)
    downgrade(revision=BEFORE)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM outbox_emails")).scalar_one() == "failed"
