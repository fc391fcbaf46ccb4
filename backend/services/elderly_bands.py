"""高龄津贴 bands: age from the identity number, the band and amount of a month, and the
first month a person is entitled.

Bands are dated county settings (`ElderlyBand`): for each lower age bound the row in
force is the one with the latest `effective_from` on or before the day; a change is a
new row from the first day of a month, never an edit, so the history stays. Amounts
are monthly, so a month is paid at the bands in force on its first day.

Entitlement starts in the birthday month of reaching a band (a person born on
29 February reaches it in February, leap year or not), and a person moves to the
next band the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import Conflict, ValidationFailed
from backend.models import ElderlyBand, Region
from backend.services import months
from backend.services.identity import parse_id_number

OLDEST_AGE = 150


def birth_date(id_number: str) -> date:
    return parse_id_number(id_number).birth_date


def age_on(id_number: str, day: date) -> int:
    """Completed years on `day`, from the birth date in the identity number."""
    return parse_id_number(id_number, today=max(day, date.today())).age_on(day)


def age_in_month(birth: date, month: str) -> int:
    """The age a person reaches within `month`: the birthday month already counts."""
    year, number = int(month[:4]), int(month[5:])
    return year - birth.year - (number < birth.month)


def month_reaching(birth: date, age: int) -> str:
    """The birthday month in which a person born on `birth` reaches `age`."""
    return f"{birth.year + age:04d}-{birth.month:02d}"


def _rows(session: Session, county: Region) -> list[ElderlyBand]:
    return list(
        session.scalars(
            select(ElderlyBand)
            .where(ElderlyBand.county_id == county.id)
            .order_by(ElderlyBand.effective_from, ElderlyBand.min_age)
        )
    )


def in_force(rows: list[ElderlyBand], day: date) -> list[ElderlyBand]:
    """Of a county's band rows, those in force on `day`, youngest band first."""
    current: dict[int, ElderlyBand] = {}
    for row in rows:
        if row.effective_from <= day and (
            row.min_age not in current or row.effective_from > current[row.min_age].effective_from
        ):
            current[row.min_age] = row
    return sorted(current.values(), key=lambda row: row.min_age)


def bands_in_force(session: Session, county: Region, day: date) -> list[ElderlyBand]:
    return in_force(_rows(session, county), day)


def _contains(band: ElderlyBand, age: int) -> bool:
    return band.min_age <= age and (band.max_age is None or age <= band.max_age)


def band_in(rows: list[ElderlyBand], birth: date, month: str) -> ElderlyBand | None:
    """The band (with its amount) a person born on `birth` is paid at in `month`."""
    return band_of_age(in_force(rows, months.first_day(month)), age_in_month(birth, month))


def band_of_age(current: list[ElderlyBand], age: int) -> ElderlyBand | None:
    """Of the bands in force (`in_force`), the one for `age`."""
    for band in current:
        if _contains(band, age):
            return band
    return None


def band_for(session: Session, county: Region, birth: date, month: str) -> ElderlyBand | None:
    return band_in(_rows(session, county), birth, month)


def amount_for(session: Session, county: Region, birth: date, month: str) -> Decimal | None:
    band = band_for(session, county, birth, month)
    return band.monthly_amount if band else None


def first_entitled_month(rows: list[ElderlyBand], birth: date, month: str) -> str | None:
    """The first month from `month` on in which the person is in a band, under the
    bands known today (future-dated ones included); None when no band ever applies."""
    candidates = {month}
    candidates.update(month_reaching(birth, row.min_age) for row in rows)
    candidates.update(months.of(row.effective_from) for row in rows)
    for candidate in sorted(c for c in candidates if c >= month):
        if band_in(rows, birth, candidate) is not None:
            return candidate
    return None


def band_on(session: Session, county: Region, id_number: str, day: date) -> ElderlyBand | None:
    """The band a person is paid at in `day`'s month (None: under every band)."""
    return band_for(session, county, birth_date(id_number), months.of(day))


def eligible_from(session: Session, county: Region, id_number: str, day: date) -> date | None:
    """The first day of the month from which the person is entitled (`day`'s month's
    first day when already in a band); None when no band of the county ever applies."""
    first = first_entitled_month(_rows(session, county), birth_date(id_number), months.of(day))
    return months.first_day(first) if first else None


@dataclass(frozen=True)
class Eligibility:
    band: ElderlyBand
    month: str  # YYYY-MM, the first month paid


def require_band(
    session: Session,
    county: Region,
    id_number: str,
    day: date,
    field: str = "applicant.id_number",
) -> Eligibility:
    """The band a person is in on `day`'s month, or a 422 naming `field` and giving the
    date the person becomes eligible (the first day of that birthday month)."""
    birth = birth_date(id_number)
    month = months.of(day)
    rows = _rows(session, county)
    band = band_in(rows, birth, month)
    if band is not None:
        return Eligibility(band=band, month=month)
    first = first_entitled_month(rows, birth, month)
    if first is None:
        raise ValidationFailed.field(field, f"{county.name}尚未设立适用于该年龄的高龄津贴档次")
    eligible_on = months.first_day(first)
    message = (
        f"年龄未达到高龄津贴标准,将于{eligible_on.year}年{eligible_on.month}月"
        f"({eligible_on.isoformat()})起符合条件"
    )
    raise ValidationFailed(message, {field: [message], "eligible_on": [eligible_on.isoformat()]})


def add_band(
    session: Session,
    county: Region,
    *,
    min_age: int,
    max_age: int | None,
    monthly_amount: Decimal,
    effective_from: date,
    today: date,
) -> ElderlyBand:
    """A new band, or a band's new amount or upper bound, from the first day of a month,
    today at the earliest: what a month already begun was paid at never changes."""
    if effective_from.day != 1:
        raise ValidationFailed.field("effective_from", "高龄津贴档次应从某月1日起执行")
    if effective_from < today:
        raise ValidationFailed.field("effective_from", "新档次只能从今天以后的某月1日起执行")
    if not 1 <= min_age <= OLDEST_AGE:
        raise ValidationFailed.field("min_age", f"起始年龄应在1到{OLDEST_AGE}之间")
    if max_age is not None and not min_age <= max_age <= OLDEST_AGE:
        raise ValidationFailed.field("max_age", f"截止年龄应在起始年龄到{OLDEST_AGE}之间")
    if monthly_amount <= 0:
        raise ValidationFailed.field("monthly_amount", "津贴金额应大于0")
    rows = _rows(session, county)
    if any(r.min_age == min_age and r.effective_from == effective_from for r in rows):
        raise Conflict("该月已有起始年龄相同的档次;如需调整,请从另一月份起执行")
    band = ElderlyBand(
        county_id=county.id,
        min_age=min_age,
        max_age=max_age,
        monthly_amount=monthly_amount,
        effective_from=effective_from,
    )
    _refuse_overlap([r for r in in_force(rows, effective_from) if r.min_age != min_age], band)
    session.add(band)
    session.flush()
    return band


def _refuse_overlap(others: list[ElderlyBand], band: ElderlyBand) -> None:
    top = band.max_age if band.max_age is not None else OLDEST_AGE
    for other in others:
        other_top = other.max_age if other.max_age is not None else OLDEST_AGE
        if other.min_age <= top and band.min_age <= other_top:
            upper = f"{other.max_age}" if other.max_age is not None else ""
            raise ValidationFailed.field(
                "max_age" if other.min_age > band.min_age else "min_age",
                f"与 {other.min_age}–{upper} 岁档次重叠",
            )
