"""Booking a slot and the life of an appointment: cancel, reschedule, check in,
complete, no-show.

Who may book: a citizen for themself (as party A); a village agent on behalf of
residents; a registrar taking a booking by phone. One live booking per person and
service, enforced by a partial unique index; no slot beyond its capacity, enforced
by `slots.take_place`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Forbidden, NotFound, ValidationFailed
from backend.models import RegistryOffice, User
from backend.models.marriage import (
    Appointment,
    AppointmentParty,
    AppointmentStatus,
    Service,
    Slot,
)
from backend.services import audit, clock, roles
from backend.services.marriage import (
    appointments,
    cooling_off,
    offices,
    parties,
    rules,
    slots,
    waitlist,
)
from backend.services.marriage.errors import SlotFull


def book(
    session: Session,
    booker: User,
    *,
    slot_id: int,
    service: Service,
    party_a: Mapping[str, Any],
    party_b: Mapping[str, Any] | None,
    on_behalf: bool,
    now: datetime,
) -> Appointment:
    slot = rules.slot_for_booking(session, booker, slot_id)
    if slot.remaining <= 0:
        # Early, and only a courtesy: in a rush most attempts end here, before any
        # other work. The place itself is taken by `slots.take_place` alone.
        raise SlotFull()
    people = parties.parse_couple(service, party_a, party_b, slot.day, clock.shanghai_date(now))
    rules.check_booker(session, booker, people[0], on_behalf)
    rules.check_window(slot.office, slot.day, now)
    rules.check_not_reserved(session, slot, service)
    rules.check_none_blocked(session, booker, slot.office, people, clock.shanghai_date(now))
    return appointments.create(
        session, slot, service, people, booked_by_id=booker.id, on_behalf=on_behalf, now=now
    )


# --- who sees what -----------------------------------------------------------------


def visible_condition(user: User) -> ColumnElement[bool]:
    """Residents and agents see what they booked and what they are a party to;
    staff who run offices see their offices' appointments."""
    if user.role in roles.REGISTRY_MANAGERS:
        office_ids = select(RegistryOffice.id).where(offices.managed_condition(user))
        slot_ids = select(Slot.id).where(Slot.office_id.in_(office_ids))
        return Appointment.slot_id.in_(slot_ids)
    mine = [Appointment.booked_by_id == user.id]
    if user.real_name_verified and user.id_number_index:
        mine.append(
            exists().where(
                AppointmentParty.appointment_id == Appointment.id,
                AppointmentParty.id_number_index == user.id_number_index,
            )
        )
    return or_(*mine)


def listing(user: User, filters: Mapping[str, Any]) -> Select:
    query = select(Appointment).where(visible_condition(user))
    if filters.get("status"):
        query = query.where(Appointment.status == filters["status"])
    if filters.get("service"):
        query = query.where(Appointment.service == filters["service"])
    slot_filters = []
    if filters.get("office_id"):
        slot_filters.append(Slot.office_id == filters["office_id"])
    if filters.get("date"):
        slot_filters.append(Slot.day == filters["date"])
    if filters.get("period"):
        slot_filters.append(Slot.period == filters["period"])
    if slot_filters:
        query = query.where(Appointment.slot_id.in_(select(Slot.id).where(*slot_filters)))
    return query


def get_visible(session: Session, user: User, appointment_id: int) -> Appointment:
    appointment = session.scalar(
        select(Appointment).where(Appointment.id == appointment_id, visible_condition(user))
    )
    if appointment is None:
        raise NotFound("找不到该预约")
    return appointment


def get_own(session: Session, user: User, appointment_id: int) -> Appointment:
    """For what carries the check-in code: the booker and the parties, not the counter."""
    if user.role in roles.REGISTRY_MANAGERS:
        raise NotFound("找不到该预约")
    return get_visible(session, user, appointment_id)


def get_managed(session: Session, user: User, appointment_id: int) -> Appointment:
    """For counter actions: only staff running the appointment's office."""
    appointment = get_visible(session, user, appointment_id)
    if user.role not in roles.REGISTRY_MANAGERS:
        raise Forbidden("只有婚姻登记员可以办理")
    return appointment


# --- the lifecycle -----------------------------------------------------------------


def cancel(session: Session, user: User, appointment: Appointment, now: datetime) -> Appointment:
    _check_may_cancel(user, appointment, now)
    appointments.transition(session, appointment, "cancel", now)
    free_place(session, appointment.slot, now)
    return appointment


def _check_may_cancel(user: User, appointment: Appointment, now: datetime) -> None:
    """The booker (or the office) cancels, until the office's cut-off before the day."""
    if appointment.booked_by_id != user.id and user.role not in roles.REGISTRY_MANAGERS:
        raise Forbidden("只有预约人或登记处可以取消或改期")
    office = appointment.slot.office
    last_day = appointment.slot.day - timedelta(days=office.cancel_days_before)
    if clock.shanghai_date(now) > last_day:
        raise ActionNotAllowed(
            f"最晚须在预约日前{office.cancel_days_before}天取消,现已不能在线取消,请致电登记处"
        )


