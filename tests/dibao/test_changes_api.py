"""POST /applications/{id}/changes: a household receiving 低保 reports a change of its
circumstances itself (the resident, or the agent who applied for it); the report is
recorded and audited, the case goes to re-review at once, and the township is told."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditLog, CircumstanceChange
from backend.services import clock
from tests.dibao.conftest import RESIDENT_ID

REPORT = {"kind": "income", "description": "儿子王家二已在县城就业,月收入约2500元。"}


def report(**fields) -> dict:
    return {**REPORT, "happened_on": clock.today().isoformat(), **fields}


def changes_url(case: dict) -> str:
    return f"/api/v1/applications/{case['id']}/changes"


def inbox(client, headers) -> list[dict]:
    return client.get("/api/v1/me/inbox?limit=100", headers=headers).get_json()["items"]


def test_resident_reports_a_change_and_the_case_is_rereviewed(case_at, make_citizen, client, login):
    _, resident = make_citizen(RESIDENT_ID)
    case = case_at("approved")
    response = client.post(changes_url(case), json=report(), headers=resident)
    assert response.status_code == 201, response.get_json()
    change = response.get_json()
    assert (change["kind"], change["kind_label"]) == ("income", "收入变化")
    assert change["description"] == REPORT["description"]
    body = client.get(f"/api/v1/applications/{case['id']}", headers=login("town01")).get_json()
    assert body["status"] == "under_rereview"
    assert body["days_left"] == 10
    assert body["allowed_actions"] == ["continue"]
    opened = body["timeline"][-1]
    assert (opened["action"], opened["actor_role"]) == ("start_rereview", "system")
    assert opened["comment"] == f"报告收入变化:{REPORT['description']}"
    audited = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "application.report_change")
    )
    assert (audited.object_id, audited.note) == (str(case["id"]), "income")


def test_the_township_of_the_village_is_told_of_a_reported_change(
    case_at, make_citizen, client, login
):
    _, resident = make_citizen(RESIDENT_ID)
    case = case_at("approved")
    client.post(changes_url(case), json=report(kind="members"), headers=resident)
    told = [m for m in inbox(client, login("town01")) if m["event"] == "circumstance_reported"]
    assert [m["data"]["application_id"] for m in told] == [case["id"]]
    assert "家庭成员变化" in told[0]["body"]
    assert "circumstance_reported" not in [m["event"] for m in inbox(client, login("town02"))]
    assert "case_start_rereview" in [m["event"] for m in inbox(client, resident)]


def test_the_agent_who_applied_may_report_a_change(case_at, client, login):
    case = case_at("approved")
    response = client.post(changes_url(case), json=report(), headers=login("agent0101"))
    assert response.status_code == 201, response.get_json()


def test_a_household_in_gradual_exit_may_report_a_change(case_at, step, client, login):
    case = step(case_at("approved"), "town01", "start_rereview").get_json()
    case = step(case, "county01", "gradual_exit", "已就业", {"months": 3}, fresh=True).get_json()
    response = client.post(changes_url(case), json=report(), headers=login("agent0101"))
    assert response.status_code == 201, response.get_json()
    again = client.get(f"/api/v1/applications/{case['id']}", headers=login("county01"))
    assert again.get_json()["status"] == "under_rereview"


@pytest.mark.parametrize("status", ["publicizing", "under_rereview"])
def test_a_change_is_reported_only_while_the_household_is_paid(
    case_at, step, client, login, status
):
    case = case_at("publicizing" if status == "publicizing" else "approved")
    if status == "under_rereview":
        step(case, "town01", "start_rereview")
    response = client.post(changes_url(case), json=report(), headers=login("agent0101"))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"
    assert db.session.scalar(select(CircumstanceChange.id)) is None


@pytest.mark.parametrize("username", ["town01", "county01", "admin"])
def test_staff_do_not_report_changes_they_open_a_rereview_instead(case_at, client, login, username):
    response = client.post(changes_url(case_at("approved")), json=report(), headers=login(username))
    assert response.status_code == 403


def test_a_case_out_of_reach_is_not_found(case_at, make_citizen, client, login):
    case = case_at("approved")
    _, neighbour = make_citizen("440524188001010014", phone="13912345679")
    for headers in (neighbour, login("agent0201")):
        response = client.post(changes_url(case), json=report(), headers=headers)
        assert response.status_code == 404
    missing = client.post("/api/v1/applications/999999/changes", json=report(), headers=neighbour)
    assert missing.status_code == 404


def test_a_change_before_the_approval_or_in_the_future_is_refused(case_at, client, login):
    case = case_at("approved")
    today = clock.today()
    for day in (today - timedelta(days=1), today + timedelta(days=1)):
        response = client.post(
            changes_url(case), json=report(happened_on=day.isoformat()), headers=login("agent0101")
        )
        assert response.status_code == 422
        assert list(response.get_json()["error"]["details"]) == ["happened_on"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "salary"}, "kind"),
        ({"kind": None}, "kind"),
        ({"kind": 1}, "kind"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "变" * 501}, "description"),
        ({"description": 42}, "description"),
        ({"happened_on": "2026/01/05"}, "happened_on"),
        ({"happened_on": "20260105"}, "happened_on"),
        ({"happened_on": "2026-02-30"}, "happened_on"),
        ({"happened_on": None}, "happened_on"),
        ({"status": "approved"}, "status"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field(case_at, client, login, fields, field):
    case = case_at("approved")
    response = client.post(changes_url(case), json=report(**fields), headers=login("agent0101"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


@pytest.mark.parametrize("field", ["kind", "description", "happened_on"])
def test_every_field_of_a_report_is_required(case_at, client, login, field):
    body = report()
    del body[field]
    response = client.post(changes_url(case_at("approved")), json=body, headers=login("agent0101"))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_a_description_of_five_hundred_chinese_characters_is_kept_whole(case_at, client, login):
    case = case_at("approved")
    body = report(description="收" * 500)
    response = client.post(changes_url(case), json=body, headers=login("agent0101"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["description"] == "收" * 500
    timeline = client.get(f"/api/v1/applications/{case['id']}", headers=login("town01"))
    comment = timeline.get_json()["timeline"][-1]["comment"]
    assert (len(comment), comment[:7], comment[-1]) == (500, "报告收入变化:", "…")


def test_a_retried_report_is_recorded_once(case_at, client, login):
    case = case_at("approved")
    headers = {**login("agent0101"), "Idempotency-Key": "change-7f3a"}
    first = client.post(changes_url(case), json=report(), headers=headers)
    retry = client.post(changes_url(case), json=report(), headers=headers)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.get_json() == first.get_json()
    assert len(db.session.scalars(select(CircumstanceChange)).all()) == 1


def test_anyone_who_may_see_the_case_lists_its_changes(case_at, client, login):
    case = case_at("approved")
    client.post(changes_url(case), json=report(), headers=login("agent0101"))
    for username in ("agent0101", "town01", "county01"):
        listed = client.get(changes_url(case), headers=login(username))
        assert listed.status_code == 200
        assert [c["kind"] for c in listed.get_json()["items"]] == ["income"]
    assert client.get(changes_url(case), headers=login("agent0201")).status_code == 404
