"""Demo data for the communities of practice: one open community and one closed community, with
members, discussions, shared resources, curated sheets and meetings (issue 15: "the demo shows two
communities").

`seed_communities()` runs after the demo accounts and practice sheets exist (call it at the end of
`seed.seed_demo`, inside its unit of work); a second run changes nothing. Posts are written
directly, without the notification of a live post: seeding must not send e-mails.
"""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from marketplace.communities.services import moderation, resources, spaces
from marketplace.core.extensions import db
from marketplace.core.unit_of_work import transactional
from marketplace.demo.people import DEMO_DOMAIN
from marketplace.models import (
    Community, CommunityMeeting, CommunityMember, CommunityPost, CommunityThread, PracticeSheet, User,
)
from marketplace.models.base import utcnow

OPEN_NAME = "Restauration collective durable"
CLOSED_NAME = "Commande publique mutualisée"


def _user(local_part: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == f"{local_part}@{DEMO_DOMAIN}"))


def _other_demo_users(exclude: set[int], limit: int) -> list[User]:
    rows = db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}"), User.id.not_in(exclude))
                              .order_by(User.id).limit(limit * 3)).all()
    return [u for u in rows if u.active_roles()][:limit]


def _thread(community: Community, title: str, posts: list[tuple[User, str]], days_ago: int) -> CommunityThread:
    started = utcnow() - timedelta(days=days_ago)
    thread = CommunityThread(community_id=community.id, author_id=posts[0][0].id, title=title,
                             created_at=started, updated_at=started, last_post_at=started)
    db.session.add(thread)
    db.session.flush()
    for position, (author, body) in enumerate(posts):
        at = started + timedelta(hours=5 * position)
        db.session.add(CommunityPost(thread_id=thread.id, author_id=author.id, body=body, created_at=at, updated_at=at))
        thread.last_post_at = at
    db.session.flush()
    return thread


def _join(community: Community, user: User) -> CommunityMember:
    row = spaces.join(community, user)
    if row.status == "pending":
        spaces.decide_request(community, community.created_by, row.id, True, "Bienvenue")
    return row


def _open_community(coordinator: User, agent: User, referent: User, others: list[User]) -> Community:
    community = spaces.create_community(coordinator, {
        "name": OPEN_NAME, "domain": "alimentation_durable", "theme": "Cantines, loi EGalim, circuits courts",
        "regions": "53", "is_open": True,
        "description": "Agents des cantines, acheteurs et élus de Bretagne partagent leurs marchés, leurs "
                       "menus et leurs chiffres pour atteindre 50 % de produits durables dont 20 % bio.",
    })
    for person in [agent, referent, *others]:
        _join(community, person)
    helper = others[0] if others else referent
    _thread(community, "Allotir un marché de denrées pour les producteurs locaux", [
        (agent, "Nous préparons le renouvellement de notre marché de denrées. Comment avez-vous découpé "
                "les lots pour que les producteurs du département puissent répondre ?"),
        (referent, "Un lot par famille de produits (laitiers, légumes, viande) et un lot réservé au bio. "
                   "Le sourcing avant la consultation a tout changé."),
        (helper, "Pensez aussi au critère de performance en matière d'approvisionnement direct : il est "
                 "permis par le code de la commande publique."),
    ], days_ago=20)
    pinned = _thread(community, "Bienvenue : présentez-vous et dites ce que vous cherchez", [
        (coordinator, "Cette communauté réunit celles et ceux qui font vivre la restauration collective. "
                      "Présentez votre collectivité et la question qui vous occupe."),
        (agent, "Camille, Rennes : je cherche des retours sur les légumeries communales."),
    ], days_ago=30)
    moderation.moderate_thread(community, pinned, coordinator, "pin", "Fil d'accueil des nouveaux membres")
    _thread(community, "Gaspillage alimentaire : vos pesées avant et après", [
        (referent, "Nous avons pesé les restes pendant deux semaines : 110 g par repas. Et chez vous ?"),
    ], days_ago=4)
    resources.add_link(community, referent, "https://ma-cantine.agriculture.gouv.fr/",
                       "ma-cantine : suivre ses achats EGalim")
    resources.add_file(community, agent, io.BytesIO(
        "commune;repas par jour;part bio (%)\nRennes;11000;31\nSaint-Malo;2500;24\n".encode()),
        "pesees-et-achats.csv", "Nos chiffres d'achats 2025")
    for sheet_id in db.session.scalars(select(PracticeSheet.id).where(
            PracticeSheet.status == "published", PracticeSheet.domain == "alimentation_durable")
            .order_by(PracticeSheet.id).limit(3)):
        resources.add_sheet(community, coordinator, sheet_id)
    _meetings(community, coordinator)
    return community


def _meetings(community: Community, moderator: User) -> None:
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    db.session.add(CommunityMeeting(
        community_id=community.id, title="Atelier : rédiger un cahier des charges EGalim",
        starts_at=now + timedelta(days=21, hours=2), place="", video_url="https://webconf.numerique.gouv.fr/",
        agenda="1. Tour de table\n2. Retour de Rennes sur l'allotissement\n3. Modèle de clauses",
        created_by_id=moderator.id))
    db.session.add(CommunityMeeting(
        community_id=community.id, title="Rencontre de lancement", starts_at=now - timedelta(days=40),
        place="Maison des collectivités, Rennes", video_url="",
        agenda="1. Présentations\n2. Sujets de l'année",
        minutes="18 participants, 11 collectivités.\nSujets retenus : allotissement, gaspillage, légumeries.",
        created_by_id=moderator.id))
    db.session.flush()


def _closed_community(referent: User, approver: User, agent: User) -> Community:
    community = spaces.create_community(referent, {
        "name": CLOSED_NAME, "domain": "marches_publics", "theme": "Groupements de commandes",
        "departements": "35, 22, 29, 56", "is_open": False,
        "description": "Espace réservé aux acheteurs publics qui montent des groupements de commandes entre "
                       "communes et intercommunalités : conventions, prix obtenus, retours d'expérience.",
    })
    _join(community, approver)
    spaces.join(community, agent, "Je voudrais rejoindre le groupement sur les fournitures scolaires.")
    _thread(community, "Convention constitutive de groupement : vos modèles", [
        (referent, "Qui a un modèle de convention avec une commune coordonnatrice et une CLAO commune ?"),
        (approver, "Le nôtre est dans les ressources ; attention à la répartition des frais de publicité."),
    ], days_ago=10)
    resources.add_link(community, referent, "https://www.economie.gouv.fr/daj/commande-publique",
                       "Direction des affaires juridiques : commande publique")
    return community


@transactional
def seed_communities() -> dict:
    """Create the two demo communities once; their names, or an empty dict when already there or
    when the demo accounts are missing."""
    coordinator, agent = _user("coordinateur"), _user("agent")
    referent, approver = _user("referent"), _user("employeur")
    if None in (coordinator, agent, referent, approver):
        return {}
    if db.session.scalar(select(Community.id).where(Community.name.in_([OPEN_NAME, CLOSED_NAME]))):
        return {}
    others = _other_demo_users({u.id for u in (coordinator, agent, referent, approver)}, 4)
    return {"open": _open_community(coordinator, agent, referent, others).name,
            "closed": _closed_community(referent, approver, agent).name}
