"""POST /appointments: who may book, for whom, when, and never twice."""

from datetime import datetime, time, timedelta

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from backend.errors import ValidationFailed
from backend.extensions import db
from backend.models import Role
from backend.models.marriage import Appointment, Service, Slot
from backend.services import clock, users
from backend.services.marriage import rules
from backend.services.marriage.parties import parse_couple, to_row
from tests.marriage.helpers import (
    booking_body,
    couple,
    file_case_for,
    id_number,
    record_no_shows,
    years_before,
)

URL = "/api/v1/appointments"


def test_citizen_books_for_themself_and_sees_masked_numbers(client, citizen, make_slot, soon):
    slot = make_slot(soon, "am", capacity=20)
    man, woman = couple(soon)
    _, headers = citizen(man)
    response = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "booked"
    assert len(body["checkin_code"]) == 8
    assert body["slot"]["id"] == slot.id
    assert body["slot"]["remaining"] == 19
    assert body["party_a"]["id_number"] == man["id_number"][:6] + "********" + man["id_number"][-4:]
    assert body["party_b"]["phone"] == "139****0002"
    assert man["id_number"] not in response.get_data(as_text=True)


def test_identity_numbers_are_stored_encrypted(client, citizen, make_slot, soon):
    slot = make_slot(soon)
    man, woman = couple(soon)
    _, headers = citizen(man)
    client.post(URL, json=booking_body(slot.id, man, woman), headers=headers)
    rows = db.session.execute(text("SELECT * FROM marriage_appointment_party")).all()
    assert len(rows) == 2
    assert man["id_number"] not in repr(rows)
    assert woman["phone"] not in repr(rows)


def test_registrar_books_by_phone_and_agent_must_say_on_behalf(client, login, make_slot, soon):
    slot = make_slot(soon)
    man, woman = couple(soon, serial=2)
    by_phone = client.post(
        URL, json=booking_body(slot.id, man, woman), headers=login("registrar01")
    )
    assert by_phone.status_code == 201
    other_man, other_woman = couple(soon, serial=3)
    body = booking_body(slot.id, other_man, other_woman)
    refused = client.post(URL, json=body, headers=login("agent0101"))
    assert refused.status_code == 422
    assert "on_behalf" in refused.get_json()["error"]["details"]
    body["on_behalf"] = True
    file_case_for(client, login("agent0101"), other_man)
    assert client.post(URL, json=body, headers=login("agent0101")).status_code == 201


def test_a_citizen_cannot_book_as_someone_else(client, citizen, make_slot, soon):
    slot = make_slot(soon)
    man, woman = couple(soon)
    stranger, _ = couple(soon, serial=9)
    _, headers = citizen(stranger)
    response = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers)
    assert response.status_code == 422
    assert "party_a.id_number" in response.get_json()["error"]["details"]


def test_staff_outside_the_counter_cannot_book(client, login, make_slot, soon):
    slot = make_slot(soon)
    body = booking_body(slot.id, *couple(soon))
    assert client.post(URL, json=body, headers=login("town01")).status_code == 403
    assert client.post(URL, json=body).status_code == 401


def test_man_must_be_22_on_the_slot_date_and_may_book_on_his_birthday(app):
    day = clock.today() + timedelta(days=7)
    woman = couple(day)[1]
    turning_22 = {"name": "王强", "id_number": id_number(years_before(day, 22), True)}
    day_before = {
        "name": "王强",
        "id_number": id_number(years_before(day, 22) + timedelta(days=1), True),
    }
    assert len(parse_couple(Service.MARRIAGE, turning_22, woman, day, clock.today())) == 2
    with pytest.raises(ValidationFailed) as refused:
        parse_couple(Service.MARRIAGE, day_before, woman, day, clock.today())
    assert "party_a.id_number" in refused.value.details
    assert "22" in refused.value.message


def test_woman_must_be_20_on_the_slot_date(client, login, make_slot, soon):
    slot = make_slot(soon)
    man, woman = couple(soon, woman_age=19)
    response = client.post(
        URL, json=booking_body(slot.id, man, woman), headers=login("registrar01")
    )
    assert response.status_code == 422
    assert "party_b.id_number" in response.get_json()["error"]["details"]


def test_marriage_needs_a_man_and_a_woman(client, login, make_slot, soon):
    slot = make_slot(soon)
    man, _ = couple(soon, serial=1)
    other_man, _ = couple(soon, serial=2)
    response = client.post(
        URL, json=booking_body(slot.id, man, other_man), headers=login("registrar01")
    )
    assert response.status_code == 422
    assert "party_b.id_number" in response.get_json()["error"]["details"]


