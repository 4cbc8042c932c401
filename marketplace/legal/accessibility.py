"""The accessibility statement's data: which pages were audited, which RGAA 4.1 criteria are checked
and how, what the measures found, and what remains. The statement page renders this module; change
it with the tests that back it:

- axe-core (pinned, vendored in tests/browser/vendor/) runs on every page a browser journey visits
  (tests/browser/conftest.py); a journey fails on a serious or critical violation, on a fixed rule
  that comes back (heading-order), and on a page it audits that AUDITED_PAGES does not list;
- tests/browser/test_keyboard_navigation.py replays the main journeys with the keyboard only;
- tests/views/test_legal_pages.py checks the HTML of the home, account and legal pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

# The day the measures below were last run and this data brought up to date with them.
STATEMENT_DATE = date(2026, 11, 30)
RGAA_VERSION = "4.1"
RGAA_CRITERIA_COUNT = 106
AXE_CORE_VERSION = "4.14.1"


@dataclass(frozen=True)
class AuditedPage:
    endpoint: str  # the Flask endpoint the audited URLs map to
    label: object  # a lazy string


# Every page the browser journeys visit, audited by axe-core on each run.
AUDITED_PAGES = (
    AuditedPage("main.home", _l("Accueil")),
    AuditedPage("accounts.register", _l("Inscription")),
    AuditedPage("accounts.login", _l("Connexion")),
    AuditedPage("accounts.onboarding", _l("Premiers pas : rôle et collectivité")),
    AuditedPage("accounts.profile", _l("Profil")),
    AuditedPage("main.dashboard", _l("Tableau de bord")),
    AuditedPage("offers.index", _l("Liste et recherche des offres")),
    AuditedPage("offers.create", _l("Publication d'une offre")),
    AuditedPage("offers.detail", _l("Page d'une offre")),
    AuditedPage("needs.index", _l("Liste et recherche des besoins")),
    AuditedPage("needs.create", _l("Publication d'un besoin")),
    AuditedPage("needs.detail", _l("Page d'un besoin et ses suggestions en direct")),
    AuditedPage("coordination.index", _l("Suggestions à examiner par le coordinateur")),
    AuditedPage("pairings.index", _l("Mes rapprochements")),
    AuditedPage("pairings.detail", _l("Page d'un rapprochement : consentements, signatures")),
    AuditedPage("pairings.terms", _l("Conditions de la mise à disposition")),
    AuditedPage("pairings.document_html", _l("Convention de mise à disposition, version HTML")),
    AuditedPage("practices.index", _l("Liste et recherche des fiches pratiques")),
    AuditedPage("practices.create", _l("Rédaction d'une fiche pratique")),
    AuditedPage("practices.detail", _l("Page d'une fiche pratique")),
    AuditedPage("practices.edit", _l("Modification d'une fiche pratique")),
    AuditedPage("practices.history", _l("Historique d'une fiche pratique")),
    AuditedPage("practices.diff", _l("Comparaison de versions d'une fiche")),
    AuditedPage("statistics.index", _l("Statistiques")),
    AuditedPage("api_v1_pages.docs", _l("Documentation de l'API")),
    AuditedPage("communities.index", _l("Liste des communautés")),
    AuditedPage("communities.create", _l("Création d'une communauté")),
    AuditedPage("communities.detail", _l("Page d'une communauté : discussions, ressources")),
    AuditedPage("communities.members", _l("Membres et demandes d'adhésion d'une communauté")),
    AuditedPage("communities.new_thread", _l("Ouverture d'une discussion")),
    AuditedPage("communities.thread", _l("Discussion d'une communauté")),
    AuditedPage("notifications.index", _l("Notifications")),
    AuditedPage("notifications.preferences", _l("Préférences d'e-mails")),
    AuditedPage("legal.accessibility", _l("Déclaration d'accessibilité")),
    AuditedPage("needs.mine", _l("Mes besoins")),
    AuditedPage("calls.index", _l("Appels à projets")),
    AuditedPage("calls.create", _l("Ouverture d'un appel à projets")),
    AuditedPage("calls.detail", _l("Page d'un appel à projets")),
    AuditedPage("calls.submit", _l("Dépôt d'un projet")),
    AuditedPage("calls.project", _l("Page d'un projet et son évaluation")),
    AuditedPage("calls.ranking", _l("Classement d'un appel à projets")),
    AuditedPage("calls.accompaniment", _l("Accompagnement d'un lauréat")),
    AuditedPage("calls.finish", _l("Retour d'expérience d'un lauréat")),
    AuditedPage("essaimage.index", _l("Kit d'essaimage")),
    AuditedPage("essaimage.checklist", _l("Check-list de préparation d'une fiche")),
    AuditedPage("messaging.inbox", _l("Messagerie")),
    AuditedPage("messaging.start", _l("Écrire à un agent suggéré")),
    AuditedPage("messaging.thread", _l("Conversation")),
    AuditedPage("messaging.report", _l("Signalement d'un message")),
    AuditedPage("messaging.settings", _l("Utilisateurs bloqués")),
    AuditedPage("admin.message_reports", _l("Messages signalés (administration)")),
    AuditedPage("privacy.my_data", _l("Mes données")),
    AuditedPage("privacy.delete_account", _l("Suppression du compte")),
    AuditedPage("learning.off_topic_pairs", _l("Rapprochements écartés comme hors sujet")),
    AuditedPage("lexicon.index", _l("Propositions pour le lexique administratif")),
)
AUDITED_ENDPOINTS = frozenset(page.endpoint for page in AUDITED_PAGES)

AXE = "axe"
KEYBOARD = "keyboard"
HTML = "html"
METHOD_LABELS = {
    AXE: _l("axe-core %(version)s sur chaque page des parcours", version=AXE_CORE_VERSION),
    KEYBOARD: _l("parcours rejoués au clavier seul (Tab, Maj+Tab, Entrée, Espace)"),
    HTML: _l("tests du code HTML des pages d'accueil, de compte et d'informations légales"),
}


@dataclass(frozen=True)
class Criterion:
    """An RGAA criterion, how the project checks it, and what the last measure found."""

    number: str
    title: object  # a lazy string
    methods: tuple = ()
    axe_rules: tuple = ()
    conform: bool = True
    note: object = ""

    @property
    def how(self) -> str:
        described = [str(METHOD_LABELS[method]) for method in self.methods]
        if self.axe_rules:
            described.append(str(_l("règles : %(rules)s", rules=", ".join(self.axe_rules))))
        return " ; ".join(described)


CHECKED_CRITERIA = (
    Criterion("1.1", _l("Chaque image porteuse d'information a une alternative textuelle."), (AXE,),
              ("image-alt", "input-image-alt", "role-img-alt", "svg-img-alt", "area-alt")),
    Criterion("3.2", _l("Le contraste entre la couleur du texte et celle de son arrière-plan est suffisant."),
              (AXE,), ("color-contrast",)),
    Criterion("5.7", _l("Les en-têtes des tableaux de données sont associés aux cellules."), (AXE,),
              ("th-has-data-cells", "td-headers-attr", "scope-attr-valid")),
    Criterion("6.2", _l("Chaque lien a un intitulé."), (AXE,), ("link-name",)),
    Criterion("8.2", _l("Le code source généré est valide (identifiants uniques)."), (AXE,),
              ("duplicate-id-aria",)),
    Criterion("8.3", _l("La langue par défaut de chaque page est indiquée."), (AXE, HTML), ("html-has-lang",)),
    Criterion("8.4", _l("Le code de langue de chaque page est valide."), (AXE,), ("html-lang-valid",)),
    Criterion("8.5", _l("Chaque page a un titre."), (AXE, HTML), ("document-title",)),
    Criterion("8.7", _l("Les changements de langue sont indiqués."), (AXE,), ("valid-lang",)),
    Criterion("9.1", _l("L'information est structurée par des titres hiérarchisés."), (AXE,),
              ("heading-order", "empty-heading", "page-has-heading-one"),
              note=_l("Corrigé le 30 novembre 2026 sur les pages de liste (offres, besoins, fiches pratiques).")),
    Criterion("9.3", _l("Les listes sont correctement structurées."), (AXE,), ("list", "listitem")),
    Criterion("10.4", _l("Le texte reste lisible quand la taille des caractères est augmentée jusqu'à 200 %."),
              (AXE,), ("meta-viewport",)),
    Criterion("10.7", _l("Pour chaque élément recevant le focus, la prise de focus est visible."), (KEYBOARD,)),
    Criterion("11.1", _l("Chaque champ de formulaire a une étiquette."), (AXE, HTML),
              ("label", "select-name", "form-field-multiple-labels")),
    Criterion("11.9", _l("L'intitulé de chaque bouton est pertinent."), (AXE,), ("button-name", "input-button-name")),
    Criterion("11.10", _l("Le contrôle de saisie est utilisé de manière pertinente."), (HTML,),
              note=_l("Les messages d'erreur s'affichent à côté du champ concerné.")),
    Criterion("12.1", _l("Chaque ensemble de pages dispose de deux systèmes de navigation différents."), (HTML,),
              note=_l("Menu principal et plan du site, lié depuis le pied de chaque page.")),
    Criterion("12.6", _l("Les zones de regroupement de contenus (en-tête, navigation, contenu, pied de page) sont identifiables."),
              (AXE, HTML), ("landmark-one-main", "landmark-unique", "region"), conform=False,
              note=_l("Non conforme sur la version HTML imprimable de la convention (ni zone de contenu principal ni en-tête) et sur la documentation de l'API (l'outil Swagger UI ajoute une seconde zone de contenu principal).")),
    Criterion("12.7", _l("Un lien d'évitement permet d'accéder directement au contenu principal."),
              (AXE, KEYBOARD, HTML), ("skip-link", "bypass")),
    Criterion("12.8", _l("L'ordre de tabulation est cohérent."), (KEYBOARD,)),
    Criterion("12.9", _l("La navigation ne contient pas de piège au clavier."), (KEYBOARD,)),
)

# What is not measured yet, or only in part: with 12.6 above, the reason the status is "partial".
NOT_YET_CHECKED = (
    Criterion("1–13", _l("Audit complet des 106 critères du RGAA par une personne qualifiée."),
              note=_l("Pas encore réalisé : le taux ci-dessus ne porte que sur les critères vérifiés.")),
    Criterion("3.3", _l("Contrastes des composants d'interface et des éléments graphiques."),
              note=_l("Non vérifié : axe-core ne mesure que le contraste des textes.")),
    Criterion("7.1, 7.3", _l("Scripts compatibles avec les technologies d'assistance."),
              note=_l("Autocomplétion et suggestions en direct : attributs ARIA vérifiés par axe-core, mais pas encore avec un lecteur d'écran.")),
    Criterion("10.1–10.14", _l("Présentation de l'information (hors focus visible et zoom)."),
              note=_l("Non vérifié : affichage en 320 pixels de large, espacements de texte, contenus au survol.")),
    Criterion("13", _l("Consultation : documents en téléchargement, délais, changements de contexte."),
              note=_l("Non vérifié : accessibilité des conventions en PDF (une version HTML équivalente existe).")),
)


def measured_rate() -> dict:
    """The share of the checked criteria that conform on the audited pages. Not an RGAA conformity
    rate, which needs every applicable criterion of the 106 audited on a sample of pages."""
    checked = len(CHECKED_CRITERIA)
    conform = sum(1 for criterion in CHECKED_CRITERIA if criterion.conform)
    return {"checked": checked, "conform": conform, "percent": round(100 * conform / checked),
            "total": RGAA_CRITERIA_COUNT, "pages": len(AUDITED_PAGES)}
