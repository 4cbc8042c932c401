"""The query path as it was before the fast one, kept as the reference to compare with.

`ReferenceEngine` is a `MatchEngine` whose searches take the previous champion path
(`RetrievalMixin._search_reference`: rules checked on a growing best-first prefix, an
exhaustive fallback whenever fewer than k rows qualify and the cut postings could hold one)
and whose reasons are worked out for every returned match at once. The property tests hold
the fast path to it; bench/matching_speed.py times both in the same run.
"""

from __future__ import annotations

from .engine import MatchEngine
from .types import Match


class ReferenceEngine(MatchEngine):
    """`MatchEngine` on the reference path (same parameters, same fitted attributes)."""

    _search = MatchEngine._search_reference

    def _matches(self, doc, q_row, rows, scores, rules) -> list[Match]:
        # the reasons of every match computed now, as before they were deferred
        return [Match(m.id, m.score, m.reasons) for m in super()._matches(doc, q_row, rows, scores, rules)]

    @classmethod
    def of(cls, engine: MatchEngine) -> "ReferenceEngine":
        """A reference engine sharing the fitted state of ``engine`` (no copy)."""
        twin = cls.__new__(cls)
        twin.__dict__.update(engine.__dict__)
        return twin


def overlap_at_k(engine: MatchEngine, documents, k: int = 10, where=None) -> list[float | None]:
    """Per query document, the share of the exhaustive top ``k`` (filter then rank, every
    posting scored) that ``engine.query`` returns; None where the exhaustive answer is empty.

    What the nightly sampling logs: the fast path's agreement with the exact answer on the
    live index, with the rules the application uses (``where``: as for ``query_many``).
    """
    from .rules import rules_per_query

    docs = list(documents)
    out: list[float | None] = []
    for doc, rules in zip(docs, rules_per_query(where, len(docs))):
        q = engine._query_vector(doc)
        exact = set(engine._search_exact(q, rules, k)[0].tolist())
        got = set(engine._search(q, rules, k)[0].tolist())
        out.append(len(got & exact) / len(exact) if exact else None)
    return out
