"""Finding practices: filters, spread order, French-aware text search, suggestions for a need."""
from __future__ import annotations

import pytest

from marketplace.models import Need
from marketplace.practices.services import essaimage, search
from tests.fixtures.practices.helpers import make_sheet


@pytest.fixture
def places(make_collectivity):
    return {
        "lyon": make_collectivity("Lyon", departements=("69",), regions=("84",)),
        "rennes": make_collectivity("Rennes", departements=("35",), regions=("53",)),
        "brest": make_collectivity("Brest", departements=("29",), regions=("53",)),
    }


@pytest.fixture
def sheets(make_user, places):
    lyon, rennes = places["lyon"], places["rennes"]
    author = make_user(name="Alice", roles=[("agent", lyon)])
    other = make_user(name="Bruno", roles=[("agent", rennes)])
    canteen = make_sheet(author, lyon)
    roads = make_sheet(other, rennes, title="Entretien mutualisé de la voirie", domain="voirie",
                       summary="Un marché groupé pour les routes communales.", problem="Nids-de-poule",
                       actions="Groupement de commandes", results="Moins cher", tags=["routes"])
    draft = make_sheet(author, lyon, status="draft", title="Cantine brouillon")
    return {"canteen": canteen, "roads": roads, "draft": draft, "author": author, "other": other}


def rep(make_user, place):
    return make_user(roles=[("representative", place)])


def ids(found):
    return [item.sheet.id for item in found]


def test_only_published_and_sorted_by_spread(app, make_user, places, sheets):
    assert sheets["draft"].id not in ids(search.search_sheets())
    # One implementation (2) outweighs one inspiration (1).
    essaimage.declare_reuse(sheets["roads"], rep(make_user, places["brest"]), places["brest"].id, "implemented")
    essaimage.declare_reuse(sheets["canteen"], rep(make_user, places["rennes"]), places["rennes"].id, "inspired")
    found = search.search_sheets(sort="spread")
    assert ids(found) == [sheets["roads"].id, sheets["canteen"].id]
    assert (found[0].spread, found[0].reuses) == (2, 1)
    assert ids(search.search_sheets(min_spread=1)) == ids(found)
    assert ids(search.search_sheets(sort="title")) == [sheets["canteen"].id, sheets["roads"].id]


def test_filters_by_domain_and_territory(app, places, sheets):
    assert ids(search.search_sheets(domain="voirie")) == [sheets["roads"].id]
    assert ids(search.search_sheets(departement="69")) == [sheets["canteen"].id]
    assert ids(search.search_sheets(region="53")) == [sheets["roads"].id]
    assert search.search_sheets(region="11") == []
    assert search.search_sheets(min_spread=1) == []


def test_text_search_is_french_aware(app, sheets):
    found = search.search_sheets("restauration scolaire biologique, produits locaux", sort="relevance")
    assert ids(found)[0] == sheets["canteen"].id
    assert found[0].score > 0 and found[0].reasons.words
    assert ids(search.search_sheets("routes communales"))[0] == sheets["roads"].id
    assert search.search_sheets("xylophone quantique") == []


def test_similar_practices_for_need(app, db, make_user, places, sheets):
    rennes = places["rennes"]
    need = Need(title="Passer la cantine au bio local", description="Nos repas scolaires manquent de "
                "produits locaux et biologiques.", tags=["cantine"], domain="alimentation_durable",
                modality="remote", status="open", collectivity_id=rennes.id,
                author_id=rep(make_user, rennes).id, estimated_days=5)
    db.session.add(need)
    db.session.commit()
    found = search.similar_practices_for_need(need, k=3)
    assert ids(found)[0] == sheets["canteen"].id
    assert [u.display_name for u in found[0].authors] == ["Alice"]
    assert sheets["draft"].id not in ids(found)


def test_no_sheets_no_suggestions(app, db, make_user, places):
    need = Need(title="Voirie", description="", tags=[], domain="voirie", modality="remote",
                status="open", collectivity_id=places["lyon"].id,
                author_id=rep(make_user, places["lyon"]).id, estimated_days=1)
    db.session.add(need)
    db.session.commit()
    assert search.similar_practices_for_need(need) == []
