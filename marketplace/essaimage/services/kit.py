"""The /essaimage/ page and the downloadable kit: published sheets by stage, most ready first,
and the kit as a PDF generated from the current content (kit text and the national list)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template
from flask_babel import format_date
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.essaimage.services import readiness, stages
from marketplace.models import PracticeSheet
from marketplace.pairings.services.documents import render_pdf

# The readiness filter of the list: "at least this score".
READINESS_THRESHOLDS = (25, 50, 75, 100)


@dataclass
class KitEntry:
    sheet: PracticeSheet
    reach: stages.Reach
    stage: str
    score: int

    @property
    def reuses(self) -> int:
        return len(self.reach.collectivities) - 1


def entries(stage: str | None = None, min_score: int | None = None) -> list[KitEntry]:
    """Published sheets with their stage and readiness score, filtered, widest stage first then
    most ready first (then by title)."""
    sheets = db.session.scalars(select(PracticeSheet).where(PracticeSheet.status == "published")).all()
    reach = stages.reaches()
    ready = readiness.scores()
    found = []
    for sheet in sheets:
        sheet_reach = reach.get(sheet.id, stages.Reach({sheet.collectivity_id}))
        entry = KitEntry(sheet, sheet_reach, sheet_reach.stage, ready.get(sheet.id, 0))
        if (stage is None or entry.stage == stage) and (min_score is None or entry.score >= min_score):
            found.append(entry)
    rank = {name: position for position, name in enumerate(stages.STAGES)}
    return sorted(found, key=lambda e: (-rank[e.stage], -e.score, e.sheet.title.lower(), e.sheet.id))


def by_stage(found: list[KitEntry]) -> list[tuple[str, list[KitEntry]]]:
    """The entries grouped by stage, widest first; stages without a sheet are left out."""
    groups = [(stage, [e for e in found if e.stage == stage]) for stage in reversed(stages.STAGES)]
    return [(stage, items) for stage, items in groups if items]


def kit_context() -> dict:
    """What the kit text shows, on the page and in the PDF alike."""
    return {"stage_labels": stages.STAGE_LABELS, "item_labels": readiness.ITEM_LABELS,
            "item_questions": readiness.ITEM_QUESTIONS, "status_labels": readiness.STATUS_LABELS,
            "thresholds": {"several": stages.MIN_COLLECTIVITIES_SEVERAL, "wide": stages.MIN_COLLECTIVITIES_WIDE,
                           "departements": stages.MIN_DEPARTEMENTS_REGIONAL,
                           "regions": stages.MIN_REGIONS_NATIONAL}}


def kit_page(stage: str | None = None, min_score: int | None = None, listed: bool = True) -> dict:
    """Everything the /essaimage/ page shows: the kit text's values and the filtered list by stage
    (empty when `listed` is False: filters the form refused list nothing)."""
    found = entries(stage, min_score) if listed else []
    return {"groups": by_stage(found), "count": len(found), **kit_context()}


def kit_pdf() -> bytes:
    """The kit as a PDF: the kit text, then every published sheet by stage (the national list).

    The HTML is rendered from the current content on every call; the PDF of the last HTML is kept
    in the process (xhtml2pdf takes seconds for a thousand sheets, the HTML a fraction of one), so
    that a download repeats the conversion only when a sheet, a reuse, a score or the day changed."""
    html = render_template("essaimage/kit_pdf.html", groups=by_stage(entries()),
                           generated=format_date(date.today(), "long"), **kit_context())
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    cache = current_app.extensions.setdefault("essaimage_kit_pdf", {})
    pdf = cache.get(key)  # read once: another thread may clear the cache meanwhile
    if pdf is None:
        pdf = render_pdf(html)
        cache.clear()  # one kit at a time: the previous one is out of date
        cache[key] = pdf
    return pdf
