"""The demo shows the kit: every stage of spreading, and checklists at several scores."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.demo.essaimage import seed_essaimage_kit
from marketplace.demo.seed import seed_demo
from marketplace.essaimage.services import kit, stages
from marketplace.models import PracticeReuse, ReadinessItem


def test_demo_sheets_reach_every_stage_with_varied_readiness(db):
    seed_demo()
    found = kit.entries()
    assert {e.stage for e in found} == set(stages.STAGES)
    scores = {e.score for e in found}
    assert 100 in scores and 0 in scores and len(scores) >= 5
    rows = db.session.scalar(select(func.count()).select_from(ReadinessItem))
    reuses = db.session.scalar(select(func.count()).select_from(PracticeReuse))
    seed_essaimage_kit()  # a second run changes nothing
    assert db.session.scalar(select(func.count()).select_from(ReadinessItem)) == rows
    assert db.session.scalar(select(func.count()).select_from(PracticeReuse)) == reuses
