"""Essaim's matching library: French-aware lexical matching with rules and reasons.

Pure library: no Flask, SQLAlchemy or Celery. See ``MatchEngine``.
"""

from .engine import DEFAULT_MIN_SCORE, MatchEngine, NotFittedError
from .rules import Rules
from .types import Document, Exclusion, Match, Reasons, RuleFailure

__all__ = ["DEFAULT_MIN_SCORE", "Document", "Exclusion", "Match", "MatchEngine", "NotFittedError", "Reasons",
           "RuleFailure", "Rules"]
