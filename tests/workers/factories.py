"""Offers and needs written straight to the database, for the matching and worker tests."""
from __future__ import annotations

from marketplace.core.extensions import db
from marketplace.models import Need, SkillOffer
from marketplace.models.base import utcnow

SUBJECTS = [
    ("Révision du plan local d'urbanisme", "urbanisme", ["plu", "urbanisme"]),
    ("Rédaction d'un cahier des charges de marché public", "marches_publics", ["marchés", "achats"]),
    ("Migration de la messagerie et du système d'information", "numerique", ["messagerie", "cloud"]),
    ("Plan alimentaire territorial et cantines bio", "alimentation_durable", ["cantine", "bio"]),
    ("Préparation du budget primitif et de la fiscalité", "finances", ["budget", "fiscalité"]),
    ("Schéma directeur d'assainissement des eaux usées", "eau_assainissement", ["assainissement"]),
    ("Plan de mobilité et pistes cyclables", "mobilite", ["vélo", "mobilité"]),
    ("Rénovation énergétique des bâtiments communaux", "energie", ["énergie", "bâtiments"]),
]


def offer(agent, collectivity, subject=0, status="published", days_per_month=4.0, modality="remote",
          max_distance_km=None, **fields) -> SkillOffer:
    """A skill offer about one of SUBJECTS, committed."""
    title, domain, tags = SUBJECTS[subject % len(SUBJECTS)]
    item = SkillOffer(
        title=f"J'accompagne : {title.lower()}", description=f"Expérience en {title.lower()}.",
        tags=tags, domain=domain, modality=modality, status=status, agent_id=agent.id,
        collectivity_id=collectivity.id, days_per_month=days_per_month, max_distance_km=max_distance_km,
        published_at=utcnow() if status != "draft" else None, **fields,
    )
    db.session.add(item)
    db.session.commit()
    return item


def need(author, collectivity, subject=0, status="open", estimated_days=5.0, modality="remote",
         commit=True, **fields) -> Need:
    """A need about one of SUBJECTS (committed unless commit=False)."""
    title, domain, tags = SUBJECTS[subject % len(SUBJECTS)]
    item = Need(
        title=f"Besoin : {title.lower()}", description=f"Nous cherchons de l'aide pour {title.lower()}.",
        tags=tags, domain=domain, modality=modality, status=status, author_id=author.id,
        collectivity_id=collectivity.id, estimated_days=estimated_days,
        published_at=utcnow() if status != "draft" else None, **fields,
    )
    db.session.add(item)
    if commit:
        db.session.commit()
    return item
