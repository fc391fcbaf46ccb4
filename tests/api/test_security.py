"""The one gate: valid token, live account, role allowed."""

import base64
import json
import os
import signal
from datetime import timedelta

import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token

from backend import create_app
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import Role
from backend.redis_connection import embedded_url, start_embedded
from backend.services import clock
from backend.services.users import find_by_username
from tests.api.auth_support import assert_error, bearer, password_login


@pytest.fixture
def guarded(app):
    @app.get("/api/v1/_county_only")
    @auth_required(Role.COUNTY_STAFF)
    def county_only():
        return {"username": current_user().username}

    @app.post("/api/v1/_approve")
    @auth_required(Role.COUNTY_STAFF, fresh=True)
    def approve():
        return {"ok": True}

    return app.test_client()


def test_no_token_is_401(guarded, demo):
    response = guarded.get("/api/v1/_county_only")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_the_right_role_passes(guarded, login):
    response = guarded.get("/api/v1/_county_only", headers=login("county01"))
    assert response.get_json() == {"username": "county01"}


def test_another_role_is_403(guarded, login):
    response = guarded.get("/api/v1/_county_only", headers=login("town01"))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_a_garbage_token_is_401(guarded, demo):
    response = guarded.get("/api/v1/_county_only", headers={"Authorization": "Bearer abc.def"})
    assert response.status_code == 401


def test_a_disabled_account_loses_its_tokens_at_once(guarded, login):
    headers = login("county01")
    find_by_username(db.session, "county01").is_active = False
    db.session.commit()
    assert guarded.get("/api/v1/_county_only", headers=headers).status_code == 401


def test_a_demoted_account_loses_its_tokens_at_once(guarded, login):
    headers = login("county01")
    find_by_username(db.session, "county01").role = Role.TOWNSHIP_STAFF
    db.session.commit()
    assert guarded.get("/api/v1/_county_only", headers=headers).status_code == 401


def test_tokens_issued_before_a_reset_are_void(guarded, login):
    headers = login("county01")
    user = find_by_username(db.session, "county01")
    user.tokens_valid_after = clock.now() + timedelta(seconds=5)
    db.session.commit()
    assert guarded.get("/api/v1/_county_only", headers=headers).status_code == 401


def test_approvals_need_a_fresh_token(guarded, login):
    assert guarded.post("/api/v1/_approve", headers=login("county01")).status_code == 401
    fresh = guarded.post("/api/v1/_approve", headers=login("county01", fresh=True))
    assert fresh.status_code == 200


