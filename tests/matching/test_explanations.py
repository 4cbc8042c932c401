"""Issue 12 §1: explanations quote meaningful phrases, never empty words, numbers, place
names, words of most documents or internal keys; one haversine in matching/."""

import math
import re
from pathlib import Path

from matching import Document, MatchEngine
from matching.explain import distance_km
from matching.rules import haversine_km

FILLER = [Document(f"f{i}", t) for i, t in enumerate([
    "Paie des agents et carrières", "Entretien des espaces verts", "Cybersécurité du système d'information",
    "Restauration scolaire et cantine", "Archives communales et registres", "Animation jeunesse l'été",
    "Transport scolaire et circuits", "Gestion des salles communales", "Marchés publics de travaux",
    "Budget primitif et analyse financière", "Police municipale et stationnement", "Accueil des nouveaux habitants",
    "Élections et listes électorales", "Cimetière et concessions", "Communication et journal municipal",
    "Santé au travail et prévention", "Eau potable et réseaux", "Tourisme et office de tourisme",
    "Médiathèque et lecture publique", "Logement social et attributions",
])]


def _reasons(need, offer, **meta):
    engine = MatchEngine().fit(FILLER + [offer])
    res = [m for m in engine.query(Document("n", need, (), meta), k=30) if m.id == offer.id]
    assert res, "the offer must be found"
    return res[0].reasons


def test_no_empty_words_numbers_or_regions():
    # issue 12: the "mots proches" quoted "ponctuel", "cadrer", "plusieurs", "déjà", "12", "aquitaine"
    offer = Document("o", "Appui ponctuel pour cadrer plusieurs projets déjà lancés : urbanisme en Nouvelle-Aquitaine, 12 jours")
    words = _reasons("Besoin ponctuel pour cadrer plusieurs projets déjà lancés en urbanisme, Nouvelle-Aquitaine, 12 jours", offer).words
    assert words == ("urbanisme",)


def test_place_names_of_the_query_are_not_quoted():
    offer = Document("o", "Accompagnement à Saint-Herblain pour la commande publique")
    words = _reasons("Commande publique à Saint-Herblain", offer, place_names=["Saint-Herblain"]).words
    assert words == ("commande publique",)


def test_words_of_most_documents_are_not_quoted():
    docs = [Document(f"d{i}", f"Accompagnement {t}") for i, t in enumerate(
        ["paie", "voirie", "budget", "archives", "cantine", "jeunesse", "élections", "tourisme", "eau", "cimetière",
         "logement", "santé", "police", "transport", "médiathèque", "marchés", "accueil", "salles", "carrières", "sport"])]
    docs.append(Document("o", "Accompagnement de la démarche zéro déchet"))
    engine = MatchEngine().fit(docs)
    m = engine.query(Document("n", "Accompagnement zéro déchet"), k=1)[0]
    assert m.id == "o" and m.reasons.words == ("zéro déchet",)


def test_phrases_rather_than_lone_stems():
    offer = Document("o", "Élaboration du plan local d'urbanisme intercommunal")
    words = _reasons("Révision de notre Plan Local d'Urbanisme", offer).words
    assert words[0] == "plan local d'urbanisme"


def test_acronym_quoted_as_written_when_its_expansion_matched():
    offer = Document("o", "Rédaction du dossier de consultation des entreprises")
    assert _reasons("Aide pour notre DCE", offer).words == ("DCE",)


def test_tags_are_returned_as_given():
    engine = MatchEngine().fit(FILLER + [Document("o", "Conseil RH", ("ressources_humaines",))])
    m = engine.query(Document("n", "Conseil", ("ressources_humaines",)), k=1)[0]
    assert m.id == "o" and m.reasons.tags == ("ressources_humaines",)
    assert "ressources" not in m.reasons.words  # already shown as a shared tag


def test_one_haversine_in_the_library():
    # the compiled kernel (matching/kernels.py) has its scalar copy, held equal to this one by
    # tests/matching/test_fast_path.py
    library = [p for p in (Path(__file__).parents[2] / "matching").glob("*.py") if p.name != "kernels.py"]
    source = "\n".join(p.read_text(encoding="utf-8") for p in library)
    assert len(re.findall(r"\b(arcsin|asin)\(", source)) == 1
    assert distance_km((48.8566, 2.3522), 45.764, 4.8357) == round(float(haversine_km(48.8566, 2.3522, 45.764, 4.8357)), 1)
    assert 390 < distance_km((48.8566, 2.3522), 45.764, 4.8357) < 395
    assert distance_km(None, 1.0, 2.0) is None and distance_km((1.0, 2.0), math.nan, 2.0) is None
