"""The errors pairing services raise: a French message and, for a form, the faulty field."""
from __future__ import annotations


class PairingError(Exception):
    """A refused input or move; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(PairingError):
    """This user may not do this here (a view answers 403)."""
