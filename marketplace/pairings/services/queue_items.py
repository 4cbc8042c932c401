"""What the coordinator's queue shows: its items, its pages, and the plain-language explanation
of an item (availability, rules applied). The queue itself, ranked and filtered, is in queue.py."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_date

from marketplace.core.paging import Page
from marketplace.core.phrases import Phrases
from marketplace.core.taxonomy import MODALITIES
from marketplace.models import Need, SkillOffer, Suggestion


@dataclass
class QueueItem:
    """One suggestion as the coordinator sees it."""

    suggestion: Suggestion
    offer: SkillOffer
    need: Need
    rank: float
    age_days: int
    stale: bool
    open_count: int
    capacity: int
    requested_by: str | None = None  # the host's representative who asked for it, if any
    similar_refusals: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    @property
    def at_capacity(self) -> bool:
        return self.open_count >= self.capacity


@dataclass
class QueuePage(Page):
    """One page of the queue; its pagination links fewer pages around the current one. With `more`,
    `total` rows were counted and more wait: the last page is unknown (the pages known end one
    past the rows counted)."""

    more: bool = False

    @property
    def pages(self) -> int:
        return -(-(self.total + 1) // self.per_page) if self.more else super().pages

    def iter_pages(self, left_edge=1, left_current=2, right_current=2, right_edge=1):
        yield from super().iter_pages(left_edge, left_current, right_current, 0 if self.more else right_edge)
        if self.more:
            yield None  # and more pages


def availability(offer: SkillOffer, need: Need, say: Phrases) -> list[str]:
    """The availability notes of a row, worded with the page's phrases (`say`)."""
    notes = [say.gettext("%(days)s jour(s) par mois proposés, %(need)s jour(s) estimés pour le besoin",
                         days=say.number(offer.days_per_month), need=say.number(need.estimated_days))]
    if offer.available_from or offer.available_until:
        notes.append(say.gettext("disponible du %(start)s au %(end)s",
                                 start=format_date(offer.available_from) if offer.available_from else "—",
                                 end=format_date(offer.available_until) if offer.available_until else "—"))
    if need.deadline and offer.available_from and offer.available_from > need.deadline:
        notes.append(say.gettext("attention : disponible après l'échéance du besoin"))
    return notes


def rules(offer: SkillOffer, say: Phrases) -> list[str]:
    """The rules applied to a row, worded with the page's phrases (`say`)."""
    rules = [say.gettext("collectivité d'origine différente de la collectivité d'accueil"),
             say.gettext("modalité compatible (%(modality)s)", modality=say.label(MODALITIES, offer.modality).lower())]
    if offer.max_distance_km:
        rules.append(say.gettext("distance maximale de l'agent : %(km)s km", km=offer.max_distance_km))
    return rules
