"""离婚冷静期 (民法典 第1077条) on real calendar dates: 30 days from the day after
registration, a holiday end moves to the next working day, then 30 days to fetch the
certificate at the same office, else deemed withdrawn."""

from datetime import date, datetime, time, timedelta

import pytest

from backend.errors import ActionNotAllowed, ValidationFailed
from backend.extensions import db
from backend.models import RegistryOffice
from backend.models.marriage import Appointment, DivorceApplication, Service, Slot
from backend.services import audit, clock, daily, users
from backend.services.marriage import booking, cooling_off
from backend.services.workdays import WorkCalendar
from tests.marriage.helpers import booking_body, couple

SYSTEM = audit.Acting(None)  # set up by the system: not the subject of these tests

URL = "/api/v1/appointments"


@pytest.mark.parametrize(
    ("registered", "cooling_off_ends", "deadline"),
    [
        # 10月1日 is National Day: the cooling-off ends on 10月8日, the first working
        # day after the holiday; 30 days later is Saturday 11月7日 → Monday 11月9日.
        (date(2026, 9, 1), date(2026, 10, 8), date(2026, 11, 9)),
        # 2月13日 is a Friday and a working day; 3月15日 a Sunday → 3月16日.
        (date(2026, 1, 14), date(2026, 2, 13), date(2026, 3, 16)),
        # 2月19日 falls in the Spring Festival (2月15日–23日 off) → 2月24日.
        (date(2026, 1, 20), date(2026, 2, 24), date(2026, 3, 26)),
    ],
)
def test_periods_count_from_the_next_day_and_skip_holidays(registered, cooling_off_ends, deadline):
    assert cooling_off.periods(WorkCalendar(), registered) == (cooling_off_ends, deadline)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), clock.SHANGHAI)


@pytest.fixture
def registered(office, make_slot):
    """A divorce registered on 2026-09-01 at the demo office: (application, couple)."""
    slot = make_slot(date(2026, 9, 1))
    registrar = users.find_by_username(db.session, "registrar01")
    husband, wife = couple(slot.day, serial=40)
    appointment = booking.book(
        db.session,
        registrar,
        slot_id=slot.id,
        service=Service.DIVORCE,
        party_a=husband,
        party_b=wife,
        on_behalf=False,
        now=at(date(2026, 8, 25)),
    )
    booking.check_in(db.session, appointment, appointment.checkin_code, at(slot.day, 9))
    booking.complete(db.session, appointment, at(slot.day, 11), SYSTEM)
    db.session.commit()
    return appointment.divorce_application, (husband, wife)


def book_certificate(slot: Slot, people, now: datetime) -> Appointment:
    registrar = users.find_by_username(db.session, "registrar01")
    return booking.book(
        db.session,
        registrar,
        slot_id=slot.id,
        service=Service.DIVORCE_CERTIFICATE,
        party_a=people[1],
        party_b=people[0],
        on_behalf=False,
        now=now,
    )


def test_completing_a_divorce_registers_the_application(registered):
    application, _ = registered
    assert application.status == "cooling_off"
    assert (application.registered_on, application.cooling_off_ends) == (
        date(2026, 9, 1),
        date(2026, 10, 8),
    )
    assert application.certificate_deadline == date(2026, 11, 9)


def test_certificate_cannot_be_booked_during_the_cooling_off(registered, make_slot):
    _, people = registered
    with pytest.raises(ValidationFailed) as refused:
        book_certificate(make_slot(date(2026, 10, 8)), people, at(date(2026, 10, 1)))
    assert "2026-10-08" in refused.value.message
    assert "slot_id" in refused.value.details


def test_certificate_is_booked_the_day_after_and_completing_it_certifies(registered, make_slot):
    application, people = registered
    slot = make_slot(date(2026, 10, 9))
    appointment = book_certificate(slot, people, at(date(2026, 10, 1)))
    assert appointment.divorce_application_id == application.id
    booking.check_in(db.session, appointment, appointment.checkin_code, at(slot.day, 9))
    booking.complete(db.session, appointment, at(slot.day, 10), SYSTEM)
    assert db.session.get(DivorceApplication, application.id).status == "certified"


