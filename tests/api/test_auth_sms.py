"""POST /auth/sms-code and the citizen's login with it."""

import pytest
from sqlalchemy import func, select

from backend.extensions import db, limiter
from backend.models import Role, User
from backend.services import users
from tests.api.auth_support import assert_error, bearer, code_login, request_code

PHONE = "13912345678"


def test_a_code_request_is_202_with_a_request_id(client, demo):
    sent = request_code(client, PHONE)
    assert set(sent) == {"request_id", "expires_in", "debug_code"}
    assert sent["expires_in"] == 600


@pytest.mark.parametrize("app_env", ["development", "demo", "test"])
def test_the_debug_code_is_shown_outside_production(client, demo, app_env):
    client.application.config["APP_ENV"] = app_env
    assert "debug_code" in request_code(client, PHONE)


def test_production_never_shows_the_code(client, demo):
    client.application.config["APP_ENV"] = "production"
    sent = request_code(client, PHONE)
    assert "debug_code" not in sent
    assert set(sent) == {"request_id", "expires_in"}


def test_the_first_code_login_creates_the_citizen_account(client, demo):
    client.application.config["SMS_RATE_LIMIT_PHONE"] = "10/minute"
    response = code_login(client, PHONE)
    assert response.status_code == 200
    user = response.get_json()["user"]
    assert user["role"] == "citizen"
    assert user["phone"] == "139****5678"
    assert user["real_name_verified"] is False
    again = code_login(client, PHONE).get_json()["user"]
    assert again["id"] == user["id"]
    assert db.session.scalar(select(func.count()).select_from(User)) == 12  # 11 demo + 1


def test_the_citizen_account_keeps_the_phone_encrypted(client, demo):
    code_login(client, PHONE)
    citizen = users.find_by_phone(db.session, PHONE)
    assert citizen.role == Role.CITIZEN
    assert PHONE.encode() not in citizen.phone_cipher


def test_a_code_cannot_be_used_twice(client, demo):
    sent = request_code(client, PHONE)
    body = {"phone": PHONE, "code": sent["debug_code"], "request_id": sent["request_id"]}
    assert client.post("/api/v1/auth/login", json=body).status_code == 200
    assert_error(client.post("/api/v1/auth/login", json=body), 401, "unauthorized")


def test_a_code_for_one_phone_does_not_sign_in_another(client, demo):
    sent = request_code(client, PHONE)
    body = {"phone": "13900000000", "code": sent["debug_code"], "request_id": sent["request_id"]}
    assert_error(client.post("/api/v1/auth/login", json=body), 401, "unauthorized")


def test_five_wrong_codes_kill_the_code(client, demo):
    sent = request_code(client, PHONE)
    wrong = f"{(int(sent['debug_code']) + 1) % 1_000_000:06d}"
    body = {"phone": PHONE, "code": wrong, "request_id": sent["request_id"]}
    for _ in range(5):
        assert_error(client.post("/api/v1/auth/login", json=body), 401, "unauthorized")
    right = {**body, "code": sent["debug_code"]}
    error = assert_error(client.post("/api/v1/auth/login", json=right), 401, "unauthorized")
    assert "已失效" in error["message"]


def test_staff_phones_must_use_the_password(client, demo):
    error = assert_error(code_login(client, "13800000002"), 401, "unauthorized")
    assert "用户名和密码" in error["message"]


def test_a_disabled_citizen_cannot_sign_in_by_code(client, demo):
    code_login(client, PHONE)
    users.find_by_phone(db.session, PHONE).is_active = False
    db.session.commit()
    client.application.config["SMS_RATE_LIMIT_PHONE"] = "10/minute"
    assert_error(code_login(client, PHONE), 401, "unauthorized")


def test_a_code_login_token_reaches_me(client, demo):
    body = code_login(client, PHONE).get_json()
    me = client.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.get_json()["phone"] == "139****5678"


def test_codes_are_limited_per_phone(client, demo):
    request_code(client, PHONE)
    other_address = client.post(
        "/api/v1/auth/sms-code", json={"phone": PHONE}, environ_base={"REMOTE_ADDR": "127.0.0.2"}
    )
    assert_error(other_address, 429, "rate_limited")
    request_code(client, "13900000000")


def test_codes_are_limited_per_address(client, demo):
    client.application.config["SMS_RATE_LIMIT_IP"] = "2/minute"
    request_code(client, "13900000001")
    request_code(client, "13900000002")
    third = client.post("/api/v1/auth/sms-code", json={"phone": "13900000003"})
    assert_error(third, 429, "rate_limited")


@pytest.mark.parametrize(
    "phone",
    [
        "１３９１２３４５６７８",
        "1391234567",
        "139123456789",
        "23912345678",
        "139-1234-5678",
        "",
        13912345678,
    ],
)
def test_a_bad_phone_is_422_naming_it(client, demo, phone):
    response = client.post("/api/v1/auth/sms-code", json={"phone": phone})
    error = assert_error(response, 422, "validation_error")
    assert "phone" in error["details"]


def test_an_unknown_field_in_a_code_request_is_422(client, demo):
    response = client.post("/api/v1/auth/sms-code", json={"phone": PHONE, "role": "admin"})
    assert "role" in assert_error(response, 422, "validation_error")["details"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "12345"}, "code"),
        ({"code": "1234567"}, "code"),
        ({"code": "１２３４５６"}, "code"),
        ({"code": 123456}, "code"),
        ({"phone": "１３９１２３４５６７８"}, "phone"),
        ({"request_id": "short"}, "request_id"),
        ({"request_id": "../../etc/passwd/xxxxxxxx"}, "request_id"),
        ({"request_id": None}, "request_id"),
        ({"role": "admin"}, "role"),
    ],
)
def test_bad_code_login_input_is_422_naming_the_field(client, demo, change, field):
    body = {"phone": PHONE, "code": "123456", "request_id": "A" * 22, **change}
    error = assert_error(client.post("/api/v1/auth/login", json=body), 422, "validation_error")
    assert field in error["details"]


def test_a_code_login_without_the_request_id_uses_the_phones_live_code(client, demo):
    sent = client.post("/api/v1/auth/sms-code", json={"phone": PHONE}).get_json()
    body = {"phone": PHONE, "code": sent["debug_code"]}  # the body of just {phone, code}
    assert client.post("/api/v1/auth/login", json=body).status_code == 200
    assert client.post("/api/v1/auth/login", json=body).status_code == 401  # single use


def test_a_code_login_without_the_request_id_refuses_a_superseded_code(client, demo):
    first = client.post("/api/v1/auth/sms-code", json={"phone": PHONE}).get_json()
    limiter.reset()  # a minute later, as far as the per-phone limit is concerned
    assert client.post("/api/v1/auth/sms-code", json={"phone": PHONE}).status_code == 202
    body = {"phone": PHONE, "code": first["debug_code"]}
    assert client.post("/api/v1/auth/login", json=body).status_code == 401
