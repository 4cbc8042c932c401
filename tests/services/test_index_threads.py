"""Finding of issue 13: "the in-process index raised IndexError under 8 concurrent publishers".
Eight threads of one process, four publishing offers and four querying, share the process cache."""
from __future__ import annotations

import os
import sys
import threading

import pytest

from config import TestingConfig
from marketplace import create_app
from marketplace.core.extensions import db as _db
from matching import Document
from marketplace.suggestions import index as matching_index
from marketplace.models import Collectivity, User
from tests.workers import factories, world

THREADS = 8
PUBLISHES = 25


@pytest.fixture
def threaded_app(request, tmp_path):
    """The test app on PostgreSQL when configured, else on a SQLite file (an in-memory database
    has one connection for every thread: their transactions would be one)."""
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        app = request.getfixturevalue("app")
        app.config.update(MATCHING_INDEX_DIR=str(tmp_path / "matching"))
        yield app
        return
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'threads.sqlite3'}",
                     SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 30}},
                     MATCHING_INDEX_DIR=str(tmp_path / "matching"), MAIL_FILE_PATH=str(tmp_path / "mail"))
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_eight_threads_publish_and_query_one_process_index(threaded_app):
    app = threaded_app
    app.config.update(MATCHING_INLINE_REFIT_BELOW=0, MATCHING_REFIT_RATIO=1000)
    place = world._collectivity("Villeurbanne", "69266", 45.77, 4.88)
    agent = world._user("agent@example.fr", "agent", place)
    _db.session.commit()
    first = [factories.offer(agent, place, subject=subject).id for subject in range(8)]
    matching_index.reset_cache()
    matching_index.refit("offers")
    agent_id, place_id = agent.id, place.id
    errors, published, done = [], [], threading.Event()
    start = threading.Barrier(THREADS)
    query = Document("q", "budget urbanisme marchés cantine messagerie vélo énergie assainissement")

    def publisher(n: int) -> None:
        with app.app_context():
            try:
                who, where = _db.session.get(User, agent_id), _db.session.get(Collectivity, place_id)
                start.wait()
                for i in range(PUBLISHES):
                    offer = factories.offer(who, where, subject=n + i)
                    matching_index.apply_change("offers", offer.id)
                    assert offer.id in matching_index.current("offers")
                    if i % 2:  # archived again: removals compact the engine now and then
                        offer.status = "archived"
                        _db.session.commit()
                        matching_index.apply_change("offers", offer.id)
                    else:
                        published.append(offer.id)
            except Exception as error:  # reported below with its type: the finding was an IndexError
                errors.append(repr(error))
            finally:
                _db.session.remove()

    def reader() -> None:
        with app.app_context():
            try:
                start.wait()
                while not done.is_set():
                    matching_index.current("offers").query(query, k=50)
            except Exception as error:
                errors.append(repr(error))
            finally:
                _db.session.remove()

    publishers = [threading.Thread(target=publisher, args=(n,)) for n in range(THREADS // 2)]
    readers = [threading.Thread(target=reader) for _ in range(THREADS // 2)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch every few bytecodes: a race shows at once
    try:
        for thread in publishers + readers:
            thread.start()
        for thread in publishers:
            thread.join(120)
        done.set()
        for thread in readers:
            thread.join(120)
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    matching_index.reset_cache()  # another process starting now sees the same index
    fresh = matching_index.current("offers")
    assert len(published) == THREADS // 2 * ((PUBLISHES + 1) // 2) and set(published) == {i for i in fresh.ids_ if i in fresh} - set(first)
    assert fresh.seq == matching_index._state("offers").version
