"""The English catalogue: pages and e-mails in English, the language switch, catalogue coverage.

The catalogue is compiled here, into the test's own folder, so these tests do not depend on
`make translations` having run.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from flask_babel import get_babel

from marketplace.cli.i18n import (check_catalog, compile_catalog, po_path, project_root,
                                  read_catalog, update_catalog)
from marketplace.models import User

REGISTRATION = {
    "display_name": "Sam Taylor", "email": "sam@commune.fr", "password": "une phrase solide",
    "confirm": "une phrase solide", "language": "en", "accept_terms": "y",
}


def text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def use_translations(app, directory: Path) -> None:
    """Point Flask-Babel at `directory` and drop its cache (the Domain object is process-wide)."""
    get_babel(app).translation_directories = [str(directory)]
    get_babel(app).instance.domain_instance.cache.clear()


@pytest.fixture
def english(app, tmp_path):
    """The app with the English catalogue compiled from the .po into this test's folder."""
    directory = tmp_path / "translations"
    compile_catalog(po_path(app), directory / "en" / "LC_MESSAGES" / "messages.mo")
    use_translations(app, directory)
    yield app
    get_babel(app).instance.domain_instance.cache.clear()


# --- pages ----------------------------------------------------------------------------------


def test_home_in_english_when_the_browser_asks_for_it(english, client, db):
    page = text(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}))
    assert '<html lang="en"' in page
    assert "Share expertise between local authorities" in page
    assert "Partagez l'ingénierie" not in page


def test_home_stays_in_french_by_default(english, client, db):
    page = text(client.get("/", headers={"Accept-Language": "de"}))
    assert '<html lang="fr"' in page
    assert "Partagez l'ingénierie entre collectivités" in page


def test_logged_in_user_preferred_language_wins_over_the_browser(english, client, make_user, login):
    user = make_user(preferred_language="en")
    login(user)
    page = text(client.get("/espace", headers={"Accept-Language": "fr"}))
    assert '<html lang="en"' in page
    assert "Your next steps" in page and "Vos prochaines étapes" not in page


def test_language_switch_changes_the_page_language(english, client, db):
    assert '<html lang="fr"' in text(client.get("/"))
    response = client.post_form("/langue", {"lang": "en"}, token_from="/")
    assert response.status_code == 302
    page = text(client.get("/"))
    assert '<html lang="en"' in page
    assert "How it works" in page and "Comment ça marche" not in page


def test_language_switch_is_stored_on_the_account(english, client, db, make_user, login):
    user = make_user(preferred_language="fr")
    login(user)
    client.post_form("/langue", {"lang": "en"}, token_from="/espace")
    assert db.session.get(User, user.id).preferred_language == "en"
    assert "Your next steps" in text(client.get("/espace"))


@pytest.mark.parametrize("lang", ["xx", "", "EN", "en-US"])
def test_language_switch_ignores_an_unknown_language(english, client, db, lang):
    response = client.post_form("/langue", {"lang": lang}, token_from="/")
    assert response.status_code == 302
    assert '<html lang="fr"' in text(client.get("/"))


def test_language_switch_requires_the_csrf_token(english, client, db):
    assert client.post("/langue", data={"lang": "en"}).status_code == 400


def test_pages_fall_back_to_french_without_a_compiled_catalogue(app, client, db, tmp_path):
    use_translations(app, tmp_path / "empty")
    try:
        response = client.get("/", headers={"Accept-Language": "en"})
    finally:
        get_babel(app).instance.domain_instance.cache.clear()
    assert response.status_code == 200
    assert "Partagez l'ingénierie entre collectivités" in text(response)


# --- e-mails --------------------------------------------------------------------------------


def test_verification_email_in_english_for_an_english_speaking_user(english, client, db):
    client.post_form("/compte/inscription", REGISTRATION, token_from="/compte/inscription")
    [message] = english.extensions["mailman"].outbox
    assert message.subject == "Confirm your email address"
    assert "Dear Sam Taylor," in message.body
    assert "To confirm your email address on Essaim, open this link:" in message.body
    assert "The Essaim team" in message.body and "Bonjour" not in message.body
    html, _mime = message.alternatives[0]
    assert '<html lang="en">' in html and "Confirm my email address" in html


def test_verification_email_in_french_for_a_french_speaking_user(english, client, db):
    client.post_form("/compte/inscription", {**REGISTRATION, "language": "fr"},
                     token_from="/compte/inscription")
    [message] = english.extensions["mailman"].outbox
    assert message.subject == "Confirmez votre adresse e-mail"
    assert "Bonjour Sam Taylor," in message.body


