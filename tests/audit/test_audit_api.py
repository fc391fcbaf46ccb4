"""GET /audit-logs and /audit-logs/verify: administrators only, filtered, keyset pages."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from backend.extensions import db
from backend.models import AuditLog, AuditResult
from backend.services import audit
from backend.services.users import find_by_username

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def logged(demo):
    """Five rows by county01 and town01, an hour apart, the third one denied."""
    county = find_by_username(db.session, "county01")
    town = find_by_username(db.session, "town01")
    for n, (actor, result) in enumerate(
        [
            (county, AuditResult.SUCCESS),
            (town, AuditResult.SUCCESS),
            (town, AuditResult.DENIED),
            (county, AuditResult.SUCCESS),
            (county, AuditResult.FAILED),
        ]
    ):
        row = audit.record(
            db.session,
            actor,
            f"test.step{n % 2}",
            audit.Target("application", str(n)),
            result=result,
        )
        row.at = T0 + timedelta(hours=n)
    db.session.commit()
    return {"county": county.id, "town": town.id}


def listed(client, login, query=""):
    response = client.get(f"/api/v1/audit-logs?{query}", headers=login("admin"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_an_admin_lists_the_log_newest_first(client, login, logged):
    page = listed(client, login)
    assert [item["object_id"] for item in page["items"]] == ["4", "3", "2", "1", "0"]
    first = page["items"][-1]
    assert first["actor_id"] == logged["county"]
    assert first["actor_role"] == "county_staff"
    assert first["result"] == "success"
    assert first["sealed"] is False
    assert first["at"].startswith("2026-03-01T02:00:00")
    assert page["next_cursor"] is None


def test_pages_follow_the_cursor(client, login, logged):
    first = listed(client, login, "limit=2")
    second = listed(client, login, f"limit=2&cursor={first['next_cursor']}")
    third = listed(client, login, f"limit=2&cursor={second['next_cursor']}")
    ids = [item["object_id"] for page in (first, second, third) for item in page["items"]]
    assert ids == ["4", "3", "2", "1", "0"]
    assert third["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=test.step1", ["3", "1"]),
        ("result=denied", ["2"]),
        ("object_type=application&object_id=3", ["3"]),
        ("since=2026-03-01T04:00:00%2B00:00", ["4", "3", "2"]),
        ("until=2026-03-01T14:00:00%2B08:00", ["3", "2", "1", "0"]),  # 06:00 UTC
    ],
)
def test_filters(client, login, logged, query, expected):
    assert [item["object_id"] for item in listed(client, login, query)["items"]] == expected


def test_filter_by_actor(client, login, logged):
    page = listed(client, login, f"actor_id={logged['town']}")
    assert [item["object_id"] for item in page["items"]] == ["2", "1"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("actor_id=abc", "actor_id"),
        ("actor_id=0", "actor_id"),
        ("actor_id=１", "actor_id"),
        ("result=maybe", "result"),
        ("action=" + "a" * 41, "action"),
        ("object_type=", "object_type"),
        ("object_id=" + "9" * 65, "object_id"),
        ("since=2026-03-01T04:00:00", "since"),  # no offset: ambiguous
        ("until=yesterday", "until"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("cursor=%%%", "cursor"),
        ("role=admin", "role"),
    ],
)
def test_bad_filters_are_422_naming_the_field(client, login, logged, query, field):
    response = client.get(f"/api/v1/audit-logs?{query}", headers=login("admin"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


@pytest.mark.parametrize("username", ["county01", "town01", "agent0101", "registrar01"])
def test_only_administrators_read_the_log(client, login, logged, username):
    for path in ("/api/v1/audit-logs", "/api/v1/audit-logs/verify"):
        assert client.get(path, headers=login(username)).status_code == 403


def test_reading_the_log_needs_a_token(client, demo):
    assert client.get("/api/v1/audit-logs").status_code == 401


def test_a_refused_read_of_the_log_is_itself_recorded(client, login, logged):
    client.get("/api/v1/audit-logs", headers=login("town01"))
    page = listed(client, login, "result=denied&action=access.denied")
    assert [item["object_id"] for item in page["items"]] == ["audit.list_audit_logs"]


def test_verify_reports_an_intact_chain(client, login, logged, seal_all):
    seal_all()
    report = client.get("/api/v1/audit-logs/verify", headers=login("admin")).get_json()
    head = db.session.scalars(select(AuditLog).order_by(AuditLog.seq.desc())).first()
    assert report == {
        "valid": True,
        "checked": 5,
        "unsealed": 0,
        "first_id": report["first_id"],
        "last_id": head.id,
        "head_hash": head.row_hash,
        "broken_id": None,
        "reason": None,
    }


def test_verify_names_an_edited_row(client, login, logged, seal_all, audit_rows):
    seal_all()
    target = audit_rows()[2]
    db.session.execute(
        text("UPDATE audit_log SET result = 'success' WHERE id = :id"), {"id": target.id}
    )
    db.session.commit()
    report = client.get("/api/v1/audit-logs/verify", headers=login("admin")).get_json()
    assert (report["valid"], report["broken_id"]) == (False, target.id)


def test_verify_names_the_row_after_a_deleted_one(client, login, logged, seal_all, audit_rows):
    seal_all()
    rows = audit_rows()
    db.session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": rows[1].id})
    db.session.commit()
    report = client.get("/api/v1/audit-logs/verify", headers=login("admin")).get_json()
    assert (report["valid"], report["broken_id"]) == (False, rows[2].id)
