"""补差: the amount is standard × members − income, rounded half-up to the fen at the end."""

from decimal import Decimal
from fractions import Fraction

import pytest

from backend.errors import ValidationFailed
from backend.services.dibao import compute
from backend.services.money import to_yuan

URBAN = Fraction(528)
RURAL_MONTHLY = Fraction(4310, 12)


def yuan(*amounts):
    return [Decimal(a) for a in amounts]


def test_urban_example_of_the_design():
    estimate = compute(URBAN, yuan("0", "300", "500"))
    assert estimate.eligible
    assert estimate.per_capita_income == Decimal("266.67")
    assert estimate.monthly_amount == Decimal("784.00")


def test_rural_standard_is_yearly_over_twelve_without_intermediate_rounding():
    estimate = compute(RURAL_MONTHLY, yuan("300", "0"))
    assert estimate.standard_monthly == Decimal("359.17")
    # 359.1666… × 2 − 300 = 418.33; rounding the standard first would give 418.34.
    assert estimate.monthly_amount == Decimal("418.33")


def test_income_at_the_standard_is_not_eligible():
    estimate = compute(URBAN, yuan("528", "528"))
    assert not estimate.eligible
    assert estimate.monthly_amount == Decimal("0.00")


def test_one_fen_below_the_standard_is_eligible_for_one_fen():
    estimate = compute(URBAN, yuan("527.99"))
    assert estimate.eligible
    assert estimate.monthly_amount == Decimal("0.01")


def test_half_a_fen_rounds_up():
    assert to_yuan(Fraction(1, 200)) == Decimal("0.01")
    assert to_yuan(Fraction(2675, 1000)) == Decimal("2.68")


@pytest.mark.parametrize("members", [0, 21])
def test_household_size_is_one_to_twenty(members):
    with pytest.raises(ValidationFailed) as caught:
        compute(URBAN, yuan(*["0"] * members))
    assert "members" in caught.value.details
