"""Refresh, logout and the portal's cookies: revocation in the database, freshness, CSRF."""

from datetime import timedelta

from flask_jwt_extended import decode_token
from sqlalchemy import select

from backend import create_app
from backend.extensions import db
from backend.models import RevokedToken, Role
from backend.redis_connection import get_redis
from backend.services import clock
from backend.services import tokens as token_service
from backend.services.daily import run_daily
from backend.services.users import find_by_username
from tests.api.auth_support import assert_error, bearer, password_login


def signed_in(client, username="county01") -> dict:
    response = password_login(client, username)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_refresh_gives_a_new_access_token_that_is_not_fresh(client, demo):
    tokens = signed_in(client)
    response = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert response.status_code == 200
    access = response.get_json()["access_token"]
    assert decode_token(access)["fresh"] is False
    assert client.get("/api/v1/me", headers=bearer(access)).status_code == 200


def test_an_access_token_cannot_refresh(client, demo):
    tokens = signed_in(client)
    response = client.post("/api/v1/auth/refresh", headers=bearer(tokens["access_token"]))
    assert_error(response, 401, "unauthorized")


def test_a_refresh_token_is_not_an_access_token(client, demo):
    tokens = signed_in(client)
    response = client.get("/api/v1/me", headers=bearer(tokens["refresh_token"]))
    assert_error(response, 401, "unauthorized")


def test_logout_revokes_the_access_and_the_refresh_token(client, demo):
    tokens = signed_in(client)
    refreshed = client.post(
        "/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"])
    ).get_json()["access_token"]
    assert (
        client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"])).status_code
        == 204
    )
    error = assert_error(
        client.get("/api/v1/me", headers=bearer(tokens["access_token"])), 401, "unauthorized"
    )
    assert "退出" in error["message"]
    refresh = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert_error(refresh, 401, "unauthorized")
    # Every access token refreshed within the session ends with it.
    assert_error(client.get("/api/v1/me", headers=bearer(refreshed)), 401, "unauthorized")


def revoked_jtis() -> set[str]:
    db.session.rollback()  # read what the request committed
    return set(db.session.scalars(select(RevokedToken.jti)))


def test_logout_stores_the_access_and_refresh_ids_until_each_could_expire(client, demo):
    tokens = signed_in(client)
    access, refresh = decode_token(tokens["access_token"]), decode_token(tokens["refresh_token"])
    client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert revoked_jtis() == {access["jti"], refresh["jti"]}
    kept = {row.jti: row.expires_at for row in db.session.scalars(select(RevokedToken))}
    assert int(kept[access["jti"]].timestamp()) == access["exp"]
    assert kept[refresh["jti"]].timestamp() >= refresh["exp"]


def test_a_revocation_survives_redis_losing_its_data(client, demo):
    tokens = signed_in(client)
    client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    get_redis().flushdb()
    assert_error(
        client.get("/api/v1/me", headers=bearer(tokens["access_token"])), 401, "unauthorized"
    )
    refresh = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert_error(refresh, 401, "unauthorized")


def test_a_revoked_token_stays_revoked_after_a_restart(app_config, client, demo):
    tokens = signed_in(client)
    client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    restarted = create_app(app_config)
    again = restarted.test_client()
    assert_error(
        again.get("/api/v1/me", headers=bearer(tokens["access_token"])), 401, "unauthorized"
    )
    refresh = again.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert_error(refresh, 401, "unauthorized")
    with restarted.app_context():
        db.engine.dispose()


def test_revoking_a_session_twice_keeps_one_row_per_token(client, demo):
    tokens = signed_in(client)
    payload = decode_token(tokens["access_token"])
    for _ in range(2):
        token_service.revoke_session(db.session, payload)
        db.session.commit()
    assert revoked_jtis() == {payload["jti"], payload["rjti"]}
    assert token_service.bearer(db.session, payload).revoked


def test_the_daily_purge_forgets_only_revocations_of_expired_tokens(app, demo):
    now = clock.now()
    db.session.add_all(
        [
            RevokedToken(jti="expired", expires_at=now - timedelta(seconds=1)),
            RevokedToken(jti="still-valid", expires_at=now + timedelta(minutes=15)),
        ]
    )
    db.session.commit()
    results = run_daily(db.session, clock.today() + timedelta(days=30))
    db.session.commit()
    assert results["backend.services.tokens:purge_expired"] == {"deleted": 1}
    assert revoked_jtis() == {"still-valid"}


