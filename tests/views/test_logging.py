"""Request ids in responses and log lines, JSON logs, and optional error reporting to a DSN."""
from __future__ import annotations

import gzip
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from config import TestingConfig
from marketplace import create_app
from marketplace.core.logging import JsonFormatter, RequestIdFilter


def test_each_response_carries_a_request_id(client, db):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_well_formed_incoming_id_is_kept_and_a_bad_one_replaced(client, db):
    assert client.get("/healthz", headers={"X-Request-ID": "proxy-123.abc"}).headers["X-Request-ID"] == "proxy-123.abc"
    for bad in ("bad id; <script>", "x" * 65, ""):
        replaced = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert replaced != bad and len(replaced) == 32


def test_log_lines_of_a_request_carry_its_id_as_json(app, client, db):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    handler = Keep()
    handler.addFilter(RequestIdFilter())

    @app.get("/_log_something")
    def log_something():
        app.logger.warning("une ligne de journal")
        return "ok"

    app.logger.addHandler(handler)
    try:
        response = client.get("/_log_something")
    finally:
        app.logger.removeHandler(handler)
    line = json.loads(next(r for r in records if "une ligne de journal" in r))
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["level"] == "WARNING" and line["message"] == "une ligne de journal"


class _Collector(BaseHTTPRequestHandler):
    bodies: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        _Collector.bodies.append(body.decode("utf-8", "replace"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def collector():
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    _Collector.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_unexpected_errors_reach_the_configured_dsn(collector, tmp_path):
    import sentry_sdk

    port = collector.server_address[1]
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", MAIL_FILE_PATH=str(tmp_path / "mail"),
                     SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/1")

    @app.get("/_boom")
    def boom():
        raise RuntimeError("panne volontaire pour le test")

    try:
        assert app.test_client().get("/_boom").status_code == 500
        sentry_sdk.flush(timeout=5)
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: reporting off again for the rest of this process
    assert any("panne volontaire pour le test" in body for body in _Collector.bodies)


def test_no_dsn_means_no_reporting(tmp_path):
    import sentry_sdk

    create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", MAIL_FILE_PATH=str(tmp_path / "mail"))
    assert not sentry_sdk.get_client().dsn
