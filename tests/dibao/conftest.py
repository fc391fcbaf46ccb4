"""A 低保 case driven step by step through the API, as the county's staff work it."""

from datetime import date, timedelta

import pytest

from backend.extensions import db
from backend.models import Application
from backend.models.attachment import ReviewStatus
from backend.services import attachments
from tests.factories import file_material, household

RESIDENT_ID = "11010519491231002X"
VILLAGE = "990101001000"
INVESTIGATION = {
    "investigators": ["王五", "赵六"],
    "visited_on": "2026-01-05",
    "findings": "家中无劳动力,收入来源为零工,住房简陋。",
}
DAY = timedelta(days=1)


@pytest.fixture
def open_household(client, login):
    """open_household("0", "300", "500") -> a draft case agent0101 opened for the household
    (`household_body`: the whole household instead, e.g. with a member able to work)."""

    def open_household(
        *incomes: str, area_type: str = "urban", id_number: str = RESIDENT_ID, household_body=None
    ):
        body = {
            "type": "dibao",
            "region_code": VILLAGE,
            "applicant": {"name": "王秀英", "id_number": id_number},
            "on_behalf": True,
            "household": household_body or household(id_number, *incomes, area_type=area_type),
        }
        response = client.post("/api/v1/applications", json=body, headers=login("agent0101"))
        assert response.status_code == 201, response.get_json()
        # The resident's signed 委托书, checked by the pipeline, as an agent submits it.
        file_material(response.get_json()["id"], "mandate", ReviewStatus.UNREVIEWED)
        db.session.commit()
        return response.get_json()

    return open_household


@pytest.fixture
def step(client, login):
    """step(case, "town01", "accept", comment=..., data=..., fresh=...) -> the response."""

    def step(case, username, action, comment="", data=None, fresh=False):
        body = {"action": action, "version": case["version"], "comment": comment}
        if data is not None:
            body["data"] = data
        return client.post(
            f"/api/v1/applications/{case['id']}/actions",
            json=body,
            headers=login(username, fresh=fresh),
        )

    return step


def accept_every_material(case_id: int) -> None:
    """Staff have accepted every required material (the review itself is tested in
    tests/attachments; here it is only the precondition)."""
    for kind in attachments.required_kinds(db.session.get(Application, case_id)):
        file_material(case_id, kind)
    db.session.commit()


def visited(day: date) -> dict:
    return {**INVESTIGATION, "visited_on": day.isoformat()}


@pytest.fixture
def case_at(open_household, step, client, login):
    """case_at("approved", "0", "300", "500") -> the case JSON once it stands there."""
    from backend.services import clock, publicity

    def end_publicity(case):
        publicity.end_publicity(db.session, date.fromisoformat(case["publicity_ends_on"]) + DAY)
        db.session.commit()
        return client.get(f"/api/v1/applications/{case['id']}", headers=login("county01"))

    path = [
        ("submitted", lambda case: step(case, "agent0101", "submit")),
        ("accepted", lambda case: step(case, "town01", "accept")),
        (
            "investigated",
            lambda case: step(case, "town01", "record_investigation", data=visited(clock.today())),
        ),
        ("publicizing", lambda case: step(case, "town01", "township_approve")),
        ("pending_confirmation", end_publicity),
        ("approved", lambda case: step(case, "county01", "county_approve", fresh=True)),
    ]

    def case_at(status: str, *incomes: str, id_number: str = RESIDENT_ID, household_body=None):
        case = open_household(
            *(incomes or ("0", "300", "500")), id_number=id_number, household_body=household_body
        )
        accept_every_material(case["id"])
        for reached, take in path:
            response = take(case)
            assert response.status_code == 200, response.get_json()
            case = response.get_json()
            if reached == status:
                return case
        raise ValueError(status)

    return case_at
