"""Refusing a 低保 household: the township's written proposal goes to the county
without publicity; the county refuses in writing with the way to appeal, or sends the
case back. An ineligible household is never on the public notice, never at 0.00."""

import pytest

from backend.extensions import db
from backend.models import Application
from backend.models.attachment import ReviewStatus
from backend.services.workflow import APPEAL_NOTICE
from tests.dibao.conftest import VILLAGE
from tests.factories import file_material, nonagenarian_id_number

NOTICES = f"/api/v1/public/notices?region_code={VILLAGE}"
REASONS = "家庭月人均收入528元,不低于低保标准"


def test_an_ineligible_household_cannot_be_publicised(case_at, step, client):
    case = case_at("investigated", "528", "528")
    response = step(case, "town01", "township_approve")
    assert response.status_code == 409
    assert "propose_rejection" in response.get_json()["error"]["message"]
    assert client.get(NOTICES).get_json()["items"] == []


def test_the_township_proposes_a_refusal_with_written_reasons(case_at, step, client):
    case = case_at("investigated", "528", "528")
    assert "propose_rejection" in case["allowed_actions"]
    missing = step(case, "town01", "propose_rejection", comment="  ")
    assert missing.status_code == 422
    assert "comment" in missing.get_json()["error"]["details"]
    proposed = step(case, "town01", "propose_rejection", comment=REASONS).get_json()
    assert proposed["status"] == "rejection_proposed"
    assert proposed["decision_reason"] == REASONS
    assert (proposed["monthly_amount"], proposed["publicity_ends_on"]) == (None, None)
    assert proposed["deadline"] is not None  # the county's decision is still owed
    assert client.get(NOTICES).get_json()["items"] == []


def test_only_the_county_decides_on_a_proposed_refusal(case_at, step):
    case = step(case_at("investigated", "528", "528"), "town01", "propose_rejection", REASONS)
    proposed = case.get_json()
    assert step(proposed, "town01", "county_reject", REASONS, fresh=True).status_code == 409
    assert step(proposed, "county01", "county_reject", REASONS).status_code == 401
    refused = step(proposed, "county01", "county_reject", REASONS, fresh=True).get_json()
    assert refused["status"] == "rejected"
    assert refused["decision_reason"] == REASONS
    assert refused["appeal"] == APPEAL_NOTICE
    assert "60日内申请行政复议" in refused["appeal"]
    assert refused["monthly_amount"] is None


def test_the_county_may_send_a_proposal_back_to_the_township(case_at, step):
    case = step(case_at("investigated", "528", "528"), "town01", "propose_rejection", REASONS)
    back = step(case.get_json(), "county01", "send_back", "请核实子女赡养费收入")
    assert back.status_code == 200
    assert (back.get_json()["status"], back.get_json()["decision_reason"]) == (
        "investigated",
        None,
    )


def test_the_refusal_is_told_to_the_applicant_side_with_the_appeal(case_at, step, client, login):
    case = step(case_at("investigated", "528", "528"), "town01", "propose_rejection", REASONS)
    step(case.get_json(), "county01", "county_reject", REASONS, fresh=True)
    inbox = client.get("/api/v1/me/inbox?limit=100", headers=login("agent0101")).get_json()
    events = [m["event"] for m in sorted(inbox["items"], key=lambda m: m["id"])]
    assert events[-2:] == ["case_propose_rejection", "case_county_reject"]
    refusal = max(inbox["items"], key=lambda m: m["id"])
    assert refusal["title"] == "不予批准"
    assert refusal["body"].startswith("低保申请")
    assert refusal["body"].endswith(APPEAL_NOTICE)


@pytest.mark.parametrize(
    ("mandate", "status"),
    [(None, 422), (ReviewStatus.NEEDS_REUPLOAD, 422), (ReviewStatus.UNREVIEWED, 200)],
)
def test_an_agent_submits_only_with_a_checked_mandate(open_case, step, mandate, status):
    case = open_case(mandate=False)
    if mandate:
        file_material(case["id"], "mandate", mandate)
        db.session.commit()
    response = step(case, "agent0101", "submit")
    assert response.status_code == status
    if status == 422:
        assert "mandate" in response.get_json()["error"]["details"]
        assert "委托书" in response.get_json()["error"]["message"]
        assert db.session.get(Application, case["id"]).status == "draft"


def test_the_dibao_notice_lists_only_dibao(case_at, client, login, step):
    case_at("publicizing")
    elderly = client.post(
        "/api/v1/applications",
        json={
            "type": "elderly_allowance",
            "region_code": VILLAGE,
            "applicant": {"name": "李大爷", "id_number": nonagenarian_id_number()},
            "on_behalf": True,
        },
        headers=login("agent0101"),
    ).get_json()
    row = db.session.get(Application, elderly["id"])
    row.status, row.monthly_amount = "approved", 100
    db.session.commit()
    for query in (NOTICES, NOTICES + "&program=dibao"):
        items = client.get(query).get_json()["items"]
        assert [i["status"] for i in items] == ["publicizing"]
    assert client.get(NOTICES + "&program=低保").status_code == 422
