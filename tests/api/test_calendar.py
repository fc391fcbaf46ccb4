"""The working-day calendar over HTTP, and the overrides county staff load."""

import pytest


def test_working_days_show_the_national_day_week_and_its_make_up_day(client):
    response = client.get("/api/v1/calendar/working-days?from=2026-10-06&to=2026-10-10")
    days = {d["day"]: d["is_working_day"] for d in response.get_json()["items"]}
    assert days == {
        "2026-10-06": False,
        "2026-10-07": False,
        "2026-10-08": True,
        "2026-10-09": True,
        "2026-10-10": True,  # Saturday, 调休上班
    }


def test_county_staff_load_a_published_schedule(client, login):
    body = {"day": "2027-02-20", "is_working_day": True, "note": "春节调休上班"}
    response = client.put("/api/v1/calendar/overrides", json=body, headers=login("county01"))
    assert response.status_code == 200
    listed = client.get("/api/v1/calendar/overrides", headers=login("county01")).get_json()
    assert listed["items"] == [body]
    day = client.get("/api/v1/calendar/working-days?from=2027-02-20&to=2027-02-20").get_json()
    assert day["items"] == [{"day": "2027-02-20", "is_working_day": True}]


@pytest.mark.parametrize("username", ["town01", "agent0101", "registrar01"])
def test_only_county_staff_and_admins_change_the_calendar(client, login, username):
    body = {"day": "2027-02-20", "is_working_day": True}
    response = client.put("/api/v1/calendar/overrides", json=body, headers=login(username))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"day": "2027-02-30", "is_working_day": True}, "day"),
        ({"day": "20270220", "is_working_day": True}, "day"),
        ({"day": "2027-02-20", "is_working_day": "sometimes"}, "is_working_day"),
        ({"day": "2027-02-20"}, "is_working_day"),
        ({"day": "2027-02-20", "is_working_day": True, "note": "x" * 101}, "note"),
        ({"day": "2027-02-20", "is_working_day": True, "region": "990100000000"}, "region"),
    ],
)
def test_bad_overrides_are_422_naming_the_field(client, login, body, field):
    response = client.put("/api/v1/calendar/overrides", json=body, headers=login("county01"))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-10-10&to=2026-10-01", "to"),
        ("from=2026-01-01&to=2027-06-01", "to"),
        ("from=2026-13-01&to=2026-12-01", "from"),
        ("to=2026-12-01", "from"),
    ],
)
def test_bad_ranges_are_422_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/calendar/working-days?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]
