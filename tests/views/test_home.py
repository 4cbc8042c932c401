def test_home_is_public_in_french_with_counts(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'lang="fr"' in page
    assert "Comment ça marche" in page
    assert 'id="chiffres"' in page
    assert "dsfr.min.css" in page


def test_unknown_page_gives_generic_french_error(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Cette page n&#39;existe pas" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_numbers_are_written_as_the_reader_writes_them(app):
    from flask_babel import force_locale

    from marketplace.core.templating import number

    with app.test_request_context():
        with force_locale("fr"):
            assert number(2.5) == "2,5" and number(3.0) == "3" and number(None) == ""
        with force_locale("en"):
            assert number(2.5) == "2.5"


def _offer(make_user, make_collectivity, title="Accompagnement PLU"):
    from marketplace.models import SkillOffer
    from marketplace.models.base import utcnow
    from marketplace.core.extensions import db

    agent = make_user()
    offer = SkillOffer(title=title, description="d", domain="urbanisme", modality="remote", status="published",
                       published_at=utcnow(), collectivity=make_collectivity(), agent=agent, days_per_month=2)
    db.session.add(offer)
    db.session.commit()
    return offer


def test_home_counts_are_kept_a_minute_then_counted_again(app, client, make_user, make_collectivity):
    from marketplace.core.extensions import cache
    from marketplace.main import stats

    assert stats.public_counts()["offers"] == 0
    _offer(make_user, make_collectivity)
    assert stats.public_counts()["offers"] == 0  # the cached figure, not counted at each view
    assert stats.count_public()["offers"] == 1
    cache.delete(stats.CACHE_KEY)  # what the expiry of PUBLIC_COUNTS_TTL does
    assert stats.public_counts()["offers"] == 1
    assert client.get("/").status_code == 200


def test_home_counts_when_the_cache_does_not_answer(app, client, monkeypatch):
    """A cache backend that fails (a Redis down) never breaks the home page: it counts."""
    from marketplace.core.extensions import cache

    def broken(*_args, **_kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/")
    assert response.status_code == 200
    assert 'id="chiffres"' in response.get_data(as_text=True)
