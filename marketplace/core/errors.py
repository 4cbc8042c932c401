"""The one error family services raise; views translate it (see `marketplace.core.web`).

A service refuses with `ServiceError(message, field=None)`: `message` is already in the user's
language (French first), `field` names the form field it belongs to, if any. Subclasses exist only
where the web layer must answer differently: `NotAllowed` (403), `NotFound` (404), `Conflict` (409).
"""
from __future__ import annotations


class ServiceError(Exception):
    """A refused input or move, with a message ready to show and the faulty field, if any."""

    status = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotAllowed(ServiceError):
    """This user may not do this here."""

    status = 403


class NotFound(ServiceError):
    """The object does not exist, or does not exist for this user."""

    status = 404


class Conflict(ServiceError):
    """Someone else changed the object first; the caller's input must be kept and compared."""

    status = 409