def test_logging_out_one_session_leaves_the_others(client, demo):
    phone_session = signed_in(client)
    desk_session = signed_in(client)
    client.post("/api/v1/auth/logout", headers=bearer(phone_session["access_token"]))
    assert client.get("/api/v1/me", headers=bearer(desk_session["access_token"])).status_code == 200


def test_a_disabled_account_can_no_longer_refresh(client, demo):
    tokens = signed_in(client)
    find_by_username(db.session, "county01").is_active = False
    db.session.commit()
    response = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert_error(response, 401, "unauthorized")


def test_a_demoted_account_can_no_longer_refresh(client, demo):
    tokens = signed_in(client)
    find_by_username(db.session, "county01").role = Role.TOWNSHIP_STAFF
    db.session.commit()
    response = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert_error(response, 401, "unauthorized")


def test_logout_needs_a_token(client, demo):
    assert_error(client.post("/api/v1/auth/logout"), 401, "unauthorized")


# --- the portal: httpOnly cookies, SameSite=Lax, CSRF double-submit ---------------------


def cookie_login(client, username="county01"):
    return password_login(client, username, session="cookie")


def set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def test_cookie_mode_keeps_the_tokens_out_of_the_body(client, demo):
    response = cookie_login(client)
    assert response.status_code == 200
    assert set(response.get_json()) == {"user"}
    cookies = set_cookies(response)
    assert {"access_token_cookie", "refresh_token_cookie", "csrf_access_token"} <= set(cookies)


def test_token_cookies_are_httponly_samesite_lax_and_secure_when_enabled(client, demo):
    client.application.config["JWT_COOKIE_SECURE"] = True
    cookies = set_cookies(cookie_login(client))
    for name in ("access_token_cookie", "refresh_token_cookie"):
        assert "HttpOnly" in cookies[name]
        assert "SameSite=Lax" in cookies[name]
        assert "Secure" in cookies[name]
    # The CSRF cookie is for the portal's script to read and echo back.
    assert "HttpOnly" not in cookies["csrf_access_token"]
    assert "Path=/api/v1/auth/" in cookies["refresh_token_cookie"]


def test_cookies_are_not_marked_secure_for_local_http(client, demo):
    client.application.config["JWT_COOKIE_SECURE"] = False
    cookies = set_cookies(cookie_login(client))
    assert "Secure" not in cookies["access_token_cookie"]


def test_a_cookie_reads_without_a_csrf_header(client, demo):
    cookie_login(client)
    assert client.get("/api/v1/me").get_json()["role"] == "county_staff"


def test_a_post_with_the_cookie_but_no_csrf_header_is_401(client, demo):
    cookie_login(client)
    assert_error(client.post("/api/v1/auth/logout"), 401, "unauthorized")
    wrong = client.post("/api/v1/auth/logout", headers={"X-CSRF-TOKEN": "forged"})
    assert_error(wrong, 401, "unauthorized")


def test_cookie_logout_with_the_csrf_header_revokes_and_clears(client, demo):
    cookie_login(client)
    access_cookie = client.get_cookie("access_token_cookie").value
    csrf = client.get_cookie("csrf_access_token").value
    response = client.post("/api/v1/auth/logout", headers={"X-CSRF-TOKEN": csrf})
    assert response.status_code == 204
    assert client.get_cookie("access_token_cookie") is None
    assert_error(client.get("/api/v1/me", headers=bearer(access_cookie)), 401, "unauthorized")


def test_cookie_refresh_sets_a_new_access_cookie(client, demo):
    cookie_login(client)
    before = client.get_cookie("access_token_cookie").value
    csrf = client.get_cookie("csrf_refresh_token").value
    response = client.post("/api/v1/auth/refresh", headers={"X-CSRF-TOKEN": csrf})
    assert response.status_code == 200
    assert response.get_json() == {}
    after = client.get_cookie("access_token_cookie").value
    assert after != before
    assert decode_token(after)["fresh"] is False
