"""Suggested pairings: query the shared indexes under the hard rules, store them idempotently.

Each side is authoritative when it changes: matching a need replaces that need's suggestions by
its current best offers, matching an offer replaces that offer's by its best needs. Rows are
upserted on the unique (offer_id, need_id) pair and removed when they no longer qualify, all in
one transaction with the coordinators' notifications: running a task twice changes nothing.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, lazy_gettext as _l, lazy_ngettext
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from marketplace.core.extensions import db
from marketplace.models import Need, Notification, OutboxEmail, RoleAssignment, SkillOffer, Suggestion, User
from marketplace.models.base import utcnow
from marketplace.suggestions import index as matching_index
from marketplace.notifications import services as notifications
from marketplace.core import task_queue
from marketplace.core.unit_of_work import transactional
from marketplace.suggestions.explain import reasons_view
from marketplace.suggestions import semantic
from marketplace.learning import off_topic, reranker

MATCH_NEED_TASK = "workers.tasks.match_need"
MATCH_OFFER_TASK = "workers.tasks.match_offer"
REFIT_TASK = "workers.tasks.refit_index"


def enqueue_matching(item) -> None:
    """After a change of an offer or a need (call before its commit): match it once committed.

    Drafts never published are not in any index and have no suggestions: nothing to do.
    """
    if item.published_at is None:
        return
    task = MATCH_OFFER_TASK if isinstance(item, SkillOffer) else MATCH_NEED_TASK
    db.session.flush()  # a new item gets its id
    task_queue.enqueue_after_commit(task, item.id)


def _rules(item, *, asker_days: float | None = None, max_km=None) -> dict:
    collectivity = item.collectivity
    rules = {"exclude_collectivity": str(item.collectivity_id), "modality": item.modality}
    if current_app.config["MATCHING_EXCLUDE_SAME_EPCI"] and collectivity.epci_id:
        rules["exclude_epci"] = str(collectivity.epci_id)
    if asker_days is not None:
        rules["min_days"] = asker_days
    if collectivity.latitude is not None and collectivity.longitude is not None:
        rules.update(lat=collectivity.latitude, lon=collectivity.longitude)
    if max_km is not None:
        rules["max_distance_km"] = max_km
    return rules


def _refresh_index(kind: str, item_id: int) -> bool:
    """Update the item's entry in its index, in the index's own units of work; whether a refit is due.

    On purpose apart from the suggestions' unit of work: the index row's lock is held only while
    the index file changes, and a new version is published at once for every worker.
    """
    return matching_index.apply_change(kind, item_id)


def match_need(need_id: int) -> list[int]:
    """Update the need in the index and store its suggested offers; the newly suggested offer ids."""
    refit_due = _refresh_index("needs", need_id)
    engine = matching_index.current("offers")  # loaded before the unit of work: no snapshot held
    return _store_need_suggestions(need_id, engine, refit_due)


def _need_query(need: Need) -> tuple:
    """(document, how many offers to ask for, rules) of a need's query to the offers index."""
    k = current_app.config["MATCHING_TOP_K"]
    wanted = semantic.pool_size(k) + off_topic.ruled_count(need_id=need.id)
    return matching_index.need_document(need), wanted, _rules(need, asker_days=need.estimated_days)


@transactional
def _store_need_suggestions(need_id: int, engine, refit_due: bool, matches: list | None = None) -> list[int]:
    # One unit of work: the suggestions, the refit intent and the coordinators' notifications.
    # `matches`: the engine's answer to `_need_query`, when already computed (in bulk).
    if refit_due:
        task_queue.enqueue_after_commit(REFIT_TASK, "needs")
    need = db.session.get(Need, need_id)
    if not matching_index.is_indexed("needs", need):
        _replace(Suggestion.need_id, need_id, [])
        return []
    k = current_app.config["MATCHING_TOP_K"]
    if matches is None:
        document, wanted, rules = _need_query(need)
        matches = engine.query(document, k=wanted, where=rules) if engine else []
    matches = semantic.rerank("needs", need, matches)  # by meaning too (unchanged when off)
    live = set(db.session.scalars(select(SkillOffer.id).where(
        SkillOffer.id.in_([m.id for m in matches]), SkillOffer.status == "published")))
    rows = off_topic.without([(m.id, need_id, m) for m in matches if m.id in live])[:k]
    new = _replace(Suggestion.need_id, need_id, rows)
    if new:
        _notify_coordinators(need, sorted(offer for offer, _need in new))
    return sorted(offer for offer, _need in new)


