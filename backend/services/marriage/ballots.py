"""摇号: on a peak date (5月20日, 七夕, 2月14日) the marriage places are not first come,
first served. Couples register interest until the entries close; a draw with a
recorded seed then orders the entries, the first ones get the places (booked
appointments) and the others a notice. Anyone holding the seed can re-run the draw.

Other services (divorce, reissue) book those dates as usual; the reservation
itself is checked by `rules.check_not_reserved`.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Conflict, NotFound, ValidationFailed
from backend.models import RegistryOffice, User
from backend.models.marriage import (
    ACTIVE_STATUSES,
    Appointment,
    Ballot,
    BallotEntry,
    BallotStatus,
    EntryStatus,
    Service,
    Slot,
)
from backend.services import audit, clock
from backend.services.marriage import appointments, notices, offices, parties, rules
from backend.services.marriage.errors import DuplicateBooking


def create(
    session: Session, office: RegistryOffice, day: date, entries_close_at: datetime, now: datetime
) -> Ballot:
    if entries_close_at <= now:
        raise ValidationFailed.field("entries_close_at", "报名截止时间应晚于现在")
    if clock.shanghai_date(entries_close_at) >= day:
        raise ValidationFailed.field("entries_close_at", "报名应在登记日之前截止")
    if session.scalar(select(Ballot.id).where(Ballot.office_id == office.id, Ballot.day == day)):
        raise Conflict(f"{day.isoformat()} 已设置摇号")
    if not session.scalar(select(Slot.id).where(Slot.office_id == office.id, Slot.day == day)):
        raise ValidationFailed.field("date", "该日期没有预约时段,请先生成时段")
    _check_no_place_taken_yet(session, office, day, now)
    ballot = Ballot(office_id=office.id, day=day, entries_close_at=entries_close_at)
    session.add(ballot)
    session.flush()
    return ballot


def _check_no_place_taken_yet(
    session: Session, office: RegistryOffice, day: date, now: datetime
) -> None:
    """A draw is fair only if nobody got a place first: not once booking has opened
    (scripts book at the release time), nor with marriage bookings already made."""
    opens_at = rules.booking_opens_at(office, day)
    if now >= opens_at:
        raise ActionNotAllowed(
            f"{day.isoformat()} 已于 {opens_at:%Y-%m-%d %H:%M} 开放预约,不能再改为摇号"
        )
    booked = session.scalar(
        select(func.count())
        .select_from(Appointment)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(
            Slot.office_id == office.id,
            Slot.day == day,
            Appointment.service == Service.MARRIAGE,
            Appointment.status.in_(ACTIVE_STATUSES),
        )
    )
    if booked:
        raise ActionNotAllowed(f"{day.isoformat()} 已有 {booked} 个结婚登记预约,不能再改为摇号")


def get_managed_ballot(session: Session, user: User, office_id: int, ballot_id: int) -> Ballot:
    offices.get_managed_office(session, user, office_id)
    return get_ballot(session, office_id, ballot_id)


def get_ballot(session: Session, office_id: int, ballot_id: int) -> Ballot:
    ballot = session.get(Ballot, ballot_id)
    if ballot is None or ballot.office_id != office_id:
        raise NotFound("找不到该摇号")
    return ballot


def enter(
    session: Session,
    booker: User,
    ballot: Ballot,
    *,
    party_a: Mapping[str, Any],
    party_b: Mapping[str, Any] | None,
    on_behalf: bool,
    now: datetime,
) -> BallotEntry:
    """Register a couple's interest; the same checks as booking, once per person."""
    if ballot.status != BallotStatus.OPEN or now >= ballot.entries_close_at:
        raise ActionNotAllowed("本次摇号报名已截止")
    today = clock.shanghai_date(now)
    people = parties.parse_couple(Service.MARRIAGE, party_a, party_b, ballot.day, today)
    rules.check_booker(session, booker, people[0], on_behalf)
    office = session.get(RegistryOffice, ballot.office_id)
    rules.check_none_blocked(session, booker, office, people, today)
    indexes = [person.index for person in people]
    already = session.scalar(
        select(BallotEntry.id).where(
            BallotEntry.ballot_id == ballot.id,
            or_(BallotEntry.party_a_index.in_(indexes), BallotEntry.party_b_index.in_(indexes)),
        )
    )
    if already is not None:
        raise DuplicateBooking("已报名本次摇号,请勿重复报名")
    entry = BallotEntry(
        ballot_id=ballot.id,
        booked_by_id=booker.id,
        on_behalf=on_behalf,
        created_at=now,
        **parties.requested_couple_fields(people),
    )
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:
        raise DuplicateBooking("已报名本次摇号,请勿重复报名") from None
    return entry


