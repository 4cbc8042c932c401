"""The main journeys with the keyboard only (Tab, Shift+Tab, Enter, Space, letters typed into the
focused field), on the demo data: no mouse click, no locator.fill. Every control the focus lands
on along the way must show it (a computed outline, RGAA 10.7). Backs the statement's criteria
RGAA 10.7, RGAA 12.7, RGAA 12.8 and RGAA 12.9 (marketplace/legal/accessibility.py)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.demo.communities import OPEN_NAME
from marketplace.demo.people import DEMO_PASSWORD

pytestmark = pytest.mark.browser

AGENT, COORDINATOR = "agent@demo.essaim.fr", "coordinateur@demo.essaim.fr"
# The demo agent's offer and the demo referent's need that the demo data pairs (marketplace/demo).
NEED = "Premier bilan de consommation d'espaces pour le ZAN"
DEMO_PAIR = "Camille Le Gall — Rennes"
MAX_TABS = 200

# What the focused element is, and whether its focus is drawn: an outline on the element, on its
# ::before (the DSFR's enlarged links, whose ring covers the whole card) or, for the DSFR's visually
# hidden checkboxes and radios, on the box their label draws (label::before).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const drawn = (node, pseudo) => {
    const style = getComputedStyle(node, pseudo);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  };
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
  const hidden = ['checkbox', 'radio'].includes(el.type);
  const button = ['submit', 'button', 'reset'].includes(el.type);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '', name: el.getAttribute('name') || '',
    value: el.value === undefined ? '' : String(el.value), checked: !!el.checked,
    text: (el.getAttribute('aria-label') || el.innerText || (el.tagName === 'INPUT' && button ? el.value : '')
           || (label && label.innerText) || '').trim().replace(/\\s+/g, ' '),
    href: el.getAttribute('href') || '', inMain: !!el.closest('main'), inModal: !!el.closest('.fr-modal'),
    row: el.closest('tr') ? el.closest('tr').innerText.replace(/\\s+/g, ' ') : '',
    visible: hidden && label ? drawn(label, '::before') : drawn(el) || drawn(el, '::before'),
  };
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, *, back=False, limit=MAX_TABS) -> dict:
    """Press Tab (Shift+Tab when back) until the focused element satisfies `wanted`; every element
    met on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        info = focused(page)
        if info is None:
            continue
        assert info["visible"], f"focus not visible on {info}"
        if wanted(info):
            return info
    raise AssertionError(f"not reached with {limit} presses of Tab on {page.url}")


def field(element_id: str):
    return lambda info: info["id"] == element_id


def named(text: str):
    return lambda info: info["text"] == text


def keyboard_log_in(page, base_url, email) -> None:
    """The login form, by the keyboard only: Tab to each field, type, Enter on the button."""
    page.goto(base_url + "/compte/connexion")
    tab_to(page, field("email"))
    page.keyboard.type(email)
    tab_to(page, field("password"))
    page.keyboard.type(DEMO_PASSWORD)
    tab_to(page, named("Se connecter"))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/compte/connexion" not in url)


def test_skip_link_comes_first_and_leads_into_the_main_content(demo_site, browser):
    """RGAA 12.7: the first Tab reaches "Contenu"; Enter on it sends the next Tab into <main>."""
    page = browser.new_page(locale="fr-FR")
    for path in ("/offres/", "/accessibilite"):
        page.goto(demo_site + path)
        page.keyboard.press("Tab")
        first = focused(page)
        assert (first["text"], first["href"]) == ("Contenu", "#contenu") and first["visible"], first
        page.keyboard.press("Enter")
        assert page.url.endswith("#contenu")
        page.keyboard.press("Tab")
        assert focused(page)["inMain"], focused(page)  # the header's links are skipped


