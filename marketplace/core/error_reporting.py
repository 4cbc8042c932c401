"""Optional error reporting (Sentry or a compatible service), off unless SENTRY_DSN is set.

Errors reach it through the logging integration: the application's 500 handler and the workers
log unexpected exceptions with their traceback, and those records become events. No personal
data is sent (the SDK's default): the request id in the logs links an event to its lines.
"""
from __future__ import annotations

from flask import Flask


def init_error_reporting(app: Flask) -> bool:
    """Start the SDK for this process when a DSN is configured; True when it was started."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=app.config.get("ENV_NAME") or ("testing" if app.testing else "production"),
        integrations=[FlaskIntegration(), CeleryIntegration()],
        traces_sample_rate=0.0,
    )
    return True