def draw_order(seed: str, entry_ids: Iterable[int]) -> list[int]:
    """The entries in drawn order: a pure function of the seed and the entries."""
    ordered = sorted(entry_ids)
    random.Random(seed).shuffle(ordered)
    return ordered


def draw(
    session: Session, ballot: Ballot, now: datetime, by: audit.Acting, seed: str | None = None
) -> Ballot:
    """Draw once: the first entries in drawn order get the places left that day; the
    draw and its seed are audited (anyone may replay the order from the seed)."""
    if now < ballot.entries_close_at:
        raise ActionNotAllowed("报名截止后才能摇号")
    seed = seed or secrets.token_hex(16)
    claimed = session.execute(
        update(Ballot)
        .where(Ballot.id == ballot.id, Ballot.status == BallotStatus.OPEN)
        .values(status=BallotStatus.DRAWN, seed=seed, drawn_at=now),
        execution_options={"synchronize_session": "evaluate"},
    )
    if claimed.rowcount != 1:
        session.refresh(ballot)
        raise ActionNotAllowed("本次摇号已开奖")
    entries = {
        entry.id: entry
        for entry in session.scalars(select(BallotEntry).where(BallotEntry.ballot_id == ballot.id))
    }
    day_slots = session.scalars(
        select(Slot)
        .where(Slot.office_id == ballot.office_id, Slot.day == ballot.day)
        .order_by(Slot.period)
    ).all()
    office = session.get(RegistryOffice, ballot.office_id)
    for entry_id in draw_order(seed, entries):
        entry = entries[entry_id]
        slot = next((s for s in day_slots if s.remaining > 0), None)
        appointment = None if slot is None else _book_winner(session, entry, slot, now)
        _settle(session, entry, office, ballot.day, appointment)
    audit.record_act(
        session, by, "marriage.ballot_draw", ballot, after=ballot.status, note=f"seed {seed}"
    )
    return ballot


def _book_winner(
    session: Session, entry: BallotEntry, slot: Slot, now: datetime
) -> Appointment | None:
    """The winner's appointment, or None when one of them booked another date meanwhile.

    A booking committed elsewhere between the check and the insert fails the flush on
    the unique index; the savepoint undoes only this winner's writes, so the draw goes
    on to the next entry instead of failing as a whole.
    """
    typed = parties.unseal(entry.parties_cipher)
    people = parties.parse_couple(
        Service.MARRIAGE, typed[0], typed[1], slot.day, clock.shanghai_date(now)
    )
    try:
        with session.begin_nested():
            return appointments.create(
                session,
                slot,
                Service.MARRIAGE,
                people,
                booked_by_id=entry.booked_by_id,
                on_behalf=entry.on_behalf,
                now=now,
            )
    except DuplicateBooking:
        return None


def _settle(session: Session, entry: BallotEntry, office: RegistryOffice, day: date, appointment):
    data = {"office_name": office.name, "date": day.isoformat(), "ballot_id": entry.ballot_id}
    if appointment is None:
        entry.status = EntryStatus.LOST
        notices.tell(session, entry.booked_by_id, "ballot_lost", data)
        return
    entry.status = EntryStatus.WON
    entry.appointment_id = appointment.id
    period_label = notices.PERIOD_LABEL[appointment.slot.period]
    notices.tell(
        session,
        entry.booked_by_id,
        "ballot_won",
        {**data, "period_label": period_label, "appointment_id": appointment.id},
    )


def entries(session: Session, user: User, ballot: Ballot) -> Select:
    """Everyone's entries for the office's staff; one's own for anyone else."""
    query = select(BallotEntry).where(BallotEntry.ballot_id == ballot.id)
    if offices.manages(session, user, ballot.office_id):
        return query
    return query.where(BallotEntry.booked_by_id == user.id)
