"""The semantic stage of suggestions: stored embeddings, and the re-ranking of lexical candidates.

An item's vector is computed by the worker that matches it after publication or an edit
(``embedding_of`` inside the matching task's unit of work) and stored with the model's name and
a hash of the text: an unchanged text under the same model is never embedded again, and a query
costs at most its own embedding. The lexical engine still chooses the candidates (and its floor
still rules out unrelated items); this stage only re-orders them by
``ALPHA * lexical + (1 - ALPHA) * meaning`` and, when meaning weighs more than words in a
candidate's score, explains it with the two closest phrases ("sens proche").
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
from dataclasses import replace

import numpy as np
from flask import current_app
from sqlalchemy import select

from matching import Match
from matching.semantic import PACKAGE, SemanticEncoder

from marketplace.core.extensions import db
from marketplace.models import Need, SkillOffer, TextEmbedding
from marketplace.suggestions.index import need_document, offer_document

logger = logging.getLogger(__name__)

# Fusion weight of the lexical score, measured in bench/matching_semantic.py: at 0.5 the re-ranking
# loses on none of the benchmarks (0.3, tuned on NAF seed 0, loses 0.004 MRR on the strict paraphrases).
ALPHA = 0.5
# A candidate is explained by meaning when meaning brings more than words and is at least this close.
MEANING_MIN = 0.5
MODELS = {"offers": SkillOffer, "needs": Need}
DOCUMENTS = {"offers": offer_document, "needs": need_document}
_ENCODER: SemanticEncoder | None = None


def enabled() -> bool:
    """Whether the stage runs: MATCHING_SEMANTIC is on and the word vectors are installed."""
    if not current_app.config.get("MATCHING_SEMANTIC"):
        return False
    if importlib.util.find_spec(PACKAGE) is None:
        logger.warning("MATCHING_SEMANTIC is on but %s is not installed: lexical suggestions only", PACKAGE)
        return False
    return True


def encoder() -> SemanticEncoder:
    """The process's encoder; its vectors load on first use (never at import)."""
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = SemanticEncoder().fit()
    return _ENCODER


def item_text(kind: str, item) -> str:
    """The text an item is embedded from: the words the lexical engine indexes (title, description, tags)."""
    doc = DOCUMENTS[kind](item)
    return "\n".join([doc.text, *doc.tags])


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embeddings_of(kind: str, items) -> dict[int, np.ndarray]:
    """The stored vectors of ``items`` (offers or needs), computing and storing (flush only) those
    missing or made from another text or model."""
    items = list(items)
    if not items:
        return {}
    enc = encoder()
    model = enc.model_name
    stored = {row.item_id: row for row in db.session.scalars(
        select(TextEmbedding).where(TextEmbedding.kind == kind, TextEmbedding.item_id.in_([i.id for i in items])))}
    out = {}
    for item in items:
        text = item_text(kind, item)
        digest = _hash(text)
        row = stored.get(item.id)
        if row is not None and row.model == model and row.text_hash == digest:
            out[item.id] = np.frombuffer(row.vector, dtype=np.float32)
            continue
        vector = enc.embed_one(text).astype(np.float32)
        if row is None:
            row = TextEmbedding(kind=kind, item_id=item.id)
            db.session.add(row)
        row.model, row.text_hash, row.vector = model, digest, vector.tobytes()
        out[item.id] = vector
    db.session.flush()
    return out


def pool_size(k: int) -> int:
    """How many lexical candidates to ask for so that re-ranking can bring better ones into the top k."""
    return max(2 * k, 20) if enabled() else k


def rerank(query_kind: str, query_item, candidates: list[Match]) -> list[Match]:
    """The lexical ``candidates`` of ``query_item`` (a need: offers; an offer: needs) re-ordered by
    the fused score, best first; unchanged when the stage is off."""
    if not candidates or not enabled():
        return candidates
    other_kind = "offers" if query_kind == "needs" else "needs"
    model = MODELS[other_kind]
    others = {o.id: o for o in db.session.scalars(select(model).where(model.id.in_([m.id for m in candidates])))}
    vectors = embeddings_of(other_kind, others.values())
    query_vector = embeddings_of(query_kind, [query_item])[query_item.id]
    query_text = item_text(query_kind, query_item)
    fused = []
    for m in candidates:
        vector = vectors.get(m.id)
        meaning = float(np.clip(vector @ query_vector, 0.0, 1.0)) if vector is not None else 0.0
        score = ALPHA * m.score + (1 - ALPHA) * meaning
        if vector is not None and meaning >= MEANING_MIN and (1 - ALPHA) * meaning > ALPHA * m.score:
            mine, theirs, _sim = encoder().closest_phrases(query_text, item_text(other_kind, others[m.id]))
            if mine:  # stored as (the need's phrase, the offer's phrase) whichever side asked
                pair = (mine, theirs) if query_kind == "needs" else (theirs, mine)
                m = replace(m, reasons=replace(m.reasons, meaning=pair))
        fused.append(replace(m, score=score))
    return sorted(fused, key=lambda m: -m.score)
