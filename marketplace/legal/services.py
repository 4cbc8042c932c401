"""What the legal pages state: the operator's details read from the configuration (the
accessibility statement's measured state is in accessibility.py).

Nothing here guesses who runs an instance: a detail left empty is shown as "not provided" with the
name of the variable that sets it, so an unconfigured instance is honest about it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping


# Retention periods used when the configured one is not a positive number.
DEFAULT_RETENTION = {
    "PRIVACY_ACCOUNT_RETENTION_MONTHS": 36,
    "PRIVACY_LOG_RETENTION_MONTHS": 12,
    "PRIVACY_MAIL_RETENTION_MONTHS": 3,
    "PRIVACY_CONVENTION_RETENTION_YEARS": 5,
}

# The details a legal notice cannot do without (LCEN art. 6 and 19; RGPD art. 13).
REQUIRED_DETAILS = ("LEGAL_OPERATOR_NAME", "LEGAL_OPERATOR_ADDRESS", "LEGAL_PUBLICATION_DIRECTOR",
                    "LEGAL_HOST_NAME", "LEGAL_HOST_ADDRESS", "LEGAL_HOST_PHONE", "LEGAL_CONTACT_EMAIL",
                    "LEGAL_DPO_EMAIL")

# Date of the terms of use in force (shown on the page; change it with the text).
TERMS_DATE = date(2026, 11, 30)


@dataclass(frozen=True)
class LegalDetails:
    """The operator's details, each an empty string when the operator did not provide it."""

    operator_name: str = ""
    operator_address: str = ""
    operator_siren: str = ""
    publication_director: str = ""
    host_name: str = ""
    host_address: str = ""
    host_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    dpo_name: str = ""
    dpo_email: str = ""
    dpo_address: str = ""
    accessibility_email: str = ""
    accessibility_schema_url: str = ""
    retention: dict = field(default_factory=dict)
    missing: tuple = ()

    @property
    def complete(self) -> bool:
        return not self.missing


def _text(config: Mapping, name: str) -> str:
    value = config.get(name) or ""
    return " ".join(str(value).split())  # one line: an address pasted with newlines stays readable


def _retention(config: Mapping, name: str) -> int:
    try:
        value = int(config.get(name, DEFAULT_RETENTION[name]))
    except (TypeError, ValueError):
        return DEFAULT_RETENTION[name]
    return value if value > 0 else DEFAULT_RETENTION[name]


def legal_details(config: Mapping) -> LegalDetails:
    """The operator's details for the legal pages, read from the application's configuration."""
    contact_email = _text(config, "LEGAL_CONTACT_EMAIL")
    return LegalDetails(
        operator_name=_text(config, "LEGAL_OPERATOR_NAME"),
        operator_address=_text(config, "LEGAL_OPERATOR_ADDRESS"),
        operator_siren=_text(config, "LEGAL_OPERATOR_SIREN"),
        publication_director=_text(config, "LEGAL_PUBLICATION_DIRECTOR"),
        host_name=_text(config, "LEGAL_HOST_NAME"),
        host_address=_text(config, "LEGAL_HOST_ADDRESS"),
        host_phone=_text(config, "LEGAL_HOST_PHONE"),
        contact_email=contact_email,
        contact_address=_text(config, "LEGAL_CONTACT_ADDRESS"),
        dpo_name=_text(config, "LEGAL_DPO_NAME"),
        dpo_email=_text(config, "LEGAL_DPO_EMAIL"),
        dpo_address=_text(config, "LEGAL_DPO_ADDRESS"),
        # Accessibility feedback goes to the general contact unless a dedicated address is set.
        accessibility_email=_text(config, "LEGAL_ACCESSIBILITY_EMAIL") or contact_email,
        accessibility_schema_url=_text(config, "LEGAL_ACCESSIBILITY_SCHEMA_URL"),
        retention={
            "account_months": _retention(config, "PRIVACY_ACCOUNT_RETENTION_MONTHS"),
            "log_months": _retention(config, "PRIVACY_LOG_RETENTION_MONTHS"),
            "mail_months": _retention(config, "PRIVACY_MAIL_RETENTION_MONTHS"),
            "convention_years": _retention(config, "PRIVACY_CONVENTION_RETENTION_YEARS"),
        },
        missing=tuple(name for name in REQUIRED_DETAILS if not _text(config, name)),
    )
