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


def test_memo_gives_the_function_results_and_stays_bounded():
    from matching.text import _Memo, stem, stems

    calls = []
    memo = _Memo(lambda w: calls.append(w) or w.upper(), size=3)
    assert list(map(memo.__getitem__, ["a", "b", "a", "c"])) == ["A", "B", "A", "C"]
    assert calls == ["a", "b", "c"]  # each argument computed once
    memo["d"]  # full: cleared, then "d" stored
    assert dict(memo) == {"d": "D"}
    words = ["communaux", "communale", "ingénieure", "ingénieure", "x"]
    assert stems(words) == [stem(w) for w in words]
