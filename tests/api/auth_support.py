"""Signing in through the real endpoints, for the auth tests."""

from __future__ import annotations

DEMO_PASSWORD = "Demo@2026"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def password_login(client, username: str, password: str = DEMO_PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/login", json={"username": username, "password": password, **extra}
    )


def request_code(client, phone: str) -> dict:
    response = client.post("/api/v1/auth/sms-code", json={"phone": phone})
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def code_login(client, phone: str, **extra):
    sent = request_code(client, phone)
    body = {"phone": phone, "code": sent["debug_code"], "request_id": sent["request_id"]}
    return client.post("/api/v1/auth/login", json={**body, **extra})


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def real_name_proof(name: str, id_number: str) -> str:
    """What the console identity verifier confirms: the stand-in for a face check
    the person really passed (its inputs normalised as the service does; a name the
    service refuses gets a proof that is never asked for)."""
    from backend.errors import ValidationFailed
    from backend.services.identity import clean_name
    from backend.services.identity_verification import console_proof

    try:
        name = clean_name(name)
    except ValidationFailed:
        return "never-checked"
    return console_proof(name, id_number.strip().upper())
