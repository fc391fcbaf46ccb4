"""The 5月20日 rush: every attempt at once for a few places of one slot, over HTTP on
PostgreSQL. Exactly `places` must win, every other attempt must be a clean 409, and
the rate is compared with the raw conditional UPDATE doing the same rush."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import delete, func, select

from backend.extensions import db
from backend.models import RegistryOffice
from backend.models.marriage import Appointment, AppointmentParty, Period, Slot
from backend.services import clock
from bench import load
from bench.core import POSTGRESQL, Backend, BenchError, Figure, Measurement, Values
from bench.figures import access_token, id_numbers
from bench.measure import bearer, describe, json_body, rush

REGISTRAR = "registrar01"  # bookings taken by phone: any couple, no online-booking block
DAYS_AHEAD = 3  # inside every office's booking window
_men, _women = id_numbers(520, male=True), id_numbers(521, male=False)


def empty_slot(places: int) -> int:
    """A morning slot a few days ahead with `places` places and nothing booked."""
    session = db.session
    office = session.scalar(select(RegistryOffice).order_by(RegistryOffice.id))
    day = clock.today() + timedelta(days=DAYS_AHEAD)
    slot = session.scalar(
        select(Slot).where(Slot.office_id == office.id, Slot.day == day, Slot.period == Period.AM)
    )
    if slot is None:
        slot = Slot(office_id=office.id, day=day, period=Period.AM, capacity=places)
        session.add(slot)
        session.flush()
    taken = select(Appointment.id).where(Appointment.slot_id == slot.id)
    session.execute(delete(AppointmentParty).where(AppointmentParty.appointment_id.in_(taken)))
    session.execute(delete(Appointment).where(Appointment.slot_id == slot.id))
    slot.capacity, slot.booked = places, 0
    session.commit()
    return slot.id


def couple(slot_id: int) -> str:
    return json_body(
        {
            "slot_id": slot_id,
            "service": "marriage",
            "party_a": {"name": "张伟", "id_number": next(_men), "phone": "13912345678"},
            "party_b": {"name": "李娜", "id_number": next(_women), "phone": "13987654321"},
        }
    )


def booking_rush(backend: Backend) -> Values:
    mode = backend.mode
    slot_id = empty_slot(mode.rush_places)
    headers = bearer(access_token(backend, REGISTRAR))
    requests = [
        load.Request(
            "POST",
            "/api/v1/appointments",
            couple(slot_id),
            {**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        for _ in range(mode.rush_attempts)
    ]
    result = rush(backend.product, requests, mode.rush_attempts)
    booked = db.session.scalar(select(Slot.booked).where(Slot.id == slot_id))
    appointments = db.session.scalar(
        select(func.count()).select_from(Appointment).where(Appointment.slot_id == slot_id)
    )
    db.session.remove()
    won = result.count(201)
    if result.count(201, 409) != result.responses or result.socket_errors:
        raise BenchError(f"booking rush: answers other than 201/409 {describe(result)}")
    if not won == booked == appointments == mode.rush_places:
        raise BenchError(
            f"booking rush: {won} won, {booked} booked, {appointments} appointments"
            f" for {mode.rush_places} places {describe(result)}"
        )
    return {"rate": result.rate}


MEASUREMENTS = (Measurement("product.booking_rush", booking_rush, backends=(POSTGRESQL,)),)
FIGURES = (
    Figure(
        "booking rush, all attempts at once for a few places",
        "attempts/s",
        product=("product.booking_rush", "rate"),
        ceiling=("ceiling.update", "rate"),
        min_ratio=0.5,
        guarantee="exactly the places booked, every other answer 409",
        backends=(POSTGRESQL,),
    ),
)
SEEDS = ()
