"""How views turn a service's refusal into a page: the one place `ServiceError` meets HTTP.

`refuse` puts the message next to its form field (or flashes it) and aborts with 403 or 404 for
`NotAllowed` and `NotFound`; `attempt` runs one service call and reports its success or refusal.
A `ServiceError` no view caught reaches the application's error handler (`setup.py`), which
answers with its status (400, 403, 404, 409) and its message.
"""
from __future__ import annotations

from typing import Callable

from flask import abort, flash

from marketplace.core.errors import NotAllowed, NotFound, ServiceError


def refuse(error: ServiceError, form=None) -> None:
    """403/404 for a refusal of rights or existence; otherwise the message next to its field,
    or flashed when the form has no such field."""
    if isinstance(error, (NotAllowed, NotFound)):
        abort(error.status)
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.message]
    else:
        flash(error.message, "error")


def attempt(action: Callable[[], object], success: str | None = None, form=None) -> bool:
    """Run one service call; flash `success` or show its refusal (see `refuse`). True on success."""
    try:
        action()
    except ServiceError as error:
        refuse(error, form)
        return False
    if success:
        flash(success, "success")
    return True