def has_suggestions(item) -> bool:
    """Whether a need or an offer has at least one stored suggestion."""
    column = Suggestion.need_id if isinstance(item, Need) else Suggestion.offer_id
    return db.session.scalar(select(Suggestion.id).where(column == item.id).limit(1)) is not None


def match_offer(offer_id: int) -> list[int]:
    """Update the offer in the index and store the needs it suits; the newly suggested need ids."""
    refit_due = _refresh_index("offers", offer_id)
    engine = matching_index.current("needs")  # loaded before the unit of work: no snapshot held
    return _store_offer_suggestions(offer_id, engine, refit_due)


@transactional
def _store_offer_suggestions(offer_id: int, engine, refit_due: bool) -> list[int]:
    # One unit of work: the suggestions, the refit intent and the coordinators' notifications.
    if refit_due:
        task_queue.enqueue_after_commit(REFIT_TASK, "offers")
    offer = db.session.get(SkillOffer, offer_id)
    if not matching_index.is_indexed("offers", offer):
        _replace(Suggestion.offer_id, offer_id, [])
        return []
    k = current_app.config["MATCHING_TOP_K"]
    # Days go the other way here (the need must not ask more than the offer gives): filter after.
    wanted = 3 * semantic.pool_size(k) + off_topic.ruled_count(offer_id=offer_id)
    matches = engine.query(matching_index.offer_document(offer), k=wanted,
                           where=_rules(offer, max_km=offer.max_distance_km)) if engine else []
    matches = semantic.rerank("offers", offer, matches)
    days = matching_index.offer_days_available(offer)
    needs = {n.id: n for n in db.session.scalars(select(Need).where(Need.id.in_([m.id for m in matches])))}
    rows = off_topic.without([(offer_id, m.id, m) for m in matches
                              if m.id in needs and needs[m.id].status == "open" and needs[m.id].estimated_days <= days])[:k]
    new = _replace(Suggestion.offer_id, offer_id, rows)
    for _offer, need_id in sorted(new):
        _notify_coordinators(needs[need_id], [offer_id])
    return sorted(need for _offer, need in new)


def _replace(column, owner_id: int, rows: list) -> set[tuple[int, int]]:
    """Make the suggestions of one offer or need exactly `rows`; the (offer, need) pairs that are new.

    The callers set aside the pairs ruled off-topic before keeping the top k; the active re-ranker
    (if any) gives the stored score.
    """
    existing = set(db.session.execute(
        select(Suggestion.offer_id, Suggestion.need_id).where(column == owner_id)).all())
    wanted = {(offer_id, need_id) for offer_id, need_id, _m in rows}
    stale = existing - wanted
    for offer_id, need_id in stale:
        db.session.execute(delete(Suggestion).where(Suggestion.offer_id == offer_id, Suggestion.need_id == need_id))
    if rows:
        _upsert(reranker.rescore([{"offer_id": o, "need_id": n, "score": round(float(m.score), 6),
                                   "reasons": m.reasons.to_dict()} for o, n, m in rows]))
    return wanted - existing


def _upsert(values: list[dict]) -> None:
    # One statement per batch; ON CONFLICT makes concurrent workers and reruns harmless.
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    stmt = insert(Suggestion).values([v | {"created_at": now, "updated_at": now} for v in values])
    stmt = stmt.on_conflict_do_update(
        index_elements=["offer_id", "need_id"],
        set_={"score": stmt.excluded.score, "reasons": stmt.excluded.reasons, "updated_at": stmt.excluded.updated_at},
    )
    db.session.execute(stmt)


def coordinators_for(need: Need) -> list[User]:
    """Active coordinators whose territory (départements or régions) holds the need's collectivity."""
    collectivity = need.collectivity
    assignments = db.session.scalars(
        select(RoleAssignment).where(RoleAssignment.role == "coordinator", RoleAssignment.active.is_(True))
    ).all()
    users = {a.user_id: a.user for a in assignments
             if a.user.active and a.covers(collectivity.departement_codes, collectivity.region_codes)}
    return [users[uid] for uid in sorted(users)]


