"""Searching the communities' discussions with the project's matching engine.

The engine is fitted on the threads of the communities the reader may read (open ones, and the
closed ones they belong to). Fitting costs far more than a query, so the fitted engine is cached
per process, keyed by the database's content version (count and latest change of threads and
posts) and the set of readable communities: a search refits only after something changed.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from matching import Document, MatchEngine
from sqlalchemy import func, select

from marketplace.communities.services import access
from marketplace.core.extensions import db
from marketplace.core.taxonomy import DOMAINS, label
from marketplace.models import Community, CommunityMember, CommunityPost, CommunityThread

# Below this cosine a "match" is character n-gram noise (the practices search uses the same floor).
MIN_SCORE = 0.15
QUERY_MAX = 200
CACHE_SIZE = 16

_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()
_stats = {"fits": 0}


@dataclass
class Hit:
    """A thread found by a search, with the engine's score and reasons."""

    thread: CommunityThread
    community: Community
    score: float
    reasons: object


def fit_count() -> int:
    """How many engines this process has fitted (for tests and benchmarks)."""
    return _stats["fits"]


def readable_community_ids(user) -> list[int]:
    """The communities whose threads the user may read."""
    if not access.has_platform_role(user):
        return []
    if user.is_admin:
        return list(db.session.scalars(select(Community.id).order_by(Community.id)))
    member_of = select(CommunityMember.community_id).where(
        CommunityMember.user_id == user.id, CommunityMember.status == "active")
    return list(db.session.scalars(select(Community.id).where(
        Community.is_open.is_(True) | Community.id.in_(member_of)).order_by(Community.id)))


def content_version() -> tuple:
    """What changes whenever a thread or a post is written, edited or hidden."""
    threads = db.session.execute(select(func.count(CommunityThread.id), func.max(CommunityThread.updated_at))).one()
    posts = db.session.execute(select(func.count(CommunityPost.id), func.max(CommunityPost.updated_at))).one()
    return (threads[0], str(threads[1]), posts[0], str(posts[1]))


def _documents(community_ids: list[int]) -> list[Document]:
    rows = db.session.execute(
        select(CommunityThread.id, CommunityThread.title, Community.domain, Community.theme)
        .join(Community, Community.id == CommunityThread.community_id)
        .where(CommunityThread.community_id.in_(community_ids)).order_by(CommunityThread.id)).all()
    bodies: dict[int, list[str]] = {}
    # Hidden posts stay out of the index: a search must not surface what moderators withdrew.
    for thread_id, body in db.session.execute(
            select(CommunityPost.thread_id, CommunityPost.body)
            .join(CommunityThread, CommunityThread.id == CommunityPost.thread_id)
            .where(CommunityThread.community_id.in_(community_ids), CommunityPost.hidden.is_(False))
            .order_by(CommunityPost.id)):
        bodies.setdefault(thread_id, []).append(body)
    documents = []
    for thread_id, title, domain, theme in rows:
        tags = tuple(t for t in (str(label(DOMAINS, domain)) if domain else "", theme) if t)
        documents.append(Document(thread_id, "\n".join([title] + bodies.get(thread_id, [])), tags=tags))
    return documents


def engine_for(community_ids: list[int]) -> MatchEngine | None:
    """The fitted engine over these communities' threads (None when they have none), from the cache."""
    key = (str(db.engine.url), id(db.engine), content_version(), tuple(community_ids))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    documents = _documents(community_ids)
    engine = MatchEngine(min_score=MIN_SCORE).fit(documents) if documents else None
    with _lock:
        if documents:
            _stats["fits"] += 1
        _cache[key] = engine
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return engine


def search_threads(user, text: str, limit: int = 50) -> list[Hit]:
    """The readable threads closest to `text`, best first (an empty text finds nothing)."""
    access.require_platform_role(user)
    text = " ".join(str(text or "").split())[:QUERY_MAX]
    community_ids = readable_community_ids(user)
    if not text or not community_ids:
        return []
    engine = engine_for(community_ids)
    if engine is None:
        return []
    matches = [m for m in engine.query(Document("query", text), k=limit) if m.score >= MIN_SCORE]
    threads = {t.id: t for t in db.session.scalars(
        select(CommunityThread).where(CommunityThread.id.in_([m.id for m in matches])))}
    hits = []
    for match in matches:
        thread = threads.get(match.id)
        if thread is not None:
            hits.append(Hit(thread, thread.community, match.score, match.reasons))
    return hits
