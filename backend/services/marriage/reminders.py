"""The day-before reminder: an RQ job scheduled when the appointment is booked and
removed when it is cancelled, both once the transaction commits (a rolled-back
booking schedules nothing). The job looks again before sending, so a reminder that
escaped removal says nothing about an appointment no longer booked.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from redis.exceptions import RedisError
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from backend.jobs.queue import cancel, enqueue
from backend.models import User
from backend.models.marriage import Appointment, AppointmentStatus
from backend.services import clock
from backend.services.marriage import notices
from backend.services.marriage.documents import SERVICE_TITLE

log = logging.getLogger(__name__)

JOB = "marriage.remind"
PENDING = "marriage_reminders"
REMIND_AT = time(9, 0)  # Shanghai, the day before


def remind_at(appointment: Appointment) -> datetime:
    return datetime.combine(appointment.slot.day - timedelta(days=1), REMIND_AT, clock.SHANGHAI)


def schedule(session: Session, appointment: Appointment, now: datetime) -> None:
    """After commit, queue the reminder for the day before (at once when that time
    has passed)."""
    pending = session.info.setdefault(PENDING, [])
    pending.append((appointment.id, max(remind_at(appointment), now)))


def unschedule(session: Session, appointment_id: int) -> None:
    """After commit, remove the appointment's reminder."""
    session.info.setdefault(PENDING, []).append((appointment_id, None))


@event.listens_for(Session, "after_commit")
def _apply_committed(session: Session) -> None:
    for appointment_id, at in session.info.pop(PENDING, []):
        if at is None:
            _remove(appointment_id)
        else:
            _queue(appointment_id, at)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING, None)


def _queue(appointment_id: int, at: datetime) -> None:
    """A reminder is a courtesy: with Redis down the booking still stands."""
    try:
        enqueue(JOB, appointment_id, at=at)
    except RedisError:
        log.warning("reminder for appointment %s not scheduled: Redis unavailable", appointment_id)


def _remove(appointment_id: int) -> None:
    try:
        cancel(JOB, appointment_id)
    except RedisError:
        log.warning("reminder for appointment %s not removed: Redis unavailable", appointment_id)


def send(session: Session, appointment_id: int) -> int:
    """Tell the booker and every party with an account; return how many were told."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.status != AppointmentStatus.BOOKED:
        return 0
    slot = appointment.slot
    indexes = [party.id_number_index for party in appointment.parties]
    people = set(
        session.scalars(
            select(User.id).where(
                User.id_number_index.in_(indexes), User.real_name_verified.is_(True)
            )
        )
    )
    if appointment.booked_by_id:
        people.add(appointment.booked_by_id)
    data = {
        "date": slot.day.isoformat(),
        "period_label": notices.PERIOD_LABEL[slot.period],
        "office_name": slot.office.name,
        "service_label": SERVICE_TITLE[appointment.service],
        "appointment_id": appointment.id,
    }
    for user_id in sorted(people):
        notices.tell(session, user_id, "appointment_reminder", data)
    return len(people)
