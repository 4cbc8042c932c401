"""Communities of practice: the pages of a community's shared resources, curated sheets and
meetings (thin views, on the blueprint of `views_common`)."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.communities import forms
from marketplace.communities.services import access, meetings, pages, resources
from marketplace.communities.views_common import bp, detail_page, submitted
from marketplace.core.web import attempt


@bp.post("/<int:community_id>/ressources/fichier")
@login_required
def add_file(community_id: int):
    community = access.get_community(community_id)
    form = forms.FileForm()
    if form.validate() and attempt(lambda: resources.add_file(community, current_user, form.file.data.stream,
                                                              form.file.data.filename, form.title.data),
                                   _("Fichier partagé."), form):
        return redirect(url_for(".detail", community_id=community_id) + "#ressources")
    return detail_page(community_id, 400, file_form=form)


@bp.post("/<int:community_id>/ressources/lien")
@login_required
def add_link(community_id: int):
    community = access.get_community(community_id)
    form = forms.LinkForm()
    if form.validate() and attempt(lambda: resources.add_link(community, current_user, form.url.data, form.title.data),
                                   _("Lien partagé."), form):
        return redirect(url_for(".detail", community_id=community_id) + "#ressources")
    return detail_page(community_id, 400, link_form=form)


@bp.get("/<int:community_id>/ressources/<int:resource_id>")
@login_required
def download(community_id: int, resource_id: int):
    community = access.get_community(community_id)
    resource = resources.get_resource(community, resource_id, current_user)
    if resource.kind == "link":
        return redirect(resource.url)
    response = send_file(resources.file_path(resource), mimetype=resource.mime_type, as_attachment=True,
                         download_name=resource.original_name or "fichier")
    # A shared file is never run by the browser, whatever it contains.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/<int:community_id>/ressources/<int:resource_id>/supprimer")
@login_required
def remove_resource(community_id: int, resource_id: int):
    community = access.get_community(community_id)
    if forms.FollowForm().validate():
        attempt(lambda: resources.remove_resource(community, resource_id, current_user), _("Ressource retirée."))
    return redirect(url_for(".detail", community_id=community_id) + "#ressources")


@bp.post("/<int:community_id>/fiches")
@login_required
def add_sheet(community_id: int):
    community = access.get_community(community_id)
    form = forms.SheetForm()
    if form.validate() and attempt(lambda: resources.add_sheet(community, current_user, form.sheet_id.data),
                                   _("Fiche ajoutée à la sélection."), form):
        return redirect(url_for(".detail", community_id=community_id) + "#fiches")
    return detail_page(community_id, 400, sheet_form=form)


@bp.post("/<int:community_id>/fiches/<int:sheet_id>/retirer")
@login_required
def remove_sheet(community_id: int, sheet_id: int):
    community = access.get_community(community_id)
    if forms.FollowForm().validate():
        attempt(lambda: resources.remove_sheet(community, current_user, sheet_id), _("Fiche retirée de la sélection."))
    return redirect(url_for(".detail", community_id=community_id) + "#fiches")


@bp.route("/<int:community_id>/reunions/nouvelle", methods=["GET", "POST"])
@login_required
def new_meeting(community_id: int):
    community = pages.moderator_of(community_id, current_user)
    form = forms.MeetingForm()
    if submitted(form) and attempt(lambda: meetings.schedule(community, current_user, form.meeting_data()),
                                    _("Réunion programmée."), form):
        return redirect(url_for(".detail", community_id=community_id) + "#reunions")
    return render_template("communities/form.html", form=form, community=community, title=_("Programmer une réunion"),
                           fields=["title", "starts_at", "place", "video_url", "agenda"]), 400 if form.errors else 200


@bp.route("/<int:community_id>/reunions/<int:meeting_id>", methods=["GET", "POST"])
@login_required
def meeting(community_id: int, meeting_id: int):
    community = pages.readable(community_id, current_user)
    item = meetings.get_meeting(community, meeting_id, current_user)
    form = forms.MinutesForm(formdata=request.form if request.method == "POST" else None, obj=item)
    if request.method == "POST":
        if not access.is_moderator(community, current_user):
            abort(403)
        if form.validate() and attempt(lambda: meetings.write_minutes(community, item, current_user, form.minutes.data),
                                       _("Compte rendu enregistré."), form):
            return redirect(url_for(".meeting", community_id=community_id, meeting_id=meeting_id))
    return render_template("communities/meeting.html", community=community, meeting=item, form=form,
                           is_moderator=access.is_moderator(community, current_user)), 400 if form.errors else 200
