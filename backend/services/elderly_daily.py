"""The daily rule that keeps 高龄津贴 amounts right: a person moves to the next band
from the birthday month in which they reach it, and everyone is paid a band's new
amount from the month it takes effect.

Only rows that can change are read: people whose birthday month it is, and in a
county whose bands change this month, everyone. The rule is idempotent (a period
already at the right band and amount is left alone) and runs on any day of the
month, so a missed day is caught up by the next.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import (
    ApplicationType,
    ElderlyBand,
    Entitlement,
    EntitlementReason,
    Region,
    RegionLevel,
)
from backend.services import elderly_bands, entitlements, months, regions

PROGRAM = ApplicationType.ELDERLY_ALLOWANCE


def move_bands(session: Session, day: date) -> dict:
    month = months.of(day)
    moved = 0
    for county in session.scalars(select(Region).where(Region.level == RegionLevel.COUNTY)):
        bands = list(session.scalars(select(ElderlyBand).where(ElderlyBand.county_id == county.id)))
        if bands:
            moved += _move_in(session, county, bands, month)
    return {"moved": moved}


def _move_in(session: Session, county: Region, bands: list[ElderlyBand], month: str) -> int:
    query = select(Entitlement).where(
        Entitlement.program == PROGRAM,
        Entitlement.to_month.is_(None),
        Entitlement.from_month <= month,
        Entitlement.birth_month.is_not(None),
        Entitlement.region_id.in_(select(Region.id).where(regions.subtree_condition(county))),
    )
    if not any(months.of(band.effective_from) == month for band in bands):
        query = query.where(Entitlement.birth_month.like(f"%-{month[5:]}"))
    moved = 0
    for current in session.scalars(query).all():
        band = elderly_bands.band_in(bands, months.first_day(current.birth_month), month)
        if band is None or (
            band.min_age == current.band_min_age and band.monthly_amount == current.monthly_amount
        ):
            continue
        entitlements.change(
            session,
            program=PROGRAM,
            id_index=current.person_id_index,
            monthly_amount=band.monthly_amount,
            from_month=month,
            reason=EntitlementReason.BAND_CHANGE,
            band_min_age=band.min_age,
        )
        moved += 1
    return moved
