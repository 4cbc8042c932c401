"""Essaim's matching library: French-aware lexical matching with rules and reasons.

Pure library: no Flask, SQLAlchemy or Celery. See ``MatchEngine``.
"""

from .engine import MatchEngine, NotFittedError
from .rules import Rules
from .types import Document, Match, Reasons

__all__ = ["Document", "Match", "MatchEngine", "NotFittedError", "Reasons", "Rules"]
