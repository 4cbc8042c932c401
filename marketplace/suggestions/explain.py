"""Suggestions and exclusions worded for people (issue 12 §1).

The matching library returns pure data (stems, tag keys, rule failures with numbers); this module
turns it into what an agent or a coordinator reads: labels instead of internal keys, numbers
written the reader's way, one phrase per hard rule with its values, plurals through Babel.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _, ngettext

from marketplace.core import taxonomy
from marketplace.core.phrases import Phrases
from marketplace.core.templating import number


@dataclass
class ExclusionSummary:
    """What the page says about close items a hard rule left out: a headline and one phrase per rule."""

    count: int
    headline: str
    reasons: list[str] = field(default_factory=list)
    advice: str = ""


def tag_label(tag: str) -> str:
    """A tag as a person reads it: a domain key ("ressources_humaines") becomes its label."""
    return taxonomy.label(taxonomy.DOMAINS, tag)


def distance_matters(need, offer) -> bool:
    """Whether places and distance mean anything for this pair: not when the work is done remotely."""
    return "remote" not in {getattr(need, "modality", None), getattr(offer, "modality", None)}


def reasons_view(reasons: dict | None, need, offer, other, say: Phrases | None = None) -> dict:
    """Stored reasons as shown to people: quoted words, tag labels (no keys, no duplicates), and the
    other side's collectivity and distance only when the modality makes them relevant. `say`: the
    page's phrases when it words many rows (core/phrases.py)."""
    say = say or Phrases()
    reasons = reasons or {}
    labels: list[str] = []
    for tag in reasons.get("tags") or ():
        text = say.label(taxonomy.DOMAINS, tag)  # as tag_label, translated once per page
        if text not in labels:
            labels.append(text)
    relevant = distance_matters(need, offer)
    distance = reasons.get("distance_km") if relevant else None
    collectivity = other.collectivity.name if relevant and other is not None and other.collectivity else None
    meaning = reasons.get("meaning") or ()
    # A match made by meaning (suggestions.semantic) quotes the need's and the offer's closest phrases.
    meaning_text = (say.gettext("sens proche : « %(need)s » et « %(offer)s »", need=meaning[0], offer=meaning[1])
                    if len(meaning) == 2 else None)
    return {"words": list(reasons.get("words") or ()), "tags": labels, "distance_km": distance,
            "distance_text": say.gettext("%(km)s km", km=say.number(distance, 0)) if distance is not None else None,
            "collectivity": collectivity, "meaning_text": meaning_text}


def _km(value) -> str:
    return _("%(km)s km", km=number(value, 0))


def _days(value) -> str:
    # French keeps the singular below 2 ("1,5 jour"): the plural is chosen on the whole part.
    return ngettext("%(days)s jour", "%(days)s jours", int(float(value or 0)), days=number(value, 1))


def _modality(key) -> str:
    return taxonomy.label(taxonomy.MODALITIES, key).lower()


def _join(parts: list[str]) -> str:
    return _(" ; ").join(parts)


def _distance_phrase(pairs: list[tuple]) -> str:
    by_limit: dict = {}
    for value, limit in pairs:
        by_limit.setdefault(limit, []).append(value)
    parts = [_("%(found)s pour %(limit)s acceptés", found=", ".join(_km(v) for v in sorted(values)), limit=_km(limit))
             for limit, values in sorted(by_limit.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]
    return _("trop loin (%(details)s)", details=_join(parts))


def _days_phrase(pairs: list[tuple], for_need: bool) -> str:
    by_limit: dict = {}
    for value, limit in pairs:
        by_limit.setdefault(limit, []).append(value)
    parts = []
    for limit, values in sorted(by_limit.items(), key=lambda kv: kv[0] or 0):
        found = ", ".join(_days(v) for v in sorted(values))
        if for_need:  # value: days the offer gives; limit: days the need asks
            parts.append(_("%(found)s pour %(limit)s estimés", found=found, limit=_days(limit)))
        else:  # value: days the need asks; limit: days the offer gives
            parts.append(_("%(found)s estimés pour %(limit)s de disponibilité", found=found, limit=_days(limit)))
    if for_need:
        return _("disponibilité insuffisante (%(details)s)", details=_join(parts))
    return _("besoin trop long pour votre disponibilité (%(details)s)", details=_join(parts))


def _modality_phrase(pairs: list[tuple], for_need: bool) -> str:
    # value: the excluded item's modality; limit: the page's own item's
    if for_need:
        parts = {_("%(theirs)s pour un besoin %(wanted)s", theirs=_modality(value), wanted=_modality(limit))
                 for value, limit in pairs}
    else:
        parts = {_("besoin %(theirs)s pour une offre %(wanted)s", theirs=_modality(value), wanted=_modality(limit))
                 for value, limit in pairs}
    parts = sorted(parts)
    return _("modalité incompatible (%(details)s)", details=_join(parts))


def summarize_exclusions(exclusions, for_need: bool) -> ExclusionSummary | None:
    """Word the ``matching.Exclusion`` rows of a need (``for_need``) or of an offer, grouped by rule,
    or None when nothing was excluded. Same collectivity or EPCI are not worded: nobody can relax them."""
    groups: dict[str, list[tuple]] = {}
    count = 0
    for exclusion in exclusions:
        failures = [f for f in exclusion.failures if f.rule in ("distance", "days", "modality")]
        if not failures:
            continue
        count += 1
        for failure in failures:
            groups.setdefault(failure.rule, []).append((failure.value, failure.limit))
    if not count:
        return None
    if for_need:
        headline = ngettext("%(num)d agent proche de ce besoin est exclu :",
                            "%(num)d agents proches de ce besoin sont exclus :", count)
        advice = _("Assouplir l'une de ces contraintes (modalité, distance, nombre de jours) permettrait de les "
                   "suggérer.")
    else:
        headline = ngettext("%(num)d besoin proche de votre offre est exclu :",
                            "%(num)d besoins proches de votre offre sont exclus :", count)
        advice = _("Assouplir l'une de ces contraintes (modalité, distance maximale, jours par mois, période de "
                   "disponibilité) permettrait de les suggérer.")
    reasons = []
    if "distance" in groups:
        reasons.append(_distance_phrase(groups["distance"]))
    if "days" in groups:
        reasons.append(_days_phrase(groups["days"], for_need))
    if "modality" in groups:
        reasons.append(_modality_phrase(groups["modality"], for_need))
    return ExclusionSummary(count, headline, reasons, advice)
