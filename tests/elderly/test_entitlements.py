"""Entitlements: one running period per person and programme; changes close and open
periods, ends say why; what a month pays is read back exactly."""

from datetime import date
from decimal import Decimal

import pytest

from backend.errors import Conflict, ValidationFailed
from backend.extensions import db
from backend.models import EntitlementReason
from backend.services import entitlements
from tests.elderly.conftest import enrol

ELDERLY = "elderly_allowance"


def test_a_person_enrolled_without_a_case_is_paid_at_their_band_from_the_month(person):
    row = enrol(person(date(1935, 1, 1)))
    assert (row.application_id, row.band_min_age, row.monthly_amount) == (
        None,
        90,
        Decimal("100.00"),
    )
    assert (row.from_month, row.to_month, row.start_reason) == ("2026-03", None, "roster")


def test_a_person_already_paid_by_the_programme_cannot_be_enrolled_twice(person):
    someone = person(date(1935, 1, 1))
    enrol(someone)
    with pytest.raises(Conflict):
        enrol(someone, from_month="2026-04")


def test_a_change_ends_the_running_period_the_month_before(person, village):
    someone = person(date(1926, 7, 1))
    first = enrol(someone)
    second = entitlements.change(
        db.session,
        program=ELDERLY,
        id_index=someone.id_index,
        monthly_amount=Decimal("300.00"),
        from_month="2026-07",
        reason=EntitlementReason.BAND_CHANGE,
        band_min_age=100,
    )
    assert (first.to_month, first.end_reason) == ("2026-06", "band_change")
    assert (second.from_month, second.start_reason, second.band_min_age) == (
        "2026-07",
        "band_change",
        100,
    )
    paid = {
        month: [e.monthly_amount for e in entitlements.paid_in(db.session, ELDERLY, village, month)]
        for month in ("2026-02", "2026-06", "2026-07")
    }
    assert paid == {"2026-02": [], "2026-06": [Decimal("100.00")], "2026-07": [Decimal("300.00")]}


def test_ending_says_why_and_ending_again_changes_nothing(person):
    someone = person(date(1935, 1, 1))
    enrol(someone)
    ended = entitlements.end(
        db.session,
        program=ELDERLY,
        id_index=someone.id_index,
        last_month="2026-05",
        reason=EntitlementReason.DEATH,
    )
    assert (ended.to_month, ended.end_reason) == ("2026-05", "death")
    again = entitlements.end(
        db.session,
        program=ELDERLY,
        id_index=someone.id_index,
        last_month="2026-08",
        reason=EntitlementReason.TERMINATION,
    )
    assert again is None


def test_a_period_cannot_end_before_it_began(person):
    someone = person(date(1935, 1, 1))
    enrol(someone, from_month="2026-05")
    with pytest.raises(ValidationFailed):
        entitlements.end(
            db.session,
            program=ELDERLY,
            id_index=someone.id_index,
            last_month="2026-03",
            reason=EntitlementReason.TERMINATION,
        )


@pytest.mark.parametrize(("amount", "month"), [("0.00", "2026-03"), ("100.00", "2026-13")])
def test_an_entitlement_needs_a_positive_amount_and_a_real_month(person, amount, month):
    with pytest.raises(ValidationFailed):
        enrol(person(date(1935, 1, 1)), amount=amount, from_month=month)


def test_programmes_are_separate(person):
    someone = person(date(1935, 1, 1))
    enrol(someone)
    dibao = entitlements.start(
        db.session,
        program="dibao",
        person=person(date(1935, 1, 1), elderly=False),
        monthly_amount=Decimal("784.00"),
        from_month="2026-04",
        reason=EntitlementReason.APPROVAL,
    )
    assert dibao.band_min_age is None