def test_main_menu_in_order_forward_and_back(demo_site, browser):
    """RGAA 12.8 and 10.7: the menu's links come in their visual order, Shift+Tab walks back the
    same way, and Enter follows a link."""
    page = browser.new_page(locale="fr-FR")
    page.goto(demo_site + "/")
    menu = ["Accueil", "Offres de compétences", "Besoins des collectivités", "Pratiques", "Statistiques"]
    tab_to(page, named(menu[0]))
    met = [menu[0]]
    for _ in menu[1:]:
        page.keyboard.press("Tab")
        met.append(focused(page)["text"])
    assert met == menu
    for expected in reversed(menu[:-1]):
        page.keyboard.press("Shift+Tab")
        assert focused(page)["text"] == expected
    tab_to(page, named("Pratiques"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/pratiques/$"))
    expect(page.get_by_role("heading", name="Fiches pratiques", level=1)).to_be_visible()


def test_agent_logs_in_and_publishes_an_offer_with_the_keyboard(demo_site, browser):
    """The login form, then the offer form: text typed, a domain chosen by typing in the select,
    a modality chosen with Space, the form sent with Enter."""
    page = browser.new_page(locale="fr-FR")
    keyboard_log_in(page, demo_site, AGENT)
    page.goto(demo_site + "/offres/nouveau")
    tab_to(page, field("title"))
    page.keyboard.type("Accompagnement clavier aux marchés publics")
    tab_to(page, field("description"))
    page.keyboard.type("Rédaction de DCE et analyse des offres, au clavier seulement.")
    tab_to(page, field("domain"))
    page.keyboard.type("March")  # type-ahead in a closed select picks « Marchés publics… »
    assert focused(page)["value"] == "marches_publics"
    radio = tab_to(page, lambda info: info["name"] == "modality")
    if radio["value"] != "remote":  # arrows move within a radio group; Space ticks
        for _ in range(4):
            page.keyboard.press("ArrowDown")
            if focused(page)["value"] == "remote":
                break
    page.keyboard.press("Space")
    assert focused(page)["checked"] and focused(page)["value"] == "remote"
    tab_to(page, field("days_per_month"))
    page.keyboard.type("2")
    tab_to(page, named("Publier"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/offres/\d+$"))
    expect(page.get_by_role("heading", name="Accompagnement clavier aux marchés publics", level=1)).to_be_visible()


def test_coordinator_approves_and_agent_consents_with_the_keyboard(demo_site, browser):
    """The coordinator reaches the queue through the menu, ticks the demo suggestion with Space and
    approves it with Enter; the agent opens the pairing from the menu and consents the same way."""
    coordinator = browser.new_context(locale="fr-FR").new_page()
    keyboard_log_in(coordinator, demo_site, COORDINATOR)
    tab_to(coordinator, named("Coordination"))
    coordinator.keyboard.press("Enter")
    coordinator.wait_for_url(re.compile(r".*/coordination/"))
    tab_to(coordinator, field("departement"))
    coordinator.keyboard.type("35")
    tab_to(coordinator, field("domain"))
    coordinator.keyboard.type("Urba")  # « Urbanisme et aménagement »
    tab_to(coordinator, named("Filtrer"))
    coordinator.keyboard.press("Enter")
    coordinator.wait_for_url(re.compile(r".*departement=35"))
    box = tab_to(coordinator, lambda info: info["type"] == "checkbox" and NEED in info["row"]
                 and DEMO_PAIR in info["row"])
    coordinator.keyboard.press("Space")
    assert focused(coordinator)["checked"], box
    tab_to(coordinator, named("Approuver"), back=True)  # the decision buttons are above the list too
    coordinator.keyboard.press("Enter")
    coordinator.get_by_text("1 mise en relation proposée aux trois parties.").wait_for()

    agent = browser.new_context(locale="fr-FR").new_page()
    keyboard_log_in(agent, demo_site, AGENT)
    tab_to(agent, named("Mes rapprochements"))
    agent.keyboard.press("Enter")
    agent.wait_for_url(re.compile(r".*/rapprochements/$"))
    tab_to(agent, named(NEED))
    agent.keyboard.press("Enter")
    agent.wait_for_url(re.compile(r".*/rapprochements/\d+$"))
    radio = tab_to(agent, lambda info: info["name"] == "consent-decision")
    while focused(agent)["value"] != "accepted":
        agent.keyboard.press("ArrowDown")
    agent.keyboard.press("Space")
    assert focused(agent)["checked"], radio
    tab_to(agent, named("Envoyer ma réponse"))
    agent.keyboard.press("Enter")
    agent.get_by_text("Votre réponse est enregistrée.").first.wait_for()


def test_no_keyboard_trap_in_the_menu_dialog_or_a_disclosure(demo_site, browser):
    """RGAA 12.9: on a small screen the menu opens as a dialog that keeps the focus while open
    and gives it back to its button on Escape; a <details> disclosure lets the focus in and out."""
    page = browser.new_page(locale="fr-FR", viewport={"width": 375, "height": 740})
    page.goto(demo_site + "/")
    tab_to(page, field("menu-button"))
    page.keyboard.press("Enter")
    page.locator("#menu-modal").get_by_role("link", name="Pratiques").wait_for()
    met = [tab_to(page, lambda info: True) for _ in range(25)]
    assert all(info["inModal"] for info in met), [i["text"] for i in met if not i["inModal"]]
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'menu-button'")
    tab_to(page, lambda info: info["inMain"])  # out of the header, once the dialog is closed

    # A community thread's "Signaler ce message" disclosure (the demo's open community has one).
    page.set_viewport_size({"width": 1280, "height": 800})
    keyboard_log_in(page, demo_site, AGENT)
    page.goto(demo_site + "/communautes/")
    tab_to(page, named(OPEN_NAME))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/communautes/\d+$"))
    tab_to(page, lambda info: re.search(r"/discussions/\d+$", info["href"]) is not None)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/discussions/\d+"))
    tab_to(page, lambda info: info["tag"] == "summary")
    page.keyboard.press("Enter")
    inside = tab_to(page, lambda info: info["id"].startswith("reason-signaler"))
    after = tab_to(page, lambda info: info["tag"] != "summary" and not info["id"].startswith("reason-signaler")
                   and info["text"] != "Signaler aux modérateurs")
    assert inside and after
