"""The demo's calls: one open call taking projects, one closed with laureates (one accompaniment
under way, one finished in a practice sheet); seeding twice adds nothing and sends no e-mail."""
from __future__ import annotations

from marketplace.calls.services import accompaniment, calls, jury
from marketplace.calls.services.calls import accepts_projects
from marketplace.demo.calls import CLOSED_TITLE, OPEN_TITLE, seed_calls
from marketplace.demo.seed import seed_demo
from marketplace.models import Call, OutboxEmail, PracticeSheet, User


def test_demo_seeds_an_open_call_and_a_closed_one_with_laureates(app, db, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    seed_demo()
    assert seed_calls() == {}
    assert db.session.query(OutboxEmail).filter_by(kind="calls").count() == 0
    opened = db.session.query(Call).filter_by(title=OPEN_TITLE).one()
    closed = db.session.query(Call).filter_by(title=CLOSED_TITLE).one()
    assert accepts_projects(opened) and closed.status == "published"
    agent = db.session.query(User).filter_by(email="agent@demo.essaim.fr").one()
    assert {c.id for c in calls.list_calls(agent)} >= {opened.id, closed.id}
    laureates = [r.project for r in jury.ranking(closed) if r.project.status == "laureate"]
    assert len(laureates) == 2
    follow_ups = [accompaniment.get(closed, p, agent) for p in laureates]
    finished = [f for f in follow_ups if f.finished_at]
    assert len(finished) == 1 and accompaniment.progress(follow_ups[1]) == 50
    sheet = db.session.get(PracticeSheet, finished[0].practice_sheet_id)
    assert sheet.status == "published" and CLOSED_TITLE in sheet.summary
