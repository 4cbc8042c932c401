"""Download my data on real services: the request is published to Redis, a real worker subprocess
builds the ZIP and sends the e-mail through the outbox."""
from __future__ import annotations

import zipfile

import pytest
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.models import DataExport, OutboxEmail, TaskIntent
from marketplace.privacy.services import export
from tests.workers import world as w
from tests.workers.stack import app_context, wait_for

pytestmark = pytest.mark.services


def test_a_worker_builds_the_archive_and_mails_the_link(make_stack, tmp_path):
    stack = make_stack(DATA_EXPORT_DIR=str(tmp_path / "exports"))
    with app_context(stack):
        user = w._user("agent@example.fr", "coordinator", {"departements": ["69"]})
        db.session.commit()
        made = export.request_export(user)  # published to Redis: nothing runs in this process
        assert db.session.get(DataExport, made.id).status == "pending"
        worker = stack.start_worker("privacy", beat=False)

        def built():
            db.session.rollback()
            item = db.session.get(DataExport, made.id)
            return item if item.status == "ready" else None

        ready = wait_for(built, timeout=60, message="the archive", watch=[worker])
        with zipfile.ZipFile(tmp_path / "exports" / ready.file_name) as archive:
            assert "donnees.json" in archive.namelist()
        assert db.session.scalar(select(TaskIntent).where(TaskIntent.task == export.BUILD_TASK)) is None

        def mailed():
            db.session.rollback()
            return db.session.scalar(select(OutboxEmail).where(OutboxEmail.idempotency_key == f"data-export:{made.id}",
                                                               OutboxEmail.status == "sent"))

        mail = wait_for(mailed, timeout=60, message="the e-mail", watch=[worker])
        assert mail.to == "agent@example.fr" and export.DOWNLOAD_PATH in mail.context["link"]
