"""The essaimage kit at library scale: the /essaimage/ list and the kit PDF (issue 15 §3).

    .venv/bin/python bench/essaimage_kit.py                      # 1,000 sheets, 5,000 reuses
    .venv/bin/python bench/essaimage_kit.py --sheets 300 --reuses 1500 --repeat 3

Builds, in an in-memory SQLite database, 500 communes over 101 départements and 13 régions, the
published sheets (a quarter with a filled checklist) and reuses between random communes. Then
measures, each the median of --repeat runs (wall time): the stages and scores of every sheet
(kit.entries), the whole /essaimage/ page through the application, the kit PDF converted once
(xhtml2pdf, with its size and page count) and then asked again with the content unchanged. Prints a markdown table with the machine's load average.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
REGIONS = [f"R{n:02d}" for n in range(13)]


def seed(sheets: int, reuses: int) -> None:
    from sqlalchemy import insert, select

    from marketplace.core.extensions import db
    from marketplace.models import (Collectivity, CollectivityDepartement, CollectivityRegion, PracticeReuse,
                                    PracticeSheet, ReadinessItem, User)
    from marketplace.models.essaimage import READINESS_ITEMS, READINESS_STATUSES

    rng = random.Random(7)
    db.session.add(User(email="bench@example.fr", password_hash="x", display_name="Banc", security_stamp="x"))
    db.session.execute(insert(Collectivity), [
        {"kind": "commune", "code": f"B{i:04d}", "name": f"Commune {i}", "search_name": f"commune {i}",
         "postal_codes": []} for i in range(500)])
    places = db.session.scalars(select(Collectivity.id)).all()
    user = db.session.scalar(select(User.id))
    db.session.execute(insert(CollectivityDepartement), [
        {"collectivity_id": c, "departement_code": DEPARTEMENTS[i % len(DEPARTEMENTS)]} for i, c in enumerate(places)])
    db.session.execute(insert(CollectivityRegion), [
        {"collectivity_id": c, "region_code": REGIONS[(i % len(DEPARTEMENTS)) % len(REGIONS)]}
        for i, c in enumerate(places)])
    db.session.execute(insert(PracticeSheet), [
        {"title": f"Pratique n° {i} : une idée qui marche", "collectivity_id": rng.choice(places),
         "domain": "autre", "tags": [], "status": "published", "created_by_id": user} for i in range(sheets)])
    rows = db.session.execute(select(PracticeSheet.id, PracticeSheet.collectivity_id)).all()
    pairs = set()
    while len(pairs) < reuses:
        sheet_id, origin = rng.choice(rows)
        place = rng.choice(places)
        if place != origin:
            pairs.add((sheet_id, place))
    db.session.execute(insert(PracticeReuse), [
        {"sheet_id": s, "collectivity_id": c, "stage": rng.choice(("inspired", "implemented")),
         "declared_by_id": user} for s, c in sorted(pairs)])
    db.session.execute(insert(ReadinessItem), [
        {"sheet_id": s, "item": item, "status": rng.choice(READINESS_STATUSES), "comment": "",
         "updated_by_id": user} for s, _o in rows[: sheets // 4] for item in READINESS_ITEMS])
    db.session.commit()


def timed(action, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheets", type=int, default=1000)
    parser.add_argument("--reuses", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from pypdf import PdfReader

    from config import TestingConfig
    from marketplace import create_app
    from marketplace.core.extensions import db
    from marketplace.essaimage.services import kit

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        db.create_all()
        seed(args.sheets, args.reuses)
        client = app.test_client()
        entries_s, found = timed(kit.entries, args.repeat)
        page_s, response = timed(lambda: client.get("/essaimage/"), args.repeat)
        assert response.status_code == 200
        with app.test_request_context():
            first_s, pdf = timed(kit.kit_pdf, 1)  # converted by xhtml2pdf
            kept_s, _pdf = timed(kit.kit_pdf, args.repeat)  # same content: HTML rendered, PDF kept
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    stages = {}
    for entry in found:
        stages[entry.stage] = stages.get(entry.stage, 0) + 1
    print(f"{args.sheets} sheets, {args.reuses} reuses, median of {args.repeat}, load {os.getloadavg()[0]:.2f}")
    print(f"stages: {stages}\n")
    print("| step | seconds |\n| --- | --- |")
    print(f"| kit.entries (stages and scores of every sheet) | {entries_s:.3f} |")
    print(f"| GET /essaimage/ | {page_s:.3f} |")
    print(f"| kit PDF, first download ({len(pdf) // 1024} KiB, {pages} pages) | {first_s:.2f} |")
    print(f"| kit PDF, content unchanged since | {kept_s:.3f} |")


if __name__ == "__main__":
    main()
