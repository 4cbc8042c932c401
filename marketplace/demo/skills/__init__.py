"""What territorial civil servants know how to do, per domain of taxonomy.DOMAINS.

Each domain lists job titles (the post of an agent who offers help) and skill families. A family
says which kinds of collectivity hold that skill (a commune has no PCAET service, only a région
runs lycées), which of the domain's jobs practise it, titles for an offer and for a need, tags,
hand-written sentences an agent writes about it (details) and sentences a collectivity writes
when it asks for it (asks). An ask may be kept for some kinds only: ((kinds), sentence).
"""
from __future__ import annotations

from typing import NamedTuple, Union

C, E, D, R, S, G = "commune", "epci", "departement", "region", "statut_particulier", "groupement"
LOCAL = (C, E, S)  # the block: communes, intercommunalities, Corse
ALL = (C, E, D, R, S)
Ask = Union[str, tuple[tuple[str, ...], str]]


class Family(NamedTuple):
    offers: tuple[str, ...]
    needs: tuple[Ask, ...]
    tags: tuple[str, ...]
    details: tuple[str, ...]
    asks: tuple[Ask, ...]
    kinds: tuple[str, ...] = ALL
    jobs: tuple[int, ...] = ()  # indexes in the domain's jobs; () = every job of the domain

    def asks_for(self, kind: str) -> list[str]:
        """The ask sentences a collectivity of this kind can write."""
        return _for_kind(self.asks, kind)

    def need_titles(self, kind: str) -> list[str]:
        """The need titles a collectivity of this kind can write."""
        return _for_kind(self.needs, kind)

    def practised_by(self, job_index: int) -> bool:
        return not self.jobs or job_index in self.jobs


def _for_kind(entries, kind: str) -> list[str]:
    return [entry if isinstance(entry, str) else entry[1] for entry in entries
            if isinstance(entry, str) or kind in entry[0]]


class DomainSkills(NamedTuple):
    jobs: tuple[str, ...]
    families: tuple[Family, ...]


def _catalogue() -> dict[str, DomainSkills]:
    from marketplace.demo.skills import administration, services, territory

    merged: dict[str, DomainSkills] = {}
    for module in (territory, administration, services):
        merged.update(module.DOMAINS)
    return merged


CATALOGUE: dict[str, DomainSkills] = _catalogue()
