"""Issue 15 §2's journey in a real Chromium, on the demo data: the Breton coordinator opens a call
and names its jury, two agents submit, the deadline passes, the jury scores (a juror of the same
collectivity is kept away), the results are published and e-mailed, and the laureate's
accompaniment ends in a practice sheet. Every page visited is audited by axe-core."""
from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.browser.test_pairing_journey import TIMEOUT, _journey_mail, _session

pytestmark = pytest.mark.browser

COORDINATOR, AGENT, REFERENT, ADMIN, EMPLOYER = (f"{who}@demo.essaim.fr" for who in
                                                 ("coordinateur", "agent", "referent", "admin", "employeur"))
CALL = "Services publics numériques bretons"
WINNER, OTHER = "Prise de rendez-vous en ligne pour l'état civil", "Tiers-lieu numérique intercommunal"


def _second_agent(database) -> str:
    """A demo agent of another Breton collectivity than the demo agent's and the referent's."""
    with sqlite3.connect(database) as connection:
        row = connection.execute("""
            SELECT u.email FROM users u JOIN role_assignments r ON r.user_id = u.id
            JOIN collectivity_departements d ON d.collectivity_id = r.collectivity_id
            WHERE r.role = 'agent' AND r.status = 'active' AND d.departement_code IN ('35', '29', '22', '56')
              AND u.email LIKE '%@demo.essaim.fr' AND u.email NOT IN (?, ?, ?, ?, ?)
              AND r.collectivity_id NOT IN (SELECT ra.collectivity_id FROM role_assignments ra
                  JOIN users x ON x.id = ra.user_id WHERE x.email IN (?, ?) AND ra.collectivity_id IS NOT NULL)
            ORDER BY u.id LIMIT 1""", (COORDINATOR, AGENT, REFERENT, ADMIN, EMPLOYER, AGENT, REFERENT)).fetchone()
    return row[0]


def _let_deadline_pass(database) -> None:
    """Time passes (the server's clock is the judge): the deadline is now a minute ago."""
    past = (datetime.now(timezone.utc) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE calls SET deadline_at = ? WHERE title = ?", (past, CALL))


def _see(page, text: str) -> None:
    expect(page.get_by_text(text).first).to_be_visible()


def _open_the_call(page) -> None:
    page.get_by_role("link", name="Appels à projets").first.click()
    page.get_by_role("heading", name="Appels à projets intrapreneurs").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Ouvrir un appel à projets").click()
    assert_accessible(page)
    page.fill("#title", CALL)
    page.select_option("#domain", "numerique")
    page.fill("#regions", "53")
    page.fill("#opens_on", date.today().isoformat())
    page.fill("#deadline", (date.today() + timedelta(days=14)).isoformat() + "T12:00")
    page.fill("#description", "Des projets d'agents pour des services publics numériques plus simples.")
    page.fill("#eligibility", "Agents des collectivités bretonnes.")
    page.fill("#criteria", "Utilité pour les usagers ; 3\nFaisabilité ; 1")
    page.fill("#laureate_count", "1")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name=CALL, level=1).wait_for()
    _see(page, "Brouillon")
    assert_accessible(page)
    for juror in (REFERENT, EMPLOYER):
        page.fill("#email", juror)
        page.get_by_role("button", name="Ajouter au jury").click()
        _see(page, "Membre du jury ajouté.")
    page.get_by_role("button", name="Ouvrir l'appel aux dépôts").click()
    _see(page, "Appel ouvert")
    assert_accessible(page)


def _submit(page, title: str) -> None:
    page.get_by_role("link", name="Appels à projets").first.click()
    page.get_by_role("link", name=CALL).click()
    page.get_by_role("link", name="Déposer un projet").click()
    assert_accessible(page)
    page.fill("#title", title)
    page.get_by_role("button", name="Enregistrer").click()
    _see(page, "Décrivez le problème que le projet résout.")  # refused next to its field
    _fill(page, {"problem": "Les démarches se font au guichet.", "users": "Les habitants.",
                 "idea": "Un service en ligne simple.", "team": "Deux agents.", "support_needed": "Un regard d'expert."})
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    assert_accessible(page)


