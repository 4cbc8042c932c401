"""Each finding of issue 11 §3, reproduced: hostile input gets a French field error or is
ignored, never a 500, and nothing already saved is lost."""
from __future__ import annotations

import io
from datetime import date

import pytest

from marketplace.models import DayLog, Follow, Notification, PracticeAttachment
from tests.fixtures.practices.helpers import PDF
from tests.fuzz_world import PASSWORD, build_world

HUGE = [str(2**63), str(2**64), "9" * 40, "²", "١٢"]
LISTS = ["/offres/", "/besoins/", "/offres/mes", "/besoins/mes", "/admin/", "/pratiques/",
         "/coordination/", "/notifications/", "/rapprochements/"]


@pytest.fixture
def world(app, make_collectivity, make_user):
    return build_world(app, make_collectivity, make_user)


@pytest.fixture
def as_user(app, client):
    """Log the shared client in as someone else (a fresh session each time)."""
    def switch(user):
        client.client = app.test_client()
        response = client.post_form("/compte/connexion", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        return client
    return switch


def post(client, url, data, **kwargs):
    return client.post_form(url, data, token_from="/espace", **kwargs)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_page_number_beyond_64_bits_is_ignored(world, as_user):
    for user in (world["admin"], world["coordinator"]):
        client = as_user(user)
        for url in LISTS[:-3] if user is world["admin"] else LISTS[-3:]:
            for page in HUGE + ["-3", "nan", "1e9"]:
                response = client.get(url, query_string={"page": page})
                assert response.status_code == 200, (url, page)


IDS_IN_PATHS = ["/offres/{n}", "/besoins/{n}/modifier", "/pratiques/{n}", "/rapprochements/{n}",
                "/admin/utilisateurs/{n}", "/pratiques/ressources/{n}", "/pratiques/collections/{n}",
                "/coordination/suggestions/{n}", "/notifications/suggestions/offres/{n}.json"]


def test_ids_beyond_the_database_integer_are_not_found(world, as_user):
    for user in (world["admin"], world["coordinator"]):
        client = as_user(user)
        for url in IDS_IN_PATHS:
            if ("admin" in url) != (user is world["admin"]):
                continue
            for number in (2**31, 2**63, 2**64):
                assert client.get(url.format(n=number)).status_code == 404, url


def test_practice_diff_with_odd_revision_numbers_is_not_found(world, client):
    for old, new in [("²", "1"), ("1", str(2**64)), (str(2**63), "2"), ("١", "2")]:
        response = client.get(f"/pratiques/{world['sheet'].id}/comparer", query_string={"de": old, "a": new})
        assert response.status_code == 404


def test_coordination_decision_with_odd_suggestion_ids(world, as_user):
    client = as_user(world["coordinator"])
    for value in HUGE + ["abc", ""]:
        response = post(client, "/coordination/decision", {"suggestion_ids": [value], "approve": "1"})
        assert response.status_code == 400
        assert "Sélectionnez" in text(response) or "n'existe plus" in text(response)


def test_follow_with_odd_sheet_keys(db, world, as_user):
    client = as_user(world["agent"])
    before = db.session.query(Follow).count()
    for key in HUGE:
        for url in ("/pratiques/suivre", "/pratiques/ne-plus-suivre"):
            response = post(client, url, {"kind": "sheet", "key": key}, follow_redirects=True)
            assert response.status_code == 200
    assert db.session.query(Follow).count() == before


def test_collection_target_with_odd_ids(world, as_user):
    client = as_user(world["coordinator"])
    for target in [f"sheet:{n}" for n in HUGE] + [f"attachment:{n}" for n in HUGE]:
        response = post(client, f"/pratiques/collections/{world['collection'].id}/elements",
                        {"target": target}, follow_redirects=True)
        assert response.status_code == 200


@pytest.mark.parametrize("value", [str(2**64), "²"])
def test_collectivity_id_in_forms(world, as_user, value):
    client = as_user(world["agent"])
    offer = {"collectivity_id": value, "title": "Aide aux marchés publics", "description": "Rédaction",
             "domain": "marches_publics", "modality": "remote", "days_per_month": "2"}
    response = post(client, "/offres/nouveau", offer)
    assert response.status_code == 200 and "Choisissez une" in text(response)
    sheet = {"title": "Fiche", "domain": "marches_publics", "collectivity_id": value, "status": "draft"}
    response = post(client, "/pratiques/nouvelle", sheet)
    assert response.status_code == 200 and "Choisissez une valeur dans la liste" in text(response)
    response = post(client, f"/pratiques/{world['sheet'].id}/reprise",
                    {"collectivity_id": value, "stage": "inspired"}, follow_redirects=True)
    assert response.status_code == 200
    response = post(client, "/compte/bienvenue", {"roles": ["agent"], "collectivity_id": value})
    assert response.status_code in (200, 400)
    admin = as_user(world["admin"])
    response = post(admin, f"/admin/utilisateurs/{world['victim'].id}/approbateur",
                    {"collectivity_id": value, "collectivity_query": "", "yearly_day_budget": "10"})
    assert response.status_code in (200, 302, 400)


def test_line_breaks_in_next_are_ignored(world, as_user):
    client = as_user(world["agent"])
    for target in ["/\r\nSet-Cookie: a=b", "/ok\nLocation: https://evil.example", "/\\evil.example",
                   "/%0d%0aX: y\r"]:
        for url in ("/langue", f"/offres/{world['offer'].id}/statut"):
            response = post(client, url, {"lang": "fr", "status": "paused", "next": target})
            assert response.status_code == 302
            location = response.headers["Location"]
            assert "\r" not in location and "\n" not in location and "evil" not in location


def raw_upload(client, url: str, encoded_name: str, content: bytes):
    """A multipart upload whose file name uses RFC 2231 (`filename*=UTF-8''...`): the way a
    client gets CR/LF into a file name (browsers escape them in the plain form)."""
    token = client.csrf_token("/espace")
    body = (f'--XX\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{encoded_name}\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + content + b"\r\n--XX--\r\n"
    return client.post(url, data=body, content_type="multipart/form-data; boundary=XX")


def test_line_breaks_in_an_upload_file_name(db, world, as_user):
    client = as_user(world["agent"])
    sheet_id = world["sheet"].id
    response = raw_upload(client, f"/pratiques/{sheet_id}/ressources", "rapport%0D%0AX-Injected%3A%201.pdf", PDF)
    assert response.status_code == 302
    assert db.session.query(PracticeAttachment).filter_by(kind="file").count() == 2
    stored = db.session.query(PracticeAttachment).order_by(PracticeAttachment.id.desc()).first()
    assert "\r" not in stored.original_name and "\n" not in stored.original_name
    download = client.get(f"/pratiques/ressources/{stored.id}")
    assert download.status_code == 200 and download.data == PDF


def test_a_stored_file_name_with_line_breaks_still_downloads(db, world, as_user):
    # Rows saved before the fix keep their name: the download must not fail on them.
    attachment = world["attachment"]
    attachment.original_name = "vieux\r\nnom.pdf"
    db.session.commit()
    download = as_user(world["agent"]).get(f"/pratiques/ressources/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert "\n" not in download.headers["Content-Disposition"]


def test_days_must_be_a_finite_number(db, world, as_user):
    client = as_user(world["agent"])
    for days in ["nan", "NaN", "inf", "-inf", "1e308", "²", "1_0"]:
        response = post(client, f"/rapprochements/{world['pairing'].id}/jours",
                        {"days-day": date.today().isoformat(), "days-days": days, "days-note": ""})
        assert response.status_code == 400 and "Saisissez un nombre" in text(response), days
    assert db.session.query(DayLog).count() == 0


def test_terms_with_extreme_years(world, as_user):
    client = as_user(world["representative"])
    for start, end in [("9998-01-10", "9998-06-01"), ("9999-12-31", "9999-12-31"),
                       ("1899-12-31", "1900-02-01"), ("0001-01-01", "0001-02-01")]:
        check_terms(client, world, start_date=start, end_date=end, message="Saisissez une date entre")


def check_terms(client, world, message, **changes):
    today = date.today()
    terms = {"legal_route": "mise_a_disposition", "activities": "Marchés", "start_date": today.isoformat(),
             "end_date": today.replace(year=today.year + 1).isoformat(), "planned_days": "2", "place": "Lyon",
             "working_time": "Un jour", "reimbursement": "host", "renewal_terms": "Avenant",
             "termination_terms": "Préavis"} | changes
    response = post(client, f"/rapprochements/{world['pairing'].id}/conditions", terms)
    assert response.status_code == 400 and message in text(response), changes


def test_terms_planned_days_must_be_finite(world, as_user):
    client = as_user(world["representative"])
    for value in ["nan", "inf", "-inf", "1e400", str(2**70), "²"]:
        check_terms(client, world, "Saisissez un nombre", planned_days=value)


def test_need_dates_out_of_range(world, as_user):
    client = as_user(world["representative"])
    for field, value in [("start_date", "9999-12-31"), ("start_date", "1899-12-31"), ("deadline", "9999-12-31")]:
        need = {"title": "Refonte des marchés", "description": "Procédures", "domain": "marches_publics",
                "modality": "remote", "estimated_days": "3", field: value}
        response = post(client, "/besoins/nouveau", need)
        assert response.status_code == 200 and "Saisissez une date entre" in text(response), value


def test_integer_fields_refuse_unicode_and_huge_digits(world, as_user):
    client = as_user(world["agent"])
    for value in ["²", str(2**64), "nan", "1e3", "١٢"]:
        response = post(client, "/rapprochements/capacite", {"own-max_open": value})
        assert response.status_code == 400 and "Saisissez un nombre entier" in text(response), value


def test_a_long_decline_reason_fits_the_notification(db, world, as_user):
    client = as_user(world["agent"])
    reason = "Trop de travail en cours. " * 80  # 2,000 characters, the form's limit
    response = post(client, f"/rapprochements/{world['proposed'].id}/accord",
                    {"consent-party": "agent", "consent-decision": "declined", "consent-reason": reason[:2000]})
    assert response.status_code == 302
    messages = [n.message for n in db.session.query(Notification).filter(Notification.key.like("%declined"))]
    assert messages and all(len(m) <= 500 for m in messages)


@pytest.mark.parametrize("url, args", [
    ("/api/collectivites", {"q": "x" * 10_000}), ("/pratiques/", {"q": "é" * 10_000, "essaimage": "²"}),
    ("/pratiques/", {"essaimage": str(2**70)}), ("/offres/", {"q": "x" * 10_000, "departement": "\x00"}),
    ("/coordination/", {"departement": "x" * 10_000, "min_score": "nan", "min_age_days": "²"}),
])
def test_long_and_odd_query_strings(world, as_user, url, args):
    client = as_user(world["coordinator"])
    assert client.get(url, query_string=args).status_code in (200, 400)


def test_forms_use_the_safe_number_date_and_id_fields():
    """WTForms' own IntegerField, FloatField, DateField and `coerce=int` let Unicode digits, huge
    numbers, NaN and year 9999 through: every form takes the fields of core/forms.py instead."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "marketplace"
    unsafe = re.compile(r"from wtforms import[^\n]*\b(IntegerField|FloatField|DateField|DecimalField)\b"
                        r"|coerce=int\b|\.isdigit\(\)[^\n]*(?:\n[^\n]*)?\bint\(|\bint\([^\n]*\.isdigit\(\)")
    # Where the parsed text is never user input: the settings and core/forms.py itself.
    trusted = {"core/forms.py", "pairings/services/consents.py"}
    found = [f"{path.relative_to(root)}: {match.group(0)}" for path in sorted(root.rglob("*.py"))
             if str(path.relative_to(root)) not in trusted
             for match in unsafe.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found


def test_collectivity_typed_as_odd_digits(world, as_user):
    client = as_user(world["agent"])
    for query in ("²", "99999999999", "١٢٣"):
        sheet = {"title": "Fiche", "domain": "marches_publics", "collectivity_query": query, "status": "draft"}
        response = post(client, "/pratiques/nouvelle", sheet)
        assert response.status_code == 200 and "Collectivité introuvable" in text(response), query


def test_nul_characters_in_filters_and_follow_buttons(db, world, as_user):
    # PostgreSQL refuses NUL in any text parameter: filters drop it, buttons refuse it.
    client = as_user(world["admin"])
    assert client.get("/admin/", query_string={"role": "\x00", "q": "a\x00b"}).status_code == 200
    for url in ("/offres/", "/besoins/", "/pratiques/"):
        assert client.get(url, query_string={"region": "\x00", "departement": "6\x009", "q": "\x00"}).status_code == 200
    client = as_user(world["agent"])
    for url in ("/pratiques/suivre", "/pratiques/ne-plus-suivre"):
        response = post(client, url, {"kind": "\x00", "key": "1\x00"}, follow_redirects=True)
        assert response.status_code == 200
