"""The values that cross the library's boundary: documents in, matches out."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Document:
    """Something to index or to query with: an offer, a need, a profile.

    ``id`` is a str or an int (it must survive JSON for save/load); ``tags`` are short
    labels (skills, themes) that weigh more than free text; ``meta`` carries the fields
    that rules read (see ``matching.rules``) and anything else the caller wants; a query's
    ``meta["place_names"]`` (a str or a list: its collectivity, département, région names)
    are words never quoted in reasons (they are metadata, not what the need is about).
    """

    id: Any
    text: str = ""
    tags: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if isinstance(self.id, numbers.Integral) and not isinstance(self.id, (int, bool)):
            object.__setattr__(self, "id", int(self.id))  # numpy integers from arrays
        if not isinstance(self.id, (str, int)) or isinstance(self.id, bool):
            raise TypeError(f"Document.id must be a str or an int, not {type(self.id).__name__}")
        if self.tags is None:
            object.__setattr__(self, "tags", ())
        if self.text is None:
            object.__setattr__(self, "text", "")
        if not isinstance(self.text, str):
            raise TypeError("Document.text must be a str")
        if isinstance(self.tags, str):
            raise TypeError("Document.tags must be a sequence of str, not a str")
        object.__setattr__(self, "tags", tuple(str(t) for t in self.tags))
        if self.meta is None:
            object.__setattr__(self, "meta", {})


@dataclass(frozen=True)
class Reasons:
    """Why a document matched, for a person: words, shared tags, distance, and for a match made
    by meaning (``matching.semantic``) the two phrases closest in meaning (query's, document's)."""

    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    distance_km: float | None = None
    meaning: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready form: {"words": [...], "tags": [...], "distance_km": float | None} and
        "meaning": [query phrase, document phrase] when set."""
        out = {"words": list(self.words), "tags": list(self.tags), "distance_km": self.distance_km}
        if self.meaning:
            out["meaning"] = list(self.meaning)
        return out

    def __str__(self) -> str:
        parts = []
        if self.words:
            parts.append("mots proches : " + ", ".join(self.words))
        if self.tags:
            parts.append("thèmes communs : " + ", ".join(self.tags))
        if self.meaning:
            parts.append("sens proche : « " + " » ≈ « ".join(self.meaning) + " »")
        if self.distance_km is not None:
            parts.append(f"à {self.distance_km:.0f} km")
        return " · ".join(parts)


@dataclass(frozen=True)
class Match:
    """One result: the indexed document's id, a score in [0, 1] (cosine), and reasons."""

    id: Any
    score: float
    reasons: Reasons = field(default_factory=Reasons)


@dataclass(frozen=True)
class RuleFailure:
    """One hard rule an indexed document fails, with the values involved (pure data).

    ``rule`` is one of "collectivity", "epci" (same collectivity or EPCI as the asker:
    ``value`` is that code), "modality" (``value``: the document's modality, ``limit``: the
    asker's), "days" (``value``: days the document offers, ``limit``: days asked),
    "distance" (``value``: km between the two places, ``limit``: km accepted, the smaller
    of the document's and the asker's limits).
    """

    rule: str
    value: Any = None
    limit: Any = None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"rule": self.rule, "value": self.value, "limit": self.limit}


@dataclass(frozen=True)
class Exclusion:
    """A document that would rank among the best for a query but fails hard rules."""

    id: Any
    score: float
    failures: tuple[RuleFailure, ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"id": self.id, "score": self.score, "failures": [f.to_dict() for f in self.failures]}
