"""E-mails on real services: a worker subprocess, Redis, a real SMTP server (aiosmtpd) that stops
and starts again in the middle of a batch; every e-mail arrives exactly once."""
from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from marketplace.core.extensions import db
from marketplace.models import OutboxEmail
from marketplace.notifications import services as notifications
from tests.workers import world as w
from tests.workers.stack import app_context, free_port, wait_for

pytestmark = pytest.mark.services


class Recorder:
    """An SMTP handler that remembers every accepted message."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def recipients(self) -> Counter:
        with self.lock:
            return Counter(r for rcpts, _content in self.messages for r in rcpts)


def _smtp(recorder: Recorder, port: int) -> Controller:
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def _sent_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.status == "sent")) or 0


def test_smtp_down_during_fifty_notifications(make_stack):
    port = free_port()
    recorder = Recorder()
    controller = _smtp(recorder, port)
    stack = make_stack(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        with app_context(stack):
            users = [w._user(f"coordinateur{i}@example.fr", "coordinator", {"departements": ["69"]})
                     for i in range(50)]
            db.session.commit()
            worker = stack.start_worker("mail")
            for i, user in enumerate(users):
                notifications.notify(user, "suggestions", f"test:{i}", message=f"Message {i}", link="/besoins/1",
                                     template="suggestion", subject="Nouvelles suggestions",
                                     need_url="http://127.0.0.1/besoins/1")
                db.session.commit()
                if i == 10:
                    wait_for(lambda: len(recorder.messages) >= 3, 30, message="the first deliveries",
                             watch=[worker])
                    controller.stop()  # the SMTP server goes away in the middle of the batch
            time.sleep(2)  # let some sends fail and back off
            assert _sent_count() < 50
            controller = _smtp(recorder, port)
            wait_for(lambda: _sent_count() == 50, 90, message="50 e-mails sent", watch=[worker])
            time.sleep(2)  # a duplicate would arrive now, from a retry or the sweep
            counts = recorder.recipients()
            assert sorted(counts) == sorted(u.email for u in users)
            assert set(counts.values()) == {1}
            # Every e-mail carries the one-click unsubscribe headers.
            assert all(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in content
                       for _r, content in recorder.messages)
            db.session.remove()
    finally:
        controller.stop()
