"""§5: production refuses unsafe settings (in create_app, never at import), security headers,
PUBLIC_BASE_URL following HOST/PORT, private pages not cached."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ProductionConfig
from marketplace import create_app

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    "SECRET_KEY": "k" * 48,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://essaim@db.example/essaim",
    "MAIL_SERVER": "smtp.example.fr",
    "PUBLIC_BASE_URL": "https://essaim.example.fr",
}


def _build(**changes):
    return create_app(ProductionConfig, **{**SAFE, **changes})


def test_production_starts_with_safe_settings():
    app = _build()
    assert app.config["CHECK_UNSAFE_SETTINGS"] is True


@pytest.mark.parametrize("changes, variable", [
    ({"SECRET_KEY": "dev-only-change-me"}, "SECRET_KEY"),
    ({"SECRET_KEY": ""}, "SECRET_KEY"),
    ({"SECRET_KEY": "court"}, "SECRET_KEY"),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:////tmp/essaim.sqlite3"}, "DATABASE_URL"),
    ({"SQLALCHEMY_DATABASE_URI": ""}, "DATABASE_URL"),
    ({"MAIL_SERVER": ""}, "MAIL_SERVER"),
    ({"PUBLIC_BASE_URL": "http://essaim.example.fr"}, "PUBLIC_BASE_URL"),
])
def test_production_refuses_each_unsafe_setting_and_names_it(changes, variable):
    with pytest.raises(RuntimeError) as refused:
        _build(**changes)
    assert variable in str(refused.value)
    others = {"SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "PUBLIC_BASE_URL"} - {variable}
    assert not any(other in str(refused.value) for other in others)


def _python(code: str, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "PUBLIC_BASE_URL", "HOST", "PORT"}}
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)


def test_the_check_runs_in_create_app_not_at_import(tmp_path):
    """Importing the configuration and the package with ESSAIM_ENV=production and nothing set
    works; building the app (web or worker: wsgi builds both) stops with the variables named."""
    env = {"ESSAIM_ENV": "production", "ESSAIM_INSTANCE_DIR": str(tmp_path)}
    imported = _python("import config, marketplace; print('imported')", **env)
    assert imported.returncode == 0 and "imported" in imported.stdout
    built = _python("import wsgi", **env)
    assert built.returncode != 0
    for variable in ("SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "PUBLIC_BASE_URL"):
        assert variable in built.stderr


def test_public_base_url_follows_host_and_port(tmp_path):
    result = _python("import config; print(config.Config.PUBLIC_BASE_URL)", HOST="127.0.0.1", PORT="8123",
                     ESSAIM_INSTANCE_DIR=str(tmp_path))
    assert result.stdout.strip() == "http://127.0.0.1:8123"


def test_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "form-action 'self'" in csp
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain http in development


def test_hsts_in_production():
    app = _build()
    response = app.test_client().get("/static/vendor/dsfr-1.15.3/dsfr.min.css")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_anonymous_public_pages_may_be_cached_private_ones_not(client, make_user, login):
    assert client.get("/").headers.get("Cache-Control") != "no-store"
    login(make_user())
    for url in ("/espace", "/compte/profil"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_json_feeds_are_not_stored(client):
    response = client.get("/api/collectivites?q=lyon")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"


def test_trusted_proxies_zero_ignores_forwarded_for(client, make_user, db):
    from marketplace.models import UserSession

    user = make_user()
    client.post_form("/compte/connexion", {"email": user.email, "password": "motdepasse-solide-42"},
                     headers={"X-Forwarded-For": "203.0.113.7"})
    assert db.session.query(UserSession).one().ip == "127.0.0.1"


def test_trusted_proxies_one_takes_the_last_hop(tmp_path):
    import uuid

    from config import TestingConfig
    from marketplace.accounts.passwords import hash_password
    from marketplace.core.extensions import db
    from marketplace.models import User, UserSession
    from tests.conftest import FormClient

    proxied = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", TRUSTED_PROXIES=1,
                         MAIL_FILE_PATH=str(tmp_path / "mail"))
    with proxied.app_context():
        db.create_all()
        db.session.add(User(email="proxy@example.fr", password_hash=hash_password("motdepasse-solide-42"),
                            display_name="P", email_verified=True, security_stamp=uuid.uuid4().hex))
        db.session.commit()
        client = FormClient(proxied.test_client())
        response = client.post_form("/compte/connexion", {"email": "proxy@example.fr",
                                                         "password": "motdepasse-solide-42"},
                                    headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
        assert response.status_code == 302
        assert db.session.query(UserSession).one().ip == "203.0.113.7"
        db.session.remove()
