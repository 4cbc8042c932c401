"""Matches whose reasons are worked out only when someone reads them.

Explaining a match (which phrases weighed, shared tags, distance) costs more than finding it;
callers often ask for more candidates than they keep (a re-ranker's pool, pairs set aside
after the query), so a query returns `DeferredMatch` objects: the reasons of all the matches
of one query are computed together, the first time any of them is read, from arrays captured
when the query ran (later changes to the index do not alter them).
"""

from __future__ import annotations

import threading
from typing import Callable, Sequence

from .types import Match, Reasons


class DeferredReasons:
    """The reasons of the matches of one query, computed at most once, on first read."""

    def __init__(self, compute: Callable[[], Sequence[Reasons]]):
        self._compute = compute
        self._reasons: Sequence[Reasons] | None = None
        self._lock = threading.Lock()

    def get(self, position: int) -> Reasons:
        if self._reasons is None:
            with self._lock:
                if self._reasons is None:
                    self._reasons = self._compute()
                    self._compute = None
        return self._reasons[position]


class DeferredMatch(Match):
    """A `Match` whose ``reasons`` are computed when first read; equal to, hashed and pickled
    as the plain `Match` with the same id, score and reasons."""

    def __init__(self, id, score: float, reasons: Reasons | None = None, *,
                 deferred: DeferredReasons | None = None, position: int = 0):
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "score", score)
        if deferred is None:  # dataclasses.replace() passes the reasons it read
            deferred = DeferredReasons(lambda: [reasons if reasons is not None else Reasons()])
            position = 0
        object.__setattr__(self, "_deferred", deferred)
        object.__setattr__(self, "_position", position)

    @property
    def reasons(self) -> Reasons:  # type: ignore[override]
        return self._deferred.get(self._position)

    def __eq__(self, other):
        if isinstance(other, Match):
            return (self.id, self.score, self.reasons) == (other.id, other.score, other.reasons)
        return NotImplemented

    def __hash__(self):
        return hash((self.id, self.score, self.reasons))

    def __reduce__(self):
        return (Match, (self.id, self.score, self.reasons))

    def __repr__(self):
        return repr(Match(self.id, self.score, self.reasons))
