"""From the raw official lists to the rows Essaim stores: classification, coordinates, fallbacks.

Pure functions (no database), so the rules can be read and tested on their own. Choices made:

- communes: only the current ones ("commune-actuelle"); communes déléguées/associées and the
  municipal arrondissements of Paris, Lyon and Marseille are not local authorities of their own;
- Corse (région 94), Martinique (02), Guyane (03) and Mayotte (06) are single collectivities that
  hold both the regional and the departmental powers: one collectivity of kind
  'statut_particulier' whose code is the région code, and no separate département collectivity;
- Paris: the Ville de Paris (commune 75056) holds the departmental powers, so no département
  collectivity 75;
- overseas collectivities (zone 'com': Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin,
  Wallis-et-Futuna, Polynésie française, Nouvelle-Calédonie): kind 'statut_particulier', code the
  COG code; the TAAF (984) and Clipperton (989) have no elected assembly and are left out;
- EPCI à fiscalité propre (CC, CA, CU, METRO, MET69) and EPT: kind 'epci', code the SIREN,
  nature the type; a commune's epci is its EPCI à fiscalité propre (an EPT lies inside the
  Métropole du Grand Paris);
- coordinates: the town hall from the coordinates source, else the centre of the commune's outline,
  else the EPCI's main town (its most populous member located), else the département's chef-lieu.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from marketplace.core.text import normalise_name  # noqa: F401 (the name search form, used here and re-exported)

UNIFIED_COLLECTIVITIES = {
    "94": "Collectivité de Corse",
    "02": "Collectivité territoriale de Martinique",
    "03": "Collectivité territoriale de Guyane",
    "06": "Département de Mayotte",
}
DEPARTEMENTS_WITHOUT_COUNCIL = {"75"}  # the Ville de Paris holds the departmental powers
TERRITORIES_WITHOUT_ASSEMBLY = {"984", "989"}
EPCI_WITH_OWN_TAX = {"CC", "CA", "CU", "METRO", "MET69"}


def is_valid_siren(value: str | None) -> bool:
    """Whether a SIREN is 9 digits passing the Luhn check (its last digit is a check digit)."""
    if not value or len(value) != 9 or not value.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(value)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


@dataclass
class Plan:
    """Everything one import writes, keyed by official codes (database ids come later)."""

    regions: list[dict] = field(default_factory=list)
    departements: list[dict] = field(default_factory=list)
    # Collectivity columns plus "departements", "regions" and, for communes, "epci_code".
    collectivities: list[dict] = field(default_factory=list)
    coordinates: Counter = field(default_factory=Counter)
    invalid_sirens: list[str] = field(default_factory=list)

    @property
    def communes(self) -> list[dict]:
        return [row for row in self.collectivities if row["kind"] == "commune"]

    def coverage(self) -> float:
        """Share of communes located by the coordinates source itself (not by a fallback)."""
        total = sum(self.coordinates.values())
        direct = sum(n for source, n in self.coordinates.items() if not source.startswith(("fallback", "none")))
        return direct / total if total else 0.0


def _record(kind, code, name, vintage, departements=(), regions=(), **fields) -> dict:
    row = {
        "kind": kind, "code": code, "name": name, "search_name": normalise_name(name),
        "nature": None, "insee_code": None, "siren": None, "postal_codes": [], "population": None,
        "latitude": None, "longitude": None, "coordinates_source": None, "vintage": vintage,
        "departements": sorted(set(departements)), "regions": sorted(set(regions)),
    }
    row.update(fields)
    return row


def build_plan(reference: dict, coordinates: dict, vintage: str, source_label: str) -> Plan:
    """The rows to store for one vintage of the official lists and one coordinates table."""
    plan = Plan()
    communes = [c for c in reference["communes"] if c.get("type") == "commune-actuelle"]
    located = {code: (lat, lon) for code, (lat, lon, _kind) in coordinates.items()}
    epci_lists = [e for e in reference["epci"] if e.get("type") in EPCI_WITH_OWN_TAX]
    commune_epci = {m["code"]: e["code"] for e in epci_lists for m in e.get("membres", [])}
    commune_by_code = {c["code"]: c for c in communes}

    plan.regions = [{"code": r["code"], "name": r["nom"], "vintage": vintage} for r in reference["regions"]]
    plan.departements = [
        {"code": d["code"], "name": d["nom"], "region_code": d["region"], "chef_lieu": d.get("chefLieu"),
         "vintage": vintage}
        for d in reference["departements"]
    ]
    departements_of_region: dict[str, list[str]] = {}
    for d in reference["departements"]:
        departements_of_region.setdefault(d["region"], []).append(d["code"])

    def main_town(codes):
        """(lat, lon) of the most populous located commune among codes."""
        candidates = [c for c in codes if c in located]
        if not candidates:
            return None
        return located[max(candidates, key=lambda c: commune_by_code.get(c, {}).get("population") or 0)]

    def place(row, point, source):
        if point is not None:
            row.update(latitude=point[0], longitude=point[1], coordinates_source=source)
        return row

    for region in reference["regions"]:
        code, zone = region["code"], region.get("zone")
        if code in TERRITORIES_WITHOUT_ASSEMBLY:
            continue
        if code in UNIFIED_COLLECTIVITIES or zone == "com":
            kind, name = "statut_particulier", UNIFIED_COLLECTIVITIES.get(code, region["nom"])
        else:
            kind, name = "region", region["nom"]
        row = _record(kind, code, name, vintage, departements_of_region.get(code, []), [code])
        plan.collectivities.append(place(row, located.get(region.get("chefLieu")), "chef-lieu"))

    for dep in reference["departements"]:
        code, region_code = dep["code"], dep["region"]
        if (region_code in UNIFIED_COLLECTIVITIES or dep.get("zone") == "com"
                or code in DEPARTEMENTS_WITHOUT_COUNCIL):
            continue
        row = _record("departement", code, dep["nom"], vintage, [code], [region_code])
        plan.collectivities.append(place(row, located.get(dep.get("chefLieu")), "chef-lieu"))

    dep_of_commune = {c["code"]: (c["departement"], c["region"]) for c in communes}
    epci_towns = {}
    for epci in epci_lists + list(reference.get("ept", [])):
        members = [m["code"] for m in epci.get("membres", [])]
        places = [dep_of_commune[m] for m in members if m in dep_of_commune]
        if not is_valid_siren(epci["code"]):
            plan.invalid_sirens.append(epci["code"])
        town = main_town(members)
        epci_towns[epci["code"]] = town
        row = _record(
            "epci", epci["code"], epci["nom"], vintage, [p[0] for p in places], [p[1] for p in places],
            nature=epci.get("type") or None, population=epci.get("populationMunicipale"),
            siren=epci["code"] if is_valid_siren(epci["code"]) else None,
        )
        plan.collectivities.append(place(row, town, "ville-principale"))

    chef_lieu_of = {d["code"]: located.get(d.get("chefLieu")) for d in reference["departements"]}
    for commune in communes:
        code = commune["code"]
        siren = commune.get("siren")
        if siren and not is_valid_siren(siren):
            plan.invalid_sirens.append(siren)
            siren = None
        epci_code = commune_epci.get(code)
        row = _record(
            "commune", code, commune["nom"], vintage, [commune["departement"]], [commune["region"]],
            insee_code=code, siren=siren, population=commune.get("population"),
            postal_codes=sorted(set(commune.get("codesPostaux") or [])), epci_code=epci_code,
        )
        if code in coordinates:
            lat, lon, kind = coordinates[code]
            place(row, (lat, lon), f"{source_label}:{kind}")
        elif epci_towns.get(epci_code):
            place(row, epci_towns[epci_code], "fallback:epci")
        elif chef_lieu_of.get(commune["departement"]):
            place(row, chef_lieu_of[commune["departement"]], "fallback:departement")
        plan.coordinates[row["coordinates_source"] or "none"] += 1
        plan.collectivities.append(row)
    return plan
