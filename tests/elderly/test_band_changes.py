"""The daily rule moves people to the next band from their birthday month, and pays a
band's new amount from its month; running it again changes nothing."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from backend.extensions import db
from backend.models import Entitlement
from backend.services import elderly_bands, elderly_daily
from tests.elderly.conftest import enrol


def periods():
    return db.session.execute(
        select(
            Entitlement.person_name,
            Entitlement.monthly_amount,
            Entitlement.from_month,
            Entitlement.to_month,
        ).order_by(Entitlement.id)
    ).all()


def test_a_100th_birthday_moves_the_person_to_300_from_that_month(person):
    enrol(person(date(1926, 8, 31)), "100.00", "2026-03")
    assert elderly_daily.move_bands(db.session, date(2026, 7, 31)) == {"moved": 0}
    assert elderly_daily.move_bands(db.session, date(2026, 8, 1)) == {"moved": 1}
    assert elderly_daily.move_bands(db.session, date(2026, 8, 2)) == {"moved": 0}
    assert [row[1:] for row in periods()] == [
        (Decimal("100.00"), "2026-03", "2026-07"),
        (Decimal("300.00"), "2026-08", None),
    ]


def test_a_29_february_birthday_moves_in_february_of_a_common_year(person, county):
    elderly_bands.add_band(
        db.session,
        county,
        min_age=80,
        max_age=89,
        monthly_amount=Decimal("50.00"),
        effective_from=date(2025, 1, 1),
        today=date(2024, 12, 1),
    )
    enrol(person(date(1936, 2, 29)), "50.00", "2025-06")
    assert elderly_daily.move_bands(db.session, date(2026, 1, 31)) == {"moved": 0}
    assert elderly_daily.move_bands(db.session, date(2026, 2, 28)) == {"moved": 1}
    assert [row[1:] for row in periods()] == [
        (Decimal("50.00"), "2025-06", "2026-01"),
        (Decimal("100.00"), "2026-02", None),
    ]


def test_a_band_amount_changed_mid_year_is_paid_from_its_month(person, county):
    enrol(person(date(1930, 1, 10), serial=1), "100.00", "2026-03")
    enrol(person(date(1920, 1, 10), serial=2), "300.00", "2026-03")
    elderly_bands.add_band(
        db.session,
        county,
        min_age=90,
        max_age=99,
        monthly_amount=Decimal("150.00"),
        effective_from=date(2026, 7, 1),
        today=date(2026, 6, 1),
    )
    assert elderly_daily.move_bands(db.session, date(2026, 6, 30)) == {"moved": 0}
    assert elderly_daily.move_bands(db.session, date(2026, 7, 15)) == {"moved": 1}
    assert elderly_daily.move_bands(db.session, date(2026, 7, 16)) == {"moved": 0}
    assert [row[1:] for row in periods()] == [
        (Decimal("100.00"), "2026-03", "2026-06"),
        (Decimal("300.00"), "2026-03", None),
        (Decimal("150.00"), "2026-07", None),
    ]


def test_the_daily_tick_runs_the_band_rule(person):
    from backend.services import daily

    enrol(person(date(1926, 8, 31)), "100.00", "2026-03")
    db.session.commit()
    result = daily.run_daily(db.session, date(2026, 8, 1))
    assert result["backend.services.elderly_daily:move_bands"] == {"moved": 1}
