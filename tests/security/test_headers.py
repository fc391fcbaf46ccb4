"""Headers: the portal's CSP, framing and referrer rules; no-store on personal answers;
Allow on 405; the error envelope for 414 and 431."""

import pytest

PORTAL_PAGES = ["/", "/dibao/estimate", "/portal-static/api.js"]


@pytest.mark.parametrize("path", PORTAL_PAGES)
def test_portal_pages_forbid_framing_foreign_scripts_and_leaking_their_address(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_personal_answers_are_never_cached(client, login, open_case):
    case = open_case()
    agent = login("agent0101")
    for response in (
        client.get("/api/v1/me", headers=agent),
        client.get(f"/api/v1/applications/{case['id']}", headers=agent),
        client.get("/api/v1/applications", headers=agent),
        client.get("/api/v1/me/inbox", headers=agent),
        client.post("/api/v1/auth/login", json={"username": "town01", "password": "Demo@2026"}),
    ):
        assert response.status_code == 200, response.get_json()
        assert response.headers["Cache-Control"] == "no-store"


def test_an_error_is_not_cached_either(client, demo):
    assert client.get("/api/v1/me").headers["Cache-Control"] == "no-store"


def test_a_405_says_which_methods_the_resource_takes(client, demo):
    response = client.delete("/api/v1/health")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    assert "DELETE" not in response.headers["Allow"]


def test_an_overlong_address_gets_414_in_the_envelope(client, demo):
    response = client.get("/api/v1/regions?q=" + "x" * 3000)
    assert response.status_code == 414
    assert response.get_json()["error"]["code"] == "uri_too_long"


def test_oversized_headers_get_431_in_the_envelope(client, demo):
    response = client.get("/api/v1/health", headers={"X-Padding": "x" * 8000})
    assert response.status_code == 431
    assert response.get_json()["error"]["code"] == "headers_too_large"
