"""Fixed vocabularies shared by models, forms and templates.

Keys are stored in the database; labels are what a person reads (French first, through Babel).
"""
from flask_babel import lazy_gettext as _l

DOMAINS = {
    "urbanisme": _l("Urbanisme et aménagement"),
    "marches_publics": _l("Marchés publics et achats"),
    "numerique": _l("Numérique et systèmes d'information"),
    "alimentation_durable": _l("Alimentation durable"),
    "finances": _l("Finances et fiscalité locale"),
    "ressources_humaines": _l("Ressources humaines"),
    "eau_assainissement": _l("Eau et assainissement"),
    "mobilite": _l("Mobilité et transports"),
    "energie": _l("Énergie et transition écologique"),
    "culture": _l("Culture et patrimoine"),
    "social": _l("Action sociale et solidarités"),
    "juridique": _l("Affaires juridiques"),
    "environnement": _l("Environnement et biodiversité"),
    "voirie": _l("Voirie et bâtiments"),
    "developpement_economique": _l("Développement économique"),
    "education": _l("Éducation, enfance et jeunesse"),
}

MODALITIES = {
    "remote": _l("À distance"),
    "on_site": _l("Sur place"),
    "hybrid": _l("Hybride"),
}

OFFER_STATUSES = {
    "draft": _l("Brouillon"),
    "published": _l("Publiée"),
    "paused": _l("En pause"),
    "archived": _l("Archivée"),
}

NEED_STATUSES = {
    "draft": _l("Brouillon"),
    "open": _l("Ouvert"),
    "in_progress": _l("En cours"),
    "closed": _l("Clos"),
    "cancelled": _l("Annulé"),
}

COLLECTIVITY_KINDS = {
    "commune": _l("Commune"),
    "epci": _l("Intercommunalité (EPCI)"),
    "departement": _l("Département"),
    "region": _l("Région"),
    "statut_particulier": _l("Collectivité à statut particulier ou d'outre-mer"),
    "groupement": _l("Autre groupement public"),
}

EPCI_NATURES = {
    "CC": _l("Communauté de communes"),
    "CA": _l("Communauté d'agglomération"),
    "CU": _l("Communauté urbaine"),
    "METRO": _l("Métropole"),
    "MET69": _l("Métropole de Lyon"),
    "EPT": _l("Établissement public territorial"),
}

ROLES = {
    "agent": _l("Agent territorial"),
    "representative": _l("Référent de la collectivité"),
    "approver": _l("Autorité territoriale d'origine (employeur)"),
    "coordinator": _l("Coordinateur territorial"),
    "admin": _l("Administrateur"),
}

# Roles a newcomer may take alone; the others are granted by an administrator.
SELF_SERVICE_ROLES = ("agent", "representative")
# Roles that belong to a collectivity.
COLLECTIVITY_ROLES = ("agent", "representative", "approver")


def label(mapping: dict, key: str | None) -> str:
    """The readable label of a key, or the key itself when unknown."""
    if key is None:
        return ""
    return str(mapping.get(key, key))
