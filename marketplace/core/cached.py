"""Figures that may be a minute old, kept in the cache (Flask-Caching) between views.

A cache that does not answer (a Redis down) never breaks a page: the figure is computed.
"""
from __future__ import annotations

import logging
from typing import Callable, TypeVar

from flask import current_app

from marketplace.core.extensions import cache

logger = logging.getLogger(__name__)
T = TypeVar("T")


def remembered(key: str, compute: Callable[[], T], timeout: int | None = None) -> T:
    """The value kept under `key`, or `compute()` kept for `timeout` seconds (PUBLIC_COUNTS_TTL)."""
    try:
        value = cache.get(key)
    except Exception:  # any backend failure: compute instead
        logger.warning("cache unavailable: computing %s", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout or current_app.config["PUBLIC_COUNTS_TTL"])
        except Exception:
            logger.warning("cache unavailable: %s was not kept", key, exc_info=True)
    return value
