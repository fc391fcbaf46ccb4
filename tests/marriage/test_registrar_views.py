"""The registrar's day: who comes each half-day, with counts and no-shows."""

from datetime import timedelta

from backend.services import clock
from tests.marriage.helpers import book_earlier

SHEET = "/api/v1/registry-offices/{}/schedule"


def test_todays_sheet_counts_each_half_day(client, login, office, make_slot):
    am, pm = make_slot(clock.today(), "am", 4), make_slot(clock.today(), "pm", 3)
    arrived, missed = book_earlier(am, serial=1), book_earlier(am, serial=2)
    book_earlier(pm, serial=3)
    headers = login("registrar01")
    client.post(
        f"/api/v1/appointments/{arrived.id}/check-in",
        json={"checkin_code": arrived.checkin_code},
        headers=headers,
    )
    client.post(f"/api/v1/appointments/{missed.id}/no-show", headers=headers)
    response = client.get(SHEET.format(office.id), headers=headers)
    assert response.status_code == 200
    sheet = response.get_json()
    assert sheet["date"] == clock.today().isoformat()
    morning, afternoon = sheet["periods"]
    assert morning == {
        "period": "am",
        "slot_id": am.id,
        "capacity": 4,
        "remaining": 2,
        "booked": 0,
        "checked_in": 1,
        "completed": 0,
        "cancelled": 0,
        "no_show": 1,
    }
    assert (afternoon["booked"], afternoon["remaining"]) == (1, 2)
    assert [a["slot"]["period"] for a in sheet["appointments"]] == ["am", "am", "pm"]
    assert all(a["checkin_code"] is None for a in sheet["appointments"])


def test_another_day_and_a_day_without_slots(client, login, office, make_slot):
    tomorrow = clock.today() + timedelta(days=1)
    book_earlier(make_slot(tomorrow, "pm", 5))
    headers = login("registrar01")
    sheet = client.get(
        SHEET.format(office.id) + f"?date={tomorrow.isoformat()}", headers=headers
    ).get_json()
    assert [p["booked"] for p in sheet["periods"]] == [0, 1]
    empty = client.get(SHEET.format(office.id) + "?date=2030-01-01", headers=headers).get_json()
    assert empty["appointments"] == []
    assert empty["periods"][0]["slot_id"] is None


def test_the_sheet_is_for_office_staff_only(client, login, office):
    assert client.get(SHEET.format(office.id), headers=login("town01")).status_code == 403
    assert client.get(SHEET.format(office.id), headers=login("agent0101")).status_code == 403
    bad = client.get(SHEET.format(office.id) + "?date=yesterday", headers=login("registrar01"))
    assert bad.status_code == 422
    assert "date" in bad.get_json()["error"]["details"]


def test_registrar_lists_the_offices_appointments_by_day_and_status(
    client, login, office, make_slot
):
    day = clock.today() + timedelta(days=1)
    first = book_earlier(make_slot(day, "am"), serial=1)
    book_earlier(make_slot(day, "pm"), serial=2)
    headers = login("registrar01")
    listed = client.get(
        f"/api/v1/appointments?date={day.isoformat()}&period=am&status=booked", headers=headers
    ).get_json()
    assert [a["id"] for a in listed["items"]] == [first.id]
    for query, field in (
        ("period=noon", "period"),
        ("status=done", "status"),
        ("office_id=x", "office_id"),
    ):
        response = client.get(f"/api/v1/appointments?{query}", headers=headers)
        assert response.status_code == 422
        assert field in response.get_json()["error"]["details"]
