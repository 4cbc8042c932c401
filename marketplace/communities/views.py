"""Communities of practice (`/communautes/`): thin views over the communities' services.

Each view reads its form, calls the service, then flashes, redirects or renders. A refusal is
shown next to its field (400) through `core.web.refuse`; rights and existence give 403 and 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.communities import forms
from marketplace.communities.services import (
    access, discussion, meetings, moderation, pages, resources, search, spaces,
)
from marketplace.core.errors import ServiceError
from marketplace.core.taxonomy import DOMAINS
from marketplace.core.web import attempt, refuse

bp = Blueprint("communities", __name__, url_prefix="/communautes")


@bp.app_template_filter("community_local_time")
def community_local_time(value) -> str:
    """A stored UTC time as Paris time ("14/03/2027 à 10:00"), for meeting dates."""
    if not value:
        return ""
    local = meetings.local_time(value)
    return _("%(date)s à %(time)s", date=local.strftime("%d/%m/%Y"), time=local.strftime("%H:%M"))


def _submitted(form) -> bool:
    return request.method == "POST" and form.validate()


@bp.get("/")
@login_required
def index():
    form = forms.SearchForm(request.args)
    hits = search.search_threads(current_user, form.q.data) if form.validate() and form.q.data else []
    return render_template("communities/index.html", rows=spaces.list_communities(current_user), form=form,
                           hits=hits, searched=bool(form.q.data), domains=DOMAINS)


@bp.route("/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    access.require_platform_role(current_user)
    form = forms.CommunityForm()
    if _submitted(form):
        try:
            community = spaces.create_community(current_user, form.community_data())
        except ServiceError as error:
            refuse(error, form)
        else:
            return redirect(url_for(".detail", community_id=community.id))
    return render_template("communities/form.html", form=form, title=_("Créer une communauté"),
                           fields=["name", "domain", "theme", "departements", "regions", "description", "is_open"]), \
        400 if form.errors else 200


@bp.route("/<int:community_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(community_id: int):
    community = pages.moderator_of(community_id, current_user)
    form = forms.CommunityForm(obj=None if request.method == "POST" else community)
    if request.method == "GET":
        form.departements.data = ", ".join(community.departement_codes)
        form.regions.data = ", ".join(community.region_codes)
        form.domain.data = community.domain or ""
    if _submitted(form) and attempt(lambda: spaces.update_community(community, current_user, form.community_data()),
                                    _("Communauté mise à jour."), form):
        return redirect(url_for(".detail", community_id=community.id))
    return render_template("communities/form.html", form=form, title=_("Modifier la communauté"),
                           fields=["name", "domain", "theme", "departements", "regions", "description", "is_open"]), \
        400 if form.errors else 200


def _detail(community_id: int, status: int = 200, **forms_in_error):
    page = pages.community_page(community_id, current_user)
    page_forms = {"join_form": forms.JoinForm(formdata=None), "file_form": forms.FileForm(formdata=None),
                  "link_form": forms.LinkForm(formdata=None), "sheet_form": forms.SheetForm(formdata=None),
                  "button": forms.FollowForm(formdata=None)}
    page_forms.update(forms_in_error)
    return render_template("communities/detail.html", **page, **page_forms), status


@bp.get("/<int:community_id>")
@login_required
def detail(community_id: int):
    return _detail(community_id)


@bp.post("/<int:community_id>/adhesion")
@login_required
def join(community_id: int):
    community = access.get_community(community_id)
    form = forms.JoinForm()
    if not form.validate():
        return _detail(community_id, 400, join_form=form)
    message = _("Bienvenue dans la communauté !") if community.is_open else \
        _("Votre demande est envoyée aux modérateurs.")
    attempt(lambda: spaces.join(community, current_user, form.message.data), message, form)
    if form.errors:
        return _detail(community_id, 400, join_form=form)
    return redirect(url_for(".detail", community_id=community_id))


@bp.post("/<int:community_id>/quitter")
@login_required
def leave(community_id: int):
    community = access.get_community(community_id)
    if forms.FollowForm().validate():
        attempt(lambda: spaces.leave(community, current_user), _("Vous avez quitté la communauté."))
    return redirect(url_for(".detail", community_id=community_id))


@bp.post("/<int:community_id>/suivi/<int:on>")
@login_required
def follow(community_id: int, on: int):
    community = access.get_community(community_id)
    if forms.FollowForm().validate():
        attempt(lambda: spaces.set_following(community, current_user, bool(on)),
                _("Vous suivez cette communauté.") if on else _("Vous ne suivez plus cette communauté."))
    return redirect(url_for(".detail", community_id=community_id))


@bp.get("/<int:community_id>/membres")
@login_required
def members(community_id: int):
    community = pages.readable(community_id, current_user)
    active, pending = spaces.members(community, current_user)
    return render_template("communities/members.html", community=community, active=active, pending=pending,
                           is_moderator=access.is_moderator(community, current_user),
                           form=forms.DecisionForm(formdata=None))


@bp.post("/<int:community_id>/membres/<int:member_id>/<any(accepter, refuser):decision>")
@login_required
def decide(community_id: int, member_id: int, decision: str):
    community = access.get_community(community_id)
    form = forms.DecisionForm()
    if form.validate():
        attempt(lambda: spaces.decide_request(community, current_user, member_id, decision == "accepter",
                                              form.reason.data), _("Demande traitée."), form)
    return redirect(url_for(".members", community_id=community_id))


@bp.post("/<int:community_id>/membres/<int:member_id>/moderateur/<int:on>")
@login_required
def moderator(community_id: int, member_id: int, on: int):
    community = access.get_community(community_id)
    if forms.FollowForm().validate():
        attempt(lambda: spaces.set_moderator(community, current_user, member_id, bool(on)), _("Rôle mis à jour."))
    return redirect(url_for(".members", community_id=community_id))


@bp.route("/<int:community_id>/discussions/nouvelle", methods=["GET", "POST"])
@login_required
def new_thread(community_id: int):
    community = access.get_community(community_id)
    access.require_member(community, current_user)
    form = forms.ThreadForm()
    if _submitted(form):
        try:
            thread = discussion.create_thread(community, current_user, form.title.data, form.body.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            return redirect(url_for(".thread", community_id=community_id, thread_id=thread.id))
    return render_template("communities/form.html", form=form, community=community,
                           title=_("Nouvelle discussion"), fields=["title", "body"]), 400 if form.errors else 200


def _thread(community_id: int, thread_id: int, status: int = 200, reply_form=None, failed=None):
    page = pages.thread_page(community_id, thread_id, current_user)
    return render_template("communities/thread.html", **page, reply_form=reply_form or forms.ReplyForm(formdata=None),
                           blank_reason=forms.ReasonForm(formdata=None), failed=failed or {}), status


@bp.get("/<int:community_id>/discussions/<int:thread_id>")
@login_required
def thread(community_id: int, thread_id: int):
    return _thread(community_id, thread_id)


@bp.post("/<int:community_id>/discussions/<int:thread_id>/repondre")
@login_required
def reply(community_id: int, thread_id: int):
    community = access.get_community(community_id)
    thread_row = access.get_thread(community, thread_id)
    form = forms.ReplyForm()
    if form.validate() and attempt(lambda: discussion.reply(community, thread_row, current_user, form.body.data),
                                   _("Réponse publiée."), form):
        return redirect(url_for(".thread", community_id=community_id, thread_id=thread_id) + "#fin")
    return _thread(community_id, thread_id, 400, reply_form=form)


@bp.post("/<int:community_id>/discussions/<int:thread_id>/<any(pin, unpin, lock, unlock):action>")
@login_required
def moderate_thread(community_id: int, thread_id: int, action: str):
    community = access.get_community(community_id)
    thread_row = access.get_thread(community, thread_id)
    form = forms.ReasonForm()
    if form.validate() and attempt(lambda: moderation.moderate_thread(community, thread_row, current_user, action,
                                                                      form.reason.data), _("C'est fait."), form):
        return redirect(url_for(".thread", community_id=community_id, thread_id=thread_id))
    return _thread(community_id, thread_id, 400, failed={"target": "thread", "id": thread_id, "form": form})


@bp.post("/<int:community_id>/messages/<int:post_id>/<any(masquer, afficher, signaler):action>")
@login_required
def post_action(community_id: int, post_id: int, action: str):
    community = access.get_community(community_id)
    post = access.get_post(community, post_id)
    form = forms.ReasonForm()
    if action == "signaler":
        def act():
            return moderation.report_post(community, post, current_user, form.reason.data)
        success = _("Merci : les modérateurs vont examiner ce message.")
    else:
        def act():
            return moderation.set_post_hidden(community, post, current_user, action == "masquer", form.reason.data)
        success = _("Message masqué.") if action == "masquer" else _("Message de nouveau visible.")
    if form.validate() and attempt(act, success, form):
        return redirect(url_for(".thread", community_id=community_id, thread_id=post.thread_id))
    return _thread(community_id, post.thread_id, 400, failed={"target": action, "id": post_id, "form": form})


@bp.get("/<int:community_id>/moderation")
@login_required
def moderation_page(community_id: int):
    community = pages.moderator_of(community_id, current_user)
    return render_template("communities/moderation.html", community=community,
                           reports=moderation.open_reports(community, current_user),
                           log=moderation.audit_log(community, current_user), button=forms.FollowForm(formdata=None),
                           action_labels=moderation.ACTION_LABELS)


@bp.post("/<int:community_id>/signalements/<int:report_id>/clore")
@login_required
def close_report(community_id: int, report_id: int):
    community = access.get_community(community_id)
    if forms.FollowForm().validate():
        attempt(lambda: moderation.close_report(community, report_id, current_user), _("Signalement clos."))
    return redirect(url_for(".moderation_page", community_id=community_id))


@bp.post("/<int:community_id>/ressources/fichier")
@login_required
def add_file(community_id: int):
    community = access.get_community(community_id)
    form = forms.FileForm()
    if form.validate() and attempt(lambda: resources.add_file(community, current_user, form.file.data.stream,
                                                              form.file.data.filename, form.title.data),
                                   _("Fichier partagé."), form):
        return redirect(url_for(".detail", community_id=community_id) + "#ressources")
    return _detail(community_id, 400, file_form=form)


@bp.post("/<int:community_id>/ressources/lien")
@login_required
def add_link(community_id: int):
    community = access.get_community(community_id)
    form = forms.LinkForm()
    if form.validate() and attempt(lambda: resources.add_link(community, current_user, form.url.data, form.title.data),
                                   _("Lien partagé."), form):
        return redirect(url_for(".detail", community_id=community_id) + "#ressources")
    return _detail(community_id, 400, link_form=form)


@bp.get("/<int:community_id>/ressources/<int:resource_id>")
@login_required
def download(community_id: int, resource_id: int):
    community = access.get_community(community_id)
    resource = resources.get_resource(community, resource_id, current_user)
    if resource.kind == "link":
        return redirect(resource.url)
    return send_file(resources.file_path(resource), mimetype=resource.mime_type, as_attachment=True,
                     download_name=resource.original_name or "fichier")


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
    return _detail(community_id, 400, sheet_form=form)


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
    if _submitted(form) and attempt(lambda: meetings.schedule(community, current_user, form.meeting_data()),
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