def test_an_integer_subject_is_refused(guarded, demo):
    user = find_by_username(db.session, "county01")
    token = create_access_token(user, additional_claims={"sub": 12})
    response = guarded.get("/api/v1/_county_only", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


# --- JWT hardening (RELIABILITY row 33): every refusal is a 401 in our envelope -------


def _unsigned(payload: dict) -> str:
    def part(data: dict) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


def _assert_refused(response, message=None):
    assert response.status_code == 401, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "unauthorized"
    if message:
        assert message in error["message"]


def test_an_unsigned_alg_none_token_is_refused(guarded, demo):
    user = find_by_username(db.session, "county01")
    claims = decode_token(create_access_token(user))
    token = _unsigned(claims)
    _assert_refused(
        guarded.get("/api/v1/_county_only", headers={"Authorization": f"Bearer {token}"})
    )


def test_a_token_signed_with_another_key_is_refused(guarded, demo):
    user = find_by_username(db.session, "county01")
    claims = decode_token(create_access_token(user))
    token = pyjwt.encode(claims, "another-secret-" + "y" * 40, algorithm="HS256")
    _assert_refused(
        guarded.get("/api/v1/_county_only", headers={"Authorization": f"Bearer {token}"})
    )


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_a_token_with_another_algorithm_is_refused(guarded, demo):
    user = find_by_username(db.session, "county01")
    claims = decode_token(create_access_token(user))
    secret = guarded.application.config["JWT_SECRET_KEY"]
    token = pyjwt.encode(claims, secret, algorithm="HS512")
    _assert_refused(
        guarded.get("/api/v1/_county_only", headers={"Authorization": f"Bearer {token}"})
    )


def test_an_expired_token_is_refused(guarded, demo):
    user = find_by_username(db.session, "county01")
    token = create_access_token(user, expires_delta=timedelta(seconds=-1))
    response = guarded.get("/api/v1/_county_only", headers={"Authorization": f"Bearer {token}"})
    _assert_refused(response, "过期")


def test_a_refresh_token_does_not_open_a_guarded_route(guarded, demo):
    user = find_by_username(db.session, "county01")
    token = create_refresh_token(user)
    _assert_refused(
        guarded.get("/api/v1/_county_only", headers={"Authorization": f"Bearer {token}"})
    )


def test_a_refreshed_token_is_not_fresh_enough_to_approve(guarded, demo):
    tokens = guarded.post(
        "/api/v1/auth/login", json={"username": "county01", "password": "Demo@2026"}
    ).get_json()
    assert (
        guarded.post("/api/v1/_approve", headers=bearer(tokens["access_token"])).status_code == 200
    )
    refreshed = guarded.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    response = guarded.post(
        "/api/v1/_approve", headers=bearer(refreshed.get_json()["access_token"])
    )
    _assert_refused(response, "重新输入密码")


# --- outages: Redis stops only what needs it, the database gives 503 (rows 29–31) -------


@pytest.fixture
def redis_outage(app_config, demo, tmp_path):
    """An app on a Redis server of its own, and the means to crash that server."""
    server = start_embedded(tmp_path)
    app = create_app({**app_config, "REDIS_URL": embedded_url(server)})
    yield app.test_client(), lambda: os.kill(server.pid, signal.SIGKILL)
    with app.app_context():
        db.engine.dispose()


def test_a_redis_outage_leaves_signed_in_people_working(redis_outage, login):
    client, stop_redis = redis_outage
    signed_in = password_login(client, "county01").get_json()
    stop_redis()
    for headers in (login("town01"), bearer(signed_in["access_token"])):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    refreshed = client.post("/api/v1/auth/refresh", headers=bearer(signed_in["refresh_token"]))
    assert refreshed.status_code == 200, refreshed.get_data(as_text=True)


def test_logout_during_a_redis_outage_still_revokes_the_session(redis_outage):
    client, stop_redis = redis_outage
    signed_in = password_login(client, "county01").get_json()
    stop_redis()
    access, refresh = bearer(signed_in["access_token"]), bearer(signed_in["refresh_token"])
    assert client.post("/api/v1/auth/logout", headers=access).status_code == 204
    assert_error(client.get("/api/v1/me", headers=access), 401, "unauthorized")
    assert_error(client.post("/api/v1/auth/refresh", headers=refresh), 401, "unauthorized")


def test_a_limiter_outage_closes_login_and_sms_codes_with_503(redis_outage):
    client, stop_redis = redis_outage
    stop_redis()
    login = password_login(client, "county01")
    code = client.post("/api/v1/auth/sms-code", json={"phone": "13912345678"})
    for response in (login, code):
        assert_error(response, 503, "service_unavailable")
        assert "access_token" not in response.get_data(as_text=True)


def test_a_redis_outage_leaves_public_endpoints_working(redis_outage):
    client, stop_redis = redis_outage
    stop_redis()
    assert client.get("/api/v1/regions").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


UNREACHABLE_DATABASE = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"


@pytest.fixture
def database_outage(app_config):
    """A client of an app whose database cannot be reached."""
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": UNREACHABLE_DATABASE})
    return app.test_client()


def test_a_database_outage_refuses_signed_in_requests_with_503(database_outage, login):
    headers = login("county01")  # a real token, from the app whose database answers
    for response in (
        database_outage.get("/api/v1/me", headers=headers),
        database_outage.post("/api/v1/auth/logout", headers=headers),
    ):
        assert_error(response, 503, "service_unavailable")


def test_a_database_outage_refuses_public_endpoints_and_login_with_503(database_outage):
    assert_error(database_outage.get("/api/v1/regions"), 503, "service_unavailable")
    assert_error(password_login(database_outage, "county01"), 503, "service_unavailable")


def test_a_database_outage_is_logged_for_operators(database_outage, caplog):
    database_outage.get("/api/v1/regions")
    logged = [r for r in caplog.records if r.name == "backend.errors"]
    assert [(r.levelname, "503" in r.getMessage()) for r in logged] == [("ERROR", True)]
