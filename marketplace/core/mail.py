"""Sending e-mail: render a template pair in the recipient's language and hand it to Flask-Mailman.

The backend comes from MAIL_BACKEND: files in instance/mail/ by default, SMTP when MAIL_SERVER is
set, an in-memory outbox in tests (`current_app.extensions["mailman"].outbox`).
"""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives

logger = logging.getLogger(__name__)


def render_email(subject: str, template: str, language: str, **context) -> tuple[str, str, str]:
    """The subject, text body and HTML body of templates/email/<template>.{txt,html}.

    Pass the subject as a lazy_gettext string: it is translated here, in the recipient's language.
    """
    with force_locale(language or "fr"):
        return (
            str(subject),
            render_template(f"email/{template}.txt", **context),
            render_template(f"email/{template}.html", **context),
        )


def send_email(to: str, subject: str, template: str, language: str, **context) -> None:
    """Send one e-mail, text with an HTML alternative, and log one line about it."""
    subject_text, text_body, html_body = render_email(subject, template, language, **context)
    message = EmailMultiAlternatives(subject=subject_text, body=text_body, to=[to])
    message.attach_alternative(html_body, "text/html")
    message.send()
    logger.info("email sent to=%s subject=%r template=%s", to, subject_text, template)
