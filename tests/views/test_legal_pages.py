"""The footer's legal pages: accessibility statement, legal notice, personal data, terms of use,
site map and contact; in French and English, linked from every page, filled from the configuration.

The accessibility checks at the end back the criteria the statement says the project checks.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask_babel import get_babel

from marketplace.cli.i18n import compile_catalog, po_path
from marketplace.legal import accessibility as statement
from marketplace.legal import services
from marketplace.legal.sitemap import site_map, view_access

PAGES = {
    "/accessibilite": ("Déclaration d'accessibilité", "Accessibility statement"),
    "/mentions-legales": ("Mentions légales", "Legal notice"),
    "/donnees-personnelles": ("Données personnelles", "Personal data"),
    "/conditions-utilisation": ("Conditions d'utilisation", "Terms of use"),
    "/plan-du-site": ("Plan du site", "Site map"),
    "/contact": ("Contact", "Contact"),
}
OPERATOR = {
    "LEGAL_OPERATOR_NAME": "Agence nationale de la cohésion des territoires",
    "LEGAL_OPERATOR_ADDRESS": "20 avenue de Ségur, 75007 Paris",
    "LEGAL_OPERATOR_SIREN": "130026032",
    "LEGAL_PUBLICATION_DIRECTOR": "Camille Martin, directrice générale",
    "LEGAL_HOST_NAME": "Hébergeur Public SAS",
    "LEGAL_HOST_ADDRESS": "1 rue des Serveurs, 59000 Lille",
    "LEGAL_HOST_PHONE": "03 20 00 00 00",
    "LEGAL_CONTACT_EMAIL": "contact@essaim.example.fr",
    "LEGAL_DPO_NAME": "Dominique Durand",
    "LEGAL_DPO_EMAIL": "dpd@essaim.example.fr",
    "LEGAL_DPO_ADDRESS": "DPD, 20 avenue de Ségur, 75007 Paris",
}


def text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')


def h1(page: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()


def footer_links(page: str) -> list[str]:
    bottom = page.split('class="fr-footer__bottom-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="([^"]+)"', bottom)


@pytest.fixture
def english(app, tmp_path):
    """The app with the English catalogue compiled from the .po into this test's folder."""
    directory = tmp_path / "translations"
    compile_catalog(po_path(app), directory / "en" / "LC_MESSAGES" / "messages.mo")
    get_babel(app).translation_directories = [str(directory)]
    get_babel(app).instance.domain_instance.cache.clear()
    yield app
    get_babel(app).instance.domain_instance.cache.clear()


@pytest.fixture
def agent(make_user, make_collectivity):
    return make_user(roles=[("agent", make_collectivity())])


# --- the pages, in both languages ---------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_each_page_answers_in_french(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="fr"' in page
    assert h1(page) == PAGES[url][0]


@pytest.mark.parametrize("url", PAGES)
def test_each_page_answers_in_english(english, client, db, url):
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="en"' in page
    assert h1(page) == PAGES[url][1]
    assert "Accessibility: partially compliant" in page


@pytest.mark.parametrize("url", PAGES)
def test_each_page_is_read_only(client, db, url):
    assert client.post(url).status_code in (400, 405)  # CSRF refusal or method not allowed, never 500


# --- the footer ---------------------------------------------------------------------------


def test_home_footer_links_every_legal_page(client, db):
    page = text(client.get("/"))
    assert set(footer_links(page)) == set(PAGES)
    assert "Accessibilité : partiellement conforme" in page


def test_logged_in_page_footer_links_every_legal_page(client, agent, login):
    login(agent)
    page = text(client.get("/espace"))
    assert set(footer_links(page)) == set(PAGES)


def test_legal_page_footer_marks_the_current_page(client, db):
    page = text(client.get("/contact"))
    assert '<a class="fr-footer__bottom-link" href="/contact" aria-current="page">' in page


# --- the registration form ------------------------------------------------------------------


def test_register_checkbox_links_to_the_terms(client, db):
    page = text(client.get("/compte/inscription"))
    label = re.search(r'<label class="fr-label" for="accept_terms">(.*?)</label>', page, re.S).group(1)
    assert 'href="/conditions-utilisation"' in label
    assert 'title="Conditions d\'utilisation - nouvelle fenêtre"' in label


def test_register_checkbox_link_in_english(english, client, db):
    page = text(client.get("/compte/inscription", headers={"Accept-Language": "en"}))
    label = re.search(r'<label class="fr-label" for="accept_terms">(.*?)</label>', page, re.S).group(1)
    assert 'href="/conditions-utilisation"' in label and "Read the terms of use" in label


# --- the site map ---------------------------------------------------------------------------


