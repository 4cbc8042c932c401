"""Messaging pages: the inbox, a conversation and its replies, files, reports, blocking.

Views read the form, call one service function, then flash, redirect or render. Every POST is
checked by CSRFProtect before the view runs.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.extensions import limiter
from marketplace.core.forms import parse_page
from marketplace.core.errors import ServiceError
from marketplace.core.web import attempt, refuse
from marketplace.messaging.forms import MessageForm, ReportForm
from marketplace.messaging.services import blocking, conversations, reports
from marketplace.messaging.services.conversations import Upload

bp = Blueprint("messaging", __name__, url_prefix="/messages")


@bp.app_context_processor
def unread_messages():
    """`unread_messages` in every template: the count shown next to "Messages"."""
    if getattr(current_user, "is_authenticated", False):
        return {"unread_messages": conversations.unread_total(current_user)}
    return {"unread_messages": 0}


@bp.app_template_global()
def conversations_about(need_id: int, offer_id: int) -> list:
    """The current user's conversations about a need and an offer (the pairing page links them)."""
    if not getattr(current_user, "is_authenticated", False):
        return []
    return conversations.about(current_user, need_id, offer_id)


def _start_limit() -> str:
    return current_app.config["MESSAGING_START_RATE_LIMIT"]


def _per_user() -> str:
    return f"user:{getattr(current_user, 'id', None) or request.remote_addr}"


@bp.errorhandler(429)
def too_many_conversations(_error):
    # The limit guards new conversations only (replies are not limited): say so, not "too many attempts".
    message = _("Vous avez commencé beaucoup de conversations en peu de temps : réessayez plus tard.")
    return make_response(render_template("errors/error.html", code=429, message=message), 429)


def _upload(form: MessageForm) -> Upload | None:
    data = form.file.data
    return Upload(data.stream, data.filename or "") if data and getattr(data, "filename", "") else None


@bp.get("/")
@login_required
def inbox():
    return render_template("messaging/inbox.html",
                           inbox=conversations.inbox(current_user, parse_page(request.args.get("page"))))


@bp.route("/nouveau/<int:need_id>/<int:offer_id>", methods=["GET", "POST"])
@login_required
# Only a message sent counts (a redirect): a form sent back with an error spends nothing.
@limiter.limit(_start_limit, key_func=_per_user, methods=["POST"],
               deduct_when=lambda response: response.status_code == 302)
def start(need_id: int, offer_id: int):
    need, offer, blocked = conversations.prepare_start(current_user, need_id, offer_id)
    form = MessageForm()
    if request.method == "POST" and form.validate():
        try:
            conversation = conversations.start(current_user, need_id, offer_id, form.body.data, form.token.data,
                                               _upload(form))
        except ServiceError as error:
            refuse(error, form)
        else:
            flash(_("Votre message est envoyé à l'agent."), "success")
            return redirect(url_for(".thread", conversation_id=conversation.id))
    status = 400 if form.errors else 200
    return render_template("messaging/start.html", need=need, offer=offer, blocked=blocked,
                           form=form.fresh()), status


def _thread_page(conversation_id: int, form: MessageForm, status: int = 200):
    conversation, messages = conversations.read(current_user, conversation_id)
    return render_template("messaging/thread.html", conversation=conversation, messages=messages,
                           other=conversation.other(current_user), form=form.fresh(),
                           blocked=conversations.block_notice(current_user, conversation),
                           pairing=conversations.pairing_for(conversation)), status


@bp.get("/<int:conversation_id>")
@login_required
def thread(conversation_id: int):
    return _thread_page(conversation_id, MessageForm(formdata=None))


@bp.post("/<int:conversation_id>")
@login_required
def reply(conversation_id: int):
    form = MessageForm()
    if form.validate() and attempt(lambda: conversations.reply(
            current_user, conversation_id, form.body.data, form.token.data, _upload(form)),
            _("Votre réponse est envoyée."), form):
        return redirect(url_for(".thread", conversation_id=conversation_id) + "#dernier-message")
    return _thread_page(conversation_id, form, 400)


@bp.get("/<int:conversation_id>/fichiers/<int:attachment_id>")
@login_required
def download(conversation_id: int, attachment_id: int):
    attachment = conversations.attachment_of(current_user, conversation_id, attachment_id)
    response = send_file(conversations.file_path(attachment), mimetype=attachment.mime_type, as_attachment=True,
                         download_name=attachment.original_name or "fichier")
    # A file received in a message is never run by the browser, whatever it contains.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/<int:conversation_id>/signaler/<int:message_id>", methods=["GET", "POST"])
@login_required
def report(conversation_id: int, message_id: int):
    message = conversations.reportable(current_user, conversation_id, message_id)
    form = ReportForm()
    if request.method == "POST" and form.validate() and attempt(
            lambda: reports.report(current_user, message_id, form.reason.data, form.comment.data),
            _("Merci : votre signalement est transmis aux administrateurs."), form):
        return redirect(url_for(".thread", conversation_id=conversation_id))
    return render_template("messaging/report.html", message=message, form=form,
                           conversation_id=conversation_id), 400 if form.errors else 200


@bp.post("/<int:conversation_id>/bloquer")
@login_required
def block(conversation_id: int):
    attempt(lambda: blocking.block_in(current_user, conversation_id),
            _("Cette personne est bloquée : elle ne peut plus vous écrire. Vous pouvez la débloquer "
              "dans vos paramètres de messagerie."))
    return redirect(url_for(".thread", conversation_id=conversation_id))


@bp.get("/parametres")
@login_required
def settings():
    return render_template("messaging/settings.html", blocks=blocking.blocked_by(current_user))


@bp.post("/parametres/debloquer/<int:user_id>")
@login_required
def unblock(user_id: int):
    attempt(lambda: blocking.unblock(current_user, user_id), _("Cette personne peut de nouveau vous écrire."))
    return redirect(url_for(".settings"))
