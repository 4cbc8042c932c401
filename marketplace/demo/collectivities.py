"""The collectivities the demo uses, with their official codes and public figures.

The seed looks each one up by (kind, code) in the imported reference geography and only creates
it from this table when it is missing (unit tests, or a database where `flask geo import` has not
run). Codes: commune = INSEE code (COG), EPCI and groupement = SIREN, département and région = COG
code; a collectivity holding both regional and departmental powers (Corse) uses its région code,
as the geography import does. Communes and EPCI (names, SIREN, municipal population, départements
and régions of the members) are copied from @etalab/decoupage-administratif 6.0.0, the package the
import reads; départements and régions carry a rounded legal population (INSEE); coordinates are
those of the town hall or the seat of the authority (Action Cœur de Ville open data, ANCT).
"""
from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    kind: str
    code: str
    name: str
    departements: tuple[str, ...]
    regions: tuple[str, ...]
    population: int | None
    latitude: float
    longitude: float
    nature: str | None = None
    epci: str | None = None  # SIREN of the EPCI a commune belongs to
    postal_codes: tuple[str, ...] = ()


def _commune(code, name, dep, reg, pop, lat, lon, epci, postal):
    return Place("commune", code, name, (dep,), (reg,), pop, lat, lon, None, epci, (postal,))


def _epci(siren, name, nature, deps, regs, pop, lat, lon):
    return Place("epci", siren, name, deps, regs, pop, lat, lon, nature)


