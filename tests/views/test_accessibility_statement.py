"""The accessibility statement shows the data of marketplace/legal/accessibility.py: the audited
pages, the criteria with their method and result, the rate and how it is computed. The browser
journeys' audit (tests/browser/conftest.py) fails when a journey visits a page this data omits;
here, the data is checked against the application and the tests it names."""
from __future__ import annotations

import re
from pathlib import Path

from markupsafe import escape

from marketplace.legal import accessibility as statement
from tests.views.test_legal_pages import english  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests/browser/vendor" / f"axe-core-{statement.AXE_CORE_VERSION}" / "axe.min.js"
KEYBOARD_TESTS = ROOT / "tests/browser/test_keyboard_navigation.py"


def test_every_audited_page_is_a_route_of_the_application(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert statement.AUDITED_ENDPOINTS <= endpoints, statement.AUDITED_ENDPOINTS - endpoints
    assert len(statement.AUDITED_ENDPOINTS) == len(statement.AUDITED_PAGES)  # no page listed twice


def test_every_axe_rule_named_exists_in_the_pinned_axe_core():
    source = AXE.read_text(encoding="utf-8")
    for criterion in statement.CHECKED_CRITERIA:
        for rule in criterion.axe_rules:
            assert f'id:"{rule}"' in source, f"{criterion.number}: no axe-core rule {rule}"
        assert criterion.methods, f"{criterion.number} says it is checked but names no method"


def test_keyboard_criteria_are_backed_by_the_keyboard_tests():
    tests = KEYBOARD_TESTS.read_text(encoding="utf-8")
    keyboard = [c.number for c in statement.CHECKED_CRITERIA if statement.KEYBOARD in c.methods]
    assert keyboard == ["10.7", "12.7", "12.8", "12.9"]
    for criterion in keyboard:  # each test names the criterion it backs
        assert re.search(rf"RGAA {re.escape(criterion)}\b", tests), criterion


def test_statement_lists_pages_criteria_rate_and_remedies(client):
    page = client.get("/accessibilite").get_data(as_text=True)
    rate = statement.measured_rate()
    assert rate == {"checked": 21, "conform": 20, "percent": 95, "total": 106, "pages": len(statement.AUDITED_PAGES)}
    assert "partiellement conforme" in page
    assert (f"Sur les 21 critères du RGAA vérifiés (sur 106), 20 sont respectés sur les {rate['pages']} types "
            "de pages audités, soit 95 % des critères vérifiés.") in page
    assert "n'est pas un taux de conformité au sens du RGAA" in page.replace("&#39;", "'")
    for audited in statement.AUDITED_PAGES:
        assert f"<li>{escape(audited.label)}</li>" in page
    for criterion in statement.CHECKED_CRITERIA:
        assert f'<th scope="row">{criterion.number}</th>' in page
        for rule in criterion.axe_rules:
            assert rule in page
    assert "Non conforme : Non conforme sur la version HTML imprimable de la convention" in page
    assert "axe-core 4.14.1" in page and "30 novembre 2026" in page
    assert "Défenseur des droits" in page and "Libre réponse 71120" in page


def test_statement_reads_in_english(english, client):
    page = client.get("/accessibilite", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "that is 95% of the checked criteria" in page and "Audited pages" in page
    assert "<li>A community thread</li>" in page and "Not conformant" in page
