"""Snapshots stored in the database (MATCHING_SNAPSHOT_STORE=database): a second machine, with an
empty local cache, loads the index from the database alone; a snapshot is published only once
stored whole; old ones go after the grace period; a missing or corrupt one is logged, never loaded.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from matching import Document
from marketplace.models import MatchingIndexSnapshot, MatchingIndexSnapshotChunk, MatchingIndexState
from marketplace.models.base import utcnow
from marketplace.suggestions import index as matching_index, snapshot_rows, snapshots
from tests.services.test_index_deltas import people  # noqa: F401  (the same agent and commune)
from tests.workers import factories

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py

QUERIES = ["plan local d'urbanisme", "budget primitif et fiscalité", "pistes cyclables et mobilité"]


@pytest.fixture(autouse=True)
def database_store(app, tmp_path, monkeypatch):
    """The database store, an index past the inline-refit size, chunks small enough that even a
    few offers make a snapshot of several chunks."""
    app.config.update(MATCHING_SNAPSHOT_STORE="database", MATCHING_INDEX_DIR=str(tmp_path / "machine-a"),
                      MATCHING_INLINE_REFIT_BELOW=0, MATCHING_REFIT_RATIO=1000)
    monkeypatch.setattr(snapshot_rows, "CHUNK_BYTES", 4096)
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()



def _offers(people, subjects):
    return [factories.offer(people["agent"], people["place"], subject=s) for s in subjects]


def _top(engine) -> list:
    return [[(m.id, round(m.score, 9)) for m in engine.query(Document("q", text), k=5)] for text in QUERIES]


def _another_machine(app, tmp_path, name="machine-b"):
    """A fresh process on another machine: no engine, an empty local cache folder."""
    matching_index.reset_cache()
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / name)
    assert not (tmp_path / name).exists()


def _rows(db) -> dict:
    snapshot = MatchingIndexSnapshot
    return dict(db.session.execute(select(snapshot.name, snapshot.completed_at.is_not(None))).all())


def _state(db):
    return db.session.scalars(select(MatchingIndexState).where(MatchingIndexState.kind == "offers")
                              .execution_options(populate_existing=True)).one()


def test_a_second_machine_loads_the_index_from_the_database_alone(app, db, people, tmp_path, monkeypatch):
    offers = _offers(people, range(8))
    matching_index.refit("offers")
    later = _offers(people, [0, 4])
    for offer in later:  # logged after the snapshot: replayed on top of it
        matching_index.apply_change("offers", offer.id)
    here = _top(matching_index.current("offers"))
    key = _state(db).path
    assert "/" not in key and _rows(db) == {key: True}  # a store-neutral key, stored whole
    assert db.session.scalar(select(func.count()).select_from(MatchingIndexSnapshotChunk)) > 1

    _another_machine(app, tmp_path)
    engine = matching_index.current("offers")
    assert _top(engine) == here and sorted(engine.ids_) == sorted(o.id for o in offers + later)
    assert (tmp_path / "machine-b" / key).exists()  # streamed into this machine's cache

    matching_index.reset_cache()  # another process of machine b: its cache holds the snapshot

    def no_download(*_args):
        raise AssertionError("a cached snapshot is not downloaded again")

    monkeypatch.setattr(snapshot_rows, "download", no_download)
    assert _top(matching_index.current("offers")) == here


def test_write_snapshot_publishes_and_prunes_rows_changes_and_cache(app, db, people, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshots, "GRACE_SECONDS", -1)
    matching_index.refit("offers")
    for s in range(3):
        matching_index.apply_change("offers", _offers(people, [s])[0].id)
        assert matching_index.write_snapshot("offers") == _state(db).version
    state = _state(db)
    assert len(_rows(db)) == 2 and state.path in _rows(db)  # the current snapshot and the previous one
    assert len(list((tmp_path / "machine-a").glob("offers-*"))) == 2
    assert matching_index.write_snapshot("offers") is None  # nothing new since
    _another_machine(app, tmp_path)
    assert matching_index.current("offers").seq == state.version


def test_stale_rows_go_only_after_the_grace_period(app, db, people):
    matching_index.refit("offers")
    for s in range(3):
        matching_index.apply_change("offers", _offers(people, [s])[0].id)
        matching_index.write_snapshot("offers")
    assert len(_rows(db)) == 4  # all written within the grace period: kept
    db.session.execute(update(MatchingIndexSnapshot).values(written_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    matching_index.apply_change("offers", _offers(people, [5])[0].id)
    matching_index.write_snapshot("offers")
    state = _state(db)
    assert len(_rows(db)) == 2 and state.path in _rows(db)
    assert db.session.scalar(select(func.count()).select_from(MatchingIndexSnapshotChunk)
                             .where(MatchingIndexSnapshotChunk.name.not_in(list(_rows(db))))) == 0


def test_a_snapshot_whose_upload_fails_is_never_published(app, db, people, tmp_path, monkeypatch):
    _offers(people, range(4))
    matching_index.refit("offers")
    matching_index.apply_change("offers", _offers(people, [1])[0].id)
    before = _state(db)
    published = (before.path, before.snapshot_seq)
    put_chunk = snapshot_rows._put_chunk

    def fail_at_the_third_chunk(name, number, data):
        if number == 2:
            raise OSError("connection lost")
        put_chunk(name, number, data)

    monkeypatch.setattr(snapshot_rows, "_put_chunk", fail_at_the_third_chunk)
    with pytest.raises(OSError):
        matching_index.write_snapshot("offers")
    after = _state(db)
    assert (after.path, after.snapshot_seq) == published and list(_rows(db)) == [before.path]
    assert [p.name for p in (tmp_path / "machine-a").glob("offers-*")] == [before.path]  # no partial file
    monkeypatch.setattr(snapshot_rows, "_put_chunk", put_chunk)
    _another_machine(app, tmp_path)
    assert matching_index.current("offers").seq == after.version  # the previous snapshot, then the log


def test_a_snapshot_left_incomplete_by_a_dead_writer_is_never_read_nor_published(app, db, people, tmp_path,
                                                                                  monkeypatch, caplog):
    matching_index.refit("offers")
    matching_index.apply_change("offers", _offers(people, [1])[0].id)
    state = _state(db)
    # What a writer killed mid-upload leaves: the row and some chunks, never completed.
    key = snapshots.new_name("offers", state.generation, state.version)
    snapshot_rows._begin(key, "offers")
    snapshot_rows._put_chunk(key, 0, b"\x00" * 100)
    assert not snapshot_rows.download(key, tmp_path / key) and not (tmp_path / key).exists()
    with pytest.raises(RuntimeError, match="not stored whole"):
        matching_index._publish_snapshot("offers", state.generation, state.version, key)
    assert _state(db).path == state.path
    matching_index.apply_change("offers", _offers(people, [2])[0].id)
    matching_index.write_snapshot("offers")
    assert key in _rows(db)  # within the grace period: it may be an upload still running
    monkeypatch.setattr(snapshots, "GRACE_SECONDS", -1)
    assert snapshots.remove_stale("offers", keep={_state(db).path}) >= 1
    assert key not in _rows(db)


def test_a_corrupt_or_missing_snapshot_is_logged_and_not_loaded(app, db, people, tmp_path, caplog):
    _offers(people, range(4))
    matching_index.refit("offers")
    key = _state(db).path
    db.session.execute(update(MatchingIndexSnapshotChunk)
                       .where(MatchingIndexSnapshotChunk.name == key, MatchingIndexSnapshotChunk.number == 1)
                       .values(data=b"\xff" * 4096))
    db.session.commit()
    _another_machine(app, tmp_path)
    with caplog.at_level(logging.WARNING):
        assert matching_index.current("offers") is None
    assert "corrupt" in caplog.text and list((tmp_path / "machine-b").glob("offers-*")) == []

    snapshot_rows.remove([key])
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert matching_index.current("offers", build=False) is None
    assert f"index snapshot {key} is missing" in caplog.text


def test_a_damaged_cache_file_is_dropped_and_fetched_again(app, db, people, tmp_path, caplog):
    _offers(people, range(4))
    matching_index.refit("offers")
    here = _top(matching_index.current("offers"))
    cached = tmp_path / "machine-a" / _state(db).path
    cached.write_bytes(cached.read_bytes()[:1000])  # e.g. a disk that filled up
    matching_index.reset_cache()
    with caplog.at_level(logging.WARNING):
        assert matching_index.current("offers") is None
    assert "cannot be read" in caplog.text and not cached.exists()
    assert _top(matching_index.current("offers")) == here  # fetched again from the database


def test_a_state_holding_an_absolute_folder_path_still_loads(app, db, people, tmp_path):
    """Deployments from before keys have the folder store's absolute path in the state row."""
    offers = _offers(people, range(3))
    app.config["MATCHING_SNAPSHOT_STORE"] = "folder"
    matching_index.refit("offers")
    key = _state(db).path
    assert "/" not in key and not _rows(db)  # the folder store writes keys too, and no rows
    absolute = str(tmp_path / "machine-a" / key)
    db.session.execute(update(MatchingIndexState).where(MatchingIndexState.kind == "offers").values(path=absolute))
    db.session.commit()
    for store in ("folder", "database"):
        app.config["MATCHING_SNAPSHOT_STORE"] = store
        matching_index.reset_cache()
        assert sorted(matching_index.current("offers").ids_) == sorted(o.id for o in offers)


