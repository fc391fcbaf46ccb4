"""Offices and slots: generated on working days of the Chinese calendar, open days and
closures respected, capacities changed by registrars but never below the bookings."""

from datetime import date

import pytest
from sqlalchemy import select

from backend.errors import Conflict
from backend.extensions import db
from backend.models.marriage import Slot
from backend.models.registry import OfficeDayKind
from backend.services import audit
from backend.services.marriage import offices, slots

SYSTEM = audit.Acting(None)  # set up by the system: not the subject of these tests

GENERATE = "/api/v1/registry-offices/{}/slots/generate"


def slot_days(office, start, end):
    return sorted(
        {
            day
            for day in db.session.scalars(
                select(Slot.day).where(Slot.office_id == office.id, Slot.day.between(start, end))
            )
        }
    )


def test_generation_skips_the_national_day_holiday_and_works_the_makeup_saturday(office):
    # 2026: 10月1日–7日 off; Saturday 10月10日 is a make-up working day (调休).
    created = slots.generate(db.session, office, date(2026, 9, 30), date(2026, 10, 11), 10, 8)
    assert slot_days(office, date(2026, 9, 30), date(2026, 10, 11)) == [
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
    ]
    assert sorted((s.day.day, s.period, s.capacity) for s in created)[:2] == [
        (8, "am", 10),
        (8, "pm", 8),
    ]


def test_special_open_day_on_a_weekend_gets_slots_and_a_closure_gets_none(office):
    # 2026-05-20 is a Wednesday; 2027-02-14 (情人节) a Sunday.
    offices.set_day(db.session, office, date(2027, 2, 14), OfficeDayKind.OPEN, SYSTEM, "情人节加班")
    offices.set_day(db.session, office, date(2026, 5, 20), OfficeDayKind.CLOSED, SYSTEM, "系统升级")
    slots.generate(db.session, office, date(2026, 5, 20), date(2026, 5, 20))
    slots.generate(db.session, office, date(2027, 2, 13), date(2027, 2, 14))
    assert slot_days(office, date(2026, 5, 20), date(2026, 5, 20)) == []
    assert slot_days(office, date(2027, 2, 13), date(2027, 2, 14)) == [date(2027, 2, 14)]


def test_generating_twice_adds_nothing_and_keeps_changed_capacities(office):
    first = slots.generate(db.session, office, date(2026, 11, 2), date(2026, 11, 6))
    assert len(first) == 10
    slots.set_capacity(db.session, first[0], 5, SYSTEM)
    assert slots.generate(db.session, office, date(2026, 11, 2), date(2026, 11, 6)) == []
    assert db.session.get(Slot, first[0].id).capacity == 5


def test_closing_a_day_with_bookings_is_refused(office, make_slot):
    slot = make_slot(date(2026, 11, 3))
    slots.take_place(db.session, slot)
    with pytest.raises(Conflict):
        offices.set_day(db.session, office, date(2026, 11, 3), OfficeDayKind.CLOSED, SYSTEM)


def test_closing_an_empty_day_removes_its_slots(office, make_slot):
    make_slot(date(2026, 11, 4))
    offices.set_day(db.session, office, date(2026, 11, 4), OfficeDayKind.CLOSED, SYSTEM)
    assert slot_days(office, date(2026, 11, 4), date(2026, 11, 4)) == []


def test_registrar_generates_slots_over_http(client, login, office):
    response = client.post(
        GENERATE.format(office.id),
        json={"from": "2027-03-08", "to": "2027-03-12", "am_capacity": 12, "pm_capacity": 6},
        headers=login("registrar01"),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["created"] == 10
    assert {(i["period"], i["capacity"]) for i in body["items"]} == {("am", 12), ("pm", 6)}


def test_county_staff_may_generate_but_a_citizen_may_not(client, login, office):
    body = {"from": "2027-03-15", "to": "2027-03-15"}
    assert (
        client.post(GENERATE.format(office.id), json=body, headers=login("county01")).status_code
        == 201
    )
    assert (
        client.post(GENERATE.format(office.id), json=body, headers=login("town01")).status_code
        == 403
    )
    assert client.post(GENERATE.format(office.id), json=body).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
        ({"from": "2026-01-01", "to": "2027-06-01"}, "to"),
        ({"from": "2026-03-01", "to": "2026-03-02", "am_capacity": -1}, "am_capacity"),
        ({"from": "2026-03-01", "to": "2026-03-02", "pm_capacity": "２０"}, "pm_capacity"),
        ({"from": "2026-03-01", "to": "2026-03-02", "am_capacity": 10**30}, "am_capacity"),
        ({"from": "2026-03-01", "to": "2026-03-02", "status": "open"}, "status"),
    ],
)
def test_bad_generate_values_are_422_naming_the_field(client, login, office, body, field):
    response = client.post(GENERATE.format(office.id), json=body, headers=login("registrar01"))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_unknown_office_is_404(client, login, office):
    body = {"from": "2026-03-02", "to": "2026-03-02"}
    assert (
        client.post(GENERATE.format(9999), json=body, headers=login("registrar01")).status_code
        == 404
    )