# --- the catalogue --------------------------------------------------------------------------


def test_english_catalogue_covers_every_msgid_in_the_code(app):
    report = check_catalog(project_root(app), po_path(app))
    assert report.missing == [], "run `flask i18n update` and translate the new strings"
    assert report.untranslated == [] and report.fuzzy == [] and report.format_errors == []


def test_flask_i18n_check_command_succeeds(app):
    result = app.test_cli_runner().invoke(args=["i18n", "check"])
    assert result.exit_code == 0, result.output


def test_compiled_catalogue_translates_plural_forms(app, tmp_path):
    from babel.support import Translations

    compile_catalog(po_path(app), tmp_path / "en" / "LC_MESSAGES" / "messages.mo")
    translations = Translations.load(str(tmp_path), ["en"])
    assert translations.ngettext("%(num)s résultat", "%(num)s résultats", 1) == "%(num)s result"
    assert translations.ngettext("%(num)s résultat", "%(num)s résultats", 3) == "%(num)s results"


# --- the check itself, on a small project of its own ----------------------------------------


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "marketplace").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "babel.cfg").write_text(
        "[python: marketplace/**.py]\n[jinja2: templates/**.html]\n", encoding="utf-8")
    (root / "marketplace" / "views.py").write_text(
        "from flask_babel import gettext as _, lazy_gettext as _l\n"
        "A = _('Bonjour')\nB = _l('Au revoir')\n", encoding="utf-8")
    (root / "templates" / "page.html").write_text(
        "{{ ngettext('%(num)s fiche', '%(num)s fiches', n) }}\n", encoding="utf-8")
    return root


def _po(root: Path) -> Path:
    return root / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _translate(root: Path, strings: dict) -> None:
    from marketplace.cli.i18n import write_catalog

    catalog = read_catalog(_po(root))
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in strings:
            message.string = strings[key]
    write_catalog(catalog, _po(root))


def test_update_creates_the_catalogue_with_every_msgid_untranslated(project):
    update_catalog(project, project / "translations")
    assert (project / "translations" / "messages.pot").exists()
    report = check_catalog(project, _po(project))
    assert report.missing == []
    assert sorted(report.untranslated) == ["%(num)s fiche", "Au revoir", "Bonjour"]


def test_check_passes_once_everything_is_translated(project):
    update_catalog(project, project / "translations")
    _translate(project, {"Bonjour": "Hello", "Au revoir": "Goodbye",
                         "%(num)s fiche": ("%(num)s sheet", "%(num)s sheets")})
    assert check_catalog(project, _po(project)).ok


def test_check_reports_a_new_string_until_update_runs_and_update_keeps_translations(project):
    update_catalog(project, project / "translations")
    _translate(project, {"Bonjour": "Hello", "Au revoir": "Goodbye",
                         "%(num)s fiche": ("%(num)s sheet", "%(num)s sheets")})
    with open(project / "marketplace" / "views.py", "a", encoding="utf-8") as source:
        source.write("C = _('Nouveau texte')\n")
    assert check_catalog(project, _po(project)).missing == ["Nouveau texte"]
    update_catalog(project, project / "translations")
    report = check_catalog(project, _po(project))
    assert report.missing == [] and report.untranslated == ["Nouveau texte"]
    assert read_catalog(_po(project)).get("Bonjour").string == "Hello"


def test_check_reports_fuzzy_and_bad_placeholders(project):
    update_catalog(project, project / "translations")
    _translate(project, {"Bonjour": "Hello", "Au revoir": "Goodbye",
                         "%(num)s fiche": ("%(n)s sheet", "%(n)s sheets")})
    catalog = read_catalog(_po(project))
    catalog.get("Bonjour").flags.add("fuzzy")
    from marketplace.cli.i18n import write_catalog

    write_catalog(catalog, _po(project))
    report = check_catalog(project, _po(project))
    assert report.fuzzy == ["Bonjour"]
    assert len(report.format_errors) == 1 and "%(num)s fiche" in report.format_errors[0]
    assert not report.ok


def test_check_without_a_catalogue_reports_every_msgid_missing(project):
    report = check_catalog(project, _po(project))
    assert sorted(report.missing) == ["%(num)s fiche", "Au revoir", "Bonjour"]


def test_autocomplete_announces_results_in_the_reader_language(english, client, make_user, login):
    login(make_user(preferred_language="en"))
    page = text(client.get("/compte/bienvenue"))
    assert 'data-autocomplete-many="{n} results available"' in page
    assert 'data-autocomplete-none="No results"' in page
