"""The semantic stage of suggestions: stored embeddings, and the re-ranking of lexical candidates.

An item's vector is computed by the worker that matches it after publication or an edit
(``embeddings_of`` inside the matching task's unit of work) and stored with the model's name and
a hash of the text: an unchanged text under the same model is never embedded again, and a query
costs at most its own embedding. The lexical engine still chooses the candidates (and its floor
still rules out unrelated items); this stage only re-orders them by
``ALPHA * lexical + (1 - ALPHA) * meaning`` and, when meaning is why a candidate is there (no
word quoted, or lifted above a lexically better one), quotes the two closest phrases ("sens proche").
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
# "sens proche" is said only of a candidate at least this close in meaning (see ``rerank``).
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
    if not enabled():
        return candidates
    # The item just published or edited is embedded now, candidates or not: later queries read it.
    query_vector = embeddings_of(query_kind, [query_item])[query_item.id]
    if not candidates:
        return candidates
    other_kind = "offers" if query_kind == "needs" else "needs"
    model = MODELS[other_kind]
    others = {o.id: o for o in db.session.scalars(select(model).where(model.id.in_([m.id for m in candidates])))}
    vectors = embeddings_of(other_kind, others.values())
    fused = []  # (fused score, lexical score, meaning, match)
    for m in candidates:
        vector = vectors.get(m.id)
        meaning = float(np.clip(vector @ query_vector, 0.0, 1.0)) if vector is not None else 0.0
        fused.append((ALPHA * m.score + (1 - ALPHA) * meaning, m.score, meaning, m))
    fused.sort(key=lambda row: -row[0])
    # Meaning explains a match that words do not (no word quoted), or that it lifted above a
    # candidate with a higher lexical score; elsewhere the words already say why.
    below_best, out = 0.0, []
    for score, lexical, meaning, m in reversed(fused):
        lifted = below_best > lexical
        below_best = max(below_best, lexical)
        if meaning >= MEANING_MIN and (lifted or not m.reasons.words):
            m = _with_phrases(m, query_kind, query_item, others.get(m.id))
        out.append(replace(m, score=score))
    return out[::-1]


def _with_phrases(m: Match, query_kind: str, query_item, other) -> Match:
    """``m`` with the two closest phrases, stored as (the need's, the offer's) whichever side asked."""
    if other is None:
        return m
    other_kind = "offers" if query_kind == "needs" else "needs"
    # Phrases of the title and description only: shared tags are already listed as themes.
    mine, theirs, _sim = encoder().closest_phrases(DOCUMENTS[query_kind](query_item).text,
                                                   DOCUMENTS[other_kind](other).text)
    if not mine or mine.casefold() == theirs.casefold():
        return m
    pair = (mine, theirs) if query_kind == "needs" else (theirs, mine)
    return replace(m, reasons=replace(m.reasons, meaning=pair))
