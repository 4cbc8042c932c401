"""Periodic task of the matching: the nightly overlap@10 sample of the fast path."""
from __future__ import annotations

from celery import shared_task

from marketplace.suggestions import quality


@shared_task(name="workers.matching_tasks.sample_overlap")
def sample_overlap() -> None:
    """Nightly, after the refit: how far the engine agrees with the exhaustive search."""
    quality.sample_overlap()
