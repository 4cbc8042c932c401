"""The automatic audit itself (conftest.py, axe_audit.py), on pages served by the browser's router:
it runs after each load before the test goes on, once per URL, and reports what it must."""
from __future__ import annotations

import pytest

from tests.browser import axe_audit
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="fr"><head><title>{title}</title></head><body><main>
<h1>Titre</h1>{body}</main></body></html>"""
FAULTY = PAGE.format(title="Fautive", body='<h3>Niveau sauté</h3><img src="x.png">')
CLEAN = PAGE.format(title="Propre", body="<h2>Suite</h2><p>Texte.</p>")


def _serve(page, pages: dict[str, str]) -> None:
    def answer(route):
        body = pages.get(route.request.url.split("#")[0])
        if body is None:  # the faulty page's image
            route.fulfill(status=404, body="")
        else:
            route.fulfill(body=body, content_type="text/html; charset=utf-8")
    page.route("http://audit.test/**", answer)


def test_each_loaded_url_is_audited_once_before_the_test_goes_on(browser, axe_audit_every_page):
    page = browser.new_page()
    pages = {"http://audit.test/fautive": FAULTY, "http://audit.test/propre": CLEAN}
    _serve(page, pages)
    page.goto("http://audit.test/fautive")
    assert page.title() == "Fautive"  # the call that follows a load runs the audit first
    found = {v["id"]: v["impact"] for v in axe_audit_every_page.audited["http://audit.test/fautive"]}
    assert found["image-alt"] == "critical" and found["heading-order"] == "moderate"
    failures = axe_audit_every_page.failures()
    assert "image-alt" in failures and "heading-order" in failures

    pages["http://audit.test/fautive"] = CLEAN  # the same URL again: not audited a second time
    page.goto("http://audit.test/fautive#ancre")
    page.goto("http://audit.test/propre")
    page.close()  # closing audits the last page
    assert set(axe_audit_every_page.audited) == {"http://audit.test/fautive", "http://audit.test/propre"}
    assert axe_audit_every_page.audited["http://audit.test/propre"] == []
    assert "image-alt" in axe_audit_every_page.failures()
    axe_audit_every_page.audited.clear()  # these made-up pages are not the application's


def test_assert_accessible_names_the_fault_and_counts_as_the_audit(browser, axe_audit_every_page):
    page = browser.new_page()
    _serve(page, {"http://audit.test/fautive": FAULTY})
    page.goto("http://audit.test/fautive")
    with pytest.raises(AssertionError, match=r"critical: image-alt .* at \['img'\]"):
        assert_accessible(page)
    assert list(axe_audit_every_page.audited) == ["http://audit.test/fautive"]
    assert axe_audit.is_failing({"id": "heading-order", "impact": "moderate"})
    assert not axe_audit.is_failing({"id": "region", "impact": "moderate"})
    page.close()
    axe_audit_every_page.audited.clear()
