"""Property-based fuzzing of every form of the url map: no input ever gets a server error.

The crawler (tests/fuzz_world.py) reads every GET page as each role of a small world and keeps
the forms it finds. For each form, Hypothesis posts generated values (hostile ones first: huge
and Unicode digits, NaN, infinities, extreme dates, CR/LF, 10,000-character strings) with the
CSRF token, logged in as a role that was shown the form; every GET page gets generated query
parameters the same way. A 500 is recorded with the logged traceback; all are reported together.

Reproducible: `derandomize=True` and no example database. FUZZ_EXAMPLES raises the number of
examples per form for a deeper local run (the default keeps the CI run under two minutes).
"""
from __future__ import annotations

import html
import io
import logging
import os
import re
from datetime import date, timedelta

from hypothesis import HealthCheck, Phase, example, given, settings, strategies as st

from tests.fuzz_world import SKIPPED_ENDPOINTS, build_world, clients, crawl

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
HUGE = [str(2**31), str(2**63), str(2**64), "9" * 40, f"-{2**63}"]
UNICODE_DIGITS = ["²", "١٢", "٣", "𝟗"]
NON_FINITE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e308", "1e400"]
DATES = ["9999-12-31", "9998-06-01", "0001-01-01", "1899-12-31", "2026-02-30", "31/12/9999"]
LONG = ["x" * 10_000, "é" * 10_000]
LINE_BREAKS = ["/\r\nSet-Cookie: x=y", "/ok\r\n", "a\nb", "//evil.example", "/\\evil.example", "\x00", "\ufffd"]
# Hostile values by the kind of input they are aimed at (all kinds also get the others, rarer).
HOSTILE = {
    "number": HUGE + UNICODE_DIGITS + NON_FINITE + ["-1", "0", "1,5", "1_000"],
    "date": DATES + UNICODE_DIGITS + ["nan", str(2**64)],
    "choice": HUGE + UNICODE_DIGITS + ["-1", "0", "", "sheet:²", f"sheet:{2**64}", f"attachment:{2**63}",
                                       "sheet:1", "attachment:1"] + LINE_BREAKS + LONG,
    "text": LONG + LINE_BREAKS + HUGE + UNICODE_DIGITS + NON_FINITE + DATES + ["<script>", "' OR 1=1 --", "%", "_"],
}
# The values that broke a form before (issue 11), tried on every field of their kind (templates
# render some numbers and dates as text inputs, so text fields get those too).
SWEEP = {"number": ["nan", "²", str(2**64)], "date": ["9998-06-01", "1899-12-31"],
         "choice": ["²", str(2**64), "sheet:²", "/\r\nX: y"], "text": ["x" * 10_000, "/\r\nX: y", "²", "nan", "9998-06-01", str(2**64)]}
KIND_OF_INPUT = {"number": "number", "date": "date", "hidden": "choice", "select": "choice", "radio": "choice",
                 "checkbox": "choice", "submit": "choice"}
QUERY_NAMES = ("page", "next", "de", "a", "q", "sort", "domain", "departement", "region", "essaimage", "tri")
FILE_NAMES = ["guide.pdf", "a\r\nb.pdf", "../../etc/passwd.pdf", "x" * 300 + ".pdf", "\x00.pdf", "².pdf", ""]
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=False)


def value_for(entry: dict):
    """A strategy for one field: mostly a hostile value aimed at its kind of input, else any
    hostile value, a value the page offered, generated text, or nothing."""
    aimed = HOSTILE[KIND_OF_INPUT.get(entry["kind"], "text")]
    offered = [v for v in entry["values"] if v is not None]
    others = [st.sampled_from(sorted({v for values in HOSTILE.values() for v in values})),
              st.text(max_size=30), st.integers().map(str), st.none()]
    if offered:
        others.insert(0, st.sampled_from(offered))
    single = st.one_of(st.sampled_from(aimed), st.sampled_from(aimed), st.one_of(*others))
    if entry["multiple"]:
        return st.lists(single, max_size=4)
    return single


def baseline(name: str, entry: dict):
    """A plausible value, so that a form gets past its other fields and the hostile value of
    one field reaches the service behind it."""
    kind = entry["kind"]
    offered = [v for v in entry["values"] if v]
    if kind == "query":  # a page or revision number: "1" lets the other parameters be read
        return "1"
    if kind == "file":
        return (b"%PDF-1.4\n%%EOF\n", "guide.pdf")
    if kind == "date":
        return (date.today() + timedelta(days=1)).isoformat()
    if kind == "number":
        return offered[0] if offered else "2"
    if kind == "email":
        return "personne@example.fr"
    if kind == "password":
        return "motdepasse-solide-42"
    if offered:
        return [offered[0]] if entry["multiple"] else offered[0]
    if kind in ("checkbox", "radio", "submit"):
        return None
    return "https://example.org/page" if "url" in name else "Un texte tout à fait correct"


