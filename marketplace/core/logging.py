"""Logs an operator can search: one JSON object per line in production, with a request id.

Every web request gets an id (the proxy's `X-Request-ID` when it is well formed, else a new one),
returned in the response's `X-Request-ID` header and written on each log line of that request; a
task published during the request carries it in its headers, so the worker's lines share it.
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar

from flask import Flask, g, request

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{1,64}")
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (or "-") to every record, so both formats can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """Install one handler on the root logger in the configured format (LOG_FORMAT: json or text)."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "essaim", False)]:
        root.removeHandler(old)  # a second app in the same process (tests) replaces, never doubles
    handler.essaim = True
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def assign_request_id():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex
        g.request_id_token = current_request_id.set(g.request_id)

    @app.after_request
    def return_request_id(response):
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response

    @app.teardown_request
    def forget_request_id(_error=None):
        token = g.pop("request_id_token", None)
        if token is not None:
            try:
                current_request_id.reset(token)
            except ValueError:  # torn down in another context (a streamed response): nothing to undo
                current_request_id.set(None)
