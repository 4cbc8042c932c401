"""Public home page, the personal dashboard and the language switch."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from marketplace.accounts import onboarding

from marketplace.main import stats
from marketplace.core.urls import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/home.html", counts=stats.public_counts())


@bp.get("/espace")
@login_required
def dashboard():
    return render_template("main/dashboard.html", steps=onboarding.next_steps(current_user))


@bp.post("/langue")
def set_language():
    lang = request.form.get("lang", "")
    if onboarding.set_language(current_user, lang):
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))
