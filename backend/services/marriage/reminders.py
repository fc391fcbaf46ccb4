"""The day-before reminder: an RQ job scheduled when the appointment is booked and
removed when it is cancelled, both once the transaction commits (a rolled-back
booking schedules nothing). Redis is only the courier: `reminded_at` records the
sending, and a sweeper queues the reminders Redis lost, from 09:00 the day before
until the appointment day itself. Sending looks again, so a reminder that escaped
removal says nothing about an appointment no longer booked, and none goes out twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from redis.exceptions import RedisError
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from backend.jobs.queue import cancel, enqueue
from backend.models import User
from backend.models.marriage import Appointment, AppointmentStatus, Slot
from backend.services import clock
from backend.services.marriage import notices
from backend.services.marriage.documents import SERVICE_TITLE

log = logging.getLogger(__name__)

JOB = "marriage.remind"
PENDING = "marriage_reminders"
REMIND_AT = time(9, 0)  # Shanghai, the day before


def remind_at(appointment: Appointment) -> datetime:
    return datetime.combine(appointment.slot.day - timedelta(days=1), REMIND_AT, clock.SHANGHAI)


def last_day_due(now: datetime) -> date:
    """The latest appointment day whose reminder time has come by `now`."""
    local = now.astimezone(clock.SHANGHAI)
    return local.date() + timedelta(days=1) if local.time() >= REMIND_AT else local.date()


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
            request_reminder(appointment_id, at)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING, None)


def request_reminder(appointment_id: int, at: datetime | None = None) -> bool:
    """Queue the reminder, now or `at`; with Redis down the booking still stands and
    the sweeper queues the reminder once it is due."""
    try:
        enqueue(JOB, appointment_id, at=at)
    except RedisError:
        log.warning(
            "reminder for appointment %s not queued (Redis unavailable); the sweeper will",
            appointment_id,
        )
        return False
    return True


def sweep(session: Session, now: datetime) -> list[int]:
    """Queue the due reminders not sent yet; return the appointments queued.

    Safe to run often: a reminder still queued or scheduled under its id is left be,
    and one already sent is not picked again.
    """
    due = session.scalars(
        select(Appointment.id)
        .join(Slot)
        .where(
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.reminded_at.is_(None),
            Slot.day.between(clock.shanghai_date(now), last_day_due(now)),
        )
        .order_by(Appointment.id)
        .limit(1000)
    )
    return [appointment_id for appointment_id in list(due) if request_reminder(appointment_id)]


def _remove(appointment_id: int) -> None:
    try:
        cancel(JOB, appointment_id)
    except RedisError:
        log.warning("reminder for appointment %s not removed: Redis unavailable", appointment_id)


def send(session: Session, appointment_id: int, now: datetime) -> int:
    """Tell the booker and every party with an account, once, while the appointment
    is still to come; return how many were told."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.slot.day < clock.shanghai_date(now):
        return 0
    if not _claim(session, appointment_id, now):
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


def _claim(session: Session, appointment_id: int, now: datetime) -> bool:
    """Record the reminder as sent, unless it was (or the appointment is no longer
    booked). Decided by the database, not by the row loaded earlier: the scheduled job,
    the sweeper's and a second worker may all be sending at once."""
    result = session.execute(
        update(Appointment)
        .where(
            Appointment.id == appointment_id,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.reminded_at.is_(None),
        )
        # A reminder is no change to the appointment: `updated_at` stays.
        .values(reminded_at=now, updated_at=Appointment.updated_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
