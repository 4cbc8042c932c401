"""Download my data: every table with a user foreign key is exported or excluded with a reason; the
worker builds a ZIP holding the user's rows (and no one else's), e-mails a 24-hour link; the file is
downloadable only by its owner with a valid token, then purged."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.core import tokens
from marketplace.core.errors import Conflict, NotFound
from marketplace.models import DataExport, Notification, OutboxEmail, TaskIntent
from marketplace.models.base import utcnow
from marketplace.privacy.services import collect, export
from tests.pairing_world import pairing, w  # noqa: F401  (fixtures)


@pytest.fixture
def export_dir(app, tmp_path):
    app.config["DATA_EXPORT_DIR"] = str(tmp_path / "exports")
    return tmp_path / "exports"


def test_every_table_pointing_at_users_is_exported_or_excluded_with_a_reason(app):
    exported = {table.name for table in collect.exported_tables()}
    for table in collect.tables_about_users():
        assert table.name in exported or collect.EXCLUDED.get(table.name, "").strip(), (
            f"{table.name} has a foreign key to users: export it, or add it to collect.EXCLUDED with a reason")
    assert {"skill_offers", "needs", "role_assignments", "notifications", "pairing_consents", "pairing_messages",
            "practice_comments", "practice_sheets", "audit_entries", "signed_copies"} <= exported
    assert set(collect.EXCLUDED) <= {table.name for table in collect.tables_about_users()}  # no stale entry


def test_a_new_table_with_a_user_key_is_caught(app, db):
    # The check above is not vacuous: a table nobody listed is reported by the same walk.
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

    metadata = MetaData()
    Table("users", metadata, Column("id", Integer, primary_key=True))
    orphan = Table("new_feature_rows", metadata, Column("id", Integer, primary_key=True),
                   Column("owner_id", ForeignKey("users.id")))
    assert [column.name for column in collect.user_columns(orphan)] == ["owner_id"]
    assert orphan.name not in collect.EXCLUDED


def _archive(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_request_builds_a_zip_and_mails_a_link(app, db, w, export_dir):
    agent = w["agent"]
    db.session.add(Notification(user_id=agent.id, kind="pairing", key="k1", message="=HYPERLINK(1)"))
    db.session.commit()
    made = export.request_export(agent)  # Celery is eager in tests: built at the commit
    db.session.expire_all()
    made = db.session.get(DataExport, made.id)
    assert made.status == "ready" and made.size_bytes > 0
    assert made.expires_at - made.ready_at == timedelta(hours=24)
    assert db.session.scalar(select(TaskIntent).where(TaskIntent.task == export.BUILD_TASK)) is None  # done
    files = _archive(export_dir / made.file_name)
    data = json.loads(files["donnees.json"])
    assert data["users"][0]["email"] == agent.email
    assert data["users"][0]["password_hash"] == "[secret]" and data["users"][0]["security_stamp"] == "[secret]"
    assert [row["title"] for row in data["skill_offers"]] == [w["offer"].title]
    assert data["needs"] == []  # the need is the representative's
    assert {row["role"] for row in data["role_assignments"]} == {"agent"}
    assert data["notifications"][0]["message"] == "=HYPERLINK(1)"
    csv_text = files["csv/notifications.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_text  # quoted: a spreadsheet does not run it
    assert "csv/skill_offers.csv" in files and "LISEZMOI.txt" in files
    assert w["representative"].email not in files["donnees.json"].decode()
    [mail] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.idempotency_key == f"data-export:{made.id}"))
    assert mail.to == agent.email and export.DOWNLOAD_PATH in mail.context["link"]


def test_pairings_where_the_user_is_a_party_are_in_the_archive(app, db, w, export_dir, pairing):
    rows = collect.collect(w["representative"].id)["pairings"]
    assert [row["id"] for row in rows] == [pairing.id]
    assert [row["id"] for row in collect.collect(w["agent"].id)["pairings"]] == [pairing.id]
    assert collect.collect(w["other_rep"].id)["pairings"] == []


def test_one_request_at_a_time(app, db, w, export_dir):
    app.extensions["celery"].conf.task_always_eager = False  # the worker has not run yet
    app.extensions["celery"].conf.broker_url = "memory://"
    first = export.request_export(w["agent"])
    with pytest.raises(Conflict):
        export.request_export(w["agent"])
    # A request its worker never built (every retry failed) does not block the person for ever.
    first.requested_at = utcnow() - export.STALE_AFTER - timedelta(minutes=1)
    db.session.commit()
    second = export.request_export(w["agent"])
    assert second.id != first.id and db.session.get(DataExport, first.id).status == "failed"


def _ready(w, export_dir):
    made = export.request_export(w["agent"])
    db_export = export.db.session.get(DataExport, made.id)
    token = tokens.make_token(tokens.DATA_EXPORT, {"uid": w["agent"].id, "export": made.id})
    return db_export, token


def test_download_only_by_the_owner_with_a_valid_token(app, db, w, export_dir):
    made, token = _ready(w, export_dir)
    path, name = export.file_for_download(w["agent"], token)
    assert path.read_bytes()[:2] == b"PK" and name.startswith("essaim-mes-donnees-")
    with pytest.raises(NotFound):
        export.file_for_download(w["representative"], token)
    with pytest.raises(tokens.TokenInvalid):
        export.file_for_download(w["agent"], token[:-3] + "abc")
    with pytest.raises(tokens.TokenInvalid):  # a password-reset token is not an export link
        export.file_for_download(w["agent"], tokens.password_reset_token(w["agent"]))
    app.config["DATA_EXPORT_MAX_AGE"] = -1
    with pytest.raises(tokens.TokenExpired):
        export.file_for_download(w["agent"], token)


def test_expired_archives_are_purged_once(app, db, w, export_dir):
    made, token = _ready(w, export_dir)
    path = export_dir / made.file_name
    assert export.purge_expired_exports(now=utcnow() + timedelta(hours=23)) == 0 and path.exists()
    assert export.purge_expired_exports(now=utcnow() + timedelta(hours=25)) == 1
    assert not path.exists() and db.session.get(DataExport, made.id).status == "expired"
    assert export.purge_expired_exports(now=utcnow() + timedelta(hours=26)) == 0
    with pytest.raises(NotFound):
        export.file_for_download(w["agent"], token)


def test_a_second_delivery_builds_nothing(app, db, w, export_dir):
    made, _token = _ready(w, export_dir)
    before = sorted(p.name for p in export_dir.iterdir())
    export.build_export(made.id)
    assert sorted(p.name for p in export_dir.iterdir()) == before
    assert export.build_export(987654) is None
