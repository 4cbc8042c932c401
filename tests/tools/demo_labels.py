"""Hand labels for the six showcase needs of the demo: which offers a civil servant would accept.

Written from the offer's skill domain and themes (a planner counting hectares for the ZAN, a buyer
who wrote canteen DCEs, a DPO...), never from the engine's output; shared by the service test
and the browser check of the demo.
"""
from __future__ import annotations

from marketplace.demo.collectivities import PLACES


def _about(domains: set[str], themes: set[str]):
    return lambda domain, tags: domain in domains and bool(set(tags) & themes)


_PROCUREMENT = _about({"marches_publics"}, {"DCE", "MAPA", "analyse des offres", "groupement de commandes"})
_CANTEEN_SUPPLY = _about({"alimentation_durable"}, {"restauration collective"})

# key of showcase.SHOWCASE_NEEDS -> (offer domain, offer tags) -> acceptable?
ACCEPTABLE = {
    "zan": _about({"urbanisme"}, {"ZAN", "densification", "foncier"}),
    "gpec": _about({"ressources_humaines"}, {"GPEC", "lignes directrices de gestion", "recrutement"}),
    "dce": lambda domain, tags: _PROCUREMENT(domain, tags) or _CANTEEN_SUPPLY(domain, tags),
    "rgpd": _about({"juridique", "numerique"}, {"RGPD", "DPO", "données personnelles"}),
    "abs": _about({"social"}, {"ABS", "CCAS", "diagnostic social"}),
    "gemapi": _about({"eau_assainissement"}, {"GEMAPI", "inondations", "PAPI", "cours d'eau"}),
}
REGION_NAMES = {p.name.lower() for p in PLACES if p.kind == "region"} | {"bretagne", "corse"}
