"""Essaim, the marketplace where collectivities share engineering know-how.

`create_app` is a short list of register_* steps; nothing is built at import time.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import INSTANCE_DIR, Config, config_from_env
from marketplace.core.error_reporting import init_error_reporting
from marketplace.core.logging import configure_logging

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build an application from a configuration class and optional overrides (tests)."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config or config_from_env())
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    configure_logging(app)
    init_error_reporting(app)

    from marketplace import setup

    setup.refuse_unsafe_settings(app)
    setup.register_extensions(app)
    setup.register_security(app)
    setup.register_blueprints(app)
    setup.register_error_handlers(app)
    setup.register_template_helpers(app)
    setup.register_commands(app)
    setup.register_celery(app)
    return app