def sitemap_links(page: str) -> set[str]:
    main = page.split('id="contenu"', 1)[1].split("</main>", 1)[0]
    return set(re.findall(r'href="(/[^"]*)"', main))


def test_sitemap_for_a_visitor_lists_public_pages_only(client, db):
    links = sitemap_links(text(client.get("/plan-du-site")))
    assert {"/", "/compte/connexion", "/compte/inscription", "/pratiques/", "/offres/", "/besoins/",
            "/statistiques/"} <= links  # offers and needs are public pages
    assert set(PAGES) <= links
    assert not any(link.startswith("/admin") for link in links)
    assert not {"/espace", "/offres/mes", "/besoins/nouveau", "/notifications/", "/coordination/"} & links
    # Machine endpoints are not pages; the API's documentation page is one.
    assert "/api/v1/docs" in links
    assert not any("<" in link or link.startswith(("/api", "/static")) for link in links - {"/api/v1/docs"})


def test_sitemap_for_an_agent_adds_their_pages(client, agent, login):
    login(agent)
    links = sitemap_links(text(client.get("/plan-du-site")))
    assert {"/espace", "/offres/", "/offres/mes", "/offres/nouveau", "/besoins/", "/notifications/",
            "/compte/profil", "/rapprochements/"} <= links
    assert "/besoins/nouveau" not in links  # a need is posted by a collectivity's référent
    assert "/compte/connexion" not in links and "/compte/inscription" not in links
    assert not any(link.startswith(("/admin", "/coordination")) for link in links)


def test_sitemap_for_an_admin_includes_administration(client, make_user, login):
    login(make_user(roles=["admin"]))
    links = sitemap_links(text(client.get("/plan-du-site")))
    assert {"/admin/", "/coordination/"} <= links


def test_sitemap_groups_pages_by_feature(client, agent, login):
    login(agent)
    page = text(client.get("/plan-du-site"))
    headings = re.findall(r'<h2 class="fr-h4" id="plan-[^"]+">(.*?)</h2>', page)
    assert headings[0] == "Accueil" and headings[-1] == "Informations légales"
    assert {"Compte", "Offres de compétences", "Besoins des collectivités", "Pratiques"} <= set(headings)
    legal = page.split('id="plan-legal"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="([^"]+)"', legal) == list(PAGES)  # reading order, not alphabetical


def test_sitemap_in_english(english, client, db):
    page = text(client.get("/plan-du-site", headers={"Accept-Language": "en"}))
    assert "Legal information" in page and ">Sign in</a>" in page and "Site map" in page


def test_view_access_reads_the_guards_of_a_view(app):
    def anonymous_user():
        return type("Anonymous", (), {"is_authenticated": False})()

    views = app.view_functions
    assert view_access(views["main.home"]).allows(anonymous_user())
    assert view_access(views["main.dashboard"]).login
    creation = view_access(views["offers.create"])
    assert creation.login and creation.roles == {"agent"}
    assert view_access(views["admin.index"], guarded_blueprint=True).admin_only


def test_site_map_includes_a_new_page_with_no_label(app, db):
    app.add_url_rule("/nouvelle-rubrique", "nouvelle_rubrique", lambda: "ici")
    anonymous = type("Anonymous", (), {"is_authenticated": False})()
    entries = [entry for group in site_map(app, anonymous) for entry in group.entries]
    assert any(entry.endpoint == "nouvelle_rubrique" and entry.label == "/nouvelle-rubrique"
               for entry in entries)


# --- the operator's details -----------------------------------------------------------------


def test_unconfigured_instance_says_what_is_missing(client, db):
    assert "L'exploitant de ce service s'engage" in text(client.get("/accessibilite"))
    page = text(client.get("/mentions-legales"))
    assert "Informations à compléter par l'exploitant" in page
    assert page.count("non renseigné") >= 5
    for name in ("LEGAL_OPERATOR_NAME", "LEGAL_PUBLICATION_DIRECTOR", "LEGAL_HOST_NAME"):
        assert name in page


def test_configured_details_appear_on_notice_privacy_and_contact(app, client, db):
    app.config.update(OPERATOR)
    notice = text(client.get("/mentions-legales"))
    assert "Informations à compléter" not in notice and "non renseigné" not in notice
    for value in ("Agence nationale de la cohésion des territoires", "130026032",
                  "Camille Martin, directrice générale", "Hébergeur Public SAS", "03 20 00 00 00"):
        assert value in notice
    privacy = text(client.get("/donnees-personnelles"))
    assert 'href="mailto:dpd@essaim.example.fr"' in privacy and "Dominique Durand" in privacy
    assert "Hébergeur Public SAS" in privacy
    contact = text(client.get("/contact"))
    assert 'href="mailto:contact@essaim.example.fr"' in contact


