"""高龄津贴 bands: age from the identity number, the band of a month, first eligibility."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from backend.errors import Conflict, ValidationFailed
from backend.extensions import db
from backend.models import ElderlyBand
from backend.services import elderly_bands
from tests.elderly.conftest import born


def test_age_comes_from_the_identity_number_on_the_given_day():
    assert elderly_bands.age_on(born(date(1936, 7, 15)), date(2026, 7, 14)) == 89
    assert elderly_bands.age_on(born(date(1936, 7, 15)), date(2026, 7, 15)) == 90


def test_the_birthday_month_already_counts_as_reaching_the_age():
    assert elderly_bands.age_in_month(date(1936, 7, 31), "2026-07") == 90
    assert elderly_bands.age_in_month(date(1936, 7, 31), "2026-06") == 89


def test_seeded_bands_pay_100_from_90_and_300_from_100(county):
    in_90s = elderly_bands.band_for(db.session, county, date(1935, 3, 1), "2026-03")
    centenarian = elderly_bands.band_for(db.session, county, date(1926, 3, 1), "2026-03")
    assert (in_90s.min_age, in_90s.monthly_amount) == (90, Decimal("100.00"))
    assert (centenarian.min_age, centenarian.monthly_amount) == (100, Decimal("300.00"))


def test_an_85_year_old_is_in_no_band_of_the_demo_county(county):
    assert (
        elderly_bands.band_on(db.session, county, born(date(1941, 5, 5)), date(2026, 6, 1)) is None
    )


def test_under_every_band_the_refusal_gives_the_first_day_of_the_90th_birthday_month(county):
    with pytest.raises(ValidationFailed) as refused:
        elderly_bands.require_band(db.session, county, born(date(1941, 5, 20)), date(2026, 6, 1))
    assert refused.value.details["eligible_on"] == ["2031-05-01"]
    assert "2031-05-01" in refused.value.message
    assert "applicant.id_number" in refused.value.details


def test_eligible_from_is_this_month_for_someone_already_in_a_band(county):
    day = date(2026, 6, 17)
    assert elderly_bands.eligible_from(db.session, county, born(date(1930, 1, 1)), day) == date(
        2026, 6, 1
    )


def test_a_29_february_birthday_is_reached_in_february_of_a_common_year(county):
    person = born(date(1936, 2, 29))
    assert elderly_bands.eligible_from(db.session, county, person, date(2025, 12, 1)) == date(
        2026, 2, 1
    )
    assert elderly_bands.band_for(db.session, county, date(1936, 2, 29), "2026-01") is None
    assert elderly_bands.band_for(db.session, county, date(1936, 2, 29), "2026-02").min_age == 90


def test_an_80_to_89_band_added_by_the_county_applies_from_its_month(county):
    elderly_bands.add_band(
        db.session,
        county,
        min_age=80,
        max_age=89,
        monthly_amount=Decimal("50.00"),
        effective_from=date(2026, 9, 1),
        today=date(2026, 6, 10),
    )
    birth = date(1941, 5, 5)
    assert elderly_bands.band_for(db.session, county, birth, "2026-08") is None
    assert elderly_bands.band_for(db.session, county, birth, "2026-09").monthly_amount == 50
    assert elderly_bands.eligible_from(db.session, county, born(birth), date(2026, 6, 10)) == date(
        2026, 9, 1
    )


def test_a_new_amount_is_a_new_row_and_the_old_one_stays_in_history(county):
    elderly_bands.add_band(
        db.session,
        county,
        min_age=90,
        max_age=99,
        monthly_amount=Decimal("150.00"),
        effective_from=date(2026, 7, 1),
        today=date(2026, 6, 10),
    )
    birth = date(1935, 1, 1)
    assert elderly_bands.amount_for(db.session, county, birth, "2026-06") == Decimal("100.00")
    assert elderly_bands.amount_for(db.session, county, birth, "2026-07") == Decimal("150.00")
    ninety = db.session.scalars(
        select(ElderlyBand.monthly_amount)
        .where(ElderlyBand.min_age == 90)
        .order_by(ElderlyBand.effective_from)
    )
    assert [str(amount) for amount in ninety] == ["100.00", "150.00"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"effective_from": date(2026, 7, 2)}, "effective_from"),
        ({"effective_from": date(2026, 5, 1)}, "effective_from"),
        ({"min_age": 0}, "min_age"),
        ({"max_age": 79}, "max_age"),
        ({"monthly_amount": Decimal("0.00")}, "monthly_amount"),
        ({"min_age": 85, "max_age": 95}, "max_age"),
        ({"min_age": 95, "max_age": None}, "min_age"),
    ],
)
def test_a_bad_band_is_refused_naming_the_field(county, change, field):
    band = {
        "min_age": 80,
        "max_age": 89,
        "monthly_amount": Decimal("50.00"),
        "effective_from": date(2026, 7, 1),
        **change,
    }
    with pytest.raises(ValidationFailed) as refused:
        elderly_bands.add_band(db.session, county, today=date(2026, 6, 10), **band)
    assert field in refused.value.details


def test_two_rows_for_the_same_band_and_month_conflict(county):
    band = {"min_age": 80, "max_age": 89, "monthly_amount": Decimal("50.00")}
    elderly_bands.add_band(
        db.session, county, effective_from=date(2026, 7, 1), today=date(2026, 6, 1), **band
    )
    with pytest.raises(Conflict):
        elderly_bands.add_band(
            db.session, county, effective_from=date(2026, 7, 1), today=date(2026, 6, 1), **band
        )
