"""The county decides a page at once; each case is still checked, versioned and
audited alone, and one refusal spoils no other."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import AuditLog
from backend.services import clock, publicity

RESIDENTS = ("11010519491231002X", "440524188001010014", "513101198201130014")


@pytest.fixture
def pending(case_at, client, login):
    """Three cases whose publicity is over, awaiting the county."""
    cases = [case_at("publicizing", "0", id_number=resident) for resident in RESIDENTS]
    publicity.end_publicity(db.session, clock.today() + timedelta(days=8))
    db.session.commit()
    return [
        client.get(f"/api/v1/applications/{c['id']}", headers=login("county01")).get_json()
        for c in cases
    ]


def batch(client, login, items, fresh=True, action="county_approve"):
    return client.post(
        "/api/v1/applications/batch-actions",
        json={"action": action, "items": items},
        headers=login("county01", fresh=fresh),
    )


def test_a_page_of_pending_cases_is_approved_at_once(client, login, pending):
    items = [{"id": c["id"], "version": c["version"]} for c in pending]
    response = batch(client, login, items)
    assert response.status_code == 200
    assert [(o["ok"], o["status"]) for o in response.get_json()["items"]] == [
        (True, "approved")
    ] * 3
    approvals = db.session.scalar(
        select(func.count())
        .select_from(AuditLog)
        .where(AuditLog.action == "application.county_approve")
    )
    assert approvals == 3


def test_a_stale_case_is_refused_alone(client, login, pending):
    stale = {"id": pending[1]["id"], "version": pending[1]["version"] - 1}
    items = [{"id": pending[0]["id"], "version": pending[0]["version"]}, stale]
    outcomes = batch(client, login, items).get_json()["items"]
    assert outcomes[0] == {"id": pending[0]["id"], "ok": True, "status": "approved", "error": None}
    assert outcomes[1]["ok"] is False
    assert outcomes[1]["error"]["code"] == "stale_version"
    case = client.get(f"/api/v1/applications/{pending[1]['id']}", headers=login("county01"))
    assert case.get_json()["status"] == "pending_confirmation"


def test_a_case_out_of_scope_is_not_found_in_the_batch(client, login, pending):
    outcomes = batch(client, login, [{"id": 999999, "version": 1}]).get_json()["items"]
    assert outcomes[0]["error"]["code"] == "not_found"


def test_a_batch_decision_needs_a_fresh_token(client, login, pending):
    items = [{"id": pending[0]["id"], "version": pending[0]["version"]}]
    assert batch(client, login, items, fresh=False).status_code == 401


def test_only_the_county_takes_batch_decisions(client, login, pending):
    response = client.post(
        "/api/v1/applications/batch-actions",
        json={"action": "county_approve", "items": [{"id": pending[0]["id"], "version": 1}]},
        headers=login("town01", fresh=True),
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "county_reject", "items": [{"id": 1, "version": 1}]}, "action"),
        ({"action": "county_approve", "items": []}, "items"),
        ({"action": "county_approve", "items": [{"id": 1, "version": 1}] * 101}, "items"),
        ({"action": "county_approve", "items": [{"id": "１", "version": 1}]}, "items.0.id"),
        ({"action": "county_approve", "items": [{"id": 1}]}, "items.0.version"),
        (
            {"action": "county_approve", "items": [{"id": 1, "version": 1, "status": "x"}]},
            "items.0.status",
        ),
    ],
)
def test_bad_batches_are_422_naming_the_field(client, login, pending, body, field):
    response = client.post(
        "/api/v1/applications/batch-actions", json=body, headers=login("county01", fresh=True)
    )
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]
