"""Working days on the Chinese official calendar (holidays and 调休 included).

The `holidays` package knows the published schedules; staff overrides (loaded when
the State Council publishes a year before any package has it) win over it.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache

import holidays
from holidays.countries.china import ChinaStaticHolidays
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from backend.models import CalendarOverride
from backend.services import after_commit

log = logging.getLogger(__name__)


ONE_DAY = timedelta(days=1)


@cache
def _official() -> holidays.HolidayBase:
    """The package's calendar, one per process: building a year of it takes milliseconds,
    and the published schedules do not change while the process runs."""
    return holidays.China()


@cache
def _official_running_counts(year: int) -> tuple[int, ...]:
    """Official working days of `year` from 1 January up to each day, that day included."""
    counts, total, day = [], 0, date(year, 1, 1)
    while day.year == year:
        total += _official().is_working_day(day)
        counts.append(total)
        day += ONE_DAY
    return tuple(counts)


def _official_count_until(day: date) -> int:
    return _official_running_counts(day.year)[day.timetuple().tm_yday - 1]


class WorkCalendar:
    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self._overrides = dict(overrides or {})

    def is_working_day(self, day: date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        return _official().is_working_day(day)

    def add_working_days(self, start: date, count: int) -> date:
        """The date `count` working days after `start` (start itself not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        while count:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative when end < start.

        Asked for every row of a queue, with cases months overdue among them: counted from
        the official calendar's running totals, then corrected day by day for overrides.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = sum(_official_running_counts(year)[-1] for year in range(start.year, end.year))
        count += _official_count_until(end) - _official_count_until(start)
        for day, working in self._overrides.items():
            if start < day <= end and working != _official().is_working_day(day):
                count += 1 if working else -1
        return count

    def knows_year(self, year: int) -> bool:
        """Whether the State Council's schedule of `year` (its 调休 days) is loaded.

        The package computes every year's festivals by rule, but knows the swapped
        days only for years whose notice it has carried.
        """
        published = year in ChinaStaticHolidays.special_public_holidays
        return published or any(day.year == year for day in self._overrides)


# The calendar with its overrides, per process and database, for this many seconds:
# a page of deadlines need not read the overrides again, and an override loaded by
# another process (a few a year) is seen within the minute.
CALENDAR_TTL_SECONDS = 60
_loaded: weakref.WeakKeyDictionary[Engine, tuple[float, WorkCalendar]] = weakref.WeakKeyDictionary()


def load_calendar(session: Session) -> WorkCalendar:
    engine = session.get_bind().engine
    cached = _loaded.get(engine)
    if cached and time.monotonic() - cached[0] < CALENDAR_TTL_SECONDS:
        return cached[1]
    rows = session.execute(select(CalendarOverride.day, CalendarOverride.is_working_day))
    calendar = WorkCalendar({day: working for day, working in rows})
    _loaded[engine] = (time.monotonic(), calendar)
    return calendar


def set_override(session: Session, day: date, is_working_day: bool, note: str = "") -> None:
    row = session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        row = CalendarOverride(day=day)
        session.add(row)
    row.is_working_day = is_working_day
    row.note = note
    # This process sees the override as soon as it is committed; others within the TTL.
    after_commit.call(session, _forget_loaded, session.get_bind().engine)


def _forget_loaded(engine: Engine) -> None:
    _loaded.pop(engine, None)


def check_next_year_known(session: Session, day: date) -> dict[str, object]:
    """From December on, say whether next year's official schedule is loaded yet.

    Deadlines crossing New Year are wrong until it is: staff load the State
    Council's notice as overrides when no package has it.
    """
    next_year = day.year + 1
    known = day.month < 12 or load_calendar(session).knows_year(next_year)
    if not known:
        log.warning("official calendar for %s not loaded; deadlines may be wrong", next_year)
    return {"year": next_year, "known": known}
