"""What the legal pages state: the operator's details read from the configuration, and the
accessibility statement's measured state.

Nothing here guesses who runs an instance: a detail left empty is shown as "not provided" with the
name of the variable that sets it, so an unconfigured instance is honest about it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

from flask_babel import lazy_gettext as _l

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

# Date of the accessibility statement: the day its measured state below was last brought up to date.
STATEMENT_DATE = date(2026, 11, 30)
RGAA_VERSION = "4.1"
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


@dataclass(frozen=True)
class Criterion:
    """An RGAA criterion and how the project checks it (or why it does not yet)."""

    number: str
    title: object  # a lazy string
    how: object = ""


# Criteria the project's own automated tests check: 8.3, 8.5, 11.1, 12.1, 12.6 and 12.7 in
# tests/views/test_legal_pages.py (on the home, registration, login and legal pages), 11.10 in
# tests/views/test_accounts.py and tests/views/test_offers.py. Change this list with those tests.
CHECKED_CRITERIA = (
    Criterion("8.3", _l("La langue par défaut de chaque page est indiquée."),
              _l("Attribut lang de l'élément html, en français et en anglais.")),
    Criterion("8.5", _l("Chaque page a un titre."),
              _l("Élément title non vide et propre à chaque page informative.")),
    Criterion("11.1", _l("Chaque champ de formulaire a une étiquette."),
              _l("Chaque champ visible des formulaires d'inscription et de connexion a un label relié.")),
    Criterion("11.10", _l("Le contrôle de saisie est utilisé de manière pertinente."),
              _l("Les messages d'erreur s'affichent à côté du champ concerné.")),
    Criterion("12.1", _l("Chaque ensemble de pages dispose de deux systèmes de navigation différents."),
              _l("Menu principal et plan du site, lié depuis le pied de chaque page.")),
    Criterion("12.6", _l("Les zones de regroupement de contenus (en-tête, navigation, contenu, pied de page) sont identifiables."),
              _l("Rôles banner, navigation, main et contentinfo présents sur chaque page vérifiée.")),
    Criterion("12.7", _l("Un lien d'évitement permet d'accéder directement au contenu principal."),
              _l("Lien « Contenu » vers l'ancre du contenu principal, présente sur la page.")),
)

# What is not measured yet, or known not to conform: the reason the status is "partial".
NOT_YET_CHECKED = (
    Criterion("1–13", _l("Audit complet des 106 critères du RGAA par une personne qualifiée."),
              _l("Pas encore réalisé : aucun taux de conformité n'est donc annoncé.")),
    Criterion("3.2, 3.3", _l("Contrastes des textes et des composants d'interface."),
              _l("Prévu : axe-core (version figée, intégrée au projet) lancé dans les parcours navigateur sur chaque page visitée.")),
    Criterion("9.1", _l("Hiérarchie des titres."),
              _l("Non conforme sur les pages de liste (offres, besoins, pratiques) : un niveau de titre est sauté ; correction en cours.")),
    Criterion("10.7, 12.8, 12.9", _l("Navigation au clavier : focus visible, ordre de tabulation, absence de piège."),
              _l("Prévu : parcours principaux rejoués au clavier seul dans les tests navigateur.")),
    Criterion("7.1, 7.3", _l("Scripts compatibles avec les technologies d'assistance."),
              _l("Autocomplétion et suggestions en direct : non vérifiées avec un lecteur d'écran.")),
)
