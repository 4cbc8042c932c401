"""The fr-admin dictionary (issue 12 §2): well formed, versioned, applied on both sides."""

from pathlib import Path

import pytest

from matching import Document, MatchEngine
from matching.lexicon import COLUMNS, KINDS, SHIPPED, Lexicon, form_key, load, read_entries
from matching.text import tokens

REQUIRED = """GPEC DCE CCAP CCTP RPS PAVE ZAN PLU PLUi SCoT PAT DOB ROB PPI M57 RIFSEEP IFSE CIAS CCAS PCAET
IRVE GEMAPI PPRI ADS DSP DETR DSIL FEDER LEADER CST DUERP RGPD DPO""".split()


def test_shipped_dictionary_is_well_formed_and_unique():
    path = SHIPPED["fr-admin"]
    head = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any(line.startswith("# version:") for line in head)
    assert any("Licence Ouverte 2.0" in line and "Etalab" in line for line in head)
    version, entries = read_entries(path)
    assert version and len(entries) >= 300
    seen = set()
    for e in entries:
        assert e.term and e.expansion and e.domain and e.source, e
        assert e.kind in KINDS, e
        assert form_key(e.term) and form_key(e.expansion), e  # each side has content words
        assert e.term.casefold() != e.expansion.casefold(), e
        if e.strict_case:
            assert any(c.isupper() for c in e.term), e
        key = (e.term.casefold(), e.expansion.casefold())
        assert key not in seen, f"duplicate entry {e.term} -> {e.expansion}"
        seen.add(key)
    terms = {e.term for e in entries}
    assert not [t for t in REQUIRED if t not in terms]
    assert len({e.kind for e in entries}) == 3


def test_malformed_files_are_refused(tmp_path):
    header = ";".join(COLUMNS)
    no_version = tmp_path / "a.csv"
    no_version.write_text(f"{header}\nPLU;plan local d'urbanisme;sigle;urbanisme;Code;\n", encoding="utf-8")
    with pytest.raises(ValueError, match="version"):
        read_entries(no_version)
    short = tmp_path / "b.csv"
    short.write_text(f"# version: 1\n{header}\nPLU;plan local d'urbanisme;sigle\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 2"):
        read_entries(short)
    with pytest.raises(ValueError, match="unknown lexicon"):
        load("no-such-lexicon")


def test_both_directions_and_plurals():
    lex = load("fr-admin")
    assert lex.expand(tokens("Révision du PLU"), "Révision du PLU") == ["plan", "local", "urbanisme"]
    text = "élaboration des plans locaux d'urbanisme"
    assert lex.expand(tokens(text), text) == ["plu"]
    # both forms present: nothing added
    text = "PLU (plan local d'urbanisme)"
    assert lex.expand(tokens(text), text) == []


def test_strict_terms_need_capitals():
    lex = load("fr-admin")
    assert lex.expand(tokens("le pavé de la place"), "le pavé de la place") == []
    assert "accessibilité" in lex.expand(tokens("mise à jour du PAVE"), "mise à jour du PAVE")


OFFERS = [
    Document("gpec", "Gestion prévisionnelle des emplois et des compétences : cartographie des métiers"),
    Document("dce", "Préparation du dossier de consultation des entreprises pour vos travaux"),
    Document("bar", "Police du maire : bars et cafés, horaires, nuisances"),
    Document("rh", "Recrutement des agents et entretiens annuels"),
    Document("voirie", "Entretien de la voirie et des trottoirs"),
]


@pytest.mark.parametrize("need, offer", [
    ("Mise en place de la GPEC", "gpec"),
    ("Rédaction du DCE", "dce"),
    ("Fermeture d'un débit de boissons", "bar"),
])
def test_issue_examples_found_only_with_the_lexicon(need, offer):
    # issue 12: word overlap cannot know that GPEC is "gestion prévisionnelle des emplois et
    # des compétences", that DCE is a "dossier de consultation des entreprises", or that a
    # "débit de boissons" is a "bar"
    plain = MatchEngine(lexicon=None).fit(OFFERS).query(Document("n", need), k=3)
    assert offer not in [m.id for m in plain]
    res = MatchEngine().fit(OFFERS).query(Document("n", need), k=3)
    assert res and res[0].id == offer


def test_reverse_direction_and_custom_lexicon(tmp_path):
    docs = [Document("a", "Appui GPEC pour la commune"), Document("b", "Paie et carrière")]
    res = MatchEngine().fit(docs).query(Document("q", "gestion prévisionnelle des emplois et des compétences"), k=2)
    assert [m.id for m in res] == ["a"]
    custom = tmp_path / "lex.csv"
    custom.write_text("# version: t1\n" + ";".join(COLUMNS) + "\nZZQ;carrière;sigle;rh;test;\n", encoding="utf-8")
    engine = MatchEngine(lexicon=str(custom)).fit(docs)
    assert engine.lexicon_version_ == "t1"
    assert [m.id for m in engine.query(Document("q", "ZZQ"), k=2)] == ["b"]


def test_lexicon_version_is_saved(tmp_path):
    engine = MatchEngine().fit(OFFERS)
    engine.save(tmp_path / "e.npz")
    loaded = MatchEngine.load(tmp_path / "e.npz")
    assert loaded.lexicon == "fr-admin" and loaded.lexicon_version_ == load("fr-admin").version
    q = Document("q", "Rédaction du DCE")
    assert loaded.query(q) == engine.query(q)


def test_lexicon_class_on_its_own():
    from matching.lexicon import Entry

    lex = Lexicon([Entry("ABC", "atlas de la biodiversité communale", "sigle", "env", "OFB", True)], "1")
    assert len(lex) == 1
    assert lex.expand(tokens("atlas de la biodiversité"), "") == []  # the whole phrase is needed
    assert lex.expand(tokens("un ABC"), "un ABC") == ["atlas", "biodiversité", "communale"]
    assert Path(SHIPPED["fr-admin"]).suffix == ".csv"


def _find_without_prefilter(lex: Lexicon, words, raw_text=""):
    """`Lexicon.find` without the singles/pairs prefilter: the reference it must never change."""
    from matching.text import stem

    return lex._find_in_stems(list(map(stem, words)), raw_text) if words else []


def test_prefilter_never_hides_a_form():
    # texts made of words of the dictionary's own forms (so that forms and near misses abound)
    # and common words: the prefiltered find equals the unfiltered one
    import numpy as np

    lex = load("fr-admin")
    pool = sorted({w for e in lex.entries for w in tokens(e.expansion) + tokens(e.term)}) + ["commerce", "local", "de"]
    rng = np.random.default_rng(0)
    hits = 0
    for _ in range(3000):
        words = [pool[j] for j in rng.integers(0, len(pool), size=rng.integers(0, 12))]
        if rng.random() < 0.5:  # a whole form, within other words
            e = lex.entries[rng.integers(len(lex.entries))]
            words[len(words) // 2 : len(words) // 2] = tokens(e.expansion if rng.random() < 0.5 else e.term)
        raw = " ".join(words).upper() if rng.random() < 0.3 else " ".join(words)
        expected = _find_without_prefilter(lex, words, raw)
        assert lex.find(words, raw) == expected
        hits += bool(expected)
    assert hits > 1000
