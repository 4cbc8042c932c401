"""A form body that is not UTF-8 gets a French message next to the field, not a lost form."""


def test_raw_non_utf8_byte_in_urlencoded_form_is_reported_next_to_the_field(client):
    token = client.csrf_token("/compte/inscription")
    body = (
        f"csrf_token={token}&email=jose%40example.fr&display_name=".encode()
        + b"Jos\xc3\xa9 \xff"
    )
    response = client.post(
        "/compte/inscription", data=body, content_type="application/x-www-form-urlencoded"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "expiré" not in page  # the CSRF token survived the bad byte
    assert "caractères illisibles" in page
    assert 'value="jose@example.fr"' in page  # what was typed is kept


def test_percent_escaped_invalid_utf8_is_reported_too(client):
    token = client.csrf_token("/compte/inscription")
    body = f"csrf_token={token}&display_name=%FF%FE&email=a%40example.fr".encode()
    response = client.post(
        "/compte/inscription", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert "caractères illisibles" in response.get_data(as_text=True)