PLACES: tuple[Place, ...] = (
    # Régions (seat of the regional council)
    Place("region", "84", "Auvergne-Rhône-Alpes", (), ("84",), 8_114_000, 45.7485, 4.8213),
    Place("region", "53", "Bretagne", (), ("53",), 3_402_000, 48.1106, -1.6769),
    Place("region", "75", "Nouvelle-Aquitaine", (), ("75",), 6_033_000, 44.8378, -0.5792),
    Place("region", "32", "Hauts-de-France", (), ("32",), 5_997_000, 50.6292, 3.0573),
    Place("region", "93", "Provence-Alpes-Côte d'Azur", (), ("93",), 5_127_000, 43.2965, 5.3698),
    Place("region", "44", "Grand Est", (), ("44",), 5_568_000, 48.5734, 7.7521),
    Place("region", "76", "Occitanie", (), ("76",), 5_973_000, 43.6045, 1.4440),
    # Départements (prefecture)
    Place("departement", "69", "Rhône", ("69",), ("84",), 1_883_000, 45.7640, 4.8357),
    Place("departement", "63", "Puy-de-Dôme", ("63",), ("84",), 662_000, 45.7772, 3.0870),
    Place("departement", "35", "Ille-et-Vilaine", ("35",), ("53",), 1_095_000, 48.1173, -1.6778),
    Place("departement", "29", "Finistère", ("29",), ("53",), 915_000, 47.9960, -4.1024),
    Place("departement", "33", "Gironde", ("33",), ("75",), 1_654_000, 44.8378, -0.5792),
    Place("departement", "40", "Landes", ("40",), ("75",), 418_000, 43.8902, -0.4999),
    Place("departement", "59", "Nord", ("59",), ("32",), 2_608_000, 50.6292, 3.0573),
    Place("departement", "02", "Aisne", ("02",), ("32",), 525_000, 49.5641, 3.6199),
    Place("departement", "13", "Bouches-du-Rhône", ("13",), ("93",), 2_058_000, 43.2965, 5.3698),
    Place("departement", "67", "Bas-Rhin", ("67",), ("44",), 1_152_000, 48.5734, 7.7521),
    Place("departement", "31", "Haute-Garonne", ("31",), ("76",), 1_450_000, 43.6045, 1.4440),
    Place("departement", "12", "Aveyron", ("12",), ("76",), 280_000, 44.3506, 2.5750),
    # Collectivités à statut particulier
    Place("statut_particulier", "94", "Collectivité de Corse", ("2A", "2B"), ("94",), 347_000,
          41.9192, 8.7386),
    # EPCI (SIREN)
    _epci("200046977", "Métropole de Lyon", "MET69", ("69",), ("84",),
          1_433_613, 45.7600, 4.8500),
    _epci("246300701", "Clermont Auvergne Métropole", "METRO", ("63",), ("84",),
          296_677, 45.7772, 3.0870),
    _epci("200065886", "CA Loire Forez Agglomération (LFA)", "CA", ("42",), ("84",),
          112_261, 45.6011, 4.0721),
    _epci("243500139", "Rennes Métropole", "METRO", ("35",), ("53",),
          473_973, 48.1113, -1.6800),
    _epci("200039022", "CA Vitré Communauté", "CA", ("35",), ("53",),
          82_956, 48.1146, -1.1934),
    _epci("243500741", "CA Redon Agglomération", "CA", ("35", "44", "56"), ("52", "53"),
          67_121, 47.6510, -2.0840),
    _epci("200068120", "CA Quimper Bretagne Occidentale", "CA", ("29",), ("53",),
          102_574, 47.9969, -4.0911),
    _epci("243300316", "Bordeaux Métropole", "METRO", ("33",), ("75",),
          843_738, 44.8378, -0.5792),
    _epci("200070092", "CA du Libournais", "CA", ("33",), ("75",),
          93_359, 44.9133, -0.2346),
    _epci("244000675", "CA du Grand Dax", "CA", ("40",), ("75",),
          58_036, 43.7012, -1.0600),
    _epci("200093201", "Métropole Européenne de Lille", "METRO", ("59",), ("32",),
          1_194_040, 50.6292, 3.0573),
    _epci("200043495", "CA du Pays de Laon", "CA", ("02",), ("32",),
          41_771, 49.5679, 3.6211),
    _epci("200054807", "Métropole d'Aix-Marseille-Provence", "METRO", ("13", "83", "84"), ("93",),
          1_922_626, 43.2965, 5.3698),
    _epci("240500439", "CC du Briançonnais", "CC", ("05",), ("93",),
          18_947, 44.8997, 6.6498),
    _epci("246700488", "Eurométropole de Strasbourg", "METRO", ("67",), ("44",),
          517_386, 48.5734, 7.7521),
    _epci("243100518", "Toulouse Métropole", "METRO", ("31",), ("76",),
          832_348, 43.6045, 1.4440),
    _epci("200072643", "CC Coeur et Coteaux du Comminges", "CC", ("31",), ("76",),
          44_243, 43.1199, 0.7267),
    _epci("241200567", "CC de Millau Grands Causses", "CC", ("12", "48"), ("76",),
          29_374, 44.0976, 3.1170),
    _epci("200066231", "CC des Portes d'Ariège Pyrénées", "CC", ("09",), ("76",),
          40_642, 43.1234, 1.6159),
    _epci("244400404", "Nantes Métropole", "METRO", ("44",), ("52",),
          683_981, 47.2184, -1.5536),
    _epci("200072726", "CC Châteaubriant-Derval", "CC", ("44",), ("52",),
          44_697, 47.7172, -1.3764),
    _epci("242100410", "Dijon Métropole", "METRO", ("21",), ("27",),
          258_630, 47.3220, 5.0415),
    _epci("242010056", "CA du Pays Ajaccien", "CA", ("2A",), ("94",),
          92_766, 41.9352, 8.7022),
    # Other public groupings (syndicat mixte)
    Place("groupement", "253514491", "Syndicat mixte Mégalis Bretagne", ("35",), ("53",), None,
          48.1205, -1.6030, postal_codes=("35510",)),
    # Communes (INSEE code)
    _commune("69123", "Lyon", "69", "84", 519_127, 45.7640, 4.8357, "200046977", "69001"),
    _commune("63113", "Clermont-Ferrand", "63", "84", 146_351, 45.7772, 3.0870, "246300701", "63000"),
    _commune("42147", "Montbrison", "42", "84", 16_123, 45.6011, 4.0721, "200065886", "42600"),
    _commune("35238", "Rennes", "35", "53", 230_890, 48.1113, -1.6800, "243500139", "35000"),
    _commune("35360", "Vitré", "35", "53", 19_365, 48.1146, -1.1934, "200039022", "35500"),
    _commune("35236", "Redon", "35", "53", 9_542, 47.6610, -2.0803, "243500741", "35600"),
    _commune("29232", "Quimper", "29", "53", 64_385, 47.9969, -4.0911, "200068120", "29000"),
    _commune("33063", "Bordeaux", "33", "75", 267_991, 44.8378, -0.5792, "243300316", "33000"),
    _commune("33243", "Libourne", "33", "75", 25_036, 44.9133, -0.2346, "200070092", "33500"),
    _commune("40088", "Dax", "40", "75", 22_109, 43.7012, -1.0600, "244000675", "40100"),
    _commune("59350", "Lille", "59", "32", 238_246, 50.6292, 3.0573, "200093201", "59000"),
    _commune("02408", "Laon", "02", "32", 24_220, 49.5679, 3.6211, "200043495", "02000"),
    _commune("13055", "Marseille", "13", "93", 886_040, 43.2965, 5.3698, "200054807", "13001"),
    _commune("05023", "Briançon", "05", "93", 11_411, 44.8997, 6.6498, "240500439", "05100"),
    _commune("67482", "Strasbourg", "67", "44", 293_771, 48.5734, 7.7521, "246700488", "67000"),
    _commune("31555", "Toulouse", "31", "76", 514_819, 43.6045, 1.4440, "243100518", "31000"),
    _commune("31483", "Saint-Gaudens", "31", "76", 12_139, 43.1199, 0.7267, "200072643", "31800"),
    _commune("12145", "Millau", "12", "76", 22_044, 44.0976, 3.1170, "241200567", "12100"),
    _commune("09225", "Pamiers", "09", "76", 16_473, 43.1234, 1.6159, "200066231", "09100"),
    _commune("44109", "Nantes", "44", "52", 327_734, 47.2184, -1.5536, "244400404", "44000"),
    _commune("44036", "Châteaubriant", "44", "52", 12_260, 47.7172, -1.3764, "200072726", "44110"),
    _commune("21231", "Dijon", "21", "27", 161_830, 47.3220, 5.0415, "242100410", "21000"),
    _commune("2A004", "Ajaccio", "2A", "94", 76_320, 41.9352, 8.7022, "242010056", "20000"),
)


def place_key(place: Place) -> tuple[str, str]:
    """The (kind, code) pair that identifies a collectivity in the database."""
    return place.kind, place.code
