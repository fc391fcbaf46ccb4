"""GET /entitlements: staff see who is paid what in their region, in a month."""

from datetime import date
from decimal import Decimal

import pytest

from backend.extensions import db
from backend.models import EntitlementReason
from backend.services import entitlements

URL = "/api/v1/entitlements"


@pytest.fixture
def paid(person):
    """Two people of village 990101001000: one paid 100.00 from 2026-03, one stopped."""
    first = person(date(1935, 1, 1), serial=1)
    second = person(date(1930, 1, 1), serial=2)
    for someone in (first, second):
        entitlements.start(
            db.session,
            program="elderly_allowance",
            person=someone,
            monthly_amount=Decimal("100.00"),
            from_month="2026-03",
            reason=EntitlementReason.ROSTER,
        )
    entitlements.end(
        db.session,
        program="elderly_allowance",
        id_index=second.id_index,
        last_month="2026-05",
        reason=EntitlementReason.LIVENESS_STOP,
    )
    db.session.commit()


def test_county_staff_see_who_is_paid_in_a_month_masked(client, login, paid):
    response = client.get(
        f"{URL}?program=elderly_allowance&month=2026-06", headers=login("county01")
    )
    assert response.status_code == 200
    [row] = response.get_json()["items"]
    assert row["monthly_amount"] == "100.00"
    assert row["from_month"] == "2026-03" and row["to_month"] is None
    assert row["id_number"].startswith("990101") and "*" in row["id_number"]
    assert row["region_code"] == "990101001000"


def test_a_stopped_period_says_why_and_when(client, login, paid):
    response = client.get(f"{URL}?month=2026-05", headers=login("county01"))
    stopped = [r for r in response.get_json()["items"] if r["to_month"]]
    assert [(r["to_month"], r["end_reason"]) for r in stopped] == [("2026-05", "liveness_stop")]


def test_township_staff_see_only_their_township(client, login, paid):
    assert len(client.get(URL, headers=login("town01")).get_json()["items"]) == 2
    assert client.get(URL, headers=login("town02")).get_json()["items"] == []


def test_agents_and_residents_may_not_read_entitlements(client, login, paid):
    assert client.get(URL, headers=login("agent0101")).status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("program=pension", "program"),
        ("month=2026-13", "month"),
        ("month=202606", "month"),
        ("region_code=99010100", "region_code"),
        ("region_code=990199999000", "region_code"),
        ("limit=0", "limit"),
    ],
)
def test_a_bad_filter_is_named(client, login, paid, query, field):
    response = client.get(f"{URL}?{query}", headers=login("county01"))
    assert response.status_code == 422
    assert field in str(response.get_json()["error"]["details"])
