"""Publishing the results: the ranking becomes final, the best projects are laureates (as many
as the call announced), every applicant is told (in the app and by e-mail through the outbox)
with the jury's comments, and each laureate's accompaniment starts."""
from __future__ import annotations

from calendar import monthrange
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _

from marketplace.calls.services import access
from marketplace.calls.services.calls import audit, today_in_paris
from marketplace.calls.services.jury import ranking
from marketplace.core.errors import Conflict
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.models import Accompaniment, Call
from marketplace.models.base import utcnow
from marketplace.notifications import services as notifications

KIND = "calls"


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def project_link(call: Call, project) -> str:
    # Built from the URL map: a service has no request to build it from.
    return current_app.url_map.bind("").build("calls.project", {"call_id": call.id, "project_id": project.id})


@transactional
def publish_results(call: Call, user) -> list:
    """Publish a closed call's results; returns the laureates' projects. Projects no juror
    scored are never laureates."""
    access.require_manager(call, user)
    if call.status != "closed":
        raise Conflict(_("Les résultats se publient une fois l'appel clos, une seule fois."))
    rows = ranking(call)
    laureates = []
    start = today_in_paris()
    for row in rows:
        project = row.project
        project.final_score, project.final_rank = row.score, row.rank
        if row.score is not None and len(laureates) < call.laureate_count:
            project.status = "laureate"
            laureates.append(project)
            db.session.add(Accompaniment(project_id=project.id, starts_on=start,
                                         ends_on=add_months(start, call.accompaniment_months), mentors=[]))
        else:
            project.status = "not_selected"
    call.status, call.results_published_at = "published", utcnow()
    db.session.flush()
    audit(call, user, "closed", "published", laureates=[p.id for p in laureates],
          ranking=[{"project_id": r.project.id, "score": r.score, "rank": r.rank} for r in rows])
    for row in rows:
        _announce(call, row.project)
    return laureates


def _announce(call: Call, project) -> None:
    link = project_link(call, project)
    if project.status == "laureate":
        message = _l("Votre projet « %(title)s » est lauréat de l'appel « %(call)s ».",
                     title=project.title[:120], call=call.title[:120])
    else:
        message = _l("Votre projet « %(title)s » n'a pas été retenu par le jury de l'appel « %(call)s ». "
                     "Les commentaires du jury vous attendent.", title=project.title[:120], call=call.title[:120])
    notifications.notify(project.author, KIND, f"call:{call.id}:result:{project.id}", message, link=link,
                         template="call_result", subject=_l("Résultats de l'appel « %(call)s »",
                                                            call=call.title[:120]),
                         project_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link,
                         call_title=call.title)
