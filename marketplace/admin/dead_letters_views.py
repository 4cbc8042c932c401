"""Administration of the dead letters (/admin/echecs): list what was given up, replay it.

Routes on the admin blueprint, so its `admins_only` guard applies (403 for anyone else); every
POST is checked by CSRFProtect. Registered by an import in setup.py, before the blueprint is.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, ngettext

from marketplace.admin import dead_letters as dead_letter_service
from marketplace.admin.views import bp
from marketplace.core.web import attempt


@bp.get("/echecs")
def dead_letters():
    return render_template("admin/dead_letters.html", task_label=dead_letter_service.task_label,
                           **dead_letter_service.overview())


@bp.post("/echecs/<kind>/<int:item_id>/relancer")
def replay_dead_letter(kind: str, item_id: int):
    attempt(lambda: dead_letter_service.replay(kind, item_id),
            _("Relancé : l'envoi repart avec un nouveau jeu d'essais."))
    return redirect(url_for("admin.dead_letters"))


@bp.post("/echecs/relancer-tout")
def replay_dead_letters():
    count = dead_letter_service.replay_all()
    flash(ngettext("%(num)s envoi relancé.", "%(num)s envois relancés.", count), "success")
    return redirect(url_for("admin.dead_letters"))
