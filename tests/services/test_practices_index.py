"""The practices search and a need's suggestions read one shared, versioned practices index that
publishing, editing and archiving keep up to date (issue 9: no per-request index fit)."""
from __future__ import annotations

import pytest
from matching import MatchEngine
from sqlalchemy import select

from marketplace.models import MatchingIndexState, Need
from marketplace.practices.services import editing, search
from marketplace.suggestions import index as matching_index
from tests.fixtures.practices.helpers import make_sheet, sheet_data

ROADS = dict(title="Entretien mutualisé de la voirie", domain="voirie", summary="Un marché groupé pour les routes.",
             problem="Nids-de-poule", actions="Groupement de commandes", results="Moins cher", tags=["routes"])


@pytest.fixture
def lyon(make_collectivity):
    return make_collectivity("Lyon", departements=("69",), regions=("84",))


@pytest.fixture
def rennes(make_collectivity):
    return make_collectivity("Rennes", departements=("35",), regions=("53",))


@pytest.fixture
def author(make_user, lyon):
    return make_user(name="Alice", roles=[("agent", lyon)])


@pytest.fixture
def need(db, make_user, rennes):
    item = Need(title="Passer la cantine au bio local", description="Nos repas scolaires manquent de "
                "produits locaux et biologiques.", tags=["cantine"], domain="alimentation_durable",
                modality="remote", status="open", collectivity_id=rennes.id,
                author_id=make_user(roles=[("representative", rennes)]).id, estimated_days=5)
    db.session.add(item)
    db.session.commit()
    return item


@pytest.fixture(autouse=True)
def fresh_cache():
    matching_index.reset_cache()
    yield
    matching_index.reset_cache()


@pytest.fixture
def fits(monkeypatch):
    """Counts MatchEngine.fit calls; the real fit still runs."""
    calls = []
    real_fit = MatchEngine.fit

    def counting_fit(self, documents):
        calls.append(1)
        return real_fit(self, documents)

    monkeypatch.setattr(MatchEngine, "fit", counting_fit)
    return calls


def ids(found):
    return [item.sheet.id for item in found]


def test_publishing_updates_the_shared_index(app, db, author, lyon):
    draft = make_sheet(author, lyon, status="draft")
    assert draft.id not in (matching_index.current("practices") or [])
    editing.save_sheet(draft, author, sheet_data(lyon, status="published"), 1)
    state = db.session.scalar(select(MatchingIndexState).where(MatchingIndexState.kind == "practices"))
    assert state is not None and state.version >= 1 and state.path
    assert draft.id in matching_index.current("practices")


def test_search_and_need_page_see_a_new_sheet_then_not_an_archived_one(app, author, lyon, need):
    roads = make_sheet(author, lyon, **ROADS)
    matching_index.current("practices")  # the index exists before the new sheet comes
    canteen = make_sheet(author, lyon)
    assert ids(search.search_sheets("restauration scolaire biologique", sort="relevance"))[0] == canteen.id
    assert ids(search.similar_practices_for_need(need))[0] == canteen.id
    assert ids(search.search_sheets("routes communales voirie"))[0] == roads.id

    editing.save_sheet(canteen, author, sheet_data(lyon, status="archived"), canteen.revision_number)
    assert canteen.id not in matching_index.current("practices")
    assert canteen.id not in ids(search.search_sheets("restauration scolaire biologique"))
    assert canteen.id not in ids(search.similar_practices_for_need(need))


def test_an_edit_changes_what_the_index_finds(app, author, lyon):
    sheet = make_sheet(author, lyon)
    assert search.search_sheets("péniche fluviale") == []
    editing.save_sheet(sheet, author, sheet_data(lyon, summary="Une péniche fluviale pour livrer les cantines."),
                       1)
    assert ids(search.search_sheets("péniche fluviale")) == [sheet.id]


def test_queries_do_not_fit_an_engine(app, author, lyon, need, fits):
    make_sheet(author, lyon)
    make_sheet(author, lyon, **ROADS)
    matching_index.current("practices")
    before = len(fits)
    search.search_sheets("cantine bio")
    search.browse({"q": "routes", "domaine": "voirie"})
    search.similar_practices_for_need(need)
    assert len(fits) == before


def test_a_stale_index_never_shows_an_archived_sheet(app, db, author, lyon, need):
    """Between the archive and its task, the database still decides what is shown."""
    canteen = make_sheet(author, lyon)
    assert canteen.id in matching_index.current("practices")
    canteen.status = "archived"  # as if the indexing task had not run yet
    db.session.commit()
    assert canteen.id in matching_index.current("practices")
    assert canteen.id not in ids(search.search_sheets("cantine bio locale"))
    assert search.similar_practices_for_need(need) == []


def test_rebuild_reads_published_sheets_only(app, author, lyon):
    published = make_sheet(author, lyon)
    draft = make_sheet(author, lyon, status="draft", title="Brouillon")
    assert matching_index.count_indexable("practices") == 1
    assert matching_index.refit("practices") == 1
    engine = matching_index.current("practices")
    assert published.id in engine and draft.id not in engine
