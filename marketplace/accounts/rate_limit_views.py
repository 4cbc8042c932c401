"""Limits on the account e-mails a form can trigger (registration, password reset, verification):
per recipient address and per client address, shared by the three forms, so that nobody can
flood an inbox or use the forms to probe addresses. Only POSTs count."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from marketplace.core.extensions import limiter


def _only_posts() -> bool:
    return request.method != "POST"


def _per_ip() -> str:
    return current_app.config["EMAIL_RATE_LIMIT_IP"]


def _per_address() -> str:
    return current_app.config["EMAIL_RATE_LIMIT_ADDRESS"]


def _recipient() -> str:
    # The address typed in the form, or the logged-in user's own (resending the verification).
    address = request.form.get("email") or getattr(current_user, "email", "") or ""
    return "to:" + address.strip().lower()[:320]


def limit_account_emails(view):
    """Decorate a view whose POST may send an account e-mail."""
    view = limiter.shared_limit(_per_address, scope="account-email-address", key_func=_recipient,
                                exempt_when=_only_posts)(view)
    return limiter.shared_limit(_per_ip, scope="account-email-ip", exempt_when=_only_posts)(view)
