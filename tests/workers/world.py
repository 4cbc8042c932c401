"""A small world for the pipeline tests: lenders with offers on every subject, hosts with needs."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.core.extensions import db
from marketplace.models import Collectivity, RoleAssignment, Suggestion, TaskIntent, User
from marketplace.suggestions import index as matching_index, services as suggestions
from tests.workers import factories


def _collectivity(name: str, code: str, lat: float, lon: float) -> Collectivity:
    item = Collectivity(kind="commune", code=code, name=name, search_name=name.lower(), insee_code=code,
                        latitude=lat, longitude=lon)
    item.set_territory(["69"], ["84"])
    db.session.add(item)
    return item


PASSWORD = "motdepasse-solide-42"


def _user(email: str, role: str, target) -> User:
    from marketplace.accounts.passwords import hash_password

    user = User(email=email, password_hash=hash_password(PASSWORD), display_name=email.split("@")[0],
                security_stamp="s" * 32, email_verified=True)
    assignment = RoleAssignment(role=role)
    if isinstance(target, dict):
        assignment.scope_departements = target["departements"]
    else:
        assignment.collectivity = target
    user.roles.append(assignment)
    db.session.add(user)
    return user


def build(offers_per_subject: int = 2) -> dict:
    """Commit the world and build the offers index in this process; return its people and places."""
    lenders = [_collectivity(f"Prêteuse {i}", f"1000{i}", 45.7 + i / 100, 4.8) for i in range(3)]
    hosts = [_collectivity(f"Hôte {i}", f"2000{i}", 45.8, 4.9 + i / 100) for i in range(3)]
    agents = [_user(f"agent{i}@example.fr", "agent", c) for i, c in enumerate(lenders)]
    authors = [_user(f"ref{i}@example.fr", "representative", c) for i, c in enumerate(hosts)]
    _user("coord@example.fr", "coordinator", {"departements": ["69"]})
    db.session.commit()
    n = 0
    for subject in range(len(factories.SUBJECTS)):
        for _ in range(offers_per_subject):
            factories.offer(agents[n % len(agents)], lenders[n % len(lenders)], subject=subject)
            n += 1
    matching_index.refit("offers")
    return {"hosts": hosts, "authors": authors}


def publish_needs(world: dict, count: int, start: int = 0) -> list[int]:
    """Publish needs the way the application does: write, enqueue matching, commit (one by one)."""
    ids = []
    for i in range(start, start + count):
        need = factories.need(world["authors"][i % 3], world["hosts"][i % 3], subject=i, commit=False)
        suggestions.enqueue_matching(need)
        db.session.commit()
        ids.append(need.id)
    return ids


def needs_with_suggestions() -> int:
    db.session.rollback()  # a fresh snapshot: the workers write from other processes
    return db.session.scalar(select(func.count(func.distinct(Suggestion.need_id)))) or 0


def pending_intents() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(TaskIntent.id))) or 0


def stored_pairs() -> list[tuple]:
    """Every stored suggestion as (offer, need, score), in order; duplicates would show."""
    db.session.rollback()
    return [tuple(row) for row in db.session.execute(
        select(Suggestion.offer_id, Suggestion.need_id, Suggestion.score)
        .order_by(Suggestion.need_id, Suggestion.offer_id))]


def expected_pairs(need_ids: list[int]) -> list[tuple]:
    """What the rules and the offers index say each need should get, computed in this process."""
    from flask import current_app

    from marketplace.models import Need

    engine = matching_index.current("offers")
    rows = []
    for need_id in need_ids:
        need = db.session.get(Need, need_id)
        matches = engine.query(matching_index.need_document(need), k=current_app.config["MATCHING_TOP_K"],
                               where=suggestions._rules(need, asker_days=need.estimated_days))
        rows += [(m.id, need_id, round(float(m.score), 6)) for m in matches]
    return sorted(rows, key=lambda r: (r[1], r[0]))
