"""A small populated world for the form fuzzer, and a crawler that finds every form of its pages.

The world goes through the real services: a pairing with its three consents and its engagement
(so the day, end, signature and feedback forms show), a practice sheet with two revisions, a
file, a link, a comment, a follow, a collection. Each role gets its own logged-in test client;
the crawler reads every GET route of the url map as each role and records the forms it sees,
with the roles that saw them, their fields and the options a browser would offer.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from tests.conftest import FormClient
from tests.fixtures.practices.helpers import PDF, sheet_data
from tests.pairing_world import build, need, offer, suggestion

PASSWORD = "motdepasse-solide-42"
ROLES = ("agent", "representative", "approver", "coordinator", "admin", "anonymous")
# Routes a fuzzer must not post to: logging out would end the session the next examples use.
SKIPPED_ENDPOINTS = {"accounts.logout", "static"}


def build_world(app, make_collectivity, make_user) -> dict:
    """The pairing world plus an engagement, practice content and a user the admin may change."""
    from marketplace.pairings.services import consents, engagement, queue
    from marketplace.messaging.services import conversations
    from marketplace.practices.services import collections, discussion, editing, uploads

    app.config["UPLOAD_DIR"] = str(app.config["MAIL_FILE_PATH"]) + "-uploads"
    w = build(make_collectivity, make_user)
    pairing = queue.decide(w["coordinator"], [w["suggestion"].id], approve=True)[0]
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        consents.give(user, pairing, party, True)
    start = date.today()
    terms = {"legal_route": "mise_a_disposition", "activities": "Rédaction des pièces du marché",
             "start_date": start, "end_date": start + timedelta(days=180), "planned_days": 8.0,
             "place": "Hôtel de ville", "working_time": "Deux jours par mois", "reimbursement": "host",
             "exemption_reason": "", "renewal_terms": "Par avenant", "termination_terms": "Préavis d'un mois"}
    engagement.create(w["representative"], pairing, terms)
    # An ended engagement (feedback and report forms), a proposal waiting for consents (consent
    # form) and a suggestion waiting in the coordinator's queue (decision form).
    pairs = [suggestion(offer(w["agent"], w["home"], title=f"Offre {n}"),
                        need(w["representative"], w["host"], title=f"Besoin numéro {n}")) for n in (2, 3, 4)]
    ended, proposed = queue.decide(w["coordinator"], [pairs[0].id, pairs[1].id], approve=True)
    for user, party in ((w["agent"], "agent"), (w["approver"], "employer"), (w["representative"], "host")):
        consents.give(user, ended, party, True)
    engagement.end(w["representative"], engagement.create(w["representative"], ended, terms), False, "")
    sheet = editing.create_sheet(w["agent"], sheet_data(w["home"], status="published"))
    editing.save_sheet(sheet, w["agent"], sheet_data(w["home"], status="published", costs="Aucun"), 1)
    attachment = uploads.add_file(sheet, w["agent"], io.BytesIO(PDF), "guide.pdf", "Guide")
    uploads.add_link(sheet, w["agent"], "https://example.org/guide", "Guide en ligne")
    discussion.add_comment(sheet, w["agent"], "Très utile.")
    discussion.follow(w["agent"], "sheet", str(sheet.id))
    collection = collections.create_collection(w["coordinator"], "Sélection", "Nos préférées")
    collections.add_item(collection, w["coordinator"], sheet_id=sheet.id)
    # A conversation between the representative and the suggested agent, answered with a file.
    talk = conversations.start(w["representative"], w["need"].id, w["offer"].id, "Bonjour", "fuzz")
    answer = conversations.reply(w["agent"], talk.id, "Voici", "fuzz", conversations.Upload(io.BytesIO(PDF), "note.pdf"))
    w.update(conversation=talk, message=answer)
    w.update(pairing=pairing, ended=ended, proposed=proposed, sheet=sheet, collection=collection, attachment=attachment,
             victim=make_user(name="Compte à administrer", roles=[("representative", w["lille"])]))
    return w


def clients(app, w) -> dict[str, FormClient]:
    """One test client per role, logged in (the anonymous one is not)."""
    found = {}
    for role in ROLES:
        client = FormClient(app.test_client())
        if role != "anonymous":
            user = w["representative" if role == "representative" else role]
            response = client.post_form("/compte/connexion", {"email": user.email, "password": PASSWORD})
            assert response.status_code in (302, 303), f"{role} could not log in"
        found[role] = client
    return found


def url_arguments(w) -> dict[str, int | list[int]]:
    """World ids for each URL variable of the url map (pairings in each of their states)."""
    return {"item_id": w["offer"].id, "pairing_id": [w[k].id for k in ("pairing", "ended", "proposed")], "number": 1, "sheet_id": w["sheet"].id,
            "collection_id": w["collection"].id, "attachment_id": w["attachment"].id,
            "suggestion_id": w["suggestion"].id,
            "user_id": w["victim"].id, "role_id": w["victim"].roles[0].id,
            "conversation_id": w["conversation"].id, "message_id": w["message"].id,
            "need_id": w["need"].id, "offer_id": w["offer"].id}


@dataclass
class Form:
    """A form as a browser sees it: where it goes, its fields and the options offered."""

    method: str
    action: str
    fields: dict[str, dict] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)

    def add(self, name: str, kind: str, value: str | None = None, multiple: bool = False) -> None:
        entry = self.fields.setdefault(name, {"kind": kind, "values": [], "multiple": multiple})
        if value is not None and value not in entry["values"]:
            entry["values"].append(value)
        entry["multiple"] = entry["multiple"] or multiple or (kind == "checkbox" and len(entry["values"]) > 1)


class FormParser(HTMLParser):
    """Collects the forms of a page (action, method, inputs, selects, textareas, buttons)."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.current, self.select = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_url
            self.current = Form((attrs.get("method") or "get").upper(), action)
            self.forms.append(self.current)
        elif self.current is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                self.current.add(attrs["name"], "submit", attrs.get("value", ""))
            else:
                self.current.add(attrs["name"], kind, attrs.get("value"))
        elif tag == "select":
            self.select = attrs["name"]
            self.current.add(self.select, "select", multiple="multiple" in attrs)
        elif tag == "option" and self.select:
            self.current.add(self.select, "select", attrs.get("value", ""))
        elif tag == "textarea":
            self.current.add(attrs["name"], "textarea")
        elif tag == "button":
            self.current.add(attrs["name"], "submit", attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.current = None


def page_urls(app, w) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET route, its variables filled with the world's ids."""
    arguments = url_arguments(w)
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        variants = arguments["pairing_id"] if "pairing_id" in rule.arguments else [None]
        for pairing_id in variants:
            values = {name: arguments.get(name, 1) for name in rule.arguments} | {"pairing_id": pairing_id}
            path = rule.build(values, append_unknown=False)[1]
            found.append((rule.endpoint, path))
    return found


def crawl(app, w, role_clients) -> tuple[dict[tuple[str, str], Form], dict[str, list[str]]]:
    """Every form seen by each role on every GET page, and the roles that can read each page."""
    forms: dict[tuple[str, str], Form] = {}
    readable: dict[str, list[str]] = {}
    csrf = re.compile(r'name="csrf_token"')
    for endpoint, url in page_urls(app, w):
        for role, client in role_clients.items():
            response = client.get(url)
            assert response.status_code != 500, f"GET {url} as {role}: 500"
            if response.status_code != 200:
                continue
            readable.setdefault(url, []).append(role)
            if not response.mimetype == "text/html" or not csrf.search(response.get_data(as_text=True)) \
                    and "<form" not in response.get_data(as_text=True):
                continue
            parser = FormParser(url)
            parser.feed(response.get_data(as_text=True))
            for found in parser.forms:
                path = urlsplit(found.action).path
                key = (found.method, path)
                target = forms.setdefault(key, Form(found.method, path))
                for name, entry in found.fields.items():
                    for value in entry["values"] or [None]:
                        target.add(name, entry["kind"], value, entry["multiple"])
                if role not in target.roles:
                    target.roles.append(role)
    return forms, readable
