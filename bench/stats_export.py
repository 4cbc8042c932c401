"""The statistics page and the raw exports on PostgreSQL at national scale (issue 14).

    .venv/bin/python bench/stats_export.py                       # 100,000 offers, 50,000 needs
    .venv/bin/python bench/stats_export.py --offers 20000 --needs 10000 --repeat 3

Builds the data in a schema of its own in PostgreSQL (TEST_DATABASE_URL or
postgresql+psycopg://postgres@127.0.0.1:5432/test; dropped at the end): 1,000 collectivities over
the 101 départements, 100,000 published offers and 50,000 open needs, 20,000 suggestions and 5,000
pairings. Then measures, each the median of --repeat runs (wall time) and in a separate run the peak
of Python allocations (tracemalloc): the statistics figures (public scope, then one département),
the whole /statistiques/ page, and the 100,000-row CSV and XLSX exports through the application (the
streamed response read to its end), beside the baseline the export replaced: every row loaded as an
ORM object first, then written. Prints a markdown table with the machine's load average.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]


def seed(offers: int, needs: int) -> None:
    import random

    from sqlalchemy import insert

    from marketplace.core.extensions import db
    from marketplace.models import (Collectivity, CollectivityDepartement, CollectivityRegion, Departement, Need,
                                    Pairing, Region, SkillOffer, Suggestion, User)
    from marketplace.models.base import utcnow

    rng = random.Random(7)
    db.session.add(Region(code="00", name="Région du banc d'essai", vintage="2026"))
    db.session.add_all([Departement(code=code, name=f"Département {code}", region_code="00", vintage="2026")
                        for code in DEPARTEMENTS])
    db.session.flush()
    db.session.execute(insert(Collectivity), [
        {"kind": "commune", "code": f"B{i:04d}", "name": f"Commune {i}", "search_name": f"commune {i}",
         "postal_codes": [], "siren": f"2{i:08d}"} for i in range(1000)])
    ids = [row[0] for row in db.session.execute(db.select(Collectivity.id).order_by(Collectivity.id))]
    db.session.execute(insert(CollectivityDepartement), [
        {"collectivity_id": cid, "departement_code": DEPARTEMENTS[i % len(DEPARTEMENTS)]} for i, cid in enumerate(ids)])
    db.session.execute(insert(CollectivityRegion), [{"collectivity_id": cid, "region_code": "00"} for cid in ids])
    db.session.execute(insert(User), [
        {"email": f"u{i}@bench.fr", "password_hash": "x", "display_name": f"Agent {i}", "preferred_language": "fr",
         "email_verified": True, "active": True, "security_stamp": uuid.uuid4().hex} for i in range(1000)])
    users = [row[0] for row in db.session.execute(db.select(User.id).order_by(User.id))]
    now = utcnow()
    domains = ["numerique", "urbanisme", "finances", "ressources_humaines", "marches_publics"]
    words = "diagnostic accompagnement marché public voirie urbanisme budget formation cartographie".split()
    for kind, count in ((SkillOffer, offers), (Need, needs)):
        for start in range(0, count, 10_000):
            rows = []
            for i in range(start, min(count, start + 10_000)):
                who = rng.randrange(1000)
                text = " ".join(rng.choice(words) for _ in range(12))
                row = {"title": f"{text[:60]} {i}", "description": text, "tags": [], "search_text": text,
                       "domain": domains[i % len(domains)], "modality": "remote", "collectivity_id": ids[who],
                       "published_at": now.replace(day=1, month=1 + i % 11)}
                if kind is SkillOffer:
                    row.update(status="published", agent_id=users[who], days_per_month=2.0)
                else:
                    row.update(status="open", author_id=users[who], estimated_days=10.0)
                rows.append(row)
            db.session.execute(insert(kind), rows)
    offer_ids = [r[0] for r in db.session.execute(db.select(SkillOffer.id).limit(20_000))]
    need_ids = [r[0] for r in db.session.execute(db.select(Need.id).limit(20_000))]
    db.session.execute(insert(Suggestion), [{"offer_id": o, "need_id": n, "score": 0.5, "reasons": {}}
                                            for o, n in zip(offer_ids, need_ids)])
    db.session.execute(insert(Pairing), [
        {"offer_id": o, "need_id": n, "status": ("proposed", "rejected", "engaged")[i % 3], "reason": "",
         "decided_at": now} for i, (o, n) in enumerate(zip(offer_ids[:5000], need_ids[:5000]))])
    db.session.commit()


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_mib(function) -> float:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from sqlalchemy import create_engine, text

    from config import TestingConfig
    from marketplace import create_app
    from marketplace.core.extensions import db
    from marketplace.exports import datasets, writers
    from marketplace.listings import query as listing_query
    from marketplace.listings.services import OFFER
    from marketplace.models import User
    from marketplace.statistics import services
    from marketplace.statistics.filters import Filters, Scope
    from tests.tools.sessions import sign_in

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=PG_URL, SQLALCHEMY_ENGINE_OPTIONS={
        "connect_args": {"options": f"-csearch_path={schema}"}})
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            seed(args.offers, args.needs)
            print(f"seeded {args.offers:,} offers and {args.needs:,} needs in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
            client = app.test_client()
            sign_in(client, db.session.scalars(db.select(User).limit(1)).one())

            def read(url):
                return lambda: sum(len(chunk) for chunk in client.get(url, buffered=False).response)

            def naive_csv():
                items = db.session.scalars(listing_query.filtered(OFFER, listing_query.parse_filters({}))).all()
                context = datasets.Context()
                rows = [[column.value(item, context) for column in datasets.OFFER_COLUMNS] for item in items]
                sum(len(chunk) for chunk in writers.csv_chunks(datasets.headers(datasets.OFFER_COLUMNS), rows))
                db.session.expunge_all()

            everything = Scope(everything=True, public=True)
            cases = [
                ("statistics figures, whole country", lambda: services.overview(Filters(), everything)),
                ("statistics figures, one département", lambda: services.overview(Filters(departement="69"), everything)),
                ("GET /statistiques/ (page rendered)", read("/statistiques/")),
                (f"GET /offres/export.csv ({args.offers:,} rows, streamed)", read("/offres/export.csv")),
                (f"GET /offres/export.xlsx ({args.offers:,} rows)", read("/offres/export.xlsx")),
                ("baseline: CSV of every row loaded first", naive_csv),
            ]
            print(f"| operation | median wall time | peak Python memory |\n| --- | ---: | ---: |")
            for name, function in cases:
                seconds = timed(function, args.repeat)
                db.session.expunge_all()
                mib = peak_mib(function)
                db.session.expunge_all()
                print(f"| {name} | {seconds:.2f} s | {mib:.0f} MiB |")
            print(f"\nload average: {os.getloadavg()[0]:.1f} (2 cores); PostgreSQL at {PG_URL.split('@')[-1]}")
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
