"""/coordination/hors-sujet: the pairs ruled off-topic on the coordinator's territory, and undoing a
ruling. Its own blueprint under the coordination prefix; every POST is checked by CSRFProtect."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.forms import ActionForm
from marketplace.core.permissions import role_required
from marketplace.core.web import attempt
from marketplace.learning import off_topic

bp = Blueprint("learning", __name__, url_prefix="/coordination")


@bp.get("/hors-sujet")
@role_required("coordinator")
def off_topic_pairs():
    return render_template("coordination/off_topic.html", rows=off_topic.visible_to(current_user),
                           action_form=ActionForm(formdata=None))


@bp.post("/hors-sujet/<int:pair_id>/annuler")
@role_required("coordinator")
def lift_off_topic(pair_id: int):
    attempt(lambda: off_topic.lift(current_user, pair_id),
            _("La paire n'est plus marquée hors sujet : elle pourra de nouveau être suggérée."))
    return redirect(url_for(".off_topic_pairs"))
