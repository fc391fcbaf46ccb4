"""Working days on the official calendar, with staff overrides winning."""

from datetime import date, timedelta

import pytest

from backend.services.workdays import WorkCalendar, load_calendar, set_override

calendar = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 10, 1), False),  # 国庆节
        (date(2026, 10, 7), False),  # still the holiday week
        (date(2026, 10, 8), True),
        (date(2026, 9, 20), True),  # Sunday, make-up working day (调休上班)
        (date(2026, 10, 10), True),  # Saturday, make-up working day
        (date(2026, 10, 11), False),  # an ordinary Sunday
        (date(2026, 11, 30), True),  # an ordinary Monday
    ],
)
def test_national_day_week_2026_and_its_make_up_days(day, working):
    assert calendar.is_working_day(day) is working


def test_2027_festivals_are_known_although_chinese_calendar_stops_at_2026():
    assert calendar.is_working_day(date(2027, 10, 1)) is False  # 国庆节
    assert calendar.is_working_day(date(2027, 2, 8)) is False  # 春节


def test_a_year_counts_as_known_once_its_make_up_days_are_published():
    assert calendar.knows_year(2026)
    assert not calendar.knows_year(2027)  # festivals computed, 调休 not yet published


def test_ten_working_days_skip_the_holiday_week():
    # Accepted on Wednesday 30 September: Oct 1-7 are off, Oct 10 (Saturday) is worked.
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert calendar.add_working_days(date(2026, 9, 30), 10) == date(2026, 10, 20)


def test_working_days_between_counts_like_add():
    start = date(2026, 9, 30)
    assert calendar.working_days_between(start, date(2026, 10, 20)) == 10
    assert calendar.working_days_between(date(2026, 10, 20), start) == -10


def day_by_day(calendar: WorkCalendar, start: date, end: date) -> int:
    return sum(
        calendar.is_working_day(start + timedelta(days=offset))
        for offset in range(1, (end - start).days + 1)
    )


def test_working_days_between_agrees_with_counting_day_by_day_over_years_and_overrides():
    overridden = WorkCalendar(
        {
            date(2026, 12, 31): False,  # a Thursday given off
            date(2027, 1, 9): True,  # a Saturday worked
            date(2027, 1, 11): True,  # a Monday, working anyway: changes nothing
            date(2025, 6, 1): True,  # outside most of the ranges
        }
    )
    days = [date(2025, 12, 28) + timedelta(days=step) for step in range(0, 420, 17)]
    for start in days:
        for end in days:
            if start <= end:
                expected = day_by_day(overridden, start, end)
                assert overridden.working_days_between(start, end) == expected, (start, end)
                assert overridden.working_days_between(end, start) == -expected


def test_next_working_day_moves_a_holiday_deadline():
    assert calendar.next_working_day(date(2026, 10, 3)) == date(2026, 10, 8)
    assert calendar.next_working_day(date(2026, 10, 8)) == date(2026, 10, 8)


def test_an_override_wins_over_the_package():
    overridden = WorkCalendar({date(2026, 11, 30): False, date(2026, 11, 29): True})
    assert overridden.is_working_day(date(2026, 11, 30)) is False
    assert overridden.is_working_day(date(2026, 11, 29)) is True


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 1, 5), -1)


def test_overrides_loaded_by_staff_are_used(app):
    from backend.extensions import db

    set_override(db.session, date(2028, 1, 3), False, "2028年元旦调休(国务院通知)")
    set_override(db.session, date(2028, 1, 3), False, "updated note, same day")
    db.session.commit()
    loaded = load_calendar(db.session)
    assert loaded.is_working_day(date(2028, 1, 3)) is False
    assert loaded.knows_year(2028)


def test_the_calendar_is_read_once_per_process_until_it_expires(app, monkeypatch):
    from backend.extensions import db
    from backend.services import workdays
    from tests.statements import counting_statements

    now = [1000.0]
    monkeypatch.setattr(workdays.time, "monotonic", lambda: now[0])
    first = load_calendar(db.session)
    with counting_statements() as statements:
        assert load_calendar(db.session) is first
    assert statements == []
    now[0] += workdays.CALENDAR_TTL_SECONDS
    with counting_statements() as statements:
        assert load_calendar(db.session) is not first
    assert len(statements) == 1


def test_an_override_committed_here_is_seen_at_once(app):
    from backend.extensions import db

    assert load_calendar(db.session).is_working_day(date(2028, 3, 15)) is True
    set_override(db.session, date(2028, 3, 15), False, "临时停止办公")
    assert load_calendar(db.session).is_working_day(date(2028, 3, 15)) is True  # not yet
    db.session.commit()
    assert load_calendar(db.session).is_working_day(date(2028, 3, 15)) is False
