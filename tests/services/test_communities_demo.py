"""The demo's communities: one open, one closed, each with a living space; seeding twice adds nothing."""
from __future__ import annotations

from marketplace.communities.services import access, discussion, meetings, resources, search
from marketplace.demo.communities import CLOSED_NAME, OPEN_NAME, seed_communities
from marketplace.demo.seed import seed_demo
from marketplace.models import Community, OutboxEmail, User


def test_demo_seeds_two_communities_once_without_e_mails(app, db, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    emails_before = db.session.query(OutboxEmail).count()
    seed_demo()  # the demo seed creates the two communities in its unit of work
    assert seed_communities() == {}  # and a second run adds nothing
    assert db.session.query(Community).count() == 2
    assert db.session.query(OutboxEmail).count() == emails_before
    open_one = db.session.query(Community).filter_by(name=OPEN_NAME).one()
    closed = db.session.query(Community).filter_by(name=CLOSED_NAME).one()
    agent = db.session.query(User).filter_by(email="agent@demo.essaim.fr").one()
    assert open_one.is_open and not closed.is_open
    assert access.is_member(open_one, agent) and not access.is_member(closed, agent)
    assert access.membership(closed, agent).status == "pending"
    threads = discussion.threads(open_one, agent)
    assert len(threads) == 3 and threads[0][0].pinned
    assert {r.kind for r in resources.resources(open_one, agent)} == {"file", "link"}
    upcoming, past = meetings.meetings(open_one, agent)
    assert len(upcoming) == 1 and past[0].minutes
    assert resources.curated_sheets(open_one)
    assert search.search_threads(agent, "allotissement producteurs locaux")
