"""The one text-folding function of the application (search columns, names, e-mail slugs).

`matching/` has its own analysers (a pure library cannot import the app); everything in
`marketplace/` folds text here, so that what is stored and what is searched fold alike.
"""
from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae", "ß": "ss"})
_NAME_SEPARATORS = re.compile(r"[\s\-'’‘`´,./()]+")


def fold_text(text: str | None) -> str:
    """Lower case without accents ("Énergie" -> "energie"): accent-insensitive on every database."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise_name(text: str | None) -> str:
    """The searchable form of a name: folded, ligatures spelt out, hyphens and apostrophes as spaces."""
    return _NAME_SEPARATORS.sub(" ", fold_text((text or "").translate(_LIGATURES))).strip()


def slug(text: str | None) -> str:
    """ASCII words joined by hyphens ("Hélène D'Arc" -> "helene-d-arc"), e.g. for an e-mail address."""
    return "-".join(normalise_name(text).encode("ascii", "ignore").decode().split())