def test_privacy_page_states_basis_rights_retention_and_cnil(app, client, db):
    app.config.update(PRIVACY_ACCOUNT_RETENTION_MONTHS=24, PRIVACY_LOG_RETENTION_MONTHS=6)
    page = text(client.get("/donnees-personnelles"))
    assert "mission d'intérêt public" in page and "article 6, paragraphe 1, point e" in page
    assert "sans connexion depuis 24 mois" in page and "<td>6 mois.</td>" in page
    assert "CNIL" in page and "https://www.cnil.fr/fr/plaintes" in page
    assert "Délégué à la protection des données" in page


@pytest.mark.parametrize("value", [-3, 0, "douze", None])
def test_a_bad_retention_setting_falls_back_to_the_default(app, client, db, value):
    app.config["PRIVACY_LOG_RETENTION_MONTHS"] = value
    response = client.get("/donnees-personnelles")
    assert response.status_code == 200
    assert "<td>12 mois.</td>" in text(response)


def test_configured_text_is_escaped(app, client, db):
    app.config["LEGAL_OPERATOR_NAME"] = '<script>alert("x")</script>'
    page = client.get("/mentions-legales").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_details_are_read_on_one_line_and_accessibility_mail_falls_back_to_contact():
    details = services.legal_details({"LEGAL_OPERATOR_ADDRESS": "20 avenue de Ségur\n75007   Paris",
                                      "LEGAL_CONTACT_EMAIL": " contact@essaim.example.fr "})
    assert details.operator_address == "20 avenue de Ségur 75007 Paris"
    assert details.accessibility_email == "contact@essaim.example.fr"
    assert "LEGAL_OPERATOR_NAME" in details.missing and "LEGAL_CONTACT_EMAIL" not in details.missing
    assert services.legal_details(OPERATOR).complete


# --- the accessibility statement ------------------------------------------------------------


def test_accessibility_statement_has_the_rgaa_model_sections(app, client, db):
    app.config.update(OPERATOR, LEGAL_ACCESSIBILITY_EMAIL="accessibilite@essaim.example.fr")
    page = text(client.get("/accessibilite"))
    assert "partiellement conforme" in page and "version 4.1" in page
    assert "Agence nationale de la cohésion des territoires s'engage à rendre" in page
    for heading in ("État de conformité", "Résultats des tests", "Contenus non accessibles",
                    "Établissement de cette déclaration", "Retour d'information et contact",
                    "Voies de recours"):
        assert f"<h2>{heading}</h2>" in page
    assert 'href="mailto:accessibilite@essaim.example.fr"' in page
    assert "Défenseur des droits" in page and "Libre réponse 71120" in page
    assert "axe-core" in page
    for criterion in statement.CHECKED_CRITERIA + statement.NOT_YET_CHECKED:
        assert f'<th scope="row">{criterion.number}</th>' in page


# --- the RGAA criteria the statement says are checked ---------------------------------------

CHECKED_PAGES = ["/", "/compte/inscription", "/compte/connexion", *PAGES]


class Inventory(HTMLParser):
    """What the checks need from a page: landmarks, ids, labels, inputs, the title."""

    def __init__(self):
        super().__init__()
        self.roles, self.ids, self.label_for, self.inputs = set(), set(), set(), []
        self.title, self._in_title = "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.roles.add(attrs.get("role"))
        self.ids.add(attrs.get("id"))
        if tag == "label":
            self.label_for.add(attrs.get("for"))
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.inputs.append(attrs.get("id"))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def inventory(client, url: str) -> Inventory:
    parser = Inventory()
    parser.feed(client.get(url).get_data(as_text=True))
    return parser


@pytest.mark.parametrize("url", CHECKED_PAGES)
def test_rgaa_8_3_12_6_12_7_language_landmarks_and_skip_link(client, db, url):
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<html lang="(fr|en)"', page)
    found = inventory(client, url)
    assert {"banner", "navigation", "main", "contentinfo"} <= found.roles
    assert 'href="#contenu"' in page and "contenu" in found.ids


def test_rgaa_8_5_each_page_has_its_own_title(client, db):
    titles = [inventory(client, url).title.strip() for url in CHECKED_PAGES]
    assert all(titles)
    assert len(set(titles)) == len(titles), titles


@pytest.mark.parametrize("url", ["/compte/inscription", "/compte/connexion"])
def test_rgaa_11_1_every_field_has_a_label(client, db, url):
    found = inventory(client, url)
    assert found.inputs, "the form has fields"
    assert all(field_id and field_id in found.label_for for field_id in found.inputs), found.inputs


def test_rgaa_12_1_the_site_map_is_a_second_navigation_system(client, db):
    page = text(client.get("/"))
    assert 'id="navigation-principale"' in page and "/plan-du-site" in footer_links(page)