def test_both_parties_cannot_be_the_same_person(client, login, make_slot, soon):
    slot = make_slot(soon)
    man, _ = couple(soon)
    response = client.post(
        URL, json=booking_body(slot.id, man, dict(man)), headers=login("registrar01")
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "双方不能是同一人"


def test_reissue_may_be_booked_by_one_person_but_marriage_needs_both(
    client, login, make_slot, soon
):
    slot = make_slot(soon)
    man, _ = couple(soon)
    headers = login("registrar01")
    alone = client.post(URL, json=booking_body(slot.id, man, None, "reissue"), headers=headers)
    assert alone.status_code == 201
    assert alone.get_json()["party_b"] is None
    refused = client.post(URL, json=booking_body(slot.id, man, None, "marriage"), headers=headers)
    assert refused.status_code == 422
    assert "party_b" in refused.get_json()["error"]["details"]


def test_one_active_booking_per_person_and_service(client, login, make_slot, soon):
    first_slot = make_slot(soon, "am")
    second_slot = make_slot(soon, "pm")
    man, woman = couple(soon)
    headers = login("registrar01")
    first = client.post(URL, json=booking_body(first_slot.id, man, woman), headers=headers)
    _, new_partner = couple(soon, serial=5)
    again = client.post(URL, json=booking_body(second_slot.id, man, new_partner), headers=headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "duplicate_booking"
    client.post(f"{URL}/{first.get_json()['id']}/cancel", headers=headers)
    retry = client.post(URL, json=booking_body(second_slot.id, man, new_partner), headers=headers)
    assert retry.status_code == 201


def test_the_partial_unique_index_refuses_a_second_active_row(app, make_slot, soon):
    """Behind the service's own check, the database holds the line against races."""
    slot = make_slot(soon)
    man, woman = couple(soon)
    people = parse_couple(Service.MARRIAGE, man, woman, soon, clock.today())

    def appointment(active: bool) -> Appointment:
        rows = [
            to_row(person, role, Service.MARRIAGE)
            for person, role in zip(people, "ab", strict=True)
        ]
        for row in rows:
            row.active = active
        return Appointment(
            slot_id=slot.id, service="marriage", checkin_code="ABCDEFGH", parties=rows
        )

    db.session.add_all([appointment(active=False), appointment(active=True)])
    db.session.commit()  # inactive rows never conflict
    db.session.add(appointment(active=True))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_full_slot_answers_slot_full(client, login, make_slot, soon):
    slot = make_slot(soon, capacity=1)
    headers = login("registrar01")
    assert (
        client.post(URL, json=booking_body(slot.id, *couple(soon, 1)), headers=headers).status_code
        == 201
    )
    full = client.post(URL, json=booking_body(slot.id, *couple(soon, 2)), headers=headers)
    assert full.status_code == 409
    assert full.get_json()["error"]["code"] == "slot_full"
    assert db.session.get(Slot, slot.id).booked == 1


def test_a_full_slot_is_refused_before_the_couple_is_checked(client, login, make_slot, soon):
    """In a rush nearly every attempt meets a full slot: it is told so at once."""
    slot = make_slot(soon, capacity=1)
    headers = login("registrar01")
    client.post(URL, json=booking_body(slot.id, *couple(soon, 1)), headers=headers)
    too_young = couple(soon, 2, man_age=18)
    refused = client.post(URL, json=booking_body(slot.id, *too_young), headers=headers)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "slot_full")


def test_booking_opens_at_release_time_on_the_first_day_of_the_window(office, make_slot):
    day = clock.today() + timedelta(days=40)
    make_slot(day)
    first_day = day - timedelta(days=office.max_days_ahead)
    just_before = datetime.combine(first_day, time(7, 59), clock.SHANGHAI)
    with pytest.raises(ValidationFailed) as early:
        rules.check_window(office, day, just_before)
    assert "08:00" in early.value.message
    rules.check_window(office, day, datetime.combine(first_day, time(8, 0), clock.SHANGHAI))


def test_booking_closes_the_day_before(client, login, make_slot):
    today_slot = make_slot(clock.today(), "pm")
    tomorrow_slot = make_slot(clock.today() + timedelta(days=1), "pm")
    headers = login("registrar01")
    late = client.post(
        URL, json=booking_body(today_slot.id, *couple(clock.today())), headers=headers
    )
    assert late.status_code == 422
    assert "slot_id" in late.get_json()["error"]["details"]
    assert (
        client.post(
            URL, json=booking_body(tomorrow_slot.id, *couple(clock.today())), headers=headers
        ).status_code
        == 201
    )


def test_two_no_shows_block_online_booking_but_not_the_counter(
    client, citizen, login, make_slot, soon
):
    past = make_slot(clock.today() - timedelta(days=10))
    man, woman = couple(soon)
    record_no_shows(past, man, 2)
    slot = make_slot(soon)
    _, headers = citizen(man)
    blocked = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers)
    assert blocked.status_code == 409
    error = blocked.get_json()["error"]
    assert error["code"] == "action_not_allowed"
    assert "前不能在线预约" in error["message"]
    at_counter = client.post(
        URL, json=booking_body(slot.id, man, woman), headers=login("registrar01")
    )
    assert at_counter.status_code == 201


