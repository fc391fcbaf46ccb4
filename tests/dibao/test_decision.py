"""The county's decision: only with the password just typed again (a fresh token);
approval fixes the amount under the standard in force that day and pays from the
next month; a refusal is written, with its reason and the way to appeal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditLog, DibaoStandard, Region, StandardUnit
from backend.services import clock, dibao, publicity
from backend.services.workflow import APPEAL_NOTICE
from tests.dibao.conftest import RESIDENT_ID


@pytest.fixture
def awaiting_decision(case_at, client, login):
    """awaiting_decision("0", "300", "500") -> the case once its publicity is over."""

    def awaiting_decision(*incomes: str):
        case = case_at("publicizing", *incomes)
        publicity.end_publicity(db.session, clock.today() + timedelta(days=8))
        db.session.commit()
        response = client.get(f"/api/v1/applications/{case['id']}", headers=login("county01"))
        assert response.get_json()["status"] == "pending_confirmation"
        return response.get_json()

    return awaiting_decision


@pytest.mark.parametrize("action", ["county_approve", "county_reject"])
def test_a_decision_needs_a_fresh_token(awaiting_decision, step, action):
    case = awaiting_decision()
    response = step(case, "county01", action, comment="不符合条件", fresh=False)
    assert response.status_code == 401
    assert response.get_json()["error"] == {
        "code": "unauthorized",
        "message": "请重新输入密码确认此操作",
        "details": {"reason": "fresh_token_required"},
    }


def test_approval_fixes_the_amount_and_pays_from_the_next_month(awaiting_decision, step):
    case = awaiting_decision("0", "300", "500")
    response = step(case, "county01", "county_approve", fresh=True)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "approved"
    assert body["monthly_amount"] == "784.00"
    assert body["start_month"] == dibao.month_after(clock.today())
    assert body["appeal"] is None


def test_payment_starts_in_january_after_a_december_approval():
    assert dibao.month_after(date(2026, 12, 31)) == "2027-01"
    assert dibao.month_after(date(2026, 1, 31)) == "2026-02"


def test_the_county_decides_under_the_standard_in_force_on_the_day_it_decides(
    awaiting_decision, step
):
    case = awaiting_decision("0", "300", "500")
    county = db.session.scalar(select(Region).where(Region.code == "990100000000"))
    db.session.add(
        DibaoStandard(
            county_id=county.id,
            area_type="urban",
            amount=Decimal("600.00"),
            unit=StandardUnit.MONTHLY,
            effective_from=clock.today(),
        )
    )
    db.session.commit()
    body = step(case, "county01", "county_approve", fresh=True).get_json()
    assert body["monthly_amount"] == "1000.00"  # 600 × 3 − 800


def test_a_household_at_the_standard_on_the_day_of_decision_cannot_be_approved(
    awaiting_decision, step
):
    case = awaiting_decision("500", "500")
    county = db.session.scalar(select(Region).where(Region.code == "990100000000"))
    db.session.add(
        DibaoStandard(
            county_id=county.id,
            area_type="urban",
            amount=Decimal("500.00"),
            unit=StandardUnit.MONTHLY,
            effective_from=clock.today(),
        )
    )
    db.session.commit()
    response = step(case, "county01", "county_approve", fresh=True)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "action_not_allowed"
    assert "不符合条件" in error["message"]


def test_a_refusal_needs_a_reason_and_states_the_way_to_appeal(awaiting_decision, step):
    case = awaiting_decision("500", "500")
    assert step(case, "county01", "county_reject", comment=" ", fresh=True).status_code == 422
    response = step(case, "county01", "county_reject", comment="家庭人均收入超过标准", fresh=True)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "rejected"
    assert body["decision_reason"] == "家庭人均收入超过标准"
    assert body["appeal"] == APPEAL_NOTICE
    assert body["monthly_amount"] is None
    assert body["allowed_actions"] == []


def test_township_staff_cannot_decide(awaiting_decision, step):
    response = step(awaiting_decision(), "town01", "county_approve", fresh=True)
    assert response.status_code == 409


def inbox(client, headers):
    items = client.get("/api/v1/me/inbox?limit=100", headers=headers).get_json()["items"]
    return sorted(items, key=lambda message: message["id"])


def test_every_step_is_told_to_the_resident_and_the_agent(
    make_citizen, awaiting_decision, step, client, login
):
    _, resident = make_citizen(RESIDENT_ID)
    case = awaiting_decision("500", "500")
    step(case, "county01", "county_reject", comment="家庭人均收入超过标准", fresh=True)
    expected = [
        "case_submit",
        "case_accept",
        "case_record_investigation",
        "case_township_approve",
        "case_end_publicity",
        "case_county_reject",
    ]
    for headers in (resident, login("agent0101")):
        messages = inbox(client, headers)
        assert [m["event"] for m in messages] == expected
        refusal = messages[-1]
        assert refusal["body"].endswith(f"理由:家庭人均收入超过标准。{APPEAL_NOTICE}")
        assert refusal["data"]["application_id"] == case["id"]
        assert RESIDENT_ID not in str(refusal)


def test_the_decision_is_audited_with_the_states_before_and_after(awaiting_decision, step):
    case = awaiting_decision()
    step(case, "county01", "county_approve", fresh=True)
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "application.county_approve"))
    assert (row.before_status, row.after_status) == ("pending_confirmation", "approved")
    assert row.object_id == str(case["id"])


def test_a_material_sent_back_after_the_township_approved_blocks_the_decision(
    awaiting_decision, step, client, login
):
    case = awaiting_decision()
    hukou = next(a for a in case["attachments"] if a["kind"] == "hukou")
    sent_back = client.post(
        f"/api/v1/attachments/{hukou['id']}/review",
        json={"verdict": "needs_reupload", "comment": "户口簿照片不清楚"},
        headers=login("county01"),
    )
    assert sent_back.status_code == 200, sent_back.get_json()
    refused = step(case, "county01", "county_approve", fresh=True)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert [m["kind"] for m in error["details"]["missing_materials"]] == ["hukou"]
    batch = client.post(
        "/api/v1/applications/batch-actions",
        json={
            "action": "county_approve",
            "items": [{"id": case["id"], "version": case["version"]}],
        },
        headers=login("county01", fresh=True),
    )
    assert batch.get_json()["items"][0]["ok"] is False
