"""What territorial civil servants know how to do, per domain of taxonomy.DOMAINS.

Each domain lists job titles (the post of an agent who offers help) and skill families. A family
gives titles for an offer and for a need, tags, a sentence that details the skill (offers) and a
sentence that details the request (needs); the generator combines them with generic fragments.
"""
from __future__ import annotations

from typing import NamedTuple


class Family(NamedTuple):
    offers: tuple[str, ...]
    needs: tuple[str, ...]
    tags: tuple[str, ...]
    detail: str
    ask: str


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
