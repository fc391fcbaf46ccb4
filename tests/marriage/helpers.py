"""Valid identity numbers and booking bodies for marriage tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from stdnum.cn import ric

from backend.extensions import db
from backend.models.marriage import Appointment, AppointmentStatus, Service, Slot
from backend.services import clock, users
from backend.services.marriage import booking
from tests.factories import household


def id_number(birth: date, male: bool, serial: int = 1, region: str = "110105") -> str:
    """A valid 居民身份证号; the 17th digit is odd for men, even for women (serial < 500)."""
    order = (2 * serial + (1 if male else 0)) % 1000
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder digit


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def couple(day: date, serial: int = 1, man_age: int = 30, woman_age: int = 28) -> tuple[dict, dict]:
    """(party_a: the man, party_b: the woman), both adults on `day`."""
    man = {
        "name": "张伟",
        "id_number": id_number(years_before(day, man_age), True, serial),
        "phone": "13900000001",
    }
    woman = {
        "name": "李娜",
        "id_number": id_number(years_before(day, woman_age), False, serial),
        "phone": "13900000002",
    }
    return man, woman


def booking_body(slot_id: int, party_a: dict, party_b: dict | None, service: str = "marriage"):
    body = {"slot_id": slot_id, "service": service, "party_a": party_a}
    if party_b is not None:
        body["party_b"] = party_b
    return body


def book_earlier(slot: Slot, serial: int = 1, days_before: int = 3) -> Appointment:
    """Book `slot` as the registrar would have, `days_before` days before its date."""
    registrar = users.find_by_username(db.session, "registrar01")
    man, woman = couple(slot.day, serial=serial)
    appointment = booking.book(
        db.session,
        registrar,
        slot_id=slot.id,
        service=Service.MARRIAGE,
        party_a=man,
        party_b=woman,
        on_behalf=False,
        now=datetime.combine(slot.day - timedelta(days=days_before), time(10), clock.SHANGHAI),
    )
    db.session.commit()
    return appointment


def record_no_shows(slot: Slot, man: dict, count: int, service: Service = Service.MARRIAGE):
    """`count` past appointments of `man` (each with another partner) on `slot`, missed."""
    registrar = users.find_by_username(db.session, "registrar01")
    for serial in range(count):
        partner = couple(slot.day, serial=20 + serial)[1]
        appointment = booking.book(
            db.session,
            registrar,
            slot_id=slot.id,
            service=service,
            party_a=man,
            party_b=partner,
            on_behalf=False,
            now=datetime.combine(slot.day - timedelta(days=3), time(9), clock.SHANGHAI),
        )
        appointment.status = AppointmentStatus.NO_SHOW
        for party in appointment.parties:
            party.active = False
        db.session.flush()
    db.session.commit()


def file_case_for(client, agent_headers, person: dict) -> None:
    """agent0101 files a 低保 case for `person` on their behalf: the link that lets an
    agent book for someone (`services.agent_mandate`). Once per person and client: a
    person is in one live household."""
    filed = vars(client).setdefault("filed_for", set())
    if person["id_number"] in filed:
        return
    filed.add(person["id_number"])
    members = household(person["id_number"])
    members["members"][0]["name"] = person["name"]
    body = {
        "type": "dibao",
        "region_code": "990101001000",
        "applicant": {"name": person["name"], "id_number": person["id_number"]},
        "household": members,
        "on_behalf": True,
    }
    response = client.post("/api/v1/applications", json=body, headers=agent_headers)
    assert response.status_code == 201, response.get_json()
