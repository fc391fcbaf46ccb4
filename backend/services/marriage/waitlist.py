"""候补: couples in line for a full slot.

A place freed by a cancellation is not given back to everyone: it stays counted in
the slot's `booked` and is offered to the first couple waiting, held for the
office's `waitlist_hold_minutes`. Accepted, it becomes their appointment; declined
or run out (`expire_offers`, every few minutes), it goes to the next couple, and
when nobody is left, back to everyone. Each offer claims its entry with a
conditional UPDATE, so one freed place is never offered to two couples.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, NotFound
from backend.models import User
from backend.models.marriage import (
    Appointment,
    Service,
    Slot,
    WaitlistEntry,
    WaitStatus,
)
from backend.services import clock
from backend.services.marriage import appointments, notices, offices, parties, rules, slots
from backend.services.marriage.errors import DuplicateBooking

IN_LINE = (WaitStatus.WAITING, WaitStatus.OFFERED)


def join(
    session: Session,
    booker: User,
    *,
    slot_id: int,
    service: Service,
    party_a: Mapping[str, Any],
    party_b: Mapping[str, Any] | None,
    on_behalf: bool,
    now: datetime,
) -> WaitlistEntry:
    """Get in line for a full slot; the same checks as booking it."""
    slot = rules.slot_for_booking(session, booker, slot_id)
    today = clock.shanghai_date(now)
    people = parties.parse_couple(service, party_a, party_b, slot.day, today)
    rules.check_booker(session, booker, people[0], on_behalf)
    rules.check_window(slot.office, slot.day, now)
    rules.check_not_reserved(session, slot, service)
    rules.check_none_blocked(session, booker, slot.office, people, today)
    if slot.remaining > 0:
        raise ActionNotAllowed("该时段仍有名额,请直接预约")
    indexes = [person.index for person in people]
    appointments.check_no_duplicate(session, people, service)
    in_line = session.scalar(
        select(WaitlistEntry.id).where(
            WaitlistEntry.slot_id == slot.id,
            WaitlistEntry.status.in_(IN_LINE),
            or_(
                WaitlistEntry.party_a_index.in_(indexes),
                WaitlistEntry.party_b_index.in_(indexes),
            ),
        )
    )
    if in_line is not None:
        raise DuplicateBooking("已在该时段的候补队列中")
    entry = WaitlistEntry(
        slot_id=slot.id,
        service=service,
        status=WaitStatus.WAITING,
        booked_by_id=booker.id,
        on_behalf=on_behalf,
        created_at=now,
        **parties.requested_couple_fields(people),
    )
    session.add(entry)
    session.flush()
    return entry


def offer_next(session: Session, slot: Slot, now: datetime) -> bool:
    """Offer one held place of `slot` to the first couple waiting; False when none is,
    or when booking has closed (nobody could take it: it goes back to the counter)."""
    if rules.booking_closed(slot.office, slot.day, now):
        return False
    until = now + timedelta(minutes=slot.office.waitlist_hold_minutes)
    while True:
        candidate = session.scalar(
            select(WaitlistEntry.id)
            .where(WaitlistEntry.slot_id == slot.id, WaitlistEntry.status == WaitStatus.WAITING)
            .order_by(WaitlistEntry.id)
            .limit(1)
        )
        if candidate is None:
            return False
        claimed = session.execute(
            update(WaitlistEntry)
            .where(WaitlistEntry.id == candidate, WaitlistEntry.status == WaitStatus.WAITING)
            .values(status=WaitStatus.OFFERED, offered_until=until),
            execution_options={"synchronize_session": "evaluate"},
        )
        if claimed.rowcount == 1:
            entry = session.get(WaitlistEntry, candidate)
            notices.tell(
                session,
                entry.booked_by_id,
                "waitlist_offer",
                {
                    "office_name": slot.office.name,
                    "date": slot.day.isoformat(),
                    "period_label": notices.PERIOD_LABEL[slot.period],
                    "until": f"{until.astimezone(clock.SHANGHAI):%m-%d %H:%M}",
                    "waitlist_entry_id": entry.id,
                },
            )
            return True
        # Another freed place was offered to that couple first: try the next one.


def pass_on(session: Session, slot: Slot, now: datetime) -> None:
    """A held place nobody took: to the next couple, or back to everyone."""
    if not offer_next(session, slot, now):
        slots.give_back_place(session, slot.id)


def get_own(session: Session, user: User, slot_id: int, entry_id: int) -> WaitlistEntry:
    entry = session.get(WaitlistEntry, entry_id)
    if entry is None or entry.slot_id != slot_id or entry.booked_by_id != user.id:
        raise NotFound("找不到该候补")
    return entry


def accept(session: Session, entry: WaitlistEntry, now: datetime) -> Appointment:
    """Take the offered place: the held place becomes the couple's appointment.

    Booking's closing holds here too: an offer made late on the last booking day
    would otherwise be taken on the appointment day itself."""
    slot = entry.slot
    if rules.booking_closed(slot.office, slot.day, now):
        raise ActionNotAllowed(
            f"须至少提前{slot.office.min_days_ahead}天预约,该时段已停止预约,候补名额已失效"
        )
    claimed = session.execute(
        update(WaitlistEntry)
        .where(
            WaitlistEntry.id == entry.id,
            WaitlistEntry.status == WaitStatus.OFFERED,
            WaitlistEntry.offered_until >= now,
        )
        .values(status=WaitStatus.BOOKED),
        execution_options={"synchronize_session": "evaluate"},
    )
    if claimed.rowcount != 1:
        session.refresh(entry)
        raise ActionNotAllowed("该候补名额已失效")
    typed = parties.unseal(entry.parties_cipher)
    people = parties.parse_couple(
        Service(entry.service),
        typed[0],
        typed[1] if len(typed) > 1 else None,
        slot.day,
        clock.shanghai_date(now),
    )
    appointment = appointments.create(
        session,
        slot,
        Service(entry.service),
        people,
        booked_by_id=entry.booked_by_id,
        on_behalf=entry.on_behalf,
        now=now,
        place_held=True,
    )
    entry.appointment_id = appointment.id
    return appointment


def leave(session: Session, entry: WaitlistEntry, now: datetime) -> WaitlistEntry:
    """Step out of line; a place held for this couple goes on to the next."""
    was_offered = entry.status == WaitStatus.OFFERED
    left = session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.id == entry.id, WaitlistEntry.status.in_(IN_LINE))
        .values(status=WaitStatus.LEFT),
        execution_options={"synchronize_session": "evaluate"},
    )
    if left.rowcount != 1:
        session.refresh(entry)
        raise ActionNotAllowed("已不在候补队列中")
    if was_offered:
        pass_on(session, entry.slot, now)
    return entry


def expire_offers(session: Session, now: datetime) -> list[int]:
    """Offers past their time go to the next couple (run every few minutes)."""
    overdue = session.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.status == WaitStatus.OFFERED, WaitlistEntry.offered_until < now
        )
    ).all()
    expired = []
    for entry in overdue:
        result = session.execute(
            update(WaitlistEntry)
            .where(WaitlistEntry.id == entry.id, WaitlistEntry.status == WaitStatus.OFFERED)
            .values(status=WaitStatus.EXPIRED),
            execution_options={"synchronize_session": "evaluate"},
        )
        if result.rowcount == 1:
            pass_on(session, entry.slot, now)
            expired.append(entry.id)
    return expired


def entries(session: Session, user: User, slot_id: int) -> Select:
    """The line for the office's staff; one's own entries for anyone else."""
    slot = session.get(Slot, slot_id)
    if slot is None:
        raise NotFound("找不到该时段")
    query = select(WaitlistEntry).where(WaitlistEntry.slot_id == slot.id)
    if offices.manages(session, user, slot.office_id):
        return query
    return query.where(WaitlistEntry.booked_by_id == user.id)
