"""POST /auth/login with a password: argon2, fresh tokens, lockout that reveals nothing."""

import pytest
from flask_jwt_extended import decode_token

from backend.extensions import db
from backend.redis_connection import get_redis
from backend.services import auth
from backend.services.users import find_by_username
from tests.api.auth_support import assert_error, bearer, password_login

WRONG = "Wrong@2026"


def test_staff_sign_in_with_username_and_password(client, demo):
    response = password_login(client, "county01")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"access_token", "refresh_token", "user"}
    assert body["user"]["role"] == "county_staff"
    assert body["user"]["phone"] == "138****0002"
    me = client.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.get_json()["id"] == body["user"]["id"]


def test_a_password_login_gives_a_fresh_access_token_and_a_refresh_token(client, demo):
    body = password_login(client, "town01").get_json()
    access = decode_token(body["access_token"])
    refresh = decode_token(body["refresh_token"])
    assert access["fresh"] is True and access["type"] == "access"
    assert refresh["type"] == "refresh"
    assert access["sub"] == refresh["sub"] == str(body["user"]["id"])


def test_usernames_are_matched_without_case_or_surrounding_spaces(client, demo):
    assert password_login(client, " County01 ").status_code == 200


def test_a_wrong_password_is_401_without_saying_which_part_was_wrong(client, demo):
    error = assert_error(password_login(client, "county01", WRONG), 401, "unauthorized")
    unknown = assert_error(password_login(client, "nobody", WRONG), 401, "unauthorized")
    assert error["message"] == unknown["message"] == "用户名或密码错误"


def test_a_disabled_account_cannot_sign_in(client, demo):
    find_by_username(db.session, "county01").is_active = False
    db.session.commit()
    assert_error(password_login(client, "county01"), 401, "unauthorized")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client, demo):
    for _ in range(4):
        assert_error(password_login(client, "county01", WRONG), 401, "unauthorized")
    error = assert_error(password_login(client, "county01", WRONG), 429, "rate_limited")
    assert "15分钟" in error["message"]
    # Even the right password is refused while locked.
    assert_error(password_login(client, "county01"), 429, "rate_limited")
    ttl = get_redis().ttl(auth.LOCK_PREFIX + auth.lockout_key("county01", "127.0.0.1"))
    assert 14 * 60 < ttl <= 15 * 60


def test_a_lockout_looks_the_same_for_a_username_that_does_not_exist(client, demo):
    answers = {}
    for username in ("county01", "no_such_user"):
        for _ in range(5):
            response = password_login(client, username, WRONG)
        answers[username] = (response.status_code, response.get_json())
    assert answers["county01"] == answers["no_such_user"]
    assert answers["county01"][0] == 429


def test_failures_older_than_the_window_do_not_count(client, demo):
    for _ in range(4):
        password_login(client, "county01", WRONG)
    key = auth.FAILURES_PREFIX + auth.lockout_key("county01", "127.0.0.1")
    get_redis().delete(key)  # 15 minutes pass
    assert_error(password_login(client, "county01", WRONG), 401, "unauthorized")
    assert password_login(client, "county01").status_code == 200


def test_a_successful_login_clears_the_failure_count(client, demo):
    for _ in range(4):
        password_login(client, "county01", WRONG)
    assert password_login(client, "county01").status_code == 200
    for _ in range(4):
        assert_error(password_login(client, "county01", WRONG), 401, "unauthorized")
    assert find_by_username(db.session, "county01").failed_login_count == 4


def test_an_administrator_can_lift_a_lockout(client, demo):
    for _ in range(5):
        password_login(client, "county01", WRONG)
    user = find_by_username(db.session, "county01")
    auth.unlock_account(user)
    db.session.commit()
    assert password_login(client, "county01").status_code == 200


def test_one_lockout_does_not_lock_another_account(client, demo):
    for _ in range(5):
        password_login(client, "county01", WRONG)
    assert password_login(client, "town01").status_code == 200


def test_logins_are_limited_per_account_across_addresses(client, demo):
    client.application.config["LOGIN_RATE_LIMIT_ACCOUNT"] = "3/minute"
    for n in range(3):
        response = client.post(
            "/api/v1/auth/login",
            json={"username": "county01", "password": "Demo@2026"},
            environ_base={"REMOTE_ADDR": f"127.0.0.{n + 1}"},
        )
        assert response.status_code == 200
    spread = client.post(
        "/api/v1/auth/login",
        json={"username": "County01", "password": "Demo@2026"},
        environ_base={"REMOTE_ADDR": "127.0.0.9"},
    )
    assert_error(spread, 429, "rate_limited")
    assert password_login(client, "town01").status_code == 200


def test_logins_are_limited_per_address_across_accounts(client, demo):
    client.application.config["LOGIN_RATE_LIMIT_IP"] = "3/minute"
    for username in ("county01", "town01", "town02"):
        assert password_login(client, username).status_code == 200
    assert_error(password_login(client, "town03"), 429, "rate_limited")
    other_address = client.post(
        "/api/v1/auth/login",
        json={"username": "town03", "password": "Demo@2026"},
        environ_base={"REMOTE_ADDR": "127.0.0.2"},
    )
    assert other_address.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "county\u0000", "password": "Demo@2026"}, "username"),
        ({"username": "", "password": "Demo@2026"}, "username"),
        ({"username": "县局", "password": "Demo@2026"}, "username"),
        ({"username": "a" * 41, "password": "Demo@2026"}, "username"),
        ({"username": 12, "password": "Demo@2026"}, "username"),
        ({"username": "county01", "password": "x" * 129}, "password"),
        ({"username": "county01", "password": ""}, "password"),
        ({"username": "county01", "password": ["Demo@2026"]}, "password"),
        ({"username": "county01"}, "password"),
        ({"password": "Demo@2026"}, "username"),
        ({"username": "county01", "password": "Demo@2026", "role": "admin"}, "role"),
        ({"username": "county01", "password": "Demo@2026", "session": "jar"}, "session"),
        ({"username": "county01", "password": "Demo@2026", "phone": "13800000002"}, "_schema"),
    ],
)
def test_bad_login_input_is_422_naming_the_field(client, demo, body, field):
    error = assert_error(client.post("/api/v1/auth/login", json=body), 422, "validation_error")
    assert field in error["details"]


def test_an_empty_login_body_is_422(client, demo):
    assert_error(client.post("/api/v1/auth/login", json={}), 422, "validation_error")
