"""入户调查: at least two named investigators, the day of the visit (not in the
future, not before acceptance) and the findings, kept on the case."""

from datetime import timedelta

import pytest

from backend.services import clock
from tests.dibao.conftest import INVESTIGATION, visited


def test_an_investigation_is_recorded_and_shown_on_the_case(case_at, step):
    case = case_at("accepted")
    response = step(case, "town01", "record_investigation", data=visited(clock.today()))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "investigated"
    assert body["investigation"] == {
        "investigators": ["王五", "赵六"],
        "visited_on": clock.today().isoformat(),
        "findings": INVESTIGATION["findings"],
    }


def test_only_township_staff_record_the_investigation(case_at, step):
    case = case_at("accepted")
    response = step(case, "county01", "record_investigation", data=visited(clock.today()))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"


TOMORROW = (clock.today() + timedelta(days=1)).isoformat()
MISSING = object()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"investigators": MISSING}, "data.investigators"),
        ({"investigators": ["王五"]}, "data.investigators"),
        ({"investigators": "王五,赵六"}, "data.investigators"),
        ({"investigators": ["王五", ""]}, "data.investigators.1"),
        ({"investigators": ["王五", 7]}, "data.investigators.1"),
        ({"investigators": ["王五", "王五 "]}, "data.investigators"),
        ({"investigators": ["王五", "赵\u200b六"]}, "data.investigators.1"),
        ({"visited_on": MISSING}, "data.visited_on"),
        ({"visited_on": None}, "data.visited_on"),
        ({"visited_on": "20260105"}, "data.visited_on"),
        ({"visited_on": TOMORROW}, "data.visited_on"),
        ({"visited_on": "2000-01-01"}, "data.visited_on"),
        ({"findings": "   "}, "data.findings"),
        ({"findings": "长" * 2001}, "data.findings"),
        ({"result": "通过"}, "data.result"),
    ],
)
def test_bad_investigation_data_is_422_naming_the_field(case_at, step, changes, field):
    case = case_at("accepted")
    data = {**visited(clock.today()), **changes}
    data = {key: value for key, value in data.items() if value is not MISSING}
    response = step(case, "town01", "record_investigation", data=data)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_investigation_data_must_be_an_object(case_at, step):
    response = step(case_at("accepted"), "town01", "record_investigation", data="入户调查")
    assert response.status_code == 422
    assert "data" in response.get_json()["error"]["details"]


def test_an_action_that_carries_no_data_refuses_some(case_at, step):
    case = case_at("submitted")
    response = step(case, "town01", "accept", data={"investigators": ["王五", "赵六"]})
    assert response.status_code == 422
    assert "data" in response.get_json()["error"]["details"]
