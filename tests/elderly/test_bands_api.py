"""POST /standards/elderly-bands and the bands of GET /standards."""

from datetime import date

import pytest

from backend.services import clock, months

URL = "/api/v1/standards/elderly-bands"


def next_month() -> str:
    return months.first_day(months.add(months.of(clock.today()), 1)).isoformat()


def eighties(**change):
    return {
        "min_age": 80,
        "max_age": 89,
        "monthly_amount": "50.00",
        "effective_from": next_month(),
        **change,
    }


def test_county_staff_add_an_80_to_89_band_shown_with_the_history(client, login):
    response = client.post(URL, json=eighties(), headers=login("county01"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["in_force"] is False
    bands = client.get("/api/v1/standards").get_json()["elderly_bands"]
    assert [(b["min_age"], b["monthly_amount"], b["in_force"]) for b in bands] == [
        (90, "100.00", True),
        (100, "300.00", True),
        (80, "50.00", False),
    ]


def test_a_new_amount_keeps_the_old_row_in_the_history(client, login):
    body = {"min_age": 90, "max_age": 99, "monthly_amount": "120", "effective_from": next_month()}
    assert client.post(URL, json=body, headers=login("county01")).status_code == 201
    nineties = [
        b for b in client.get("/api/v1/standards").get_json()["elderly_bands"] if b["min_age"] == 90
    ]
    assert [(b["monthly_amount"], b["in_force"]) for b in nineties] == [
        ("100.00", True),
        ("120.00", False),
    ]


def test_township_staff_may_not_set_bands(client, login):
    assert client.post(URL, json=eighties(), headers=login("town01")).status_code == 403


def test_the_same_band_twice_from_the_same_month_is_a_conflict(client, login):
    assert client.post(URL, json=eighties(), headers=login("county01")).status_code == 201
    assert client.post(URL, json=eighties(), headers=login("county01")).status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_age": "八十"}, "min_age"),
        ({"min_age": 0}, "min_age"),
        ({"min_age": None}, "min_age"),
        ({"max_age": 200}, "max_age"),
        ({"max_age": 70}, "max_age"),
        ({"max_age": 95}, "max_age"),
        ({"monthly_amount": "-5"}, "monthly_amount"),
        ({"monthly_amount": "1.234"}, "monthly_amount"),
        ({"effective_from": "2027-13-01"}, "effective_from"),
        ({"effective_from": "2020-01-01"}, "effective_from"),
        ({"effective_from": date(2030, 1, 15).isoformat()}, "effective_from"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_band_value_is_named(client, login, change, field):
    response = client.post(URL, json=eighties(**change), headers=login("county01"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]
