"""What an operator watches, on real services: /healthz turns healthy when a worker starts beating,
and a web request's id follows the tasks it published into the worker's log lines."""
from __future__ import annotations

import pytest

from marketplace.core.extensions import db
from tests.conftest import FormClient
from tests.workers import world as w
from tests.tools.sessions import sign_in
from tests.workers.stack import wait_for

pytestmark = pytest.mark.services


def test_healthz_needs_a_live_worker(live_app):
    stack, app = live_app
    client = app.test_client()
    silent = client.get("/healthz")
    assert silent.status_code == 503 and silent.get_json()["checks"]["worker"]["ok"] is False
    worker = stack.start_worker("beat", beat=False)
    wait_for(lambda: client.get("/healthz").status_code == 200, 60, message="a heartbeat", watch=[worker])
    assert client.get("/healthz").get_json()["checks"]["redis"]["ok"] is True


def test_the_request_id_follows_its_tasks_into_the_worker_log(live_app):
    stack, app = live_app
    world = w.build()
    worker = stack.start_worker("trace", beat=False)
    client = FormClient(app.test_client())
    owner = world["authors"][0]
    sign_in(client, owner)
    data = {"collectivity_id": world["hosts"][0].id, "title": "Besoin tracé de bout en bout",
            "description": "Un besoin pour suivre l'identifiant de requête", "domain": "urbanisme",
            "modality": "remote", "estimated_days": "3", "action": "publish"}
    response = client.post_form("/besoins/nouveau", data, token_from="/besoins/nouveau",
                                headers={"X-Request-ID": "trace-essaim-0001"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    wait_for(lambda: "trace-essaim-0001" in worker.log.read_text(errors="replace"), 60,
             message="the request id in the worker log", watch=[worker])
    line = next(l for l in worker.log.read_text(errors="replace").splitlines() if "trace-essaim-0001" in l)
    assert "workers.tasks.match_need" in line
    db.session.remove()
