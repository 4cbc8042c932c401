"""`flask matching rebuild` refits both indexes and publishes a new version."""
from __future__ import annotations

from marketplace.suggestions import index as matching_index
from tests.workers import factories


def test_rebuild_both_indexes(app, db, tmp_path, make_collectivity, make_user):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "idx")
    matching_index.reset_cache()
    lyon, lille = make_collectivity("Lyon"), make_collectivity("Lille")
    agent, author = make_user(roles=[("agent", lille)]), make_user(roles=[("representative", lyon)])
    offers = [factories.offer(agent, lille, subject=s) for s in range(3)]
    factories.offer(agent, lille, subject=4, status="paused")
    need = factories.need(author, lyon)
    result = app.test_cli_runner().invoke(args=["matching", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Index offers : 3 documents" in result.output and "Index needs : 1 documents" in result.output
    assert set(matching_index.current("offers").ids_) == {o.id for o in offers}
    assert matching_index.current("needs").ids_ == [need.id]
    assert matching_index._state("offers").version == 1
    matching_index.reset_cache()


def test_rebuild_one_kind_and_bad_kind(app, db, tmp_path):
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path / "idx")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["matching", "rebuild", "--kind", "needs"]).exit_code == 0
    assert matching_index._state("offers").version == 0
    bad = runner.invoke(args=["matching", "rebuild", "--kind", "users"])
    assert bad.exit_code != 0 and "users" in bad.output
    matching_index.reset_cache()
