"""Dated county settings: 低保 standards and 高龄津贴 bands.

The standard in force on a date is the one with the latest `effective_from` on or
before it. Rows are never edited once they may have been used: a change of standard
is a new row from a new date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import Conflict, NotFound, ValidationFailed
from backend.models import AreaType, DibaoStandard, ElderlyBand, Region, StandardUnit
from backend.services.money import to_yuan

MONTHS_PER_YEAR = 12


def monthly_equivalent(standard: DibaoStandard) -> Fraction:
    """Exact monthly amount: a yearly standard is divided by twelve, never rounded here."""
    amount = Fraction(standard.amount)
    return amount / MONTHS_PER_YEAR if standard.unit == StandardUnit.YEARLY else amount


def monthly_equivalent_yuan(standard: DibaoStandard) -> Decimal:
    return to_yuan(monthly_equivalent(standard))


def standard_in_force(session: Session, county: Region, area_type: AreaType, day: date):
    standard = session.scalar(
        select(DibaoStandard)
        .where(
            DibaoStandard.county_id == county.id,
            DibaoStandard.area_type == area_type,
            DibaoStandard.effective_from <= day,
        )
        .order_by(DibaoStandard.effective_from.desc())
        .limit(1)
    )
    if standard is None:
        raise NotFound(f"{county.name}在 {day} 尚无适用的低保标准")
    return standard


def history(session: Session, county: Region) -> list[DibaoStandard]:
    return list(
        session.scalars(
            select(DibaoStandard)
            .where(DibaoStandard.county_id == county.id)
            .order_by(DibaoStandard.area_type, DibaoStandard.effective_from)
        )
    )


def bands(session: Session, county: Region) -> list[ElderlyBand]:
    return list(
        session.scalars(
            select(ElderlyBand)
            .where(ElderlyBand.county_id == county.id)
            .order_by(ElderlyBand.effective_from, ElderlyBand.min_age)
        )
    )


def add_standard(
    session: Session,
    county: Region,
    *,
    area_type: AreaType,
    amount: Decimal,
    unit: StandardUnit,
    effective_from: date,
    today: date,
) -> DibaoStandard:
    """A new standard from `effective_from`, today at the earliest: what was in force on a
    day already past (and decided under) never changes."""
    if effective_from < today:
        raise ValidationFailed.field("effective_from", "新标准只能从今天或以后的日期起执行")
    if amount <= 0:
        raise ValidationFailed.field("amount", "标准金额应大于0")
    exists = session.scalar(
        select(DibaoStandard.id).where(
            DibaoStandard.county_id == county.id,
            DibaoStandard.area_type == area_type,
            DibaoStandard.effective_from == effective_from,
        )
    )
    if exists:
        raise Conflict("该日期已有同类标准;如需调整,请从另一日期起执行新标准")
    standard = DibaoStandard(
        county_id=county.id,
        area_type=area_type,
        amount=amount,
        unit=unit,
        effective_from=effective_from,
    )
    session.add(standard)
    session.flush()
    return standard


def in_force_ids(rows: list[DibaoStandard], day: date) -> set[int]:
    """Of a county's standards, the ids of those in force on `day` (one per area type)."""
    current: dict[str, DibaoStandard] = {}
    for row in rows:
        if row.effective_from <= day and (
            row.area_type not in current
            or row.effective_from > current[row.area_type].effective_from
        ):
            current[row.area_type] = row
    return {row.id for row in current.values()}
