"""Who may book which slot, and when: the checks every way of getting a place shares
(booking, ballot entries, the waitlist). They read; they never write."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Forbidden, ValidationFailed
from backend.models import RegistryOffice, Role, User
from backend.models.marriage import (
    Appointment,
    AppointmentParty,
    AppointmentStatus,
    Ballot,
    BallotStatus,
    Service,
    Slot,
)
from backend.services import agent_mandate, clock, roles
from backend.services.marriage import offices
from backend.services.marriage.parties import Person


def slot_for_booking(session: Session, booker: User, slot_id: int) -> Slot:
    slot = session.get(Slot, slot_id)
    if slot is None:
        raise ValidationFailed.field("slot_id", "该时段不存在")
    if booker.role == Role.REGISTRAR and not offices.manages(session, booker, slot.office_id):
        raise ValidationFailed.field("slot_id", "只能为本登记处的时段受理电话预约")
    return slot


def check_booker(session: Session, booker: User, party_a: Person, on_behalf: bool) -> None:
    if booker.role not in roles.BOOKERS:
        raise Forbidden("您的账号不能预约婚姻登记")
    if booker.role == Role.CITIZEN:
        if on_behalf:
            raise ValidationFailed.field("on_behalf", "居民只能为本人预约")
        if not booker.real_name_verified:
            raise ValidationFailed.field("party_a.id_number", "请先完成实名认证再预约")
        if party_a.index != booker.id_number_index:
            raise ValidationFailed.field("party_a.id_number", "本人预约时,甲方应为本人")
    if booker.role == Role.AGENT and not on_behalf:
        raise ValidationFailed.field("on_behalf", "代办员代为预约时应选择代办(on_behalf)")
    agent_mandate.check_booking(session, booker, party_a.index, "party_a.id_number")


def check_not_reserved(session: Session, slot: Slot, service: Service) -> None:
    """Until its draw, a ballot date's marriage places go only through the ballot
    (`ballots`); other services book peak dates as usual."""
    if service != Service.MARRIAGE:
        return
    ballot = session.scalar(
        select(Ballot).where(
            Ballot.office_id == slot.office_id,
            Ballot.day == slot.day,
            Ballot.status == BallotStatus.OPEN,
        )
    )
    if ballot is not None:
        closes = ballot.entries_close_at.astimezone(clock.SHANGHAI)
        raise ActionNotAllowed(
            f"{slot.day.isoformat()} 的结婚登记名额通过摇号分配,"
            f"请在 {closes:%Y-%m-%d %H:%M} 前报名参加摇号"
        )


def booking_opens_at(office: RegistryOffice, day: date) -> datetime:
    """Booking opens `max_days_ahead` days before the slot date, at the release time."""
    return datetime.combine(
        day - timedelta(days=office.max_days_ahead), office.release_time, clock.SHANGHAI
    )


def booking_closed(office: RegistryOffice, day: date, now: datetime) -> bool:
    """Booking closes `min_days_ahead` days before the slot date."""
    return clock.shanghai_date(now) > day - timedelta(days=office.min_days_ahead)


def check_window(office: RegistryOffice, day: date, now: datetime) -> None:
    opens_at = booking_opens_at(office, day)
    if now < opens_at:
        raise ValidationFailed.field("slot_id", f"该日期将于 {opens_at:%Y-%m-%d %H:%M} 开放预约")
    if booking_closed(office, day, now):
        raise ValidationFailed.field(
            "slot_id", f"须至少提前{office.min_days_ahead}天预约,该日期已停止预约"
        )


def check_none_blocked(
    session: Session, user: User, office: RegistryOffice, people: list[Person], today: date
) -> None:
    """The no-show block is on online booking: office staff at the counter (a
    registrar taking a call) still book, reschedule and enter for the couple."""
    if user.role in roles.REGISTRY_MANAGERS:
        return
    for person in people:
        _check_not_blocked(session, office, person, today)


def _check_not_blocked(
    session: Session, office: RegistryOffice, person: Person, today: date
) -> None:
    """Repeated no-shows, or repeated cancellations (a reschedule is one too), take
    away online booking for a while (office settings)."""
    since = today - timedelta(days=office.no_show_lookback_days)
    count, last = session.execute(
        _person_appointments(person, AppointmentStatus.NO_SHOW, func.max(Slot.day)).where(
            Slot.day >= since
        )
    ).one()
    if count >= office.no_show_limit:
        until = last + timedelta(days=office.no_show_block_days)
        if today <= until:
            raise ActionNotAllowed(
                f"{person.name}近{office.no_show_lookback_days}天内{count}次预约未到,"
                f"{until.isoformat()} 前不能在线预约,请致电登记处",
                {f"{person.field}.id_number": ["多次预约未到,暂停在线预约"]},
            )
    # A cancelled appointment is never changed again: its last update is the cancellation.
    start = today - timedelta(days=office.cancel_lookback_days)
    since_moment = datetime.combine(start, time(0), clock.SHANGHAI)
    count, last = session.execute(
        _person_appointments(
            person, AppointmentStatus.CANCELLED, func.max(Appointment.updated_at)
        ).where(Appointment.updated_at >= since_moment)
    ).one()
    if count >= office.cancel_limit:
        until = clock.shanghai_date(last) + timedelta(days=office.cancel_block_days)
        if today <= until:
            raise ActionNotAllowed(
                f"{person.name}近{office.cancel_lookback_days}天内{count}次取消预约,"
                f"{until.isoformat()} 前不能在线预约,请致电登记处",
                {f"{person.field}.id_number": ["多次取消预约,暂停在线预约"]},
            )


def _person_appointments(person: Person, status: AppointmentStatus, latest) -> Select:
    """(how many, the latest `latest`) of the person's appointments in `status`."""
    return (
        select(func.count(), latest)
        .select_from(AppointmentParty)
        .join(Appointment, Appointment.id == AppointmentParty.appointment_id)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(AppointmentParty.id_number_index == person.index, Appointment.status == status)
    )
