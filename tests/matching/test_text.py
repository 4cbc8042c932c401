"""The French normaliser: accents, ligatures, apostrophes, hyphens, stop words, forms."""

from matching.text import affixes, char_ngrams, stem, strip_accents, surface_tokens, tokens


def test_case_accents_and_ligatures():
    assert tokens("ÉCOLE Élémentaire") == ["école", "élémentaire"]
    assert strip_accents("éèêëàçîôù") == "eeeeaciou"
    assert tokens("Cœur d'Œuvre, ex æquo") == ["coeur", "oeuvre", "ex", "aequo"]


def test_apostrophes_typographic_and_straight():
    assert tokens("l’aménagement d'eau qu’il") == ["aménagement", "eau"]
    assert tokens("L'AMÉNAGEMENT") == tokens("l’aménagement")


def test_hyphens_split_compounds():
    assert tokens("sous-traitance auto-entrepreneur") == ["traitance", "auto", "entrepreneur"]


def test_stop_words_removed_and_only_stop_words_give_nothing():
    assert tokens("le la les de des du et ou à") == []
    assert tokens("") == []


def test_plural_and_gender_forms_share_a_stem():
    for group in (
        ["communal", "communale", "communaux", "communales"],
        ["directeur", "directrice", "directeurs"],
        ["public", "publique", "publics", "publiques"],
        ["sportif", "sportive"],
        ["ingénieur", "ingénieure", "ingénieurs"],
        ["infirmier", "infirmière"],
        ["vendeur", "vendeuse"],
        ["aménagement", "aménagements"],
        ["activité", "activités"],
    ):
        assert len({stem(w) for w in group}) == 1, group


def test_stem_is_accent_free():
    assert stem("éducation") == stem("education")


def test_other_scripts_emoji_and_long_tokens():
    assert tokens("🙂 日本語 мэрия") == ["日本語", "мэрия"]
    assert tokens("x" * 100) == []
    assert surface_tokens("Ville-d’Avray") == ["ville", "d", "avray"]


def test_subword_features():
    assert affixes("amenagement", (4, 6)) == ["amen|", "amenag|", "|ment"]
    assert " am" in char_ngrams("amenagement", (3,))
