"""Snapshots of a MatchEngine: arrays (no JSON vocabulary or ids), saving never changes the
engine it saves, and files written by the earlier versions still load."""
from __future__ import annotations

import json

import numpy as np
import pytest

from matching import Document, MatchEngine
from tests.matching.old_format import save_v3
from tests.matching.test_engine import OFFERS

QUERIES = [Document("q1", "numérique budget urbanisme", ("numérique",)),
           Document("q2", "marchés publics et cybersécurité"),
           Document("q3", "espaces verts", (), {"lat": 44.8, "lon": -0.6})]


@pytest.fixture
def engine():
    engine = MatchEngine(tag_weight=0.7, merge_every=4).fit(Document(*row) for row in OFFERS)
    engine.add(Document("extra", "Ateliers numériques « seniors » ☃", ("numérique", "inclusion"), {"collectivity": "1"}))
    engine.remove("o6")
    return engine


def _answers(engine):
    return [engine.query(q, k=10, where={"exclude_collectivity": "75056"}) for q in QUERIES]


def test_vocabulary_ids_and_tags_are_arrays_not_json(tmp_path, engine):
    path = tmp_path / "index.npz"
    engine.save(path)
    with np.load(path, allow_pickle=False) as z:
        header = json.loads(bytes(z["header"]).decode())
        assert header["version"] == 4
        assert not {"vocab_stem", "vocab_gram", "ids", "tags", "code_tables"} & set(header)
        assert len(z["vocab_stem_offsets"]) == len(engine.vocabs_["stem"]) + 1
    loaded = MatchEngine.load(path)
    assert loaded.ids_ == [i for i in engine.ids_ if i in engine]  # the removed row is left out
    assert loaded.tags_[-1] == ("numérique", "inclusion")
    assert list(loaded.vocabs_["gram"]) == list(engine.vocabs_["gram"])
    assert _answers(loaded) == _answers(engine)


def test_saving_leaves_the_engine_as_it_is(tmp_path, engine):
    before = (list(engine.ids_), engine.n_dead_, engine.index_.n_main, engine.index_.n_rows)
    engine.save(tmp_path / "index.npz")
    assert (list(engine.ids_), engine.n_dead_, engine.index_.n_main, engine.index_.n_rows) == before
    assert engine.n_dead_ == 1 and engine.index_.n_rows > engine.index_.n_main  # nothing compacted or merged


def test_integer_ids_come_back_as_ints(tmp_path):
    engine = MatchEngine().fit([Document(7, "urbanisme"), Document(12, "finances locales")])
    engine.save(tmp_path / "index.npz")
    loaded = MatchEngine.load(tmp_path / "index.npz")
    assert loaded.ids_ == [7, 12] and all(type(i) is int for i in loaded.ids_)


def test_version_3_files_still_load(tmp_path, engine):
    answers = _answers(engine)
    save_v3(engine, tmp_path / "old.npz")
    loaded = MatchEngine.load(tmp_path / "old.npz")
    assert loaded.ids_ == engine.ids_ and _answers(loaded) == answers
