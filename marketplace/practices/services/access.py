"""Who may read, edit, declare a reuse, curate or remove a resource; the practices' conflict.

The practices services refuse with the one error family of `marketplace.core.errors`
(`ServiceError`, `NotAllowed`, `NotFound`, `Conflict`); `EditConflict` is the `Conflict` of a
stale edit form and carries the revision saved meanwhile.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import Conflict, NotAllowed
from marketplace.core.extensions import db
from marketplace.models import PracticeRevision

# Any active role makes a user a member of the library, allowed to edit sheets.
MEMBER_ROLES = ("agent", "representative", "approver", "coordinator", "admin")
CURATOR_ROLES = ("coordinator", "admin")



class EditConflict(Conflict):
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
    """Refuse (403) a visitor or a user without an active role."""
    if not is_member(user):
        raise NotAllowed(_("Seuls les membres (agents, référents, employeurs, coordinateurs, "
                           "administrateurs) peuvent modifier les fiches pratiques."))


def require_curator(user) -> None:
    """Refuse (403) anyone but coordinators and administrators."""
    if not can_curate(user):
        raise NotAllowed(_("Seuls les coordinateurs et les administrateurs gèrent les collections."))


def can_remove_attachment(user, attachment, sheet) -> bool:
    """The uploader, an editor of the sheet acting for the sheet's collectivity, or an admin.

    "Editor" means someone who wrote a revision of the sheet: a member from elsewhere may edit
    the text, but only the people of the collectivity that owns the practice may withdraw the
    resources others shared.
    """
    if not is_member(user):
        return False
    if user.has_role("admin") or attachment.uploader_id == user.id:
        return True
    acts_for_sheet = any(role.collectivity_id == sheet.collectivity_id for role in user.active_roles())
    return acts_for_sheet and is_editor(user, sheet)


def is_editor(user, sheet) -> bool:
    """Whether this member wrote a revision of the sheet (its author or one of its editors)."""
    if not is_member(user):
        return False
    return db.session.scalar(select(PracticeRevision.id).where(
        PracticeRevision.sheet_id == sheet.id, PracticeRevision.author_id == user.id).limit(1)) is not None


def require_attachment_remover(user, attachment, sheet) -> None:
    """Refuse (403) a removal by anyone `can_remove_attachment` does not name."""
    if not can_remove_attachment(user, attachment, sheet):
        raise NotAllowed(_("Seuls la personne qui a déposé cette ressource, les rédacteurs de la fiche "
                           "membres de sa collectivité et les administrateurs peuvent la retirer."))
