"""Demo data for the calls for projects (issue 15 §2: "the demo shows one closed call with
laureates, with accompaniment under way or finished, and one open call").

`seed_calls()` runs at the end of `seed.seed_demo`, inside its unit of work, after the accounts,
offers and practice sheets exist; a second run changes nothing. The closed call's history is
written directly (its deadline is in the past, and seeding must not notify anyone); the finished
accompaniment's retour d'expérience goes through the accompaniment service, so that it becomes a
practice sheet as a real one does.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from marketplace.calls.services import accompaniment
from marketplace.calls.services.calls import PARIS, today_in_paris
from marketplace.calls.services.jury import weighted
from marketplace.calls.services.results import add_months
from marketplace.core.extensions import db
from marketplace.demo.people import DEMO_DOMAIN
from marketplace.models import (Accompaniment, AccompanimentStep, Call, CallJuror, CallProject, CallScore,
                                CollectivityDepartement, RoleAssignment, User)
from marketplace.models.base import utcnow

BRETAGNE = ["35", "29", "22", "56"]
OPEN_TITLE = "Innover dans l'accueil des usagers en Bretagne"
CLOSED_TITLE = "Transition écologique : projets d'agents 2026"
GRID = [{"label": "Utilité pour les usagers", "weight": 3}, {"label": "Faisabilité", "weight": 2},
        {"label": "Capacité à essaimer", "weight": 1}]
PROJECTS = (
    ("Récupérateurs d'eau de pluie pour les services techniques",
     "Les services techniques arrosent les massifs avec l'eau potable.", "Les jardiniers municipaux.",
     "Équiper les ateliers de cuves de récupération.", "Deux jardiniers et le responsable des ateliers.",
     "Un appui pour dimensionner les cuves et acheter groupé.", (8, 9, 7), (9, 8, 8)),
    ("Covoiturage des agents entre communes",
     "Les agents viennent seuls en voiture de communes voisines.", "Les agents de trois communes.",
     "Une plateforme de covoiturage partagée et des places réservées.", "La DRH et deux agents volontaires.",
     "Un accompagnement juridique sur les indemnités.", (7, 7, 9), (8, 6, 9)),
    ("Extinction de l'éclairage public la nuit",
     "L'éclairage public coûte cher et gêne la faune.", "Les habitants et les élus.",
     "Éteindre de 23 h à 5 h avec une concertation préalable.", "Le service voirie.",
     "Un retour d'expérience d'autres communes.", (6, 8, 5), (5, 7, 6)),
)


def _user(local_part: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == f"{local_part}@{DEMO_DOMAIN}"))


def _breton_agents(exclude: set[int], limit: int) -> list[tuple[User, int]]:
    """Demo agents with a verified agent role in a Breton collectivity: (user, collectivity id)."""
    rows = db.session.execute(
        select(User, RoleAssignment.collectivity_id).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .join(CollectivityDepartement, CollectivityDepartement.collectivity_id == RoleAssignment.collectivity_id)
        .where(RoleAssignment.role == "agent", RoleAssignment.active.is_(True), User.email.like(f"%@{DEMO_DOMAIN}"),
               CollectivityDepartement.departement_code.in_(BRETAGNE), User.id.not_in(exclude))
        .order_by(User.id)).all()
    found, seen = [], set()
    for user, collectivity_id in rows:
        if user.id not in seen:
            seen.add(user.id)
            found.append((user, collectivity_id))
    return found[:limit]


def _call(coordinator: User, title: str, opens_on, deadline: datetime, status: str, jurors: list[User]) -> Call:
    call = Call(title=title, domain="environnement" if status == "published" else "numerique",
                description="Un appel aux agents des collectivités bretonnes qui portent une idée pour leur service.",
                eligibility="Agents titulaires ou en CDI d'une collectivité de Bretagne, avec l'accord de leur hiérarchie.",
                departement_codes=[], region_codes=["53"], opens_on=opens_on, deadline_at=deadline, criteria=GRID,
                laureate_count=2, accompaniment_months=6, status=status, created_by_id=coordinator.id)
    call.jurors = [CallJuror(user_id=j.id) for j in jurors]
    db.session.add(call)
    db.session.flush()
    return call


def _project(call: Call, author: User, collectivity_id: int, planned: tuple, **fields) -> CallProject:
    title, problem, users, idea, team, support = planned[:6]
    project = CallProject(call_id=call.id, author_id=author.id, collectivity_id=collectivity_id, title=title,
                          problem=problem, users=users, idea=idea, team=team, support_needed=support, **fields)
    db.session.add(project)
    db.session.flush()
    return project


def _closed_call(coordinator, jurors, agents) -> Call:
    today = today_in_paris()
    opened = today - timedelta(days=150)
    deadline = datetime.combine(opened + timedelta(days=45), time(12), PARIS)
    call = _call(coordinator, CLOSED_TITLE, opened, deadline, "published", jurors)
    call.results_published_at = utcnow() - timedelta(days=90)
    for rank, ((author, collectivity_id), planned) in enumerate(zip(agents, PROJECTS), start=1):
        marks = [dict(zip(("0", "1", "2"), planned[6])), dict(zip(("0", "1", "2"), planned[7]))]
        totals = [weighted(call, m) for m in marks]
        laureate = rank <= call.laureate_count
        project = _project(call, author, collectivity_id, planned, status="laureate" if laureate else "not_selected",
                           final_score=round(sum(totals) / 2, 2), final_rank=rank)
        for juror, mark, total in zip(jurors, marks, totals):
            db.session.add(CallScore(project_id=project.id, juror_id=juror.id, marks=mark, total=total,
                                     comment="Projet clair et utile ; précisez le calendrier."))
        if laureate:
            start = today - timedelta(days=90)
            follow_up = Accompaniment(project_id=project.id, starts_on=start, ends_on=add_months(start, 6),
                                      mentors=[{"user_id": jurors[0].id, "offer_id": None}])
            follow_up.steps = [
                AccompanimentStep(kind="milestone", title="Étude de faisabilité", due_on=start + timedelta(days=30),
                                  done_at=utcnow() - timedelta(days=60)),
                AccompanimentStep(kind="checkin", title="Point d'étape avec le mentor", due_on=start + timedelta(days=45),
                                  notes="Calendrier validé.", done_at=utcnow() - timedelta(days=45)),
                AccompanimentStep(kind="milestone", title="Mise en service", due_on=start + timedelta(days=150)),
            ]
            db.session.add(follow_up)
            db.session.flush()
            if rank == 1:
                follow_up.steps[2].done_at = utcnow() - timedelta(days=5)
                accompaniment.finish(call, follow_up, author, {
                    "summary": "Des cuves de récupération d'eau de pluie arrosent désormais les massifs.",
                    "actions": "- un diagnostic des besoins d'arrosage\n- un achat groupé de cuves\n- la pose par les agents",
                    "results": "Un tiers d'eau potable en moins pour l'arrosage dès le premier été.",
                    "costs": "4 cuves, 3 jours de pose."})
    return call


def seed_calls() -> dict:
    """Create the demo calls once; their titles, or an empty dict when already there or when the
    demo accounts are missing."""
    coordinator, agent, referent, admin = (_user(p) for p in ("coordinateur", "agent", "referent", "admin"))
    if None in (coordinator, agent, referent, admin):
        return {}
    if db.session.scalar(select(Call.id).where(Call.title.in_([OPEN_TITLE, CLOSED_TITLE]))):
        return {}
    agents = _breton_agents({coordinator.id, agent.id, referent.id, admin.id}, 3)
    if len(agents) < 3:
        return {}
    closed = _closed_call(coordinator, [referent, admin], agents)
    today = today_in_paris()
    opened = _call(coordinator, OPEN_TITLE, today - timedelta(days=7),
                   datetime.combine(today + timedelta(days=30), time(12), PARIS), "open", [referent, admin])
    _project(opened, agents[0][0], agents[0][1], (
        "Accueil sans rendez-vous en mairie le samedi", "Les actifs ne peuvent pas venir en semaine.",
        "Les habitants qui travaillent.", "Ouvrir l'accueil deux samedis par mois.", "L'équipe d'accueil.",
        "Un appui pour organiser les plannings."), status="submitted")
    return {"closed": closed.title, "open": opened.title}