def test_public_slot_list_shows_remaining_places(client, office, make_slot):
    slot = make_slot(date(2027, 3, 1), "am", capacity=3)
    make_slot(date(2027, 3, 1), "pm", capacity=2)
    slots.take_place(db.session, slot)
    db.session.commit()
    response = client.get(
        f"/api/v1/registry-offices/{office.id}/slots?from=2027-03-01&to=2027-03-01&service=marriage"
    )
    assert response.status_code == 200
    assert response.get_json()["items"] == [
        {"id": slot.id, "date": "2027-03-01", "period": "am", "capacity": 3, "remaining": 2},
        {"id": slot.id + 1, "date": "2027-03-01", "period": "pm", "capacity": 2, "remaining": 2},
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=2026-13-01", "from"), ("to=tomorrow", "to"), ("service=wedding", "service")],
)
def test_bad_slot_list_filters_are_422(client, office, query, field):
    response = client.get(f"/api/v1/registry-offices/{office.id}/slots?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_registrar_raises_and_lowers_capacity_but_not_below_bookings(client, login, make_slot):
    slot = make_slot(date(2027, 3, 2), capacity=3)
    for _ in range(2):
        slots.take_place(db.session, slot)
    db.session.commit()
    headers = login("registrar01")
    raised = client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 25}, headers=headers)
    assert raised.status_code == 200
    assert raised.get_json()["remaining"] == 23
    lowered = client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 2}, headers=headers)
    assert lowered.get_json()["remaining"] == 0
    refused = client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 1}, headers=headers)
    assert refused.status_code == 409
    assert db.session.get(Slot, slot.id).capacity == 2


@pytest.mark.parametrize(
    "body", [{"capacity": -1}, {"capacity": "５"}, {"capacity": 1.5}, {}, {"booked": 0}]
)
def test_bad_capacity_is_422(client, login, make_slot, body):
    slot = make_slot(date(2027, 3, 3))
    response = client.patch(f"/api/v1/slots/{slot.id}", json=body, headers=login("registrar01"))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) & {"capacity", "booked"}


def test_only_office_staff_change_capacity(client, login, make_slot):
    slot = make_slot(date(2027, 3, 4))
    response = client.patch(
        f"/api/v1/slots/{slot.id}", json={"capacity": 5}, headers=login("town01")
    )
    assert response.status_code == 403
    assert (
        client.patch(
            "/api/v1/slots/999999", json={"capacity": 5}, headers=login("registrar01")
        ).status_code
        == 404
    )


def test_office_settings_and_days_over_http(client, login, office):
    headers = login("registrar01")
    changed = client.patch(
        f"/api/v1/registry-offices/{office.id}",
        json={"max_days_ahead": 60, "release_time": "09:30", "waitlist_hold_minutes": 45},
        headers=headers,
    )
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["max_days_ahead"], changed.get_json()["release_time"]) == (
        60,
        "09:30",
    )
    opened = client.post(
        f"/api/v1/registry-offices/{office.id}/days",
        json={"date": "2027-02-14", "kind": "open", "note": "情人节"},
        headers=headers,
    )
    assert opened.get_json() == {"date": "2027-02-14", "kind": "open", "note": "情人节"}
    removed = client.delete(
        f"/api/v1/registry-offices/{office.id}/days/2027-02-14", headers=headers
    )
    assert removed.status_code == 204
    listing = client.get("/api/v1/registry-offices").get_json()["items"]
    assert [o["name"] for o in listing] == ["示范县婚姻登记处"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"min_days_ahead": 5, "max_days_ahead": 3}, "max_days_ahead"),
        ({"am_start": "13:00", "am_end": "12:00"}, "am_end"),
        ({"release_time": "25:00"}, "release_time"),
        ({"no_show_limit": 0}, "no_show_limit"),
        ({"name": "别的名字"}, "name"),
    ],
)
def test_bad_office_settings_are_422(client, login, office, body, field):
    response = client.patch(
        f"/api/v1/registry-offices/{office.id}", json=body, headers=login("registrar01")
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2027-02-30", "kind": "open"}, "date"),
        ({"date": "2027-02-14", "kind": "holiday"}, "kind"),
        ({"date": "2027-02-14", "kind": "open", "note": "很" * 101}, "note"),
    ],
)
def test_bad_office_days_are_422(client, login, office, body, field):
    response = client.post(
        f"/api/v1/registry-offices/{office.id}/days", json=body, headers=login("registrar01")
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]
