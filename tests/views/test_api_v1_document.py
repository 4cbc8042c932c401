"""The OpenAPI document is built when first read, whole, once, whichever thread reads it first."""
from __future__ import annotations

import threading

from flask_smorest.blueprint import Blueprint

from config import TestingConfig
from marketplace import create_app


def _counting_documentation(monkeypatch) -> list:
    documented = []
    original = Blueprint.register_views_in_doc

    def counting(self, *args, **kwargs):
        documented.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Blueprint, "register_views_in_doc", counting)
    return documented


def test_starting_the_app_does_not_build_the_document(app, monkeypatch):
    documented = _counting_documentation(monkeypatch)
    fresh = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert documented == []
    response = fresh.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert documented == ["api_v1"]
    assert "/api/v1/me/offres" in response.get_json()["paths"]
    fresh.test_client().get("/api/v1/openapi.json")
    assert documented == ["api_v1"]  # built once


def test_threads_reading_it_first_at_once_all_get_the_whole_document(app, monkeypatch):
    documented = _counting_documentation(monkeypatch)
    fresh = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    start, bodies = threading.Barrier(8), []

    def read():
        client = fresh.test_client()
        start.wait()
        bodies.append(client.get("/api/v1/openapi.json").get_data(as_text=True))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(bodies) == 8 and len(set(bodies)) == 1
    assert documented == ["api_v1"]
    assert '"/api/v1/fiches-pratiques"' in bodies[0]


def test_the_openapi_command_prints_it(app):
    fresh = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    result = fresh.test_cli_runner().invoke(args=["openapi", "print", "--config-prefix", "API_V1_"])
    assert result.exit_code == 0, result.output
    assert '"/api/v1/me/rapprochements"' in result.output
