"""No slot ever exceeds its capacity: 200 bookings at once for 20 places; and no
person holds two live bookings, however many arrive at once."""

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from backend.extensions import db
from backend.models.marriage import Appointment, AppointmentParty, Slot
from tests.marriage.helpers import booking_body, couple

THREADS, CAPACITY = 200, 20


def book_at_once(app, headers, bodies) -> Counter:
    """POST every body at the same instant, each from its own thread; count the
    (status, error code) answers."""
    start = threading.Barrier(len(bodies))
    answers: list[tuple[int, str | None]] = []
    lock = threading.Lock()

    def book(body):
        client = app.test_client()  # each thread its own client, request and session
        start.wait()
        response = client.post("/api/v1/appointments", json=body, headers=headers)
        code = (response.get_json().get("error") or {}).get("code")
        with lock:
            answers.append((response.status_code, code))

    threads = [threading.Thread(target=book, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(answers)


def test_200_concurrent_bookings_fill_a_slot_of_20_exactly(app, login, make_slot, soon):
    slot = make_slot(soon, capacity=CAPACITY)
    bodies = [booking_body(slot.id, *couple(soon, serial=n)) for n in range(THREADS)]
    answers = book_at_once(app, login("registrar01"), bodies)

    assert answers == {(201, None): CAPACITY, (409, "slot_full"): THREADS - CAPACITY}
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).booked == CAPACITY
    booked = db.session.scalar(
        select(func.count()).select_from(Appointment).where(Appointment.slot_id == slot.id)
    )
    assert booked == CAPACITY


def test_the_same_person_booking_at_once_gets_one_booking_and_clear_refusals(
    app, login, make_slot, soon
):
    slots = [make_slot(soon, "am"), make_slot(soon, "pm")]
    man = couple(soon)[0]
    bodies = [booking_body(slots[n % 2].id, man, couple(soon, serial=n)[1]) for n in range(10)]
    answers = book_at_once(app, login("registrar01"), bodies)

    assert answers == {(201, None): 1, (409, "duplicate_booking"): 9}
    db.session.expire_all()
    assert sum(db.session.get(Slot, slot.id).booked for slot in slots) == 1
    live = db.session.scalar(
        select(func.count()).select_from(AppointmentParty).where(AppointmentParty.active)
    )
    assert live == 2


def test_the_database_refuses_a_slot_booked_beyond_its_capacity(app, make_slot, soon):
    """Behind `slots.take_place`, the CHECK (booked <= capacity) holds on its own."""
    slot_id = make_slot(soon, capacity=2).id
    db.session.execute(update(Slot).where(Slot.id == slot_id).values(booked=2))
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(update(Slot).where(Slot.id == slot_id).values(booked=Slot.booked + 1))
    db.session.rollback()
    assert db.session.get(Slot, slot_id).booked == 2
