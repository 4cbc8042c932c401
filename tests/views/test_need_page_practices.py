"""A need's page suggests the practice sheets closest to it, and who made them."""
from marketplace.models import Need
from tests.fixtures.practices.helpers import make_sheet


def test_need_page_suggests_the_closest_published_practice(client, db, make_user, make_collectivity, login):
    lyon = make_collectivity("Lyon", departements=("69",), regions=("84",))
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    author = make_user(name="Alice Cantine", roles=[("agent", lyon)])
    sheet = make_sheet(author, lyon)
    make_sheet(author, lyon, status="draft", title="Brouillon de cantine")
    representative = make_user(roles=[("representative", rennes)])
    need = Need(title="Passer la cantine au bio local",
                description="Nos repas scolaires manquent de produits locaux et biologiques.",
                tags=["cantine"], domain="alimentation_durable", modality="remote", status="open",
                collectivity_id=rennes.id, author_id=representative.id, estimated_days=5)
    db.session.add(need)
    db.session.commit()

    login(representative)
    page = client.get(f"/besoins/{need.id}").get_data(as_text=True)
    assert f"/pratiques/{sheet.id}" in page
    assert "Cantine 100 % bio et locale" in page
    assert "Alice Cantine" in page
    assert "Brouillon de cantine" not in page


def test_pages_read_the_shared_index_without_fitting(client, db, make_user, make_collectivity, login,
                                                     monkeypatch):
    """Issue 9: the practices search and the need page no longer fit an engine per request."""
    from matching import MatchEngine

    from marketplace.suggestions import index as matching_index

    lyon = make_collectivity("Lyon", departements=("69",), regions=("84",))
    rennes = make_collectivity("Rennes", departements=("35",), regions=("53",))
    author = make_user(name="Alice Cantine", roles=[("agent", lyon)])
    make_sheet(author, lyon)
    representative = make_user(roles=[("representative", rennes)])
    need = Need(title="Passer la cantine au bio local", description="Repas scolaires bio et locaux.",
                tags=["cantine"], domain="alimentation_durable", modality="remote", status="open",
                collectivity_id=rennes.id, author_id=representative.id, estimated_days=5)
    db.session.add(need)
    db.session.commit()
    login(representative)
    client.get("/pratiques/?q=cantine")  # the first reader after a start may load the index file
    matching_index.reset_cache()  # a fresh process: it loads the saved index, it does not fit one
    fits = []
    real_fit = MatchEngine.fit
    monkeypatch.setattr(MatchEngine, "fit", lambda self, docs: fits.append(1) or real_fit(self, docs))
    for url in ("/pratiques/?q=cantine+bio", f"/besoins/{need.id}", "/pratiques/?q=voirie&tri=relevance"):
        assert client.get(url).status_code == 200
    assert "Cantine 100 % bio et locale" in client.get(f"/besoins/{need.id}").get_data(as_text=True)
    assert fits == []