def test_one_no_show_does_not_block(client, citizen, make_slot, soon):
    record_no_shows(make_slot(clock.today() - timedelta(days=10)), couple(soon)[0], 1)
    man, woman = couple(soon)
    _, headers = citizen(man)
    assert (
        client.post(
            URL, json=booking_body(make_slot(soon).id, man, woman), headers=headers
        ).status_code
        == 201
    )


def test_a_no_show_older_than_the_lookback_does_not_count(client, citizen, office, make_slot, soon):
    man, woman = couple(soon)
    record_no_shows(make_slot(clock.today() - timedelta(days=40)), man, 2)
    _, headers = citizen(man)
    body = booking_body(make_slot(soon).id, man, woman)
    office.no_show_lookback_days = 40
    db.session.commit()
    assert client.post(URL, json=body, headers=headers).status_code == 409
    office.no_show_lookback_days = 39
    db.session.commit()
    assert client.post(URL, json=body, headers=headers).status_code == 201


def test_the_no_show_block_ends_after_its_length(client, citizen, office, make_slot, soon):
    man, woman = couple(soon)
    record_no_shows(make_slot(clock.today() - timedelta(days=10)), man, 2)
    _, headers = citizen(man)
    body = booking_body(make_slot(soon).id, man, woman)
    office.no_show_block_days = 10  # blocked until today, inclusive
    db.session.commit()
    blocked = client.post(URL, json=body, headers=headers)
    assert blocked.status_code == 409
    assert clock.today().isoformat() in blocked.get_json()["error"]["message"]
    office.no_show_block_days = 9
    db.session.commit()
    assert client.post(URL, json=body, headers=headers).status_code == 201


GOOD = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13900000001"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slot_id": None}, "slot_id"),
        ({"slot_id": "abc"}, "slot_id"),
        ({"slot_id": 0}, "slot_id"),
        ({"slot_id": 987654}, "slot_id"),
        ({"slot_id": 10**30}, "slot_id"),
        ({"service": "wedding"}, "service"),
        ({"party_a": None}, "party_a"),
        ({"party_a": "张伟"}, "party_a"),
        ({"party_a": {**GOOD, "name": ""}}, "party_a.name"),
        ({"party_a": {**GOOD, "name": "张\u200b伟"}}, "party_a.name"),
        ({"party_a": {**GOOD, "id_number": "110105194912310021"}}, "party_a.id_number"),
        (
            {"party_a": {**GOOD, "id_number": "１１０１０５１９４９１２３１００２Ｘ"}},
            "party_a.id_number",
        ),
        ({"party_a": {**GOOD, "phone": "12345"}}, "party_a.phone"),
        ({"party_a": {**GOOD, "role": "admin"}}, "party_a.role"),
        ({"party_b": {**GOOD, "id_number": "11010519490230002X"}}, "party_b.id_number"),
        ({"party_b": {**GOOD, "name": 7}}, "party_b.name"),
        ({"party_b": {**GOOD, "phone": "139000000０2"}}, "party_b.phone"),
        ({"on_behalf": "maybe"}, "on_behalf"),
        ({"status": "completed"}, "status"),
    ],
)
def test_bad_values_are_422_naming_the_field(client, login, make_slot, soon, change, field):
    slot = make_slot(soon)
    body = {**booking_body(slot.id, *couple(soon)), **change}
    if change.get("slot_id", 1) is None:
        del body["slot_id"]
    response = client.post(URL, json=body, headers=login("registrar01"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]
    assert db.session.scalar(select(Appointment.id)) is None


def test_a_citizen_without_real_name_must_verify_first(client, demo, make_slot, soon):
    user = users.create_user(db.session, role=Role.CITIZEN, name="赵六", phone="13700000000")
    db.session.commit()
    headers = {"Authorization": f"Bearer {create_access_token(user)}"}
    response = client.post(
        URL, json=booking_body(make_slot(soon).id, *couple(soon)), headers=headers
    )
    assert response.status_code == 422
    assert "party_a.id_number" in response.get_json()["error"]["details"]


def test_a_retried_booking_with_the_same_idempotency_key_books_once(client, login, make_slot, soon):
    slot = make_slot(soon)
    body = booking_body(slot.id, *couple(soon))
    file_case_for(client, login("agent0101"), body["party_a"])
    headers = {**login("agent0101"), "Idempotency-Key": "b7e0c1d2-appointment"}
    body["on_behalf"] = True
    first = client.post(URL, json=body, headers=headers)
    again = client.post(URL, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).booked == 1
