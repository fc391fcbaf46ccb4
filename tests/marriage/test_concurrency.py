"""No slot ever exceeds its capacity: 200 bookings at once for 20 places."""

import threading
from collections import Counter

from sqlalchemy import func, select

from backend.extensions import db
from backend.models.marriage import Appointment, Slot
from tests.marriage.helpers import booking_body, couple

THREADS, CAPACITY = 200, 20


def test_200_concurrent_bookings_fill_a_slot_of_20_exactly(app, login, make_slot, soon):
    slot = make_slot(soon, capacity=CAPACITY)
    headers = login("registrar01")
    bodies = [booking_body(slot.id, *couple(soon, serial=n)) for n in range(THREADS)]
    start = threading.Barrier(THREADS)
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

    assert Counter(answers) == {(201, None): CAPACITY, (409, "slot_full"): THREADS - CAPACITY}
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).booked == CAPACITY
    booked = db.session.scalar(
        select(func.count()).select_from(Appointment).where(Appointment.slot_id == slot.id)
    )
    assert booked == CAPACITY
