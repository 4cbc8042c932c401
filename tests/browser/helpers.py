"""Steps shared by the browser journeys: register and onboard, log in and out, tick DSFR inputs,
read the e-mails the served app wrote to its mail folder."""
from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

from playwright.sync_api import expect

from tests.browser import axe_audit
from tests.browser.axe_audit import AXE, AXE_RUN  # noqa: F401 (kept importable from here)

PASSWORD = "un-mot-de-passe-solide-2026"
# Flask-Mailman's file backend writes the messages of one connection to a .log file, each
# followed by a line of 79 dashes.
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def mails_to(mail_dir: Path, address: str) -> list[str]:
    """The decoded subject and text parts of every e-mail sent to `address`, oldest file first."""
    found = []
    for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
        # Bytes: the bodies are 8-bit UTF-8, which the parser decodes from bytes only.
        for raw in path.read_bytes().split(MESSAGE_SEPARATOR):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw.lstrip(b"\n"), policy=policy.default)
            if address not in str(message.get("To", "")):
                continue
            parts = [str(message.get("Subject", ""))]
            parts += [part.get_content() for part in message.walk() if part.get_content_type() == "text/plain"]
            found.append("\n".join(parts))
    return found


def _verification_link(mail_dir: Path, address: str) -> str:
    for text in mails_to(mail_dir, address):
        match = re.search(r"https?://\S+/compte/verification/\S+", text)
        if match:
            return match.group(0).rstrip(".")
    raise AssertionError(f"no verification e-mail for {address} in {mail_dir}")


def tick(page, selector: str) -> None:
    """Tick a DSFR checkbox or radio as a person does: its label covers the input."""
    input_id = page.locator(selector).get_attribute("id")
    page.locator(f"label[for='{input_id}']").click()
    assert page.locator(selector).is_checked()


def register_and_onboard(page, base_url, mail_dir, *, name, email, role, collectivity_text, choice):
    """Create an account through the forms, pick a role and a collectivity, verify the address."""
    page.goto(base_url + "/")
    page.get_by_role("link", name="Créer un compte").first.click()
    page.fill("#display_name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    tick(page, "#accept_terms")
    page.get_by_role("button", name="Créer mon compte").click()
    # Registration does not log in (it must not reveal whether the address had an account):
    # verify the address from the e-mail written to the instance's mail folder, then log in.
    page.wait_for_url(re.compile(r".*/compte/connexion"))
    page.goto(_verification_link(mail_dir, email).replace("http://127.0.0.1:5000", base_url))
    log_in(page, base_url, email)
    # Onboarding: role and collectivity through the autocomplete.
    page.goto(base_url + "/compte/bienvenue")
    tick(page, f"input[name=roles][value={role}]")
    page.fill("#collectivity_query", collectivity_text)
    page.get_by_role("option", name=re.compile(choice)).first.click()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r".*/espace"))
    expect(page.locator("#prochaines-etapes")).to_be_visible()


def log_in(page, base_url, email):
    page.goto(base_url + "/compte/connexion")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/connexion" not in url)


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def accessibility_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of these impacts on the current page (the vendored, pinned axe-core)."""
    if axe_audit.current is not None:  # counted as this URL's audit: the automatic one skips it
        violations = axe_audit.current.audit_now(page)
    else:
        violations = axe_audit.page_violations(page)
    return [v for v in violations if v["impact"] in impacts]


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation (or a fixed rule that came back), naming
    each with its first nodes. The journeys' pages are audited automatically too (conftest.py)."""
    violations = [v for v in accessibility_violations(page, impacts=axe_audit.IMPACTS) if axe_audit.is_failing(v)]
    assert not violations, axe_audit.describe(page.url, violations)
