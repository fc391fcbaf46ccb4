"""低保 rules: the household's per-capita income and the monthly amount (补差).

Per-capita income = total household monthly income ÷ members. A household is
eligible when that is below the monthly standard. The amount is
monthly standard × members − total income, computed exactly and rounded half-up to
the fen only at the end; the per-capita figure is shown rounded the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, ValidationFailed
from backend.models import AreaType, Region
from backend.services import standards
from backend.services.money import to_yuan

MAX_MEMBERS = 20


@dataclass(frozen=True)
class Estimate:
    eligible: bool
    member_count: int
    per_capita_income: Decimal
    standard_monthly: Decimal
    monthly_amount: Decimal


def compute(monthly_standard: Fraction, incomes: Sequence[Decimal]) -> Estimate:
    if not 1 <= len(incomes) <= MAX_MEMBERS:
        raise ValidationFailed.field("members", f"家庭成员应为1到{MAX_MEMBERS}人")
    total = sum((Fraction(income) for income in incomes), Fraction(0))
    members = len(incomes)
    per_capita = total / members
    eligible = per_capita < monthly_standard
    amount = monthly_standard * members - total if eligible else Fraction(0)
    return Estimate(
        eligible=eligible,
        member_count=members,
        per_capita_income=to_yuan(per_capita),
        standard_monthly=to_yuan(monthly_standard),
        monthly_amount=to_yuan(amount),
    )


def estimate(
    session: Session, county: Region, area_type: AreaType, incomes: Sequence[Decimal], day: date
) -> Estimate:
    """自助测算: what a household would receive under the standard in force on `day`."""
    standard = standards.standard_in_force(session, county, area_type, day)
    return compute(standards.monthly_equivalent(standard), incomes)


@dataclass(frozen=True)
class Decision:
    monthly_amount: Decimal
    start_month: str  # YYYY-MM: payment starts the month after approval


def decide(
    session: Session, county: Region, area_type: AreaType, incomes: Sequence[Decimal], day: date
) -> Decision:
    """The county's approval on `day`: the amount under the standard in force that day.

    A household at or above the standard cannot be approved: the county rejects it,
    in writing, with the appeal route.
    """
    result = estimate(session, county, area_type, incomes, day)
    if not result.eligible:
        raise ActionNotAllowed(
            f"家庭月人均收入 {result.per_capita_income} 元不低于低保标准 "
            f"{result.standard_monthly} 元,不符合条件,请作出不予批准的决定"
        )
    return Decision(monthly_amount=result.monthly_amount, start_month=month_after(day))


def month_after(day: date) -> str:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return f"{year:04d}-{month:02d}"