def resize(session: Session, slot: Slot, capacity: int, now: datetime, by: audit.Acting) -> Slot:
    """Set the slot's capacity; places it gains go to the couples waiting first, each
    held by `slots.take_place` before it is offered, so no booking can take it
    between the resize and the offer."""
    added = capacity - slot.capacity
    slots.set_capacity(session, slot, capacity, by)
    for _ in range(max(added, 0)):
        slots.take_place(session, slot)
        if not waitlist.offer_next(session, slot, now):
            slots.give_back_place(session, slot.id)
            break
    session.refresh(slot)
    return slot


def free_place(session: Session, slot: Slot, now: datetime) -> None:
    """A freed place goes to the first couple waiting for it, else back to everyone."""
    if not waitlist.offer_next(session, slot, now):
        slots.give_back_place(session, slot.id)
    session.refresh(slot)


def reschedule(
    session: Session, user: User, appointment: Appointment, slot_id: int, now: datetime
) -> Appointment:
    """Cancel and book the same people again, in one transaction: when the new slot
    cannot be had, the old appointment stands. The booker stays the booker."""
    new_slot = session.get(Slot, slot_id)
    if new_slot is None or new_slot.office_id != appointment.slot.office_id:
        raise ValidationFailed.field("slot_id", "请选择本登记处的其他时段")
    if new_slot.id == appointment.slot_id:
        raise ValidationFailed.field("slot_id", "新时段与原预约相同")
    _check_may_cancel(user, appointment, now)
    service = Service(appointment.service)
    typed = [parties.raw_of(p) for p in appointment.parties]
    people = parties.parse_couple(
        service,
        typed[0],
        typed[1] if len(typed) > 1 else None,
        new_slot.day,
        clock.shanghai_date(now),
    )
    rules.check_window(new_slot.office, new_slot.day, now)
    rules.check_not_reserved(session, new_slot, service)
    rules.check_none_blocked(session, user, new_slot.office, people, clock.shanghai_date(now))
    slots.take_place(session, new_slot)  # the first write: a full slot changes nothing
    cancel(session, user, appointment, now)
    return appointments.create(
        session,
        new_slot,
        service,
        people,
        booked_by_id=appointment.booked_by_id,
        on_behalf=appointment.on_behalf,
        now=now,
        place_held=True,
    )


def check_in(session: Session, appointment: Appointment, code: str, now: datetime) -> Appointment:
    typed = code.strip().upper().encode()  # bytes: compare_digest refuses non-ASCII text
    if not secrets.compare_digest(typed, appointment.checkin_code.encode()):
        raise ValidationFailed.field("checkin_code", "签到码不正确")
    if appointment.slot.day != clock.shanghai_date(now):
        raise ActionNotAllowed(f"只能在预约当天({appointment.slot.day.isoformat()})签到")
    appointments.transition(session, appointment, "check_in", now)
    return appointment


def complete(
    session: Session, appointment: Appointment, now: datetime, by: audit.Acting
) -> Appointment:
    """登记办结: a change of the parties' legal state, so it is audited."""
    before = appointment.status
    appointments.transition(session, appointment, "complete", now)
    if appointment.service == Service.DIVORCE:
        application = cooling_off.register(session, appointment, clock.shanghai_date(now))
        appointment.divorce_application_id = application.id
    elif appointment.service == Service.DIVORCE_CERTIFICATE:
        cooling_off.certify(session, appointment.divorce_application_id)
    session.flush()
    audit.record_act(
        session,
        by,
        "marriage.complete",
        appointment,
        before=before,
        after=appointment.status,
        note=appointment.service,
    )
    return appointment


def withdraw_divorce(
    session: Session, user: User, appointment: Appointment, now: datetime
) -> Appointment:
    """A party withdraws the divorce application this appointment registered. No
    certificate appointment can exist yet: those open only after the cooling-off."""
    if appointment.service != Service.DIVORCE:
        raise ActionNotAllowed("只有离婚登记预约可以撤回离婚申请")
    application = cooling_off.get_for(session, user, appointment.divorce_application_id)
    cooling_off.withdraw(application, clock.shanghai_date(now))
    session.flush()
    return appointment


def mark_no_show(session: Session, appointment: Appointment, now: datetime) -> Appointment:
    if appointment.slot.day > clock.shanghai_date(now):
        raise ActionNotAllowed("预约日尚未到,不能登记爽约")
    appointments.transition(session, appointment, "no_show", now)
    return appointment


def mark_past_no_shows(session: Session, day: date) -> dict[str, int]:
    """Daily rule: appointments of earlier days still only booked were missed."""
    missed = session.scalars(
        select(Appointment)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(Appointment.status == AppointmentStatus.BOOKED, Slot.day < day)
        .order_by(Appointment.id)
    ).all()
    now = clock.now()
    for appointment in missed:
        appointments.transition(session, appointment, "no_show", now)
    return {"no_shows": len(missed)}
