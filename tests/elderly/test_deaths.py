"""Recording a death: payment of every programme stops after the month of death."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditLog, Entitlement, EntitlementReason
from backend.services import entitlements
from tests.elderly.conftest import born

URL = "/api/v1/deaths"
BIRTH = date(1930, 4, 4)


@pytest.fixture
def paid(person):
    """A man of village 990101001000 paid 高龄津贴 and 低保 from 2026-03."""
    for program, amount, elderly in (
        ("elderly_allowance", "100.00", True),
        ("dibao", "528.00", False),
    ):
        entitlements.start(
            db.session,
            program=program,
            person=person(BIRTH, elderly=elderly),
            monthly_amount=Decimal(amount),
            from_month="2026-03",
            reason=EntitlementReason.APPROVAL,
        )
    db.session.commit()


def death(**change):
    return {
        "name": "李大爷",
        "id_number": born(BIRTH),
        "region_code": "990101001000",
        "died_on": "2026-10-15",
        **change,
    }


def test_a_recorded_death_stops_every_payment_after_that_month(client, login, paid):
    response = client.post(URL, json=death(), headers=login("town01"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["last_paid_month"] == "2026-10" and "*" in body["id_number"]
    ended = db.session.execute(
        select(Entitlement.program, Entitlement.to_month, Entitlement.end_reason)
    ).all()
    assert sorted(ended) == [
        ("dibao", "2026-10", "death"),
        ("elderly_allowance", "2026-10", "death"),
    ]
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "death.record"))


def test_the_same_death_twice_is_a_conflict(client, login, paid):
    assert client.post(URL, json=death(), headers=login("town01")).status_code == 201
    assert client.post(URL, json=death(), headers=login("county01")).status_code == 409


def test_agents_do_not_record_deaths(client, login, paid):
    assert client.post(URL, json=death(), headers=login("agent0101")).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"id_number": "11010519491231002Y"}, "id_number"),
        ({"id_number": 123}, "id_number"),
        ({"region_code": "9901"}, "region_code"),
        ({"region_code": "990101000000"}, "region_code"),
        ({"region_code": "990102001000"}, "region_code"),
        ({"died_on": "2026/10/15"}, "died_on"),
        ({"died_on": "2099-01-01"}, "died_on"),
        ({"died_on": "1920-01-01"}, "died_on"),
        ({"cause": "病故"}, "cause"),
    ],
)
def test_a_bad_death_report_is_refused_naming_the_field(client, login, paid, change, field):
    response = client.post(URL, json=death(**change), headers=login("town01"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]
    assert db.session.scalar(select(Entitlement.to_month).limit(1)) is None


def test_a_recorded_death_ends_the_open_case_of_the_person(client, login, open_case):
    case = open_case()
    body = death(name="王秀英", id_number="11010519491231002X")
    assert client.post(URL, json=body, headers=login("town01")).status_code == 201
    ended = client.get(f"/api/v1/applications/{case['id']}", headers=login("town01")).get_json()
    assert ended["status"] == "terminated"
    assert ended["timeline"][-1]["action"] == "record_death"


def test_a_roster_row_marked_dead_ends_the_open_case_too(run_roster, open_case):
    from backend.models import Application
    from tests.elderly.conftest import roster_csv

    case = open_case()
    run_roster(roster_csv(["王秀英", "11010519491231002X", "990101001000", "城镇", "否"]))
    assert db.session.get(Application, case["id"]).status == "terminated"
