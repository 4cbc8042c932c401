"""Fixtures: each test gets its own application and its own database.

SQLite in memory by default. With TEST_DATABASE_URL pointing at PostgreSQL, each test process
(an xdist worker) builds one schema of its own in that database once, and every test starts from
it emptied: all rows deleted and sequences restarted, as a new database would be. Building the
schema per test cost ~0.5 s of DDL each (most of the PostgreSQL run); emptying it costs ~7 ms.
A test that drops or migrates the tables (migration tests, first start) leaves a schema whose
tables differ from the models': it is detected after the test and built again.
"""
from __future__ import annotations

import os
import re
import uuid

import jinja2
import pytest
from flask import g

from config import TestingConfig
from marketplace import create_app
from marketplace.core.extensions import db as _db
from tests.tools.databases import PostgresSchema, SqliteSchema
from tests.url_builders import share_compiled_url_builders


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates shared by the apps of one test process. Each test's app has its own
    Jinja environment, which compiled every template it rendered again (~60 ms for the home page
    alone); Jinja checks each entry against the template's source, so an edited template is
    compiled afresh."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def pytest_configure(config):
    share_compiled_url_builders()


def pytest_collection_modifyitems(config, items):
    """With SQLITE_DIALECT_TESTS_ONLY=1 (`make test` sets it on its SQLite run when PostgreSQL
    answers, which then runs every service and view test), the service and view tests run on
    SQLite only where they are marked `both_databases` (tests/test_dialects.py says why)."""
    if os.environ.get("SQLITE_DIALECT_TESTS_ONLY") != "1":
        return
    kept, deselected = [], []
    for item in items:
        layer = item.path.parent.name
        if layer in ("services", "views") and item.get_closest_marker("both_databases") is None:
            deselected.append(item)
        else:
            kept.append(item)
    config.hook.pytest_deselected(items=deselected)
    items[:] = kept


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {url or 'sqlite in memory'}"


@pytest.fixture(scope="session")
def sqlite_schema():
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        yield None
        return
    yield SqliteSchema()


@pytest.fixture(scope="session")
def postgres_schema():
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield None
        return
    schema = PostgresSchema(url)
    yield schema
    schema.drop()


@pytest.fixture
def app(tmp_path, postgres_schema, sqlite_schema):
    url = os.environ.get("TEST_DATABASE_URL", "")
    overrides = {"MAIL_FILE_PATH": str(tmp_path / "mail"), "GEO_CACHE_DIR": str(tmp_path / "geo"),
                 "MATCHING_INDEX_DIR": str(tmp_path / "matching")}
    if postgres_schema is not None:
        postgres_schema.empty()
        overrides["SQLALCHEMY_DATABASE_URI"] = url
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"creator": postgres_schema.apps_connections.connect,
                                                  "pool_pre_ping": True}
    else:
        overrides["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"creator": sqlite_schema.connect}
    application = create_app(TestingConfig, **overrides)
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    # The test holds an app context, which Flask reuses for every request, so `g` would carry
    # Flask-Login's cached user and Flask-WTF's token from one request to the next: start each
    # request with an empty `g`, as a server does.
    application.before_request_funcs.setdefault(None, []).insert(0, lambda: vars(g).clear())
    with application.app_context():
        yield application
        _db.session.remove()
        _db.engine.dispose()
    if postgres_schema is not None and not postgres_schema.matches_models():
        postgres_schema.build()


@pytest.fixture
def db(app):
    return _db


class FormClient:
    """A test client that posts forms with their CSRF token, as a browser does."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf_token(self, url: str = "/") -> str:
        page = self.client.get(url)
        match = CSRF_META.search(page.get_data(as_text=True))
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, token_from: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(token_from or "/compte/connexion"))
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def client(app):
    return FormClient(app.test_client())


# --- factories -------------------------------------------------------------------------------


@pytest.fixture
def make_collectivity(db):
    from marketplace.models import Collectivity

    counter = {"n": 0}

    def factory(name="Commune Test", kind="commune", code=None, departements=("69",),
                regions=("84",), latitude=45.76, longitude=4.83, **fields):
        counter["n"] += 1
        code = code or f"{counter['n']:05d}"
        item = Collectivity(kind=kind, code=code, name=name, search_name=name.lower(),
                            insee_code=code if kind == "commune" else None,
                            latitude=latitude, longitude=longitude, **fields)
        item.set_territory(departements, regions)
        db.session.add(item)
        db.session.commit()
        return item

    return factory


@pytest.fixture
def make_user(db):
    from marketplace.models import RoleAssignment, User
    from marketplace.accounts.passwords import hash_password

    counter = {"n": 0}

    def factory(email=None, password="motdepasse-solide-42", name=None, roles=(), verified=True, **fields):
        counter["n"] += 1
        user = User(
            email=email or f"user{counter['n']}@example.fr",
            password_hash=hash_password(password),
            display_name=name or f"Utilisateur {counter['n']}",
            email_verified=verified,
            security_stamp=uuid.uuid4().hex,
            **fields,
        )
        for role in roles:
            if isinstance(role, str):
                role = (role, None)
            role_name, target = role[0], role[1]
            assignment = RoleAssignment(role=role_name)
            if isinstance(target, dict):
                assignment.scope_departements = list(target.get("departements", []))
                assignment.scope_regions = list(target.get("regions", []))
            elif target is not None:
                assignment.collectivity = target
            user.roles.append(assignment)
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login(client):
    def do_login(user, password="motdepasse-solide-42"):
        response = client.post_form(
            "/compte/connexion", {"email": user.email, "password": password}
        )
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def matching_index_dir(app, tmp_path):
    """The shared matching indexes in this test's own folder, with no engine cached across tests."""
    from marketplace.suggestions import index as matching_index

    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "matching")
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()
