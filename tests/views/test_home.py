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
