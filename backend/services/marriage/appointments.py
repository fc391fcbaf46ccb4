"""Recording appointments and moving them through their statuses.

`create` takes a place and writes the appointment once every rule has been checked;
`transition` moves along the state table with a conditional UPDATE.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed
from backend.models.marriage import (
    ACTIVE_STATUSES,
    TRANSITIONS,
    Appointment,
    AppointmentParty,
    AppointmentStatus,
    Service,
    Slot,
)
from backend.services.marriage import cooling_off, parties, reminders, slots
from backend.services.marriage.errors import DuplicateBooking
from backend.services.marriage.parties import Person

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out at a counter


CODE_LENGTH = 8


ACTION_LABEL = {
    "cancel": "取消",
    "check_in": "签到",
    "complete": "办结",
    "no_show": "登记爽约",
}


STATUS_LABEL = {
    AppointmentStatus.BOOKED: "已预约",
    AppointmentStatus.CHECKED_IN: "已签到",
    AppointmentStatus.COMPLETED: "已办结",
    AppointmentStatus.CANCELLED: "已取消",
    AppointmentStatus.NO_SHOW: "未到场",
}


def create(
    session: Session,
    slot: Slot,
    service: Service,
    people: list[Person],
    *,
    booked_by_id: int | None,
    on_behalf: bool,
    now: datetime,
    place_held: bool = False,
) -> Appointment:
    """Take a place and record the appointment; every rule about who and when is
    already checked. Ballot winners and waitlist offers come in here too.

    Nothing is written before the last check, and taking the place is the first
    write: a refusal leaves the transaction as it was. `place_held`: the caller
    already holds the place (rescheduling, a waitlist offer).
    """
    application = None
    if service == Service.DIVORCE_CERTIFICATE:
        application = cooling_off.application_for_certificate(
            session, slot.office_id, [p.index for p in people], slot.day
        )
    if not place_held:
        check_no_duplicate(session, people, service)
        slots.take_place(session, slot)
    appointment = Appointment(
        slot_id=slot.id,
        service=service,
        status=AppointmentStatus.BOOKED,
        booked_by_id=booked_by_id,
        on_behalf=on_behalf,
        checkin_code=new_checkin_code(),
        divorce_application_id=application.id if application else None,
        created_at=now,
        updated_at=now,
        parties=[
            parties.to_row(person, role, service)
            for person, role in zip(people, "ab", strict=False)
        ],
    )
    session.add(appointment)
    try:
        session.flush()
    except IntegrityError:
        # Two requests for the same person raced past the check above; the partial
        # unique index let one through.
        raise DuplicateBooking() from None
    if place_held:
        session.refresh(slot)  # the place was taken by a statement the slot has not seen
    reminders.schedule(session, appointment, now)
    return appointment


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def check_no_duplicate(session: Session, people: list[Person], service: Service) -> None:
    taken = session.scalar(
        select(AppointmentParty.name).where(
            AppointmentParty.id_number_index.in_([p.index for p in people]),
            AppointmentParty.service == service,
            AppointmentParty.active.is_(True),
        )
    )
    if taken is not None:
        raise DuplicateBooking(f"{taken}已有一个未办理的同类预约,请先取消或办理后再约")


def transition(session: Session, appointment: Appointment, action: str, now: datetime) -> None:
    """Move along TRANSITIONS with a conditional UPDATE, so that two registrars (or a
    double tap) cannot both act and a place is never given back twice."""
    sources, target = TRANSITIONS[action]
    evaluate = {"synchronize_session": "evaluate"}
    result = session.execute(
        update(Appointment)
        .where(Appointment.id == appointment.id, Appointment.status.in_(list(sources)))
        .values(status=target, updated_at=now),
        execution_options=evaluate,
    )
    if result.rowcount != 1:
        session.refresh(appointment)
        raise ActionNotAllowed(f"预约{STATUS_LABEL[appointment.status]},不能{ACTION_LABEL[action]}")
    session.execute(
        update(AppointmentParty)
        .where(AppointmentParty.appointment_id == appointment.id)
        .values(active=target in ACTIVE_STATUSES),
        execution_options=evaluate,
    )
    if target == AppointmentStatus.CANCELLED:
        reminders.unschedule(session, appointment.id)
