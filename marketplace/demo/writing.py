"""Descriptions and titles of the generated offers and needs, from the hand-written fragments.

A `Writer` keeps count of what it has used: among equivalent fragments it takes the least used
one (ties broken by the seeded random stream), so that the same seed always writes the same
texts and no fragment piles up in the demo.
"""
from __future__ import annotations

import random
import re
from collections import Counter

from marketplace.demo.collectivities import Place
from marketplace.demo.phrases import (
    AT, EPCI_NATURES, NEED_ANGLES, NEED_CONTEXT, NEED_CONTEXT_TAIL, NEED_DAYS, NEED_DELIVERABLES,
    NEED_EXPECTED_LEAD, NEED_INTROS, NEED_PERIOD, OFFER_ANGLES, OFFER_DAYS, OFFER_HOW, OFFER_INTROS,
    OFFER_MODALITY, OFFER_MODALITY_TAIL, OFFER_WHAT, OFFER_WHY, OFFER_WHY_TAIL,
)
from marketplace.demo.skills import Family

SMALL_COMMUNE = 10_000


def days_text(value: float) -> str:
    """A number of days as written in French: "1,5 jour", "3 jours" (singular below 2)."""
    return f"{value:g}".replace(".", ",") + (" jour" if value < 2 else " jours")


def population_text(value: int | None) -> str:
    return f"{value:,}".replace(",", "\u202f") if value else "?"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


_INCLUSIVE = re.compile(r"(\w+)·(\w+)")
_FEMININE_ENDINGS = {"rice": 3, "se": 1, "ère": 2, "que": 1}  # letters the ending replaces


def gendered(job: str, feminine: bool) -> str:
    """A job title written with inclusive endings ("Directeur·rice", "Chargé·e") in one gender."""
    def one(match: re.Match) -> str:
        word, ending = match.groups()
        if not feminine:
            return word
        cut = _FEMININE_ENDINGS.get(ending, 0)
        return (word[:-cut] if cut else word) + ending

    return _INCLUSIVE.sub(one, job)


def workplace_kind(place: Place) -> str:
    """The key of phrases.AT for a place: communes by size, intercommunalities by nature."""
    if place.kind == "commune":
        return "small_commune" if (place.population or 0) < SMALL_COMMUNE else "commune"
    if place.kind == "epci":
        return {"MET69": "METRO", "CU": "CA"}.get(place.nature, place.nature or "CA")
    return place.kind


class Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: Counter = Counter()
        self.titles: set[str] = set()

    def pick(self, options):
        """The least used of `options` so far (seeded tie-break), counted as used once more."""
        options = list(options)
        choice = min(options, key=lambda option: (self.used[option], self.rng.random()))
        self.used[choice] += 1
        return choice

    def pair(self, first, second) -> str:
        """Two clauses joined, the least used pair of the two pools (seeded tie-break)."""
        return self.pick([(a, b) for a in first for b in second])

    def title(self, bases, angles) -> str:
        """A title never given before: a base title, or a base with an angle added."""
        bases = list(bases)
        self.rng.shuffle(bases)
        candidates = bases + [base + angle for base in bases for angle in self.rng.sample(angles, len(angles))]
        for candidate in candidates:
            if candidate not in self.titles:
                self.titles.add(candidate)
                return candidate
        raise ValueError(f"no title left for {bases[0]!r}: add angles or base titles")

    def offer_title(self, family: Family) -> str:
        return self.title(family.offers, OFFER_ANGLES)

    def need_title(self, family: Family, kind: str, first: bool = False) -> str:
        titles = family.need_titles(kind)
        return self.title(titles[:1] if first else titles, NEED_ANGLES)

    def offer_text(self, place: Place, job: str, years: int, family: Family, modality: str,
                   days: float) -> str:
        at = self.pick(AT[workplace_kind(place)]).format(population=population_text(place.population))
        intro = self.pick(OFFER_INTROS).format(Job=job, job=_lower(job), at=at, years=years, Years=years)
        parts = [intro, self.pick(family.details),
                 "%s, %s." % self.pair(OFFER_HOW, OFFER_WHAT)]
        if self.rng.random() < 0.5:
            parts.append("%s %s." % self.pair(OFFER_WHY, OFFER_WHY_TAIL))
        # Drawn at random, not in turn: two pools taken in turn with related periods would
        # always meet in the same pairs.
        how, tail = self.pair(OFFER_MODALITY[modality], OFFER_MODALITY_TAIL)
        amount = self.rng.choice(OFFER_DAYS).format(days=days_text(days))
        parts.append(f"{how}, {tail} ; {amount}.")
        return " ".join(parts)

    def need_text(self, place: Place, family: Family, days: float) -> str:
        nature = EPCI_NATURES.get(place.nature or "", "intercommunalité")
        parts = []
        if place.population or place.kind == "groupement":
            parts.append(self.pick(NEED_INTROS[place.kind]).format(
                population=population_text(place.population), nature=nature, Nature=_capital(nature)))
        parts.append(self.pick(family.asks_for(place.kind)))
        parts.append("%s, %s." % self.pair(NEED_CONTEXT[place.kind], NEED_CONTEXT_TAIL))
        first, second = self.rng.sample(NEED_DELIVERABLES, 2)
        parts.append(f"{self.rng.choice(NEED_EXPECTED_LEAD)} {first} et {second}.")
        amount, period = self.pair(NEED_DAYS, NEED_PERIOD)
        parts.append(f"{amount.format(days=days_text(days))}, {period}.")
        return " ".join(parts)