def _score(page, title: str, marks: tuple[int, int], comment: str) -> None:
    page.get_by_role("link", name="Appels à projets").first.click()
    page.get_by_role("link", name=CALL).click()
    page.get_by_role("link", name=title).click()
    assert_accessible(page)
    page.fill("#mark_0", str(marks[0]))
    page.fill("#mark_1", str(marks[1]))
    page.fill("#comment", comment)
    page.get_by_role("button", name="Enregistrer ma note").click()
    _see(page, "Votre note est enregistrée.")


def _fill(page, values: dict) -> None:
    for field, text in values.items():
        page.fill(f"#{field}", text)


def test_call_opened_submitted_scored_announced_and_accompanied(demo_server, browser):
    base_url, instance, mailbox = demo_server
    database = instance / "browser.sqlite3"
    mail_before = len(mailbox.messages)
    second = _second_agent(database)

    coordinator = _session(browser, base_url, COORDINATOR)
    _open_the_call(coordinator)
    agent = _session(browser, base_url, AGENT)
    _submit(agent, WINNER)
    other = _session(browser, base_url, second)
    _submit(other, OTHER)

    _let_deadline_pass(database)
    coordinator.reload()
    coordinator.get_by_role("button", name="Clore l'appel et lancer l'instruction").click()
    _see(coordinator, "Appel clos")

    referent = _session(browser, base_url, REFERENT)
    _score(referent, WINNER, (9, 7), "Très utile aux habitants.")
    _score(referent, OTHER, (6, 8), "Bonne idée, calendrier à préciser.")
    # The employer sits in the demo agent's collectivity: that project is out of their reach.
    employer = _session(browser, base_url, EMPLOYER)
    employer.get_by_role("link", name="Appels à projets").first.click()
    employer.get_by_role("link", name=CALL).click()
    _see(employer, "conflit d'intérêts : vous ne notez pas ce projet")
    assert_accessible(employer)
    _score(employer, OTHER, (5, 5), "Moins prioritaire.")

    coordinator.get_by_role("link", name="Voir le classement").click()
    assert_accessible(coordinator)
    assert coordinator.get_by_role("row").nth(1).text_content().count(WINNER) == 1
    coordinator.go_back()
    coordinator.get_by_role("button", name="Publier les résultats").click()
    _see(coordinator, "Résultats publiés")
    mails = _journey_mail(mailbox, mail_before, 2)
    results = {m["to"]: m for m in mails if "Résultats de l'appel" in m["subject"]}
    assert set(results) == {AGENT, second}
    assert "lauréat" in results[AGENT]["body"] and "n'a pas été retenu" in results[second]["body"]

    agent.get_by_role("link", name="Appels à projets").first.click()
    agent.get_by_role("link", name=CALL).click()
    agent.get_by_role("link", name=WINNER).first.click()
    _see(agent, "Très utile aux habitants.")
    assert_accessible(agent)
    agent.get_by_role("link", name="Voir l'accompagnement").click()
    assert_accessible(agent)
    agent.select_option("#kind", "milestone")
    _fill(agent, {"title": "Maquette testée avec des habitants", "due_on": (date.today() + timedelta(days=20)).isoformat()})
    agent.get_by_role("button", name="Ajouter l'étape").click()
    _see(agent, "Étape ajoutée.")
    agent.get_by_role("button", name=re.compile("Marquer « Maquette")).click()
    _see(agent, "100 % des étapes atteintes")
    agent.fill("#email", REFERENT)
    agent.get_by_role("button", name="Ajouter le mentor").click()
    _see(agent, "Mentor ajouté.")
    assert_accessible(agent)
    agent.get_by_role("link", name="Écrire le retour d'expérience").click()
    assert_accessible(agent)
    _fill(agent, {"summary": "Les habitants prennent rendez-vous en ligne pour l'état civil.",
                  "actions": "- une maquette testée\n- une mise en service progressive",
                  "results": "Deux tiers des rendez-vous pris en ligne."})
    agent.get_by_role("button", name="Publier le retour d'expérience").click()
    _see(agent, "Retour d'expérience publié comme fiche pratique.")
    agent.get_by_role("link", name="lire la fiche pratique").click()
    agent.get_by_role("heading", name=WINNER, level=1).wait_for(timeout=TIMEOUT)
    _see(agent, CALL)
    assert_accessible(agent)
