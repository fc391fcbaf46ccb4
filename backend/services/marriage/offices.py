"""Registry offices: who manages which, their settings and their calendar exceptions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, true
from sqlalchemy.orm import Session

from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import Region, RegistryOffice, Role, User
from backend.models.marriage import Slot
from backend.models.registry import OfficeDay, OfficeDayKind
from backend.services import audit, roles
from backend.services.workdays import WorkCalendar

# Staff who run offices: registrars at the counter, county staff above them.

SETTINGS = (
    "am_capacity",
    "pm_capacity",
    "am_start",
    "am_end",
    "pm_start",
    "pm_end",
    "min_days_ahead",
    "max_days_ahead",
    "release_time",
    "cancel_days_before",
    "no_show_limit",
    "no_show_lookback_days",
    "no_show_block_days",
    "cancel_limit",
    "cancel_lookback_days",
    "cancel_block_days",
    "waitlist_hold_minutes",
)


def get_office(session: Session, office_id: int) -> RegistryOffice:
    office = session.get(RegistryOffice, office_id)
    if office is None:
        raise NotFound("找不到该婚姻登记处")
    return office


def managed_condition(user: User) -> ColumnElement[bool]:
    """Offices `user` runs: those in the user's region subtree."""
    if user.role == Role.ADMIN:
        return true()
    if user.role not in roles.REGISTRY_MANAGERS or user.region is None:
        return RegistryOffice.id.is_(None)
    subtree = select(Region.id).where(Region.path.startswith(user.region.path, autoescape=True))
    return RegistryOffice.region_id.in_(subtree)


def manages(session: Session, user: User, office_id: int) -> bool:
    query = select(RegistryOffice.id).where(RegistryOffice.id == office_id, managed_condition(user))
    return session.scalar(query) is not None


def get_managed_office(session: Session, user: User, office_id: int) -> RegistryOffice:
    """The office if `user` runs it; otherwise it does not exist for them (404)."""
    if not manages(session, user, office_id):
        raise NotFound("找不到该婚姻登记处")
    return get_office(session, office_id)


def update_settings(
    session: Session, office: RegistryOffice, changes: Mapping[str, Any], by: audit.Acting
) -> RegistryOffice:
    for name, value in changes.items():
        if name not in SETTINGS:
            raise ValidationFailed.field(name, "不允许修改该字段")
        setattr(office, name, value)
    _check_settings(office)
    session.flush()
    audit.record_act(
        session, by, "marriage.office_settings", office, note=",".join(sorted(changes))
    )
    return office


def _check_settings(office: RegistryOffice) -> None:
    if office.max_days_ahead < office.min_days_ahead:
        raise ValidationFailed.field("max_days_ahead", "最远可约天数不能小于最近可约天数")
    if office.am_start >= office.am_end:
        raise ValidationFailed.field("am_end", "上午结束时间应晚于开始时间")
    if office.pm_start >= office.pm_end:
        raise ValidationFailed.field("pm_end", "下午结束时间应晚于开始时间")
    if office.am_end > office.pm_start:
        raise ValidationFailed.field("pm_start", "下午应在上午结束之后开始")


def exceptions(session: Session, office_id: int, start: date, end: date) -> dict[date, str]:
    rows = session.execute(
        select(OfficeDay.day, OfficeDay.kind).where(
            OfficeDay.office_id == office_id, OfficeDay.day.between(start, end)
        )
    )
    return {day: kind for day, kind in rows}


def is_open(calendar: WorkCalendar, office_days: Mapping[date, str], day: date) -> bool:
    """Working days of the official calendar, plus the office's open days, minus closures."""
    kind = office_days.get(day)
    if kind is not None:
        return kind == OfficeDayKind.OPEN
    return calendar.is_working_day(day)


def set_day(
    session: Session,
    office: RegistryOffice,
    day: date,
    kind: OfficeDayKind,
    by: audit.Acting,
    note: str = "",
) -> OfficeDay:
    """Open the office on a day off, or close it on a working day.

    Closing removes the day's empty slots; a day with bookings cannot be closed
    until those people have been moved, so nobody arrives at a shut door.
    """
    if kind == OfficeDayKind.CLOSED:
        booked = session.scalar(
            select(func.coalesce(func.sum(Slot.booked), 0)).where(
                Slot.office_id == office.id, Slot.day == day
            )
        )
        if booked:
            raise Conflict(f"{day.isoformat()} 已有 {booked} 个预约,请先为预约人改期再闭馆")
        session.execute(delete(Slot).where(Slot.office_id == office.id, Slot.day == day))
    row = session.scalar(
        select(OfficeDay).where(OfficeDay.office_id == office.id, OfficeDay.day == day)
    )
    if row is None:
        row = OfficeDay(office_id=office.id, day=day)
        session.add(row)
    row.kind, row.note = kind, note
    session.flush()
    audit.record_act(session, by, "marriage.office_day", office, note=f"{day.isoformat()} {kind}")
    return row


def clear_day(session: Session, office: RegistryOffice, day: date, by: audit.Acting) -> None:
    """Back to the official calendar for `day`."""
    session.execute(delete(OfficeDay).where(OfficeDay.office_id == office.id, OfficeDay.day == day))
    audit.record_act(session, by, "marriage.office_day", office, note=f"{day.isoformat()} 恢复")
