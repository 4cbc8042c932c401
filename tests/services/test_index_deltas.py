"""The shared indexes change by deltas: a publish logs one change (no file written), every process
replays the changes it has not seen, snapshots are written now and then, a refit switches by
generation, old snapshots and changes are cleaned up."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from matching import Document, MatchEngine
from marketplace.models import MatchingIndexChange
from marketplace.suggestions import index as matching_index, snapshots
from tests.workers import factories


@pytest.fixture(autouse=True)
def big_index(app, tmp_path):
    """An index past the inline-refit size: changes are incremental, as at national scale."""
    app.config.update(MATCHING_INDEX_DIR=str(tmp_path / "matching"), MATCHING_INLINE_REFIT_BELOW=0,
                      MATCHING_REFIT_RATIO=1000)
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()


@pytest.fixture
def people(make_collectivity, make_user):
    villeurbanne = make_collectivity("Villeurbanne", latitude=45.77, longitude=4.88)
    return {"agent": make_user(roles=[("agent", villeurbanne)]), "place": villeurbanne}


def _offer(people, subject=0, **fields):
    return factories.offer(people["agent"], people["place"], subject=subject, **fields)


def _log(db):
    return db.session.execute(select(MatchingIndexChange.seq, MatchingIndexChange.op, MatchingIndexChange.item_id)
                              .where(MatchingIndexChange.kind == "offers")
                              .order_by(MatchingIndexChange.seq)).all()


def _files(app):
    return sorted(p.name for p in snapshots.index_dir().glob("offers-*.npz"))


def _other_process():
    """What another process's publish looks like from here: this process's engine is not told."""
    return matching_index._CACHE.pop("offers")


def test_changes_are_logged_in_order_without_writing_a_file(app, db, people):
    first = _offer(people, 0)
    matching_index.refit("offers")
    files = _files(app)
    second = _offer(people, 1)
    matching_index.apply_change("offers", second.id)
    first.status = "archived"
    db.session.commit()
    matching_index.apply_change("offers", first.id)
    second.title = "Conseil en finances locales"
    db.session.commit()
    matching_index.apply_change("offers", second.id)
    assert _files(app) == files  # a publish writes no file
    assert [(op, item) for _seq, op, item in _log(db)] == [
        ("refit", None), ("upsert", second.id), ("remove", first.id), ("upsert", second.id)]
    assert [seq for seq, *_ in _log(db)] == [1, 2, 3, 4] and matching_index._state("offers").version == 4
    engine = matching_index.current("offers")
    assert engine.seq == 4 and engine.ids_[-1] == second.id and first.id not in engine
    assert engine.query(Document("q", "finances locales"), k=1)[0].id == second.id  # the edited words count


def test_a_process_behind_replays_the_changes_without_loading_the_snapshot(app, db, people, monkeypatch):
    _offer(people, 0)
    matching_index.refit("offers")
    stale = _other_process()  # this process's engine, about to fall behind
    later = [_offer(people, s) for s in (1, 2, 3)]
    for offer in later:
        matching_index.apply_change("offers", offer.id)
    matching_index._CACHE["offers"] = stale

    def no_reload(*_args):
        raise AssertionError("a process behind must replay, not reload")

    monkeypatch.setattr(MatchEngine, "load", no_reload)
    engine = matching_index.current("offers")
    assert engine is stale and engine.seq == 4 and all(o.id in engine for o in later)


def test_a_starting_process_loads_the_latest_snapshot_and_replays_the_rest(app, db, people, monkeypatch):
    app.config["MATCHING_SNAPSHOT_EVERY"] = 3
    matching_index.refit("offers")  # seq 1, empty
    offers = [_offer(people, s) for s in range(4)]
    for offer in offers:  # seq 2..5: the change of seq 4 (3 after the snapshot of seq 1) asks for a snapshot
        matching_index.apply_change("offers", offer.id)
    state = matching_index._state("offers")
    assert (state.version, state.snapshot_seq) == (5, 4)
    assert [seq for seq, *_ in _log(db)] == [2, 3, 4, 5]  # the changes the first snapshot held are gone
    matching_index.reset_cache()  # a new process
    replayed = []
    apply = matching_index.SharedEngine.apply
    monkeypatch.setattr(matching_index.SharedEngine, "apply",
                        lambda self, changes: replayed.extend(c.seq for c in changes) or apply(self, changes))
    engine = matching_index.current("offers")
    assert replayed == [5] and {o.id for o in offers} == set(engine.ids_)


def test_a_refit_switches_by_generation_and_keeps_changes_logged_during_the_fit(app, db, people, monkeypatch):
    _offer(people, 0)
    matching_index.refit("offers")
    old = matching_index.current("offers")
    during = _offer(people, 5)
    fit = MatchEngine.fit

    def fit_while_someone_publishes(self, docs):
        fitted = fit(self, docs)
        matching_index.apply_change("offers", during.id)  # logged after the rows were read
        return fitted

    monkeypatch.setattr(MatchEngine, "fit", fit_while_someone_publishes)
    assert matching_index.refit("offers") == 2
    monkeypatch.setattr(MatchEngine, "fit", fit)
    state = matching_index._state("offers")
    engine = matching_index.current("offers")
    assert engine is not old and engine.generation == state.generation == 2
    assert during.id in engine and engine.seq == state.version
    matching_index._CACHE["offers"] = old  # a process of the previous generation loads the new snapshot
    assert matching_index.current("offers").generation == 2


def test_old_snapshots_and_changes_are_cleaned_up(app, db, people, monkeypatch):
    monkeypatch.setattr(snapshots, "GRACE_SECONDS", -1)
    app.config["MATCHING_SNAPSHOT_EVERY"] = 2
    matching_index.refit("offers")
    for s in range(8):
        matching_index.apply_change("offers", _offer(people, s).id)
    state = matching_index._state("offers")
    assert state.snapshot_seq == 9 and len(_files(app)) == 2  # the current snapshot and the previous one
    assert min(seq for seq, *_ in _log(db)) == 8  # the changes after the previous snapshot (seq 7)
    matching_index.refit("offers")
    assert len(_files(app)) == 2 and min(seq for seq, *_ in _log(db)) == 10


def test_a_snapshot_is_never_a_full_rewrite_per_publish(app, db, people):
    matching_index.refit("offers")
    for s in range(5):
        matching_index.apply_change("offers", _offer(people, s).id)
    assert len(_files(app)) == 1