class _NotReentrant:
    """The loading lock, failing where the real one would wait for ever: taken again by its holder."""

    def __init__(self):
        self._lock = threading.Lock()

    def __enter__(self):
        if not self._lock.acquire(timeout=5):
            raise AssertionError("the loading lock was taken again by the thread holding it")

    def __exit__(self, *_exc):
        self._lock.release()


@pytest.mark.parametrize("meanwhile", ["log pruned past it", "removed as stale"])
def test_a_load_overtaken_by_newer_snapshots_follows_them(app, db, people, tmp_path, monkeypatch, meanwhile):
    offers = _offers(people, range(4))
    matching_index.refit("offers")
    first = _state(db).path
    offers += _offers(people, [4, 5])
    for offer in offers[-2:]:
        matching_index.apply_change("offers", offer.id)
    _another_machine(app, tmp_path)
    monkeypatch.setitem(matching_index._LOADING, "offers", _NotReentrant())
    load = snapshots.load

    def overtaken(key):
        if key == first:  # while machine b fetches it, machine a refits twice
            app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "machine-a")
            matching_index.refit("offers")
            matching_index.refit("offers")
            matching_index.reset_cache()
            app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "machine-b")
            if meanwhile == "removed as stale":
                snapshot_rows.remove([first])
        return load(key)

    monkeypatch.setattr(snapshots, "load", overtaken)
    engine = matching_index.current("offers")
    state = _state(db)
    assert (engine.generation, engine.seq) == (state.generation, state.version) == (3, state.snapshot_seq)
    assert sorted(engine.ids_) == sorted(o.id for o in offers)
    assert (tmp_path / "machine-b" / state.path).exists()  # fetched from the database


def test_an_unknown_store_is_refused_with_the_variable_named(app):
    app.config["MATCHING_SNAPSHOT_STORE"] = "s3"
    with pytest.raises(RuntimeError, match="MATCHING_SNAPSHOT_STORE='s3'"):
        snapshots.store()


def test_chunks_are_stored_uncompressed_on_postgresql(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TOAST storage is PostgreSQL's")
    storage = db.session.execute(text(
        "SELECT attstorage FROM pg_attribute WHERE attrelid = 'matching_index_snapshot_chunks'::regclass "
        "AND attname = 'data'")).scalar()
    assert storage == "e"  # EXTERNAL: out of line, no pglz (see the model)
