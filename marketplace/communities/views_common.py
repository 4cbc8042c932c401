"""What the communities' view modules share: the blueprint, a date filter, and the pages a
refused form is shown again on (the community page, a thread page)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.communities import forms
from marketplace.communities.services import meetings, pages

bp = Blueprint("communities", __name__, url_prefix="/communautes")


@bp.app_template_filter("community_local_time")
def community_local_time(value) -> str:
    """A stored UTC time as Paris time ("14/03/2027 à 10:00"), for meeting dates."""
    if not value:
        return ""
    local = meetings.local_time(value)
    return _("%(date)s à %(time)s", date=local.strftime("%d/%m/%Y"), time=local.strftime("%H:%M"))


def submitted(form) -> bool:
    """A posted form that passed its own checks (the service checks again)."""
    return request.method == "POST" and form.validate()


def detail_page(community_id: int, status: int = 200, **forms_in_error):
    """The community page, with the forms that were refused (their messages next to the fields)."""
    page = pages.community_page(community_id, current_user)
    page_forms = {"join_form": forms.JoinForm(formdata=None), "file_form": forms.FileForm(formdata=None),
                  "link_form": forms.LinkForm(formdata=None), "sheet_form": forms.SheetForm(formdata=None),
                  "button": forms.FollowForm(formdata=None)}
    page_forms.update(forms_in_error)
    return render_template("communities/detail.html", **page, **page_forms), status


def thread_page(community_id: int, thread_id: int, status: int = 200, reply_form=None, failed=None):
    """A thread page; `failed` names the moderation or report form refused, to show its message."""
    page = pages.thread_page(community_id, thread_id, current_user)
    return render_template("communities/thread.html", **page, reply_form=reply_form or forms.ReplyForm(formdata=None),
                           blank_reason=forms.ReasonForm(formdata=None), failed=failed or {}), status
