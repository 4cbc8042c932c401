"""Who may read, edit, declare a reuse or curate; the errors the practices services raise."""
from __future__ import annotations

from flask_babel import gettext as _

# Any active role makes a user a member of the library, allowed to edit sheets.
MEMBER_ROLES = ("agent", "representative", "approver", "coordinator", "admin")
CURATOR_ROLES = ("coordinator", "admin")


class PracticeError(Exception):
    """A refused input: `message` is French, `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(PracticeError):
    """The user may not do this (a view answers 403)."""


class EditConflict(PracticeError):
    """Someone saved the sheet after the form was opened: `current` is their revision."""

    def __init__(self, current):
        super().__init__(
            _("Quelqu'un a enregistré cette fiche pendant que vous la modifiiez (version %(n)s). "
              "Votre texte est conservé ci-dessous : comparez-le à la version enregistrée, "
              "reprenez ce qui manque puis enregistrez à nouveau.", n=current.number)
        )
        self.current = current


def is_member(user) -> bool:
    """Whether this user takes part in the library (logged in with an active role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(user.has_role(role) for role in MEMBER_ROLES)


def can_curate(user) -> bool:
    """Coordinators and administrators assemble collections."""
    return getattr(user, "is_authenticated", False) and any(user.has_role(r) for r in CURATOR_ROLES)


def can_view(user, sheet) -> bool:
    """Published sheets are public; drafts and archives are shown to members only."""
    return sheet.status == "published" or is_member(user)


def require_member(user) -> None:
    if not is_member(user):
        raise NotAllowed(_("Seuls les membres (agents, référents, employeurs, coordinateurs, "
                           "administrateurs) peuvent modifier les fiches pratiques."))


def require_curator(user) -> None:
    if not can_curate(user):
        raise NotAllowed(_("Seuls les coordinateurs et les administrateurs gèrent les collections."))
