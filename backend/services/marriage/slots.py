"""Half-day slots: generated from the calendar, resized by registrars, and the one
place where booking takes and gives back places.

A place is taken with a conditional UPDATE (`booked < capacity`) whose row count
says whether it worked; the database's CHECK (booked <= capacity) stands behind it.
Reading the count first and writing it later overbooks under concurrency, and
SELECT … FOR UPDATE does nothing on SQLite.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import RegistryOffice, User
from backend.models.marriage import Ballot, BallotStatus, Period, Service, Slot
from backend.services import audit
from backend.services.marriage import offices
from backend.services.marriage.errors import SlotFull
from backend.services.workdays import load_calendar

MAX_GENERATE_DAYS = 366
MAX_CAPACITY = 500


def generate(
    session: Session,
    office: RegistryOffice,
    start: date,
    end: date,
    am_capacity: int | None = None,
    pm_capacity: int | None = None,
) -> list[Slot]:
    """Create the missing am/pm slots of every open day in [start, end]; existing
    slots are left as they are, so generating twice adds nothing."""
    if end < start:
        raise ValidationFailed.field("to", "结束日期不能早于开始日期")
    if (end - start).days >= MAX_GENERATE_DAYS:
        raise ValidationFailed.field("to", f"一次最多生成{MAX_GENERATE_DAYS}天")
    capacities = {
        Period.AM: office.am_capacity if am_capacity is None else am_capacity,
        Period.PM: office.pm_capacity if pm_capacity is None else pm_capacity,
    }
    calendar = load_calendar(session)
    office_days = offices.exceptions(session, office.id, start, end)
    existing = {
        (day, period)
        for day, period in session.execute(
            select(Slot.day, Slot.period).where(
                Slot.office_id == office.id, Slot.day.between(start, end)
            )
        )
    }
    created = []
    day = start
    while day <= end:
        if offices.is_open(calendar, office_days, day):
            for period, capacity in capacities.items():
                if (day, period) not in existing and capacity > 0:
                    created.append(
                        Slot(office_id=office.id, day=day, period=period, capacity=capacity)
                    )
        day += timedelta(days=1)
    session.add_all(created)
    session.flush()
    return created


def listing(
    office_id: int, start: date | None, end: date | None, service: str | None = None
) -> Select:
    query = select(Slot).where(Slot.office_id == office_id)
    if service == Service.MARRIAGE:
        balloted = select(Ballot.day).where(
            Ballot.office_id == office_id, Ballot.status == BallotStatus.OPEN
        )
        query = query.where(Slot.day.not_in(balloted))
    if start is not None:
        query = query.where(Slot.day >= start)
    if end is not None:
        query = query.where(Slot.day <= end)
    return query


def get_managed_slot(session: Session, user: User, slot_id: int) -> Slot:
    """The slot if `user` runs its office; otherwise it does not exist for them."""
    slot = session.get(Slot, slot_id)
    if slot is None or not offices.manages(session, user, slot.office_id):
        raise NotFound("找不到该时段")
    return slot


def set_capacity(session: Session, slot: Slot, capacity: int, by: audit.Acting) -> Slot:
    """Resize a slot (a registrar falls ill, a counter opens); never below its bookings."""
    result = session.execute(
        update(Slot)
        .where(Slot.id == slot.id, Slot.booked <= capacity)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    session.refresh(slot)
    if result.rowcount != 1:
        raise Conflict(f"该时段已有 {slot.booked} 个预约,名额不能少于已约人数")
    audit.record_act(session, by, "marriage.slot_capacity", slot, note=str(capacity))
    return slot


def take_place(session: Session, slot: Slot) -> None:
    """Take one place of the slot, or raise SlotFull; safe under any concurrency.
    The count the database now holds comes back with the UPDATE, so the slot in
    memory is current without reading it again."""
    booked = session.scalar(
        update(Slot)
        .where(Slot.id == slot.id, Slot.booked < Slot.capacity)
        .values(booked=Slot.booked + 1)
        .returning(Slot.booked)
        .execution_options(synchronize_session=False)
    )
    if booked is None:
        raise SlotFull()
    set_committed_value(slot, "booked", booked)


def give_back_place(session: Session, slot_id: int) -> None:
    session.execute(
        update(Slot)
        .where(Slot.id == slot_id, Slot.booked > 0)
        .values(booked=Slot.booked - 1)
        .execution_options(synchronize_session=False)
    )
