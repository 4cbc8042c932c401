"""The site map, built from the application's URL map.

Every GET page without a parameter is listed, grouped by feature (its blueprint), if the reader
may open it: public pages for everyone, pages behind `login_required` for a logged-in user, pages
behind `role_required(...)` for the holders of one of those roles. The guard is read from the view
itself, so a new page appears here without anyone maintaining a list. A blueprint that guards all
its pages with a `before_request` hook (the administration) is shown to administrators only: the
hook's rule cannot be read, and hiding a page is the safe mistake.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

# Not pages: JSON and file downloads, and blueprints that answer machines.
# Machine endpoints and the steps of a sign-in flow (reached from a button, not from a plan).
SKIPPED_BLUEPRINTS = {"api", "api_v1", "health", "seo", "proconnect", "sessions"}
SKIPPED_SUFFIXES = (".json", ".pdf", ".csv", ".zip", ".xml", ".txt")
# Pages that only make sense before logging in (they redirect a logged-in reader).
ANONYMOUS_ONLY = {"accounts.login", "accounts.register", "accounts.forgot_password",
                  "accounts.resend_verification"}

GROUPS = {
    "main": _l("Accueil"),
    "accounts": _l("Compte"),
    "offers": _l("Offres de compétences"),
    "needs": _l("Besoins des collectivités"),
    "pairings": _l("Rapprochements"),
    "coordination": _l("Coordination"),
    "practices": _l("Pratiques"),
    "communities": _l("Communautés de pratique"),
    "essaimage": _l("Kit d'essaimage"),
    "calls": _l("Appels à projets"),
    "messaging": _l("Messagerie"),
    "learning": _l("Qualité des suggestions"),
    "lexicon": _l("Lexique de l'administration"),
    "notifications": _l("Notifications"),
    "statistics": _l("Statistiques"),
    "admin": _l("Administration"),
    "api_v1_pages": _l("API et données ouvertes"),
    "privacy": _l("Mes données personnelles"),
    "legal": _l("Informations légales"),
}

LABELS = {
    "main.home": _l("Accueil"),
    "main.dashboard": _l("Mon espace"),
    "accounts.login": _l("Se connecter"),
    "accounts.register": _l("Créer un compte"),
    "accounts.forgot_password": _l("Mot de passe oublié"),
    "accounts.resend_verification": _l("Renvoyer l'e-mail de confirmation"),
    "accounts.onboarding": _l("Choisir mes rôles"),
    "accounts.profile": _l("Mon profil"),
    "offers.index": _l("Toutes les offres"),
    "offers.mine": _l("Mes offres"),
    "offers.create": _l("Publier une offre"),
    "needs.index": _l("Tous les besoins"),
    "needs.mine": _l("Mes besoins"),
    "needs.create": _l("Publier un besoin"),
    "pairings.index": _l("Mes rapprochements"),
    "pairings.capacity_page": _l("Ma disponibilité"),
    "coordination.index": _l("File de coordination"),
    "practices.index": _l("Toutes les pratiques"),
    "practices.create": _l("Rédiger une fiche pratique"),
    "practices.collection_list": _l("Collections"),
    "practices.collection_create": _l("Créer une collection"),
    "practices.following": _l("Fiches suivies"),
    "practices.regions": _l("Pratiques par région"),
    "communities.index": _l("Toutes les communautés"),
    "communities.create": _l("Créer une communauté"),
    "notifications.index": _l("Mes notifications"),
    "notifications.preferences": _l("Préférences de notification"),
    "statistics.index": _l("Statistiques"),
    "admin.index": _l("Administration"),
    "api_v1_pages.docs": _l("Documentation de l'API"),
    "api_v1_pages.token_list": _l("Mes jetons d'API"),
    "essaimage.index": _l("Le kit d'essaimage"),
    "calls.index": _l("Tous les appels à projets"),
    "calls.create": _l("Ouvrir un appel à projets"),
    "messaging.inbox": _l("Mes messages"),
    "messaging.settings": _l("Utilisateurs bloqués"),
    "learning.off_topic_pairs": _l("Rapprochements écartés comme hors sujet"),
    "lexicon.index": _l("Proposer un sigle ou un synonyme"),
    "privacy.my_data": _l("Télécharger mes données"),
    "privacy.delete_account": _l("Supprimer mon compte"),
    "privacy.processing_register": _l("Registre des activités de traitement"),
    "legal.accessibility": _l("Accessibilité"),
    "legal.notice": _l("Mentions légales"),
    "legal.privacy": _l("Données personnelles"),
    "legal.terms": _l("Conditions d'utilisation"),
    "legal.sitemap": _l("Plan du site"),
    "legal.contact": _l("Contact"),
}


@dataclass(frozen=True)
class Access:
    """Who may open a page: anyone, a logged-in user, holders of some roles, or admins only."""

    login: bool = False
    roles: frozenset = frozenset()
    admin_only: bool = False

    def allows(self, user) -> bool:
        authenticated = bool(getattr(user, "is_authenticated", False))
        if not (self.login or self.roles or self.admin_only):
            return True
        if not authenticated:
            return False
        if user.is_admin:
            return True
        if self.admin_only:
            return False
        return not self.roles or any(user.has_role(role) for role in self.roles)


@dataclass
class Entry:
    endpoint: str
    label: object
    path: str


@dataclass
class Group:
    name: str
    label: object
    entries: list = field(default_factory=list)


def _decorator_layers(view):
    """The view and the wrappers around it, following `functools.wraps` and closures.

    `wraps` copies the view's name onto its wrapper (and points `__wrapped__` past inner
    wrappers), but not the wrapper's code: a function whose code name differs from its name is a
    wrapper, and the function it wraps sits in its closure.
    """
    seen, stack = set(), [view]
    while stack:
        function = stack.pop()
        if id(function) in seen or not inspect.isfunction(function):
            continue
        seen.add(id(function))
        yield function
        if getattr(function, "__wrapped__", None) is not None:
            stack.append(function.__wrapped__)
        if function.__code__.co_name != function.__name__:
            for cell in function.__closure__ or ():
                try:
                    stack.append(cell.cell_contents)
                except ValueError:  # an empty cell
                    continue


def _closure_value(function, name: str):
    names = function.__code__.co_freevars
    if name not in names or not function.__closure__:
        return None
    return function.__closure__[names.index(name)].cell_contents


def view_access(view, guarded_blueprint: bool = False) -> Access:
    """Who may open the page served by `view` (see the module docstring)."""
    login, roles = False, set()
    for layer in _decorator_layers(view):
        qualname = getattr(layer.__code__, "co_qualname", layer.__code__.co_name)
        if qualname.startswith("login_required."):
            login = True
        elif qualname.startswith("role_required."):
            login = True
            roles.update(_closure_value(layer, "roles") or ())
    return Access(login=login, roles=frozenset(roles), admin_only=guarded_blueprint)


def _is_page(rule) -> bool:
    if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
        return False
    if rule.endpoint.split(".", 1)[0] in SKIPPED_BLUEPRINTS:
        return False
    if rule.rule.endswith(SKIPPED_SUFFIXES):
        return False
    return not (rule.arguments - set(rule.defaults or ()))


def site_map(app, user) -> list[Group]:
    """The pages `user` may open, grouped by feature in the order of GROUPS (others after)."""
    groups: dict[str, Group] = {}
    seen = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if not _is_page(rule) or rule.endpoint in seen:
            continue
        blueprint = rule.endpoint.rsplit(".", 1)[0] if "." in rule.endpoint else ""
        guarded = bool(blueprint and app.before_request_funcs.get(blueprint))
        access = view_access(app.view_functions[rule.endpoint], guarded)
        if not access.allows(user):
            continue
        if rule.endpoint in ANONYMOUS_ONLY and getattr(user, "is_authenticated", False):
            continue
        seen.add(rule.endpoint)
        group = groups.setdefault(blueprint, Group(blueprint, GROUPS.get(blueprint, blueprint.capitalize())))
        group.entries.append(Entry(rule.endpoint, LABELS.get(rule.endpoint, rule.rule), rule.rule))
    # Within a group, labelled pages in the order of LABELS (a reading order), then new ones.
    known = {endpoint: position for position, endpoint in enumerate(LABELS)}
    for group in groups.values():
        group.entries.sort(key=lambda entry: (known.get(entry.endpoint, len(known)), entry.path))
    order = {name: position for position, name in enumerate(GROUPS)}
    return sorted(groups.values(), key=lambda group: (order.get(group.name, len(order)), group.name))
