"""Deadlines in working days from acceptance (受理): 10 for the township's review, 30 to
the county's decision, 45 once the county extends it with a reason."""

from datetime import date

import pytest
from stdnum.cn import ric

from backend.extensions import db
from backend.models import Application
from backend.services import clock, workdays
from tests.dibao.conftest import visited


def working_days_after(start: date, count: int) -> str:
    return workdays.load_calendar(db.session).add_working_days(start, count).isoformat()


def test_acceptance_starts_ten_working_days_of_township_review(case_at):
    case = case_at("accepted")
    assert case["accepted_on"] == clock.today().isoformat()
    assert case["deadline"] == working_days_after(clock.today(), 10)
    assert case["days_left"] == 10


def test_the_township_review_period_is_a_county_setting(app, case_at):
    app.config["TOWNSHIP_REVIEW_WORKDAYS"] = 5
    assert case_at("accepted")["deadline"] == working_days_after(clock.today(), 5)


def test_township_approval_sets_the_decision_deadline_thirty_working_days_from_acceptance(
    case_at,
):
    case = case_at("publicizing")
    assert case["deadline"] == working_days_after(clock.today(), 30)


def test_the_decision_deadline_counts_from_acceptance_not_from_the_approval(case_at, step):
    case = case_at("investigated")
    earlier = date(2026, 3, 2)
    db.session.get(Application, case["id"]).accepted_on = earlier
    db.session.commit()
    approved = step(case, "town01", "township_approve").get_json()
    assert approved["deadline"] == working_days_after(earlier, 30)


def test_the_county_extends_the_deadline_to_forty_five_working_days_with_a_reason(case_at, step):
    case = case_at("publicizing")
    assert step(case, "county01", "extend_deadline", comment="").status_code == 422
    response = step(case, "county01", "extend_deadline", comment="需补充核对异地房产信息")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "publicizing"
    assert body["deadline"] == working_days_after(clock.today(), 45)
    assert body["timeline"][-1]["action"] == "extend_deadline"
    assert body["timeline"][-1]["comment"] == "需补充核对异地房产信息"


def test_the_deadline_is_extended_once_only(case_at, step):
    case = case_at("accepted")
    extended = step(case, "county01", "extend_deadline", comment="需补充核对").get_json()
    again = step(extended, "county01", "extend_deadline", comment="还需核对")
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "action_not_allowed"


def test_an_extension_survives_a_second_township_approval(case_at, step):
    case = case_at("publicizing")
    case = step(case, "county01", "extend_deadline", comment="需补充核对").get_json()
    case = step(case, "town01", "register_objection", comment="村民有异议").get_json()
    again = step(case, "town01", "township_approve").get_json()
    assert again["deadline"] == working_days_after(clock.today(), 45)


def test_only_the_county_extends_a_deadline(case_at, step):
    response = step(case_at("accepted"), "town01", "extend_deadline", comment="忙")
    assert response.status_code == 409


def test_the_queue_shows_overdue_cases(client, login, case_at):
    case = case_at("accepted")
    db.session.get(Application, case["id"]).deadline = date(2026, 1, 5)
    db.session.commit()
    response = client.get("/api/v1/applications?overdue=true", headers=login("town01"))
    [row] = response.get_json()["items"]
    assert row["id"] == case["id"]
    assert row["days_left"] < 0
    detail = client.get(f"/api/v1/applications/{case['id']}", headers=login("town01"))
    assert detail.get_json()["days_left"] == row["days_left"]


@pytest.mark.parametrize(
    ("status", "username", "action", "comment"),
    [
        ("pending_confirmation", "county01", "county_approve", ""),
        ("pending_confirmation", "county01", "county_reject", "家庭人均收入高于保障标准"),
        ("accepted", "town01", "return", "请补充户口簿"),
    ],
)
def test_the_clock_stops_once_the_office_has_answered(
    case_at, step, status, username, action, comment
):
    case = case_at(status)
    assert case["deadline"] is not None
    answered = step(case, username, action, comment=comment, fresh=True).get_json()
    assert (answered["deadline"], answered["days_left"]) == (None, None)


def test_a_submitted_case_counts_down_from_the_day_it_was_received(case_at, client, login):
    case = case_at("submitted")
    assert case["deadline"] == working_days_after(clock.today(), 10)
    assert case["days_left"] == 10
    db.session.get(Application, case["id"]).deadline = date(2026, 1, 5)
    db.session.commit()
    overdue = client.get("/api/v1/applications?overdue=true", headers=login("town01"))
    assert [row["id"] for row in overdue.get_json()["items"]] == [case["id"]]


def test_the_queue_lists_what_the_office_owes_first_the_nearest_deadline_at_the_top(
    case_at, step, client, login
):
    def alone(status: str, serial: int) -> dict:  # one-person households: nobody in two
        return case_at(status, "0", id_number=person(serial))

    waiting = alone("submitted", 1)
    publicized = alone("publicizing", 2)
    accepted = alone("accepted", 3)
    approved = alone("approved", 4)
    returned = step(alone("accepted", 5), "town01", "return", "请补充户口簿")
    rows = client.get("/api/v1/applications", headers=login("county01")).get_json()["items"]
    # Due in 10 working days (filed first, first), in 30; then the rest, newest first.
    expected = [waiting, accepted, publicized, returned.get_json(), approved]
    assert [row["id"] for row in rows] == [case["id"] for case in expected]


def person(serial: int) -> str:
    body = f"11010519500101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def test_an_extension_during_the_township_review_keeps_its_ten_days(case_at, step):
    case = case_at("accepted")
    extended = step(case, "county01", "extend_deadline", comment="需补充核对").get_json()
    assert extended["deadline"] == working_days_after(clock.today(), 10)
    investigated = step(
        extended, "town01", "record_investigation", data=visited(clock.today())
    ).get_json()
    approved = step(investigated, "town01", "township_approve").get_json()
    assert approved["deadline"] == working_days_after(clock.today(), 45)