def test_certificate_after_the_thirty_days_is_refused(registered, make_slot):
    _, people = registered
    book_certificate(make_slot(date(2026, 11, 9)), people, at(date(2026, 10, 20)))
    db.session.rollback()
    with pytest.raises(ValidationFailed) as refused:
        book_certificate(make_slot(date(2026, 11, 10)), people, at(date(2026, 10, 20)))
    assert "2026-11-09" in refused.value.message


def test_certificate_only_at_the_office_that_registered_the_divorce(registered, office):
    _, people = registered
    other = RegistryOffice(name="城关婚姻登记分处", region_id=office.region_id)
    db.session.add(other)
    db.session.flush()
    slot = Slot(office_id=other.id, day=date(2026, 10, 12), period="am", capacity=5, booked=0)
    db.session.add(slot)
    db.session.flush()
    with pytest.raises(ValidationFailed) as refused:
        book_certificate(slot, people, at(date(2026, 10, 1)))
    assert "受理离婚申请的登记处" in refused.value.message


def test_certificate_needs_a_registered_divorce(app, make_slot):
    people = couple(date(2026, 10, 12), serial=41)
    with pytest.raises(ValidationFailed) as refused:
        book_certificate(make_slot(date(2026, 10, 12)), people, at(date(2026, 10, 1)))
    assert "service" in refused.value.details


def test_withdrawal_only_during_the_cooling_off(registered):
    application, _ = registered
    with pytest.raises(ActionNotAllowed):
        cooling_off.withdraw(application, date(2026, 10, 9))
    cooling_off.withdraw(application, date(2026, 10, 8))
    assert (application.status, application.withdrawn_reason) == ("withdrawn", "party")
    with pytest.raises(ActionNotAllowed):
        cooling_off.withdraw(application, date(2026, 10, 8))


def test_the_daily_rule_deems_lapsed_applications_withdrawn(registered):
    application, _ = registered
    rule = "backend.services.marriage.cooling_off:lapse"
    assert daily.run_daily(db.session, date(2026, 11, 9))[rule] == {"withdrawn": 0}
    assert daily.run_daily(db.session, date(2026, 11, 10))[rule] == {"withdrawn": 1}
    assert (application.status, application.withdrawn_reason) == ("withdrawn", "lapsed")
    assert daily.run_daily(db.session, date(2026, 11, 10))[rule] == {"withdrawn": 0}


def test_either_party_withdraws_over_http(client, citizen, login, make_slot):
    today = clock.today()
    slot = make_slot(today)
    husband, wife = couple(today, serial=42)
    registrar = users.find_by_username(db.session, "registrar01")
    appointment = booking.book(
        db.session,
        registrar,
        slot_id=slot.id,
        service=Service.DIVORCE,
        party_a=husband,
        party_b=wife,
        on_behalf=False,
        now=at(today - timedelta(days=3)),
    )
    db.session.commit()
    headers = login("registrar01")
    client.post(
        f"{URL}/{appointment.id}/check-in",
        json={"checkin_code": appointment.checkin_code},
        headers=headers,
    )
    done = client.post(f"{URL}/{appointment.id}/complete", headers=headers).get_json()
    ends, deadline = cooling_off.periods(WorkCalendar(), today)
    assert done["divorce_application"]["cooling_off_ends"] == ends.isoformat()
    assert done["divorce_application"]["certificate_deadline"] == deadline.isoformat()
    _, strangers = citizen({**couple(today, serial=43)[0], "phone": "13900000009"})
    assert client.post(f"{URL}/{appointment.id}/withdraw", headers=strangers).status_code == 404
    _, hers = citizen(wife)
    withdrawn = client.post(f"{URL}/{appointment.id}/withdraw", headers=hers)
    assert withdrawn.status_code == 200, withdrawn.get_json()
    assert withdrawn.get_json()["divorce_application"]["status"] == "withdrawn"


def test_a_marriage_appointment_has_nothing_to_withdraw(client, citizen, make_slot, soon):
    man, woman = couple(soon)
    _, headers = citizen(man)
    created = client.post(
        URL, json=booking_body(make_slot(soon).id, man, woman), headers=headers
    ).get_json()
    response = client.post(f"{URL}/{created['id']}/withdraw", headers=headers)
    assert response.status_code == 409
