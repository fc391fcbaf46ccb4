"""A booking is answered in a fixed number of SQL statements: the place is taken by one
UPDATE that returns the new count, and the answer is built from what was just written,
with nothing read again after the commit."""

from backend.extensions import db
from backend.services import idempotency
from tests.marriage.helpers import booking_body, couple
from tests.statements import counting_statements

# The token; the Idempotency-Key's claim; the slot; the office in the registrar's scope,
# then the office; a ballot on that day; a live booking of either party; the place;
# the appointment; its two parties (one INSERT of both on PostgreSQL); the stored answer.
BOOKED = {"postgresql": 11, "sqlite": 12}
# The token; the claim; the slot and whether its office is in scope, then refused as
# full: nothing else is read, nothing written.
REFUSED = 4


def book(client, headers, slot, serial, key):
    man, woman = couple(slot.day, serial=serial)
    slot_id = slot.id
    db.session.remove()  # a request of its own, as in production: nothing loaded yet
    with counting_statements() as statements:
        response = client.post(
            "/api/v1/appointments",
            json=booking_body(slot_id, man, woman),
            headers=headers | {idempotency.HEADER: key},
        )
    return response, statements


def test_a_booking_takes_a_fixed_number_of_statements(client, login, make_slot, soon):
    slot = make_slot(soon, capacity=1)
    headers = login("registrar01")
    booked, statements = book(client, headers, slot, 1, "first")
    assert booked.status_code == 201, booked.get_json()
    assert booked.get_json()["slot"]["remaining"] == 0
    assert len(statements) == BOOKED[db.engine.dialect.name], statements
    refused, statements = book(client, headers, slot, 2, "second")
    assert refused.status_code == 409, refused.get_json()
    assert len(statements) == REFUSED, statements
