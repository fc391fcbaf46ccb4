"""Money is yuan as Decimal with two places, rounded half-up only at the end."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def to_yuan(value: Fraction | Decimal | int) -> Decimal:
    """Round an exact amount half-up to the fen (0.01 yuan)."""
    exact = Fraction(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
