"""A community's shared resources: files (checked by the wiki's own upload checks) and web links,
and the practice sheets it curates (only the published ones are shown)."""
from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.communities.services import access
from marketplace.communities.services.checks import line, web_address
from marketplace.core.forms import parse_id
from marketplace.core.errors import NotFound, ServiceError
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Community, CommunityResource, PracticeSheet
from marketplace.practices.services import uploads

TITLE_MAX = 200
MAX_SHEETS = 100


@transactional
def add_file(community: Community, user, stream, filename: str, title: str = "") -> CommunityResource:
    """Share a file with the community, checked and stored as the wiki's are; a refused file
    leaves nothing behind."""
    access.require_member(community, user)
    title = line(title, "title", TITLE_MAX)
    data, name, mime = uploads.check_upload(stream, filename)
    return uploads.store_upload(data, name, mime, lambda **file: CommunityResource(
        community_id=community.id, kind="file", title=title or name, uploader_id=user.id, **file))


@transactional
def add_link(community: Community, user, url: str, title: str) -> CommunityResource:
    """Share a web link (http or https only) with a title."""
    access.require_member(community, user)
    url = web_address(url, "url")
    title = line(title, "title", TITLE_MAX, _("Donnez un titre au lien."))
    resource = CommunityResource(community_id=community.id, kind="link", title=title, url=url, uploader_id=user.id)
    db.session.add(resource)
    db.session.flush()
    return resource


@transactional
def remove_resource(community: Community, resource_id, user) -> None:
    """The person who shared a resource, or a moderator, removes it (its file with it)."""
    resource = get_resource(community, resource_id, user)
    if resource.uploader_id != user.id and not access.is_moderator(community, user):
        access.require_moderator(community, user)
    path = uploads.upload_dir() / resource.stored_name if resource.stored_name else None
    db.session.delete(resource)
    db.session.flush()
    if path is not None:
        path.unlink(missing_ok=True)


def resources(community: Community, user) -> list[CommunityResource]:
    """The shared resources, newest first."""
    access.require_reader(community, user)
    return list(db.session.scalars(select(CommunityResource).where(CommunityResource.community_id == community.id)
                                   .order_by(CommunityResource.created_at.desc(), CommunityResource.id.desc())))


def get_resource(community: Community, resource_id, user) -> CommunityResource:
    """A resource of this community the user may read (NotFound for an unknown id or another community's)."""
    access.require_reader(community, user)
    resource = db.session.get(CommunityResource, resource_id) if isinstance(resource_id, int) else None
    if resource is None or resource.community_id != community.id:
        raise NotFound(_("Cette ressource n'existe pas."))
    return resource


def file_path(resource: CommunityResource) -> Path:
    """Where a shared file is on disk (NotFound for a link or a missing file)."""
    path = uploads.upload_dir() / resource.stored_name if resource.kind == "file" and resource.stored_name else None
    if path is None or not path.is_file():
        raise NotFound(_("Ce fichier n'est plus disponible."))
    return path


def _sheet_id(value) -> int:
    sheet_id = parse_id(str(value or "").strip().lstrip("#"))
    if sheet_id is None:
        raise ServiceError(_("Indiquez le numéro d'une fiche pratique (ex. : 12)."), "sheet_id")
    return sheet_id


@transactional
def add_sheet(community: Community, moderator, sheet_id) -> PracticeSheet:
    """A moderator adds a published practice sheet to those the community curates."""
    access.require_moderator(community, moderator)
    sheet = db.session.get(PracticeSheet, _sheet_id(sheet_id))
    if sheet is None or sheet.status != "published":
        raise ServiceError(_("Aucune fiche pratique publiée ne porte ce numéro."), "sheet_id")
    current = list(community.sheet_ids or [])
    if sheet.id in current:
        raise ServiceError(_("Cette fiche fait déjà partie de la sélection."), "sheet_id")
    if len(current) >= MAX_SHEETS:
        raise ServiceError(_("La sélection compte au plus %(n)s fiches.", n=MAX_SHEETS), "sheet_id")
    community.sheet_ids = current + [sheet.id]  # a new list: the JSON column sees the change
    db.session.flush()
    return sheet


@transactional
def remove_sheet(community: Community, moderator, sheet_id) -> None:
    """A moderator takes a sheet out of the selection (an id not in it changes nothing)."""
    access.require_moderator(community, moderator)
    community.sheet_ids = [i for i in (community.sheet_ids or []) if i != sheet_id]
    db.session.flush()


def curated_sheets(community: Community) -> list[PracticeSheet]:
    """The curated sheets still published, in the community's order."""
    ids = [i for i in (community.sheet_ids or []) if isinstance(i, int)]
    if not ids:
        return []
    found = {s.id: s for s in db.session.scalars(select(PracticeSheet).where(
        PracticeSheet.id.in_(ids), PracticeSheet.status == "published"))}
    return [found[i] for i in ids if i in found]
