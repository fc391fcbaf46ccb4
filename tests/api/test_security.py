"""The one gate: valid token, live account, role allowed."""

from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token

from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import Role
from backend.services import clock
from backend.services.users import find_by_username


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
