"""What the matching engine reads of a practice sheet and of a need looking for practices.

Used by the shared practices index (`marketplace.suggestions.index`, kind "practices") and by
the queries of `search.py`. Domain labels are read in French whatever the reader's language:
the index is shared by every request and worker, so its words must not depend on who saved last.
"""
from __future__ import annotations

from flask_babel import force_locale
from matching import Document

from marketplace.core.taxonomy import DOMAINS, label


def _domain_label(domain: str) -> str:
    with force_locale("fr"):
        return str(label(DOMAINS, domain))


def sheet_document(sheet) -> Document:
    """A sheet as the engine indexes it: its prose, its tags and its domain's label."""
    text = "\n".join([sheet.title, sheet.summary, sheet.problem, sheet.actions, sheet.results])
    return Document(sheet.id, text, tags=tuple(sheet.tags or ()) + (_domain_label(sheet.domain),))


def need_document(need) -> Document:
    """A need as a query for the practices closest to it."""
    text = "\n".join([need.title, need.description or ""])
    return Document("need", text, tags=tuple(need.tags or ()) + (_domain_label(need.domain),))
