"""The six named needs of the demo, seen by the demo coordinator (issue 12, "Done when").

The served demo (`flask seed-demo`, then `flask matching rebuild --suggest`, as `make run` does on
a first start): the coordinator opens each need and reads the five suggested agents on top, each
with its relevance and an explanation in plain French. Acceptable offers are hand-labelled in
tests/tools/demo_labels.py from their domain and themes, read from the served database.
"""
from __future__ import annotations

import json
import re
import sqlite3

from marketplace.demo.people import DEMO_PASSWORD
from marketplace.demo.showcase import SHOWCASE_NEEDS
from tests.browser.helpers import assert_accessible
from tests.tools.demo_labels import ACCEPTABLE, REGION_NAMES

COORDINATOR = "coordinateur@demo.essaim.fr"
# An explanation is "pertinence N %", then "mots proches : ..." and/or "thèmes communs : ...".
EXPLANATION = re.compile(r"^(mots proches : .+|thèmes communs : .+)")


def _rows(instance, sql, *args):
    with sqlite3.connect(instance / "browser.sqlite3") as conn:
        return conn.execute(sql, args).fetchall()


def test_coordinator_reads_sensible_top_fives_for_the_six_needs(demo_server, browser):
    base_url, instance, _mailbox = demo_server
    page = browser.new_page(locale="fr-FR")
    page.set_default_timeout(15_000)
    page.goto(base_url + "/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(COORDINATOR)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/connexion" not in url)

    for written in SHOWCASE_NEEDS:
        (need_id,), = _rows(instance, "SELECT id FROM needs WHERE title = ?", written.title)
        page.goto(f"{base_url}/besoins/{need_id}")
        page.get_by_role("heading", name=written.title, level=1).wait_for()
        items = page.locator("#suggestions [data-suggestions-list] li")
        items.first.wait_for()
        top = [items.nth(i) for i in range(min(5, items.count()))]
        assert len(top) >= 4, written.key
        accepted = 0
        for item in top:
            link = item.locator("a")
            offer_id = int(re.search(r"/offres/(\d+)$", link.get_attribute("href")).group(1))
            (title, domain, tags), = _rows(instance, "SELECT title, domain, tags FROM skill_offers WHERE id = ?",
                                           offer_id)
            assert link.text_content() == title
            accepted += ACCEPTABLE[written.key](domain, json.loads(tags))
            assert re.fullmatch(r"pertinence \d+ %", item.locator(".fr-badge").text_content())
            why = item.locator("p").text_content()
            assert EXPLANATION.match(why), (written.key, why)
            words = next((part for part in why.split(" · ") if part.startswith("mots proches")), "")
            assert "_" not in why and not any(region in words.lower() for region in REGION_NAMES), why
        assert accepted >= 4, (written.key, [item.text_content() for item in top])
        assert_accessible(page)
