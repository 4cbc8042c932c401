"""The coordinator queue's part of bench/web_load.py (issue 13): its 500,000 suggestions and the
EXPLAIN ANALYZE of the statements its first page runs."""
from __future__ import annotations

import sys
import time
import uuid

COORDINATOR = "coordination@bench.fr"


def seed_queue(suggestions: int, offers: int, needs: int) -> None:
    """The coordinator queue's data set: suggestions up to `suggestions` in all (stats_export's seed
    made 20,000), about ten per open need, scores to three decimals (ties), ages over 30 days, with
    200 pairings a host asked for, awaiting review, and capacity rows for a tenth of the agents.
    Copied in bulk (COPY), as a nightly matching run would leave them."""
    import json
    import random
    from datetime import timedelta

    from sqlalchemy import insert

    from marketplace.core.extensions import db
    from marketplace.models import AgentCapacity, Need, Pairing, SkillOffer, Suggestion, User
    from marketplace.models.base import utcnow

    rng = random.Random(13)
    now = utcnow()
    offer_ids = [r[0] for r in db.session.execute(db.select(SkillOffer.id).order_by(SkillOffer.id))]
    need_ids = [r[0] for r in db.session.execute(db.select(Need.id).order_by(Need.id))]
    taken = {tuple(r) for r in db.session.execute(db.select(Suggestion.offer_id, Suggestion.need_id))}
    missing = suggestions - len(taken)
    per_need = -(-missing // len(need_ids))
    step = max(1, len(offer_ids) // per_need)
    reasons = json.dumps({"words": ["urbanisme", "voirie", "budget"], "tags": [], "distance_km": None})
    new_pairs = []
    for t in range(per_need):
        for j, need_id in enumerate(need_ids):
            if len(new_pairs) == missing:
                break
            pair = (offer_ids[(j + 1 + t * step) % len(offer_ids)], need_id)
            if pair not in taken:
                taken.add(pair)
                new_pairs.append(pair)
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy("COPY suggestions (offer_id, need_id, score, reasons, created_at, updated_at) "
                         "FROM STDIN") as copy:
            for offer_id, need_id in new_pairs:
                created = now - timedelta(minutes=rng.randrange(30 * 24 * 60))
                copy.write_row((offer_id, need_id, round(rng.uniform(0.2, 0.95), 3), reasons, created, created))
    requested = rng.sample(new_pairs, 200)
    users = [r[0] for r in db.session.execute(db.select(User.id).order_by(User.id))]
    db.session.execute(insert(Pairing), [
        {"offer_id": o, "need_id": n, "status": "pending_review", "reason": "", "requested_by_id": rng.choice(users),
         "requested_at": now} for o, n in requested])
    db.session.execute(insert(AgentCapacity), [{"user_id": u, "max_open": 1 + i % 3} for i, u in
                                               enumerate(users[::10])])
    db.session.commit()


def explain_queue(app, cookie_user_email: str) -> None:
    """EXPLAIN ANALYZE of every statement the queue's first page runs (this checkout's code)."""
    from sqlalchemy import event, select

    from marketplace.core.extensions import db
    from marketplace.models import User
    from marketplace.pairings.services import queue

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == cookie_user_email))
        statements = []

        def record(_conn, _cursor, statement, parameters, _context, _many):
            statements.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            started = time.perf_counter()
            queue.queue_page(user)
            first = time.perf_counter() - started
            statements.clear()
            started = time.perf_counter()
            queue.queue_page(user)  # warm: the statements compiled, the pages cached by PostgreSQL
            again = time.perf_counter() - started
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        print(f"\n-- now: queue_page in process: first view {first * 1000:.0f} ms, next views {again * 1000:.0f} ms, "
              f"{len(statements)} statements", file=sys.stderr)
        connection = db.session.connection()
        for statement, parameters in statements:
            if statement.lstrip().upper().startswith("SELECT"):
                plan = connection.exec_driver_sql("EXPLAIN ANALYZE " + statement, parameters).scalars().all()
                print("\n-- now: queue statement\n" + statement + "\n" + "\n".join(plan), file=sys.stderr)
        db.session.rollback()


def coordinator(email: str = COORDINATOR):
    """The coordinator of the bench's région (created on the first call for a schema)."""
    from marketplace.core.extensions import db
    from marketplace.models import RoleAssignment, User

    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, password_hash="x", display_name="Coordination", email_verified=True,
                    security_stamp=uuid.uuid4().hex)
        role = RoleAssignment(role="coordinator")
        role.scope_regions = ["00"]
        user.roles.append(role)
        db.session.add(user)
        db.session.commit()
    return user


def coordinator_cookie(app) -> str:
    """A signed-in coordinator of the bench's région, as the session cookie a browser would send."""
    from tests.tools.sessions import sign_in

    user = coordinator()
    client = app.test_client()
    sign_in(client, user)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return f"{cookie.key}={cookie.value}"
