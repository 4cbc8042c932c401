"""Issue 12 §4: MatchEngine is a scikit-learn estimator."""

import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError as SkNotFittedError
from sklearn.utils.validation import check_is_fitted

from matching import Document, MatchEngine, NotFittedError

DOCS = [Document("a", "urbanisme"), Document("b", "budget communal")]


def test_params_clone_and_fitted_checks():
    engine = MatchEngine(min_score=0.2, lexicon=None, gram_sizes=(3, 4))
    assert isinstance(engine, BaseEstimator)
    params = engine.get_params()
    assert params["min_score"] == 0.2 and params["lexicon"] is None and params["gram_sizes"] == (3, 4)
    with pytest.raises(SkNotFittedError):
        check_is_fitted(engine)
    assert NotFittedError is SkNotFittedError
    engine.fit(DOCS)
    check_is_fitted(engine)
    copy = clone(engine)
    assert copy.get_params() == params and not hasattr(copy, "index_")
    with pytest.raises(NotFittedError):
        copy.query(Document("q", "budget"))
    assert engine.set_params(min_score=0.0) is engine and engine.min_score == 0.0
    with pytest.raises(ValueError):
        engine.set_params(colour="blue")
    assert "min_score=0.0" in repr(engine)


def test_old_files_keep_their_behaviour(tmp_path):
    from tests.matching.old_format import save_v3

    engine = MatchEngine().fit(DOCS)
    old = tmp_path / "old.npz"
    save_v3(engine, old, version=2)
    loaded = MatchEngine.load(old)
    assert loaded.min_score == 0.0 and loaded.lexicon is None  # a version 2 file never had a floor
