"""The day-before reminder: an RQ job scheduled when the appointment is booked and
removed when it is cancelled, both once the transaction commits (a rolled-back
booking schedules nothing). Redis is only the courier: `reminded_at` records the
sending, and a sweeper queues the reminders Redis lost, from 09:00 the day before
until the appointment day itself. Sending looks again, so a reminder that escaped
removal says nothing about an appointment no longer booked, and none goes out twice.

Who is told: the booker and each party with a verified account, in the inbox and
through the configured channels; a party with no account, by a text to the phone
typed at booking when the `sms` channel is configured.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from redis.exceptions import RedisError
from sqlalchemy import Row, and_, or_, select, update
from sqlalchemy.orm import Session

from backend.jobs.queue import cancel, enqueue
from backend.models import User
from backend.models.marriage import Appointment, AppointmentStatus, Slot
from backend.services import after_commit, clock, notifications
from backend.services.crypto import current_cipher
from backend.services.marriage import notices
from backend.services.marriage.documents import SERVICE_TITLE

log = logging.getLogger(__name__)

JOB = "marriage.remind"
EVENT = "appointment_reminder"
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
    after_commit.call(session, request_reminder, appointment.id, max(remind_at(appointment), now))


def unschedule(session: Session, appointment_id: int) -> None:
    """After commit, remove the appointment's reminder."""
    after_commit.call(session, _remove, appointment_id)


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
    """Tell the booker and every party, once, while the appointment is still to come;
    return how many were told (accounts and texted phones)."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.slot.day < clock.shanghai_date(now):
        return 0
    if not _claim(session, appointment_id, now):
        return 0
    data = _reminder_data(appointment)
    accounts = _accounts(session, appointment)
    for user_id in sorted({account.id for account in accounts}):
        notices.tell(session, user_id, EVENT, data)
    texted = [
        phone
        for phone in _phones_without_account(appointment, accounts)
        if notifications.text_to_phone(session, phone, EVENT, data)
    ]
    return len(accounts) + len(texted)


def _reminder_data(appointment: Appointment) -> dict[str, object]:
    slot = appointment.slot
    return {
        "date": slot.day.isoformat(),
        "period_label": notices.PERIOD_LABEL[slot.period],
        "office_name": slot.office.name,
        "service_label": SERVICE_TITLE[appointment.service],
        "appointment_id": appointment.id,
    }


def _accounts(session: Session, appointment: Appointment) -> list[Row]:
    """The accounts to tell, the booker's and each party's verified one: (id, identity
    number index, phone index)."""
    indexes = [party.id_number_index for party in appointment.parties]
    whose = and_(User.id_number_index.in_(indexes), User.real_name_verified.is_(True))
    if appointment.booked_by_id:
        whose = or_(whose, User.id == appointment.booked_by_id)
    return list(
        session.execute(select(User.id, User.id_number_index, User.phone_index).where(whose))
    )


def _phones_without_account(appointment: Appointment, accounts: list[Row]) -> list[str]:
    """The phones typed for the parties no told account stands for, each once; a phone
    that is a told account's own (an agent typing theirs) gets that account's text."""
    cipher = current_cipher()
    identities = {account.id_number_index for account in accounts}
    account_phones = {account.phone_index for account in accounts}
    phones = {
        cipher.decrypt(party.phone_cipher)
        for party in appointment.parties
        if party.id_number_index not in identities and party.phone_cipher is not None
    }
    return sorted(phone for phone in phones if cipher.blind_index(phone) not in account_phones)


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
