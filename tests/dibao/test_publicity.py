"""公示: the township approves only a case whose materials are all accepted; the case
is then posted in its village for seven days, an objection sends it back, and the
daily rule hands it to the county once the period is over."""

from datetime import timedelta

from sqlalchemy import update

from backend.extensions import db
from backend.models import Application
from backend.models.attachment import Attachment, ReviewStatus
from backend.services import clock, daily, publicity, workflow
from tests.dibao.conftest import visited


def test_township_approval_waits_for_every_material_and_names_the_missing_ones(
    open_household, step
):
    case = open_household("0", "300", "500")
    for action, extra in (
        ("submit", {}),
        ("accept", {}),
        ("record_investigation", {"data": visited(clock.today())}),
    ):
        case = step(case, "agent0101" if action == "submit" else "town01", action, **extra)
        case = case.get_json()
    response = step(case, "town01", "township_approve")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "action_not_allowed"
    assert error["message"].startswith("还需补齐的材料:身份证(未上传)、户口簿(未上传)")
    assert [m["kind"] for m in error["details"]["missing_materials"]] == [
        "id_card",
        "hukou",
        "income_proof",
        "authorization",
        "mandate",
    ]


def test_a_material_sent_back_for_reupload_blocks_the_approval(case_at, step):
    case = case_at("investigated")
    income_proof = db.session.query(Attachment).filter_by(
        application_id=case["id"], kind="income_proof"
    )
    income_proof.one().review_status = ReviewStatus.NEEDS_REUPLOAD
    db.session.commit()
    response = step(case, "town01", "township_approve")
    assert response.status_code == 409
    assert "收入证明(需重新上传)" in response.get_json()["error"]["message"]


def test_approval_starts_seven_calendar_days_of_publicity_with_the_proposed_amount(case_at):
    case = case_at("publicizing", "0", "300", "500")
    assert case["publicity_ends_on"] == (clock.today() + timedelta(days=7)).isoformat()
    assert case["monthly_amount"] == "784.00"
    assert case["start_month"] is None


def test_the_publicity_period_is_a_county_setting(app, case_at):
    app.config["PUBLICITY_DAYS"] = 10
    case = case_at("publicizing")
    assert case["publicity_ends_on"] == (clock.today() + timedelta(days=10)).isoformat()


def test_an_objection_needs_a_comment_and_sends_the_case_back_to_investigation(case_at, step):
    case = case_at("publicizing")
    assert step(case, "county01", "register_objection", comment=" ").status_code == 422
    response = step(case, "county01", "register_objection", comment="村民反映其子女有稳定收入")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "investigated"
    assert body["publicity_ends_on"] is None
    assert body["timeline"][-1]["comment"] == "村民反映其子女有稳定收入"


def test_applicants_cannot_object_to_their_own_publicity(case_at, step):
    response = step(case_at("publicizing"), "agent0101", "register_objection", comment="无")
    assert response.status_code == 409


def _status(case_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Application, case_id).status


def test_the_daily_rule_moves_a_case_only_after_its_last_day_of_publicity(case_at):
    case = case_at("publicizing")
    last_day = clock.today() + timedelta(days=7)
    assert publicity.end_publicity(db.session, last_day) == {"moved": 0}
    assert _status(case["id"]) == "publicizing"
    assert publicity.end_publicity(db.session, last_day + timedelta(days=1)) == {"moved": 1}
    db.session.commit()
    assert _status(case["id"]) == "pending_confirmation"


def test_the_daily_rule_is_idempotent_and_runs_with_the_other_daily_rules(case_at):
    case = case_at("publicizing")
    later = clock.today() + timedelta(days=8)
    first = daily.run_daily(db.session, later)
    db.session.commit()
    again = daily.run_daily(db.session, later)
    db.session.commit()
    rules, rule = (
        "backend.services.programmes:run_daily_rules",
        "backend.services.publicity:end_publicity",
    )
    assert first[rules][rule] == {"moved": 1}
    assert again[rules][rule] == {"moved": 0}
    application = db.session.get(Application, case["id"])
    assert [e.action for e in application.events].count("end_publicity") == 1
    assert application.events[-1].actor_role == "system"


def test_the_public_notice_shows_only_masked_name_village_amount_and_dates(client, case_at):
    case = case_at("publicizing")
    response = client.get("/api/v1/public/notices?region_code=990100000000")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["items"] == [
        {
            "name": "王*英",
            "village": db.session.get(Application, case["id"]).region.name,
            "status": "publicizing",
            "monthly_amount": "784.00",
            "publicity_ends_on": case["publicity_ends_on"],
            "start_month": None,
        }
    ]
    assert "11010519491231002X" not in response.get_data(as_text=True)


def test_the_public_notice_keeps_to_the_region_and_leaves_out_cases_not_yet_approved(
    client, case_at, step
):
    case = case_at("investigated")
    notices = "/api/v1/public/notices?region_code="
    assert client.get(notices + "990100000000").get_json()["items"] == []
    assert step(case, "town01", "township_approve").status_code == 200
    assert len(client.get(notices + "990101001000").get_json()["items"]) == 1
    assert client.get(notices + "990102000000").get_json()["items"] == []


def test_a_household_under_rereview_stays_on_the_notice_as_granted(client, case_at, step):
    case = case_at("approved")
    assert step(case, "town01", "start_rereview").status_code == 200
    [notice] = client.get("/api/v1/public/notices?region_code=990101001000").get_json()["items"]
    assert notice["status"] == "approved"


def test_the_public_notice_needs_a_valid_region_code(client, demo):
    for query, status in (
        ("", 422),
        ("?region_code=9901", 422),
        ("?region_code=990199999999", 404),
    ):
        response = client.get(f"/api/v1/public/notices{query}")
        assert response.status_code == status
    assert "region_code" in client.get("/api/v1/public/notices").get_json()["error"]["details"]


def test_a_case_staff_change_at_the_same_moment_is_left_and_the_others_still_move(case_at):
    busy, quiet = (
        case_at("publicizing", "0", id_number=resident)
        for resident in ("11010519491231002X", "440524188001010014")
    )
    due = [db.session.get(Application, case["id"]) for case in (busy, quiet)]
    with db.engine.begin() as staff:  # another request commits first
        staff.execute(
            update(Application)
            .where(Application.id == busy["id"])
            .values(version=busy["version"] + 1)
        )
    later = clock.today() + timedelta(days=8)
    assert workflow.advance_each(db.session, due, "end_publicity", later) == 1
    db.session.commit()
    assert (_status(busy["id"]), _status(quiet["id"])) == ("publicizing", "pending_confirmation")
    assert publicity.end_publicity(db.session, later) == {"moved": 1}  # the next run
