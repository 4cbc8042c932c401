"""Latency of the matching pipeline: from publishing a need or an offer to its suggestions being stored.

    .venv/bin/python bench/pipeline_latency.py                      # 10,000 and 100,000 offers
    .venv/bin/python bench/pipeline_latency.py --sizes 10000 --needs 20
    .venv/bin/python bench/pipeline_latency.py --sizes 100000 --offers 20 --needs 10 \
        --baseline-root /tmp/delta-base                             # offers too, beside the baseline

`--offers N` also publishes N offers into the offers index (after the needs' warm-up, before the
timed needs): each one is a change of the 100,000-offer index, then the needs it suits are stored.
`--baseline-root` runs the same measure first with the code of another checkout (e.g. `git
archive <commit> | tar -x -C /tmp/delta-base`, with its .venv linked) in a subprocess, and prints
both rows. The load average is printed before and after each run.

A real `celery worker` subprocess on the real Redis (127.0.0.1:6379, db 6, flushed) and PostgreSQL
(TEST_DATABASE_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test, a schema of its own,
dropped at the end). Offers are synthetic French-like documents (bench/matching_speed.py's
vocabulary); the offers index is fitted once before the worker starts, as `flask matching
rebuild` would. Each need is published the way the application does it (row + task intent in
one transaction, task sent after the commit); it is done when the worker has stored its
suggestions and deleted the intent, in the same process order as in production. One need at a
time: this measures latency, not throughput. Prints a markdown table.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from matching_speed import vocabulary  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/6"


def seed(count: int, rng) -> dict:
    """Collectivities with coordinates, one agent each, `count` published offers (bulk insert)."""
    from sqlalchemy import insert

    from marketplace.core.extensions import db
    from marketplace.models import Collectivity, SkillOffer
    from marketplace.models.base import utcnow
    from tests.workers.world import _user

    places = []
    for i in range(300):
        place = Collectivity(kind="commune", code=f"B{i:04d}", name=f"Commune {i}", search_name=f"commune {i}",
                             latitude=float(rng.uniform(43, 50)), longitude=float(rng.uniform(-1, 7)))
        place.set_territory(["69"], ["84"])
        db.session.add(place)
        places.append(place)
    db.session.flush()
    agents = [_user(f"agent{i}@bench.fr", "agent", place) for i, place in enumerate(places)]
    host = _user("ref@bench.fr", "representative", places[0])
    db.session.commit()
    words, tags = vocabulary(50_000)
    p = 1.0 / np.arange(1, len(words) + 1)
    p /= p.sum()
    modalities = ["remote", "on_site", "hybrid"]
    now = utcnow()
    for start in range(0, count, 5000):
        rows = []
        for i in range(start, min(count, start + 5000)):
            text = " ".join(words[j] for j in rng.choice(len(words), size=int(rng.integers(15, 40)), p=p))
            who = int(rng.integers(1, len(places)))
            rows.append({
                "title": text[:80], "description": text, "tags": [tags[int(rng.integers(len(tags)))]],
                "domain": "numerique", "modality": modalities[i % 3], "status": "published",
                "published_at": now, "agent_id": agents[who].id, "collectivity_id": places[who].id,
                "days_per_month": float(rng.integers(1, 10)), "max_distance_km": 300,
            })
        db.session.execute(insert(SkillOffer), rows)
        db.session.commit()
    return {"host": host, "place": places[0], "agent": agents[1], "agent_place": places[1], "words": words, "p": p}


def publish_need(world: dict, rng) -> int:
    """One need, published as the listings service does; its TaskIntent id."""
    from marketplace.core.extensions import db
    from marketplace.models import Need, TaskIntent
    from marketplace.models.base import utcnow
    from marketplace.suggestions import services as suggestions

    words = world["words"]
    text = " ".join(words[j] for j in rng.choice(len(words), size=25, p=world["p"]))
    need = Need(title=text[:80], description=text, tags=[], domain="numerique", modality="remote",
                status="open", published_at=utcnow(), author_id=world["host"].id,
                collectivity_id=world["place"].id, estimated_days=5)
    db.session.add(need)
    suggestions.enqueue_matching(need)
    intent_id = db.session.query(TaskIntent.id).order_by(TaskIntent.id.desc()).first()[0]
    db.session.commit()
    return intent_id


def seed_needs(world: dict, count: int, rng) -> None:
    """`count` open needs (bulk insert), so that a published offer has needs to be matched with."""
    from sqlalchemy import insert

    from marketplace.core.extensions import db
    from marketplace.models import Need
    from marketplace.models.base import utcnow

    words, now = world["words"], utcnow()
    rows = []
    for _ in range(count):
        text = " ".join(words[j] for j in rng.choice(len(words), size=25, p=world["p"]))
        rows.append({"title": text[:80], "description": text, "tags": [], "domain": "numerique",
                     "modality": "remote", "status": "open", "published_at": now, "author_id": world["host"].id,
                     "collectivity_id": world["place"].id, "estimated_days": 1})
    db.session.execute(insert(Need), rows)
    db.session.commit()


def publish_offer(world: dict, rng) -> int:
    """One offer, published as the listings service does; its TaskIntent id."""
    from marketplace.core.extensions import db
    from marketplace.models import SkillOffer, TaskIntent
    from marketplace.models.base import utcnow
    from marketplace.suggestions import services as suggestions

    words = world["words"]
    text = " ".join(words[j] for j in rng.choice(len(words), size=25, p=world["p"]))
    offer = SkillOffer(title=text[:80], description=text, tags=[], domain="numerique", modality="remote",
                       status="published", published_at=utcnow(), agent_id=world["agent"].id,
                       collectivity_id=world["agent_place"].id, days_per_month=4.0, max_distance_km=300)
    db.session.add(offer)
    suggestions.enqueue_matching(offer)
    intent_id = db.session.query(TaskIntent.id).order_by(TaskIntent.id.desc()).first()[0]
    db.session.commit()
    return intent_id


def index_files(stack) -> tuple[int, float]:
    """How many index files the offers index left in MATCHING_INDEX_DIR, and their size in MB."""
    files = list(Path(stack.overrides["MATCHING_INDEX_DIR"]).glob("offers-*.npz"))
    return len(files), sum(f.stat().st_size for f in files) / 1e6


def wait_done(intent_id: int, timeout: float = 60) -> float:
    from sqlalchemy import text

    from marketplace.core.extensions import db

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        db.session.rollback()
        if db.session.execute(text("select 1 from task_intents where id = :i"), {"i": intent_id}).first() is None:
            return time.perf_counter()
        time.sleep(0.002)
    raise TimeoutError(f"intent {intent_id} not done after {timeout}s")


def suggestions_per_need() -> float:
    """Mean number of suggestions stored per need (every need published so far)."""
    from sqlalchemy import func, select

    from marketplace.core.extensions import db
    from marketplace.models import Need, Suggestion

    db.session.rollback()
    needs = db.session.scalar(select(func.count(Need.id))) or 1
    return (db.session.scalar(select(func.count(Suggestion.id))) or 0) / needs


def measure(size: int, needs: int, concurrency: int, offers: int = 0, open_needs: int = 0, workers: int = 1) -> dict:
    import redis

    from marketplace.suggestions import index as matching_index
    from tests.workers.stack import Stack, app_context

    redis.Redis.from_url(REDIS_URL).flushdb()
    rng = np.random.default_rng(size)
    offer_latencies = []
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), redis_url=REDIS_URL, TASK_INTENT_RETRY_AFTER=600, SWEEP_INTERVAL=60)
        try:
            with app_context(stack):
                world = seed(size, rng)
                if open_needs:
                    seed_needs(world, open_needs, rng)
                    matching_index.refit("needs")
                started = time.perf_counter()
                matching_index.refit("offers")
                fit_s = time.perf_counter() - started
                pool = [stack.start_worker(f"bench{i}", beat=False, concurrency=concurrency) for i in range(workers)]
                started = time.perf_counter()
                try:
                    for _ in range(workers * concurrency * 2):  # every pool process loads the offers index once
                        wait_done(publish_need(world, rng), 300)
                    warm_s = time.perf_counter() - started
                    for _ in range(offers):
                        t0 = time.perf_counter()
                        intent_id = publish_offer(world, rng)
                        offer_latencies.append(wait_done(intent_id, 120) - t0)
                    latencies = []
                    for _ in range(needs):
                        t0 = time.perf_counter()
                        intent_id = publish_need(world, rng)
                        latencies.append(wait_done(intent_id, 120) - t0)
                    stored = suggestions_per_need()
                    files = index_files(stack)
                except TimeoutError:
                    for worker in pool:
                        print(worker.tail(60), file=sys.stderr)
                    raise
        finally:
            stack.close()
            redis.Redis.from_url(REDIS_URL).flushdb()
    values = np.array(latencies)
    row = {"size": size, "needs": needs, "stored": stored, "p50": np.percentile(values, 50), "p95": np.percentile(values, 95),
           "max": values.max(), "fit": fit_s, "warm": warm_s, "offers": offers, "files": files[0], "files_mb": files[1]}
    if offer_latencies:
        o = np.array(offer_latencies)
        row.update(o_p50=np.percentile(o, 50), o_p95=np.percentile(o, 95), o_max=o.max())
    return {k: (float(v) if isinstance(v, np.floating) else v) for k, v in row.items()}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _baseline(root: str, argv: list[str]) -> list[dict]:
    """The same measure run with the code of another checkout (its models, services, workers): this
    script is copied into its bench/ folder for the run, so that every import comes from there."""
    import json
    import shutil
    import subprocess

    script = Path(root) / "bench" / "_pipeline_latency_baseline.py"
    shutil.copy(__file__, script)
    try:
        out = subprocess.run([sys.executable, str(script), *argv, "--json"], cwd=root, check=True,
                             stdout=subprocess.PIPE, text=True).stdout
    finally:
        script.unlink(missing_ok=True)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--needs", type=int, default=40)
    parser.add_argument("--offers", type=int, default=0, help="offers published (timed) into the index")
    parser.add_argument("--open-needs", type=int, default=2000, help="open needs an offer is matched with")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (each with --concurrency)")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--baseline-root", help="a checkout of the code to compare with (run first)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("CI", "")
    argv = ["--sizes", *map(str, args.sizes), "--needs", str(args.needs), "--offers", str(args.offers),
            "--open-needs", str(args.open_needs), "--workers", str(args.workers),
            "--concurrency", str(args.concurrency)]
    runs = []
    if args.baseline_root:
        print(f"load average before the baseline: {_load()}", file=sys.stderr)
        runs += [("baseline", r) for r in _baseline(args.baseline_root, argv)]
    print(f"load average before the run of {ROOT}: {_load()}", file=sys.stderr)
    rows = [measure(size, args.needs, args.concurrency, args.offers, args.open_needs if args.offers else 0,
                    args.workers) for size in args.sizes]
    if args.json:
        print(json.dumps(rows))
        return
    runs += [("this code", r) for r in rows]
    print(f"\nload average after: {_load()}; {args.workers} worker(s) x concurrency {args.concurrency}")
    print("\n| code | published offers | offers published (timed) | offer p50 (s) | offer p95 (s) | offer max (s) "
          "| needs timed | suggestions per need | need p50 (s) | need p95 (s) | need max (s) | index fit (s) "
          "| worker warm-up (s) | index files left (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for code, r in runs:
        offer = (f"{r['o_p50']:.3f} | {r['o_p95']:.3f} | {r['o_max']:.3f}" if r.get("o_p50") is not None
                 else "– | – | –")
        print(f"| {code} | {r['size']:,} | {r['offers']} | {offer} | {r['needs']} | {r['stored']:.1f} | {r['p50']:.3f} "
              f"| {r['p95']:.3f} | {r['max']:.3f} | {r['fit']:.1f} | {r['warm']:.1f} | {r['files']} ({r['files_mb']:.0f}) |")


if __name__ == "__main__":
    main()
