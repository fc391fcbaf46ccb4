"""Every login, failed login, lockout and logout leaves an audit row (RELIABILITY row 38)."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditLog, AuditResult
from backend.services.users import find_by_username
from tests.api.auth_support import bearer, code_login, password_login, real_name_proof

WRONG = "Wrong@2026"


def rows(action: str) -> list[AuditLog]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_a_login_is_audited_with_the_account_and_address(client, demo):
    body = {"username": "county01", "password": "Demo@2026"}
    client.post("/api/v1/auth/login", json=body, environ_base={"REMOTE_ADDR": "127.0.0.7"})
    [row] = rows("auth.login")
    county01 = find_by_username(db.session, "county01")
    assert (row.actor_id, row.actor_role, row.result) == (county01.id, "county_staff", "success")
    assert (row.object_type, row.object_id) == ("user_account", str(county01.id))
    assert row.ip == "127.0.0.7"
    assert row.note == "password"


def test_a_wrong_password_is_audited_as_failed_against_the_account(client, demo):
    password_login(client, "county01", WRONG)
    [row] = rows("auth.login")
    assert row.result == AuditResult.FAILED
    assert row.actor_id is None
    assert row.object_id == str(find_by_username(db.session, "county01").id)
    assert WRONG not in row.note


def test_an_unknown_username_is_audited_without_naming_it(client, demo):
    password_login(client, "no_such_user", WRONG)
    [row] = rows("auth.login")
    assert row.result == AuditResult.FAILED
    assert (row.object_type, row.object_id) == ("endpoint", "auth.login")
    assert "no_such_user" not in row.note


def test_a_lockout_is_audited_once(client, demo):
    for _ in range(6):
        password_login(client, "county01", WRONG)
    [lockout] = rows("auth.lockout")
    assert lockout.object_id == str(find_by_username(db.session, "county01").id)
    assert "锁定该地址15分钟" in lockout.note
    assert len(rows("auth.login")) == 6


def test_a_resident_login_by_code_is_audited_without_the_phone(client, demo):
    code_login(client, "13912345678")
    [row] = rows("auth.login")
    assert row.result == AuditResult.SUCCESS
    assert row.actor_role == "citizen"
    assert row.note == "sms"
    assert all("13912345678" not in (r.note + (r.object_id or "")) for r in rows("auth.login"))


def test_a_logout_is_audited(client, demo):
    tokens = password_login(client, "town01").get_json()
    client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    [row] = rows("auth.logout")
    assert row.actor_id == tokens["user"]["id"]
    assert tokens["access_token"] not in row.note


def test_real_name_verification_is_audited(client, demo):
    access = code_login(client, "13912345678").get_json()["access_token"]
    body = {"name": "王秀英", "id_number": "11010519491231002X"}
    body["verify_result"] = real_name_proof(body["name"], body["id_number"])
    client.post("/api/v1/me/real-name", json=body, headers=bearer(access))
    [row] = rows("user.real_name")
    assert (row.before_status, row.after_status) == ("unverified", "verified")
    assert "11010519491231002X" not in row.note
