"""The cards of the lists (web layer: it renders), kept rendered while what they show is unchanged.

Rendering twenty DSFR cards (translated labels, numbers formatted for the locale, one URL each)
was about half of a list view's time. A card is kept under everything it prints, not under the
row's `updated_at`: renaming a collectivity or moving it to another département changes its cards
without touching the offers, and a key that holds the values themselves can never serve a stale
card. The memory is bounded (LIST_CARD_CACHE_SIZE cards, least recently used dropped first; 0
turns it off) and per process: nothing to invalidate, nothing shared between users, since a card
shows only public fields.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app, request
from flask_babel import get_locale


class CardCache:
    """A bounded least-recently-used mapping, safe for threaded workers."""

    def __init__(self, size: int):
        self.size = size
        self._cards: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            html = self._cards.get(key)
            if html is not None:
                self._cards.move_to_end(key)
            return html

    def put(self, key, html) -> None:
        with self._lock:
            self._cards[key] = html
            self._cards.move_to_end(key)
            while len(self._cards) > self.size:
                self._cards.popitem(last=False)

    def __len__(self) -> int:
        return len(self._cards)


def _cache() -> CardCache | None:
    size = current_app.config.get("LIST_CARD_CACHE_SIZE", 0)
    if size <= 0:
        return None
    cache = current_app.extensions.get("listing_cards")
    if cache is None or cache.size != size:
        cache = current_app.extensions["listing_cards"] = CardCache(size)
    return cache


def card_key(kind, item) -> tuple:
    """Every value the card macro prints, and what decides how it prints them (the language, the
    prefix of the URLs)."""
    collectivity = item.collectivity
    return (str(get_locale()), request.script_root, kind.name, item.id, item.title, item.description, item.domain,
            item.modality, getattr(item, kind.days_column), collectivity.name, tuple(collectivity.departement_codes))


def listing_card(macro, kind, item):
    """`macro(kind, item)` (templates/listings/_macros.html's card), or the HTML it gave last time
    for the same values."""
    cache = _cache()
    if cache is None:
        return macro(kind, item)
    key = card_key(kind, item)
    html = cache.get(key)
    if html is None:
        html = macro(kind, item)
        cache.put(key, html)
    return html