def form_data(form) -> st.SearchStrategy:
    """Generated form data: plausible values, with one to three fields given hostile values."""
    names = sorted(name for name in form.fields if name != "csrf_token")
    if not names:
        return st.just({})

    def fill(chosen):
        fields = {}
        for name in names:
            entry = form.fields[name]
            if name not in chosen:
                fields[name] = st.just(baseline(name, entry))
            elif entry["kind"] == "file":
                fields[name] = st.tuples(st.sampled_from([b"Bonjour", b"%PDF-1.4\n%%EOF\n"]),
                                         st.sampled_from(FILE_NAMES))
            else:
                fields[name] = value_for(entry)
        return st.fixed_dictionaries(fields)

    return st.sets(st.sampled_from(names), min_size=1, max_size=3).flatmap(fill)


class Traceback(logging.Handler):
    """Keeps the last logged exception, to say why a request answered 500."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.last = ""

    def emit(self, record):
        self.last = self.format(record) if record.exc_info else record.getMessage()


def _send(client, form, data, token):
    body = {"csrf_token": token} if form.method == "POST" else {}
    for name, value in data.items():
        if value is None:
            continue
        body[name] = (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
    if form.method == "POST":
        return client.post(form.action, data=body, content_type="multipart/form-data")
    return client.get(form.action, query_string=body)


def sweep(form) -> list[dict]:
    """Explicit examples: each field in turn gets each of the values that broke forms before,
    the other fields plausible values (random generation then explores combinations)."""
    plain = {name: baseline(name, entry) for name, entry in form.fields.items() if name != "csrf_token"}
    examples = []
    for name, entry in sorted(form.fields.items()):
        if name == "csrf_token" or entry["kind"] == "file":
            continue
        for value in SWEEP[KIND_OF_INPUT.get(entry["kind"], "text")]:
            examples.append(plain | {name: [value] if entry["multiple"] else value})
    return examples


def _fuzz(form, role_clients, tokens, traceback, failures):
    @SETTINGS
    @given(role=st.sampled_from(form.roles), data=form_data(form))
    def run(role, data):
        traceback.last = ""
        response = _send(role_clients[role], form, data, tokens[role])
        if os.environ.get("FUZZ_TRACE"):
            print("TRACE", form.method, form.action, role, response.status_code)
        if response.status_code >= 500:
            failures[(form.method, form.action)] = (f"{form.method} {form.action} as {role}: {response.status_code} with "
                            f"{ {k: (v if not isinstance(v, str) or len(v) < 60 else v[:20] + '…') for k, v in data.items()} }"
                            f"\n{traceback.last[-1500:]}")
            raise AssertionError(form.action)

    for data in sweep(form):
        run = example(role=form.roles[0], data=data)(run)
    try:
        run()
    except AssertionError:
        pass  # recorded: go on with the other forms and report everything at the end


LINK = re.compile(r'href="(/[^"#]*)')


def _reread(app, role_clients, readable, traceback, failures):
    adapter = app.url_map.bind("localhost")
    seen = set()
    for url, roles in sorted(readable.items()):
        for role in roles:
            page = role_clients[role].get(url)
            links = [url]
            if page.status_code == 200 and page.mimetype == "text/html":
                links += sorted(set(LINK.findall(page.get_data(as_text=True))))
            for link in links:
                path = html.unescape(link)
                if (role, path) in seen or path.startswith("/static/"):
                    continue
                seen.add((role, path))
                try:
                    adapter.match(path.split("?")[0], method="GET")
                except Exception:  # not a GET route of ours (404, 405): nothing to read
                    continue
                traceback.last = ""
                response = role_clients[role].get(path)
                if response.status_code >= 500:
                    failures[("GET after the posts", path)] = f"GET {path} as {role} after the posts: " \
                                                              f"{response.status_code}\n{traceback.last[-1500:]}"


def test_no_form_or_query_gets_a_server_error(app, make_collectivity, make_user):
    world = build_world(app, make_collectivity, make_user)
    role_clients = clients(app, world)
    tokens = {role: client.csrf_token("/compte/connexion" if role == "anonymous" else "/espace")
              for role, client in role_clients.items()}
    forms, readable = crawl(app, world, role_clients)
    skipped = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint in SKIPPED_ENDPOINTS}
    # Forms that close something (an engagement, a proposal, a resource) go last, so that the
    # forms that need it open (days, terms) are fuzzed while it still is.
    closing = ("/fin", "/accord", "/supprimer", "/retirer", "/activation")
    targets = sorted((f for f in forms.values() if f.action not in skipped),
                     key=lambda f: (f.action.endswith(closing), f.action, f.method))
    # Every readable page also gets generated query parameters (pagination, filters, diffs).
    from tests.fuzz_world import Form

    for url, roles in sorted(readable.items()):
        query = Form("GET", url, roles=roles)
        for name in QUERY_NAMES:
            query.add(name, "query")
        targets.append(query)
    assert len([f for f in targets if f.method == "POST"]) >= 30, "the crawler lost the forms"
    traceback = Traceback()
    app.logger.addHandler(traceback)
    failures: dict[tuple[str, str], str] = {}
    try:
        for form in targets:
            _fuzz(form, role_clients, tokens, traceback, failures)
        # What the posts stored must not break any page afterwards (a file name with CR/LF once
        # made every download of it fail): read every page again, and every link on them.
        _reread(app, role_clients, readable, traceback, failures)
    finally:
        app.logger.removeHandler(traceback)
    assert not failures, f"{len(failures)} form(s) answered 500:\n\n" + "\n\n".join(failures.values())
