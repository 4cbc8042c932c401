"""A query's vector through `QueryColumns` (the query path) is `vectorize_one`'s, bit for bit:
the same columns and the same float32 values, with unseen words, tags, lexicon expansions and
block weights of zero, before and after a refit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from matching import Document, MatchEngine
from matching.vectorize import analyse, vectorize_one

from .test_fit import TEXTS, corpus

WORDS = ("urbanisme", "PLU", "plan", "local", "marchés", "publics", "DCE", "inconnuxyz", "voirie", "RGPD",
         "données", "communaux", "le", "de", "piscine", "zzzqqq", "ingénierie", "financière")
TAGS = ("urbanisme", "marchés publics", "RGPD", "tag jamais vu", "Achats")


def reference(engine: MatchEngine, doc: Document):
    unseen_idf = float(np.log(1.0 + engine.n_fitted_) + 1.0)
    return vectorize_one(analyse(doc.text, doc.tags, engine._lexicon()), engine.vocabs_, engine.idfs_,
                         engine._weights(), engine.offsets_, {}, unseen_idf)


ENGINES = [MatchEngine().fit(corpus(300, 1)),
           MatchEngine(gram_mode="affix", gram_sizes=(4, 6), tag_weight=0.0).fit(corpus(200, 2)),
           MatchEngine(stem_weight=0.0, lexicon=None).fit(corpus(150, 3))]


@settings(max_examples=150, deadline=None)
@given(which=st.integers(0, len(ENGINES) - 1), words=st.lists(st.sampled_from(WORDS), max_size=12),
       tags=st.lists(st.sampled_from(TAGS), max_size=3), text=st.sampled_from(("",) + tuple(TEXTS)))
def test_query_vector_is_vectorize_one_bit_for_bit(which, words, tags, text):
    engine = ENGINES[which]
    doc = Document("q", f"{text} {' '.join(words)}", tuple(tags))
    for _ in range(2):  # cold, then from the word cache
        got = engine._query_vector(doc)
        cols, vals = reference(engine, doc)
        assert got.indices.dtype == cols.dtype and got.data.dtype == vals.dtype
        assert np.array_equal(got.indices, cols) and np.array_equal(got.data, vals)


def test_refit_makes_new_lookups():
    engine = MatchEngine().fit(corpus(100, 4))
    doc = Document("q", "urbanisme voirie piscine", ("urbanisme",))
    before = engine._query_columns()
    engine._query_vector(doc)
    engine.fit(corpus(120, 5))
    assert engine._query_columns() is not before
    got, (cols, vals) = engine._query_vector(doc), reference(engine, doc)
    assert np.array_equal(got.indices, cols) and np.array_equal(got.data, vals)
