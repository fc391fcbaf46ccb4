"""生存认证: a missed check month stops payment from the next month; a later check
restarts it and records the months owed, at the band of each month."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from backend.config import ConfigError, from_environment
from backend.extensions import db
from backend.models import BackPay, Entitlement
from backend.services import liveness
from backend.services.users import find_by_username
from tests.elderly.conftest import born, enrol


def visit(birth, visited_on, serial=1):
    return liveness.record_visit(
        db.session,
        find_by_username(db.session, "agent0101"),
        id_number=born(birth, serial),
        visited_on=visited_on,
        note="本人在家",
        today=visited_on,
    )


def periods():
    return db.session.execute(
        select(
            Entitlement.monthly_amount,
            Entitlement.from_month,
            Entitlement.to_month,
            Entitlement.end_reason,
        ).order_by(Entitlement.id)
    ).all()


def test_a_missed_may_check_stops_payment_from_june(person):
    enrol(person(date(1930, 1, 1)))
    assert liveness.stop_missed(db.session, date(2026, 5, 31)) == {"stopped": 0}
    assert liveness.stop_missed(db.session, date(2026, 6, 1)) == {"stopped": 1}
    assert liveness.stop_missed(db.session, date(2026, 6, 2)) == {"stopped": 0}
    assert periods() == [(Decimal("100.00"), "2026-03", "2026-05", "liveness_stop")]


def test_an_agent_visit_within_may_keeps_the_payment(person):
    enrol(person(date(1930, 1, 1)))
    check = visit(date(1930, 1, 1), date(2026, 5, 20))
    assert (check.month, check.status) == ("2026-05", "confirmed")
    assert liveness.stop_missed(db.session, date(2026, 6, 3)) == {"stopped": 0}


def test_the_month_after_a_month_without_checks_stops_nobody(person):
    enrol(person(date(1930, 1, 1)))
    assert liveness.stop_missed(db.session, date(2026, 7, 1)) == {"stopped": 0}


def test_someone_enrolled_in_the_check_month_is_not_stopped_for_it(person):
    enrol(person(date(1930, 1, 1)), from_month="2026-05")
    assert liveness.stop_missed(db.session, date(2026, 6, 1)) == {"stopped": 0}


def test_the_check_months_are_a_setting(app, person):
    app.config["LIVENESS_CHECK_MONTHS"] = (6,)
    enrol(person(date(1930, 1, 1)))
    assert liveness.stop_missed(db.session, date(2026, 6, 1)) == {"stopped": 0}
    assert liveness.stop_missed(db.session, date(2026, 7, 1)) == {"stopped": 1}


def test_a_later_check_restarts_payment_and_records_the_months_owed(person):
    enrol(person(date(1930, 1, 1)))
    liveness.stop_missed(db.session, date(2026, 6, 1))
    visit(date(1930, 1, 1), date(2026, 8, 10))
    assert periods() == [
        (Decimal("100.00"), "2026-03", "2026-05", "liveness_stop"),
        (Decimal("100.00"), "2026-08", None, None),
    ]
    owed = db.session.execute(select(BackPay.month, BackPay.amount).order_by(BackPay.month))
    assert owed.all() == [("2026-06", Decimal("100.00")), ("2026-07", Decimal("100.00"))]


def test_months_owed_are_paid_at_the_band_of_each_month(person):
    enrol(person(date(1926, 7, 5)))
    liveness.stop_missed(db.session, date(2026, 6, 1))
    visit(date(1926, 7, 5), date(2026, 8, 1))
    owed = db.session.execute(select(BackPay.month, BackPay.amount).order_by(BackPay.month))
    assert owed.all() == [("2026-06", Decimal("100.00")), ("2026-07", Decimal("300.00"))]
    assert periods()[-1] == (Decimal("300.00"), "2026-08", None, None)


def test_a_check_the_month_after_the_stop_restarts_with_nothing_owed(person):
    enrol(person(date(1930, 1, 1)))
    liveness.stop_missed(db.session, date(2026, 6, 1))
    visit(date(1930, 1, 1), date(2026, 6, 5))
    assert periods()[-1] == (Decimal("100.00"), "2026-06", None, None)
    assert db.session.scalar(select(BackPay.id)) is None


def test_the_daily_tick_runs_the_liveness_rule(person):
    from backend.services import daily

    enrol(person(date(1930, 1, 1)))
    db.session.commit()
    result = daily.run_daily(db.session, date(2026, 12, 1))
    assert result["backend.services.liveness:stop_missed"] == {"stopped": 1}


@pytest.mark.parametrize("raw", ["5;11", "0", "13", "五月"])
def test_bad_check_months_stop_the_app_at_start(raw):
    with pytest.raises(ConfigError, match="LIVENESS_CHECK_MONTHS"):
        from_environment({"LIVENESS_CHECK_MONTHS": raw})


def test_check_months_default_to_may_and_november():
    assert from_environment({})["LIVENESS_CHECK_MONTHS"] == (5, 11)