def _notify_coordinators(need: Need, offer_ids: list[int]) -> None:
    """Tell the coordinators of the need's territory that suggestions wait for them, grouped: one
    unread notification per coordinator counts them all ("12 nouvelles suggestions sur votre
    territoire") until they read it. E-mails follow their preference: "immediate" sends one
    e-mail when a group opens (its count kept current while it waits in the outbox), "daily" lets
    the digest carry the group, "none" keeps it in the app."""
    link = "/coordination/"
    for user in coordinators_for(need):
        group = db.session.scalar(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == "suggestions",
                                       Notification.key.like("suggestions:territory:%"),
                                       Notification.read_at.is_(None), Notification.digested_at.is_(None))
            .order_by(Notification.id.desc()).limit(1))
        count = len(offer_ids) + (int((group.data or {}).get("offer_count", 0)) if group else 0)
        message = lazy_ngettext("%(num)s nouvelle suggestion sur votre territoire",
                                "%(num)s nouvelles suggestions sur votre territoire", count)
        if group is None:
            notifications.notify(
                user, "suggestions", f"suggestions:territory:need:{need.id}:offers:{','.join(map(str, offer_ids))}"[:200],
                message=message, link=link, template="suggestions_territory",
                subject=_l("De nouvelles suggestions attendent votre examen"), offer_count=count,
                queue_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link)
            continue
        with force_locale(user.preferred_language or "fr"):
            group.message = str(message)
        group.data = {**(group.data or {}), "offer_count": count}
        # The group's e-mail, if it has not left yet, says the current count.
        waiting = db.session.scalar(select(OutboxEmail).where(
            OutboxEmail.idempotency_key == f"suggestions:{user.id}:{group.key}", OutboxEmail.status == "pending"))
        if waiting is not None:
            waiting.context = {**waiting.context, "message": group.message, "offer_count": count}


def for_need(need_id: int) -> list[Suggestion]:
    """The stored suggestions of a need, best first."""
    return db.session.scalars(select(Suggestion).where(Suggestion.need_id == need_id)
                              .order_by(Suggestion.score.desc(), Suggestion.offer_id)).all()


def for_offer(offer_id: int) -> list[Suggestion]:
    """The stored suggestions of an offer, best first."""
    return db.session.scalars(select(Suggestion).where(Suggestion.offer_id == offer_id)
                              .order_by(Suggestion.score.desc(), Suggestion.need_id)).all()


def can_see(user, item) -> bool:
    """Who sees an item's suggestions: its owner, an administrator, and for a need, the
    representatives of its collectivity and the coordinators whose territory holds it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin or item.owner_id == user.id:
        return True
    if isinstance(item, Need):
        if item.collectivity_id in user.collectivity_ids("representative"):
            return True
        collectivity = item.collectivity
        return any(role.covers(collectivity.departement_codes, collectivity.region_codes)
                   for role in user.active_roles("coordinator"))
    return False


def feed(item, page_of) -> list[dict]:
    """An item's suggestions as JSON-ready rows: the other side's id, title and page, score, reasons.

    `page_of(other)` gives the URL of the other side's page (the web layer builds URLs).
    """
    if isinstance(item, Need):
        rows, other_model, column = for_need(item.id), SkillOffer, "offer_id"
    else:
        rows, other_model, column = for_offer(item.id), Need, "need_id"
    ids = [getattr(row, column) for row in rows]
    others = {o.id: o for o in db.session.scalars(select(other_model).where(other_model.id.in_(ids)))}
    return [
        {"id": other_id, "title": others[other_id].title, "url": page_of(others[other_id]),
         "score": round(row.score, 3), "reasons": _reasons_of(row, item, others[other_id]),
         "updated_at": row.updated_at.isoformat()}
        for row, other_id in zip(rows, ids) if other_id in others
    ]


def _reasons_of(row: Suggestion, item, other) -> dict:
    need, offer = (item, other) if isinstance(item, Need) else (other, item)
    return reasons_view(row.reasons, need, offer, other)


def explained_reasons(suggestion: Suggestion, need: Need, offer: SkillOffer, say=None) -> dict:
    """A stored suggestion's reasons as the coordinator reads them (labels, distance when relevant);
    `say`: the page's core.phrases.Phrases, if any."""
    return reasons_view(suggestion.reasons, need, offer, offer, say)
