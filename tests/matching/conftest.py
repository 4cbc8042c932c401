"""Small French corpora shared by the matching tests (no Flask, no database)."""

import pytest

from matching import Document

OFFERS = [
    ("o1", "Accompagnement en urbanisme et aménagement du territoire", ("urbanisme",),
     {"collectivity": "75056", "epci": "200054781", "modality": "on_site", "days_available": 10,
      "lat": 48.8566, "lon": 2.3522, "max_distance_km": 50}),
    ("o2", "Rédaction et passation des marchés publics, commande publique", ("marchés publics",),
     {"collectivity": "69123", "epci": "200046977", "modality": "remote", "days_available": 5}),
    ("o3", "Cybersécurité des systèmes d'information et réseaux informatiques", ("informatique",),
     {"collectivity": "13055", "epci": "200054807", "modality": "both", "days_available": 2,
      "lat": 43.2965, "lon": 5.3698}),
    ("o4", "Gestion des espaces verts et de la biodiversité communale", ("environnement",),
     {"collectivity": "33063", "modality": "on_site", "days_available": 8,
      "lat": 44.8378, "lon": -0.5792, "max_distance_km": 30}),
    ("o5", "Animation d’ateliers numériques pour les habitants", ("numérique", "inclusion"),
     {"collectivity": "75056", "epci": "200054781", "modality": "both", "days_available": 3}),
    ("o6", "Conseil en finances locales et préparation du budget communal", ("finances",),
     {"collectivity": "59350", "modality": "remote", "days_available": 12}),
]


@pytest.fixture
def offers():
    return [Document(i, t, tags, meta) for i, t, tags, meta in OFFERS]
