"""Offers and needs services: status moves, publication, who may, and the shared list query."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from marketplace.models import Departement, Region, SkillOffer
from marketplace.listings import query as listing_query, services as listings
from marketplace.core.errors import ServiceError
from marketplace.listings.services import NEED, OFFER

pytestmark = pytest.mark.both_databases  # see tests/test_dialects.py


def offer_data(collectivity, **fields):
    data = {"collectivity_id": collectivity.id, "title": "Accompagnement SIG", "description": "Cartes.",
            "tags": ["SIG"], "domain": "numerique", "modality": "remote", "days_per_month": 2.0,
            "available_from": None, "available_until": None, "max_distance_km": None}
    data.update(fields)
    return data


def need_data(collectivity, **fields):
    data = {"collectivity_id": collectivity.id, "title": "Refonte du PLU", "description": "Révision.",
            "tags": [], "domain": "urbanisme", "modality": "on_site", "estimated_days": 10.0,
            "start_date": None, "deadline": None}
    data.update(fields)
    return data


@pytest.fixture
def world(make_collectivity, make_user):
    lyon = make_collectivity("Lyon", departements=("69",), regions=("84",))
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    agent = make_user(roles=[("agent", lyon)])
    other_agent = make_user(roles=[("agent", rennes)])
    rep = make_user(roles=[("representative", rennes)])
    admin = make_user(roles=["admin"])
    return dict(lyon=lyon, rennes=rennes, agent=agent, other_agent=other_agent, rep=rep, admin=admin)


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


# --- creation and ownership ------------------------------------------------------------------


def test_agent_creates_a_draft_for_the_collectivity_of_their_role(world):
    offer = listings.create_offer(world["agent"], offer_data(world["lyon"]))
    assert offer.id and offer.status == "draft" and offer.published_at is None
    assert offer.agent_id == world["agent"].id and offer.collectivity_id == world["lyon"].id


def test_creating_for_a_collectivity_without_the_role_is_refused_and_saves_nothing(world, db):
    with pytest.raises(ServiceError, match="collectivité"):
        listings.create_offer(world["agent"], offer_data(world["rennes"]))
    with pytest.raises(ServiceError):  # a representative is not an agent
        listings.create_offer(world["rep"], offer_data(world["rennes"]))
    assert count(db, SkillOffer) == 0


def test_need_is_posted_for_the_representative_collectivity(world):
    need = listings.create_need(world["rep"], need_data(world["rennes"]), publish=True)
    assert need.status == "open" and need.published_at is not None
    with pytest.raises(ServiceError):
        listings.create_need(world["agent"], need_data(world["lyon"]))


def test_pending_role_drafts_only_and_refused_role_does_not_count(world, db):
    # Issue 10 §1: a pending (unverified) role prepares drafts but never publishes.
    world["agent"].roles[0].status = "pending"
    db.session.commit()
    with pytest.raises(ServiceError, match="en attente de vérification"):
        listings.create_offer(world["agent"], offer_data(world["lyon"]), publish=True)
    db.session.rollback()
    assert listings.create_offer(world["agent"], offer_data(world["lyon"])).status == "draft"
    world["agent"].roles[0].status = "refused"
    db.session.commit()
    with pytest.raises(ServiceError):
        listings.create_offer(world["agent"], offer_data(world["lyon"]))


def test_publishing_requires_a_verified_email_and_nothing_is_half_saved(world, make_user, db):
    unverified = make_user(roles=[("agent", world["lyon"])], verified=False)
    with pytest.raises(ServiceError, match="e-mail"):
        listings.create_offer(unverified, offer_data(world["lyon"]), publish=True)
    assert count(db, SkillOffer) == 0
    draft = listings.create_offer(unverified, offer_data(world["lyon"]))
    with pytest.raises(ServiceError, match="e-mail"):
        listings.change_offer_status(draft, "published", unverified)
    db.session.refresh(draft)
    assert draft.status == "draft" and draft.published_at is None


@pytest.mark.parametrize("bad", [
    {"title": "x" * 10_000}, {"title": "abc"}, {"description": "d" * 10_001},
    {"days_per_month": -1}, {"days_per_month": 10_000}, {"domain": "astrologie"}, {"modality": "tele"},
    {"available_from": date(2030, 5, 2), "available_until": date(2030, 5, 1)},
])
def test_service_refuses_impossible_values_even_without_a_form(world, db, bad):
    with pytest.raises(ServiceError):
        listings.create_offer(world["agent"], offer_data(world["lyon"], **bad))
    assert count(db, SkillOffer) == 0


def test_only_owner_or_admin_updates(world):
    offer = listings.create_offer(world["agent"], offer_data(world["lyon"]))
    with pytest.raises(ServiceError, match="auteur"):
        listings.update_offer(offer, offer_data(world["lyon"], title="Piratage de l'offre"), world["other_agent"])
    assert offer.title == "Accompagnement SIG"
    listings.update_offer(offer, offer_data(world["lyon"], title="Titre de l'admin"), world["admin"])
    assert offer.title == "Titre de l'admin"
    listings.update_offer(offer, offer_data(world["lyon"], title="Titre du propriétaire"), world["agent"])
    assert offer.title == "Titre du propriétaire"


def test_admin_cannot_move_an_offer_outside_the_owner_collectivities(world):
    offer = listings.create_offer(world["agent"], offer_data(world["lyon"]))
    with pytest.raises(ServiceError):
        listings.update_offer(offer, offer_data(world["rennes"]), world["admin"])


def test_final_items_cannot_be_edited(world):
    offer = listings.create_offer(world["agent"], offer_data(world["lyon"]))
    listings.change_offer_status(offer, "archived", world["agent"])
    with pytest.raises(ServiceError, match="clos"):
        listings.update_offer(offer, offer_data(world["lyon"], title="Nouveau titre"), world["agent"])


# --- status moves ------------------------------------------------------------------------------

OFFER_PATHS = {
    ("draft", "published"), ("published", "paused"), ("paused", "published"),
    ("draft", "archived"), ("published", "archived"), ("paused", "archived"),
}
NEED_PATHS = {
    ("draft", "open"), ("open", "in_progress"), ("open", "closed"), ("open", "cancelled"),
    ("in_progress", "closed"), ("in_progress", "cancelled"),
}


def _all_moves(statuses):
    return [(a, b) for a in statuses for b in statuses if a != b]


KINDS = {
    "offer": (OFFER, OFFER_PATHS, listings.create_offer, listings.change_offer_status, offer_data, "agent", "lyon"),
    "need": (NEED, NEED_PATHS, listings.create_need, listings.change_need_status, need_data, "rep", "rennes"),
}


@pytest.mark.parametrize("name,start,target", [
    (name, start, target) for name, spec in KINDS.items() for start, target in _all_moves(spec[0].statuses)
])
def test_status_moves_follow_the_table(world, db, name, start, target):
    kind, paths, create, change, data, owner, place = KINDS[name]
    item = create(world[owner], data(world[place]))
    item.status = start
    db.session.commit()
    if (start, target) in paths:
        change(item, target, world[owner])
        assert item.status == target
    else:
        with pytest.raises(ServiceError, match="Passage impossible"):
            change(item, target, world[owner])
        db.session.refresh(item)
        assert item.status == start


def test_unknown_status_is_refused(world):
    offer = listings.create_offer(world["agent"], offer_data(world["lyon"]))
    with pytest.raises(ServiceError):
        listings.change_offer_status(offer, "supprimée", world["agent"])


def test_published_at_is_set_on_first_publication_only(world):
    offer = listings.create_offer(world["agent"], offer_data(world["lyon"]))
    listings.change_offer_status(offer, "published", world["agent"])
    first = offer.published_at
    assert first is not None
    listings.change_offer_status(offer, "paused", world["agent"])
    listings.change_offer_status(offer, "published", world["agent"])
    assert offer.published_at == first


def test_status_changes_by_others_are_refused_admin_allowed(world):
    offer = listings.create_offer(world["agent"], offer_data(world["lyon"]))
    with pytest.raises(ServiceError):
        listings.change_offer_status(offer, "published", world["other_agent"])
    with pytest.raises(ServiceError):
        listings.change_offer_status(offer, "published", world["rep"])
    listings.change_offer_status(offer, "published", world["admin"])
    assert offer.status == "published"


def test_visibility(world):
    offer = listings.create_offer(world["agent"], offer_data(world["lyon"]))
    assert listings.get_for_viewer(OFFER, offer.id, world["other_agent"]) is None
    assert listings.get_for_viewer(OFFER, offer.id, world["agent"]) is offer
    assert listings.get_for_viewer(OFFER, offer.id, world["admin"]) is offer
    listings.change_offer_status(offer, "published", world["agent"])
    assert listings.get_for_viewer(OFFER, offer.id, world["other_agent"]) is offer
    assert listings.get_for_viewer(OFFER, 999, world["admin"]) is None


# --- the list query ----------------------------------------------------------------------------


@pytest.fixture
def geo(db):
    db.session.add_all([Region(code="84", name="Auvergne-Rhône-Alpes", vintage="2025"),
                        Region(code="53", name="Bretagne", vintage="2025")])
    db.session.add_all([Departement(code="69", name="Rhône", region_code="84", vintage="2025"),
                        Departement(code="35", name="Ille-et-Vilaine", region_code="53", vintage="2025")])
    db.session.commit()


def publish(world, **fields):
    owner_key, place = ("agent", "lyon") if fields.pop("where", "lyon") == "lyon" else ("other_agent", "rennes")
    offer = listings.create_offer(world[owner_key], offer_data(world[place], **fields), publish=True)
    return offer


def titles(args):
    page, _filters = listing_query.browse(OFFER, MultiDict(args))
    return [item.title for item in page.items]


def test_browsing_shows_published_offers_only(world):
    publish(world, title="Offre publiée")
    listings.create_offer(world["agent"], offer_data(world["lyon"], title="Brouillon caché"))
    paused = publish(world, title="Offre en pause")
    listings.change_offer_status(paused, "paused", world["agent"])
    assert titles({}) == ["Offre publiée"]


def test_browsing_needs_shows_open_and_in_progress(world):
    for title, status in (("Besoin ouvert", None), ("Besoin en cours", "in_progress"),
                          ("Besoin clos", "closed")):
        need = listings.create_need(world["rep"], need_data(world["rennes"], title=title), publish=True)
        if status:
            listings.change_need_status(need, status, world["rep"])
    listings.create_need(world["rep"], need_data(world["rennes"], title="Besoin brouillon"))
    page, _ = listing_query.browse(NEED, MultiDict({"sort": "title"}))
    assert [n.title for n in page.items] == ["Besoin en cours", "Besoin ouvert"]


def test_filter_by_domain_modality_region_departement(world, geo):
    publish(world, title="Numérique à Lyon", domain="numerique", modality="remote")
    publish(world, title="Finances à Rennes", domain="finances", modality="on_site", where="rennes")
    assert titles({"domain": "finances"}) == ["Finances à Rennes"]
    assert titles({"modality": "remote"}) == ["Numérique à Lyon"]
    assert titles({"region": "53"}) == ["Finances à Rennes"]
    assert titles({"departement": "69"}) == ["Numérique à Lyon"]
    assert titles({"departement": "69", "domain": "finances"}) == []


def test_free_text_is_case_and_accent_insensitive_over_title_description_tags(world):
    publish(world, title="Stratégie énergétique", description="Chaufferie bois")
    publish(world, title="Marchés publics", description="Rédaction des CCTP", tags=["Achat Durable"])
    assert titles({"q": "ENERGETIQUE"}) == ["Stratégie énergétique"]
    assert titles({"q": "chaufferie"}) == ["Stratégie énergétique"]
    assert titles({"q": "marches cctp"}) == ["Marchés publics"]
    assert titles({"q": "achat durable"}) == ["Marchés publics"]
    assert titles({"q": "%"}) == []  # LIKE wildcards are searched literally
    assert titles({"q": "_"}) == []


def test_search_text_follows_edits(world):
    offer = publish(world, title="Ancien intitulé")
    listings.update_offer(offer, offer_data(world["lyon"], title="Nouvel intitulé"), world["agent"])
    assert titles({"q": "nouvel"}) == ["Nouvel intitulé"]
    assert titles({"q": "ancien"}) == []


def test_sorting(world):
    publish(world, title="Bravo", days_per_month=5)
    publish(world, title="Alpha", days_per_month=1)
    publish(world, title="Charlie", days_per_month=10)
    assert titles({"sort": "title"}) == ["Alpha", "Bravo", "Charlie"]
    assert titles({"sort": "days"}) == ["Charlie", "Bravo", "Alpha"]
    assert titles({}) == ["Charlie", "Alpha", "Bravo"]  # most recently published first


def test_pagination(app, world):
    app.config["ITEMS_PER_PAGE"] = 2
    for n in range(5):
        publish(world, title=f"Offre {n}")
    assert titles({"sort": "title", "page": "2"}) == ["Offre 2", "Offre 3"]
    assert titles({"sort": "title", "page": "3"}) == ["Offre 4"]
    assert titles({"sort": "title", "page": "99"}) == []
    assert titles({"sort": "title", "page": "abc"}) == ["Offre 0", "Offre 1"]
    assert titles({"sort": "title", "page": "-4"}) == ["Offre 0", "Offre 1"]


def test_unknown_filter_values_are_ignored_with_a_french_notice(world, geo):
    publish(world, title="Offre visible")
    filters = listing_query.parse_filters(MultiDict(
        {"domain": "astrologie", "modality": "x", "region": "99", "departement": "ZZ", "sort": "prix"}))
    assert filters.domain == filters.modality == filters.region == filters.departement == ""
    assert filters.sort == "recent"
    assert any("Domaine inconnu" in notice for notice in filters.notices)
    assert any("Région inconnue" in notice for notice in filters.notices)
    assert len(filters.notices) == 5
    assert titles({"domain": "astrologie"}) == ["Offre visible"]


def test_query_args_keep_only_chosen_filters():
    filters = listing_query.parse_filters({"q": "  plan   local ", "domain": "urbanisme"})
    assert filters.query_args() == {"q": "plan local", "domain": "urbanisme"}


def test_own_items_lists_every_status(world, db):
    listings.create_offer(world["agent"], offer_data(world["lyon"], title="Brouillon"))
    archived = publish(world, title="Archivée")
    listings.change_offer_status(archived, "archived", world["agent"])
    publish(world, title="D'un autre", where="rennes")
    mine = db.session.scalars(listings.own_items(OFFER, world["agent"])).all()
    assert {o.title for o in mine} == {"Brouillon", "Archivée"}


def test_dates_are_stored(world):
    start = date.today() + timedelta(days=3)
    offer = listings.create_offer(world["agent"], offer_data(
        world["lyon"], available_from=start, available_until=start + timedelta(days=30)))
    assert offer.available_until - offer.available_from == timedelta(days=30)
