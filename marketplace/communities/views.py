"""Communities of practice (`/communautes/`): thin views over the communities' services.

Each view reads its form, calls the service, then flashes, redirects or renders. A refusal is
shown next to its field (400) through `core.web.refuse`; rights and existence give 403 and 404.
"""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.communities import forms
from marketplace.communities.services import access, discussion, moderation, pages, search, spaces
from marketplace.communities.views_common import bp, detail_page, submitted, thread_page
from marketplace.core.errors import ServiceError
from marketplace.core.taxonomy import DOMAINS
from marketplace.core.web import attempt, refuse


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
    if submitted(form):
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
    if submitted(form) and attempt(lambda: spaces.update_community(community, current_user, form.community_data()),
                                    _("Communauté mise à jour."), form):
        return redirect(url_for(".detail", community_id=community.id))
    return render_template("communities/form.html", form=form, title=_("Modifier la communauté"),
                           fields=["name", "domain", "theme", "departements", "regions", "description", "is_open"]), \
        400 if form.errors else 200


@bp.get("/<int:community_id>")
@login_required
def detail(community_id: int):
    return detail_page(community_id)


@bp.post("/<int:community_id>/adhesion")
@login_required
def join(community_id: int):
    community = access.get_community(community_id)
    form = forms.JoinForm()
    if not form.validate():
        return detail_page(community_id, 400, join_form=form)
    message = _("Bienvenue dans la communauté !") if community.is_open else \
        _("Votre demande est envoyée aux modérateurs.")
    attempt(lambda: spaces.join(community, current_user, form.message.data), message, form)
    if form.errors:
        return detail_page(community_id, 400, join_form=form)
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
    if submitted(form):
        try:
            thread = discussion.create_thread(community, current_user, form.title.data, form.body.data)
        except ServiceError as error:
            refuse(error, form)
        else:
            return redirect(url_for(".thread", community_id=community_id, thread_id=thread.id))
    return render_template("communities/form.html", form=form, community=community,
                           title=_("Nouvelle discussion"), fields=["title", "body"]), 400 if form.errors else 200


@bp.get("/<int:community_id>/discussions/<int:thread_id>")
@login_required
def thread(community_id: int, thread_id: int):
    return thread_page(community_id, thread_id)


@bp.post("/<int:community_id>/discussions/<int:thread_id>/repondre")
@login_required
def reply(community_id: int, thread_id: int):
    community = access.get_community(community_id)
    thread_row = access.get_thread(community, thread_id)
    form = forms.ReplyForm()
    if form.validate() and attempt(lambda: discussion.reply(community, thread_row, current_user, form.body.data),
                                   _("Réponse publiée."), form):
        return redirect(url_for(".thread", community_id=community_id, thread_id=thread_id) + "#fin")
    return thread_page(community_id, thread_id, 400, reply_form=form)


@bp.post("/<int:community_id>/discussions/<int:thread_id>/<any(pin, unpin, lock, unlock):action>")
@login_required
def moderate_thread(community_id: int, thread_id: int, action: str):
    community = access.get_community(community_id)
    thread_row = access.get_thread(community, thread_id)
    form = forms.ReasonForm()
    if form.validate() and attempt(lambda: moderation.moderate_thread(community, thread_row, current_user, action,
                                                                      form.reason.data), _("C'est fait."), form):
        return redirect(url_for(".thread", community_id=community_id, thread_id=thread_id))
    target = "thread" if action in ("pin", "unpin") else "thread-lock"  # the form the page shows the message on
    return thread_page(community_id, thread_id, 400, failed={"target": target, "id": thread_id, "form": form})


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
    return thread_page(community_id, post.thread_id, 400, failed={"target": action, "id": post_id, "form": form})


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


# The resources and meetings pages register on the same blueprint.
from marketplace.communities import views_space  # noqa: E402,F401  (pyflakes: used for its routes)
