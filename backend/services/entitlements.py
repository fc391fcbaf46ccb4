"""Entitlements: for every programme, who is paid what from which month to which month,
and why each period started and stopped. Programme effects (approval, adjustment,
gradual exit, termination, band change, liveness, death) call `start`, `change` and
`end`; a payment roll reads `paid_in`.

A person has at most one running period per programme. A change closes the running
period the month before and opens the next; nothing is ever rewritten, so the history
of amounts stays readable month by month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from backend.errors import Conflict, ValidationFailed
from backend.models import Application, ApplicationType, Region, Role, User
from backend.models.entitlement import BackPay, Entitlement, EntitlementReason
from backend.services import clock, elderly_bands, months, regions, scope
from backend.services.crypto import current_cipher
from backend.services.scope import Scope


@dataclass(frozen=True)
class Person:
    """Who is paid: the name, the identity number (encrypted, and its blind index) and
    the village; for 高龄津贴 the year and month of birth as well."""

    name: str
    id_cipher: bytes
    id_index: str
    region_id: int
    birth_month: str | None = None


def person_of_case(application: Application, birth_month: str | None = None) -> Person:
    return Person(
        name=application.applicant_name,
        id_cipher=application.applicant_id_cipher,
        id_index=application.applicant_id_index,
        region_id=application.region_id,
        birth_month=birth_month,
    )


def running(session: Session, program: str, id_index: str) -> Entitlement | None:
    """The period now being paid to the person with this identity-number blind index."""
    return session.scalar(
        select(Entitlement).where(
            Entitlement.program == program,
            Entitlement.person_id_index == id_index,
            Entitlement.to_month.is_(None),
        )
    )


def _check_amount(amount: Decimal) -> None:
    if amount <= 0:
        raise ValidationFailed.field("monthly_amount", "月发放金额应大于0")


def _person(session: Session, program: str, application: Application) -> Person:
    """The person a case pays; for 高龄津贴 with the birth month the bands are read by."""
    birth_month = None
    if program == ApplicationType.ELDERLY_ALLOWANCE:
        id_number = current_cipher().decrypt(application.applicant_id_cipher)
        birth_month = months.of(elderly_bands.birth_date(id_number))
    return person_of_case(application, birth_month)


def _band_min_age(session: Session, person: Person, month: str) -> int | None:
    if person.birth_month is None:
        return None
    region = session.get(Region, person.region_id)
    county = regions.county_of(session, region)
    birth = months.first_day(person.birth_month)
    band = elderly_bands.band_for(session, county, birth, month)
    return band.min_age if band else None


def start(
    session: Session,
    *,
    program: str,
    monthly_amount: Decimal,
    from_month: str,
    reason: EntitlementReason,
    application: Application | None = None,
    person: Person | None = None,
    band_min_age: int | None = None,
) -> Entitlement:
    """Pay a case's applicant (`application`) or a `person` enrolled without one from
    `from_month` on; 409 when they are already paid by `program`."""
    _check_amount(monthly_amount)
    months.parse(from_month, "from_month")
    if person is None:
        person = _person(session, program, application)
    if band_min_age is None:
        band_min_age = _band_min_age(session, person, from_month)
    if running(session, program, person.id_index) is not None:
        raise Conflict("此人已在享受该项待遇")
    return _open(
        session,
        program=program,
        person=person,
        monthly_amount=monthly_amount,
        from_month=from_month,
        reason=reason,
        application_id=application.id if application is not None else None,
        band_min_age=band_min_age,
    )


def _open(
    session: Session,
    *,
    program: str,
    person: Person,
    monthly_amount: Decimal,
    from_month: str,
    reason: EntitlementReason,
    application_id: int | None,
    band_min_age: int | None,
) -> Entitlement:
    entitlement = Entitlement(
        program=program,
        application_id=application_id,
        region_id=person.region_id,
        person_name=person.name,
        person_id_cipher=person.id_cipher,
        person_id_index=person.id_index,
        birth_month=person.birth_month,
        band_min_age=band_min_age,
        monthly_amount=monthly_amount,
        from_month=from_month,
        start_reason=reason,
    )
    session.add(entitlement)
    session.flush()
    return entitlement


def person_of_period(period: Entitlement) -> Person:
    """The person an earlier period paid, to pay them again."""
    return Person(
        name=period.person_name,
        id_cipher=period.person_id_cipher,
        id_index=period.person_id_index,
        region_id=period.region_id,
        birth_month=period.birth_month,
    )


def _close(current: Entitlement, last_month: str, reason: EntitlementReason) -> None:
    if last_month < months.add(current.from_month, -1):
        raise ValidationFailed.field("month", f"不能早于本期起始月份 {current.from_month}")
    current.to_month = last_month
    current.end_reason = reason
    current.ended_at = clock.now()


def _key(application: Application | None, program: str | None, id_index: str | None):
    if application is not None:
        return application.type, application.applicant_id_index
    return program, id_index


def change(
    session: Session,
    *,
    monthly_amount: Decimal,
    from_month: str,
    reason: EntitlementReason,
    application: Application | None = None,
    program: str | None = None,
    id_index: str | None = None,
    band_min_age: int | None = None,
) -> Entitlement:
    """Pay a new amount from `from_month`: the running period ends the month before.
    The person is a case's applicant (`application`) or `program` and `id_index`."""
    program, id_index = _key(application, program, id_index)
    _check_amount(monthly_amount)
    current = running(session, program, id_index)
    if current is None:
        raise Conflict("此人当前没有正在发放的待遇")
    _close(current, months.add(from_month, -1), reason)
    session.flush()
    return _open(
        session,
        program=program,
        person=person_of_period(current),
        monthly_amount=monthly_amount,
        from_month=from_month,
        reason=reason,
        application_id=current.application_id,
        band_min_age=band_min_age if band_min_age is not None else current.band_min_age,
    )


def end(
    session: Session,
    *,
    last_month: str,
    reason: EntitlementReason,
    application: Application | None = None,
    program: str | None = None,
    id_index: str | None = None,
) -> Entitlement | None:
    """Stop paying after `last_month`; None when nothing was being paid (ending twice
    changes nothing). The person as for `change`."""
    program, id_index = _key(application, program, id_index)
    current = running(session, program, id_index)
    if current is None:
        return None
    _close(current, last_month, reason)
    session.flush()
    return current


def resume(session: Session, *, application: Application, this_month: str) -> Entitlement | None:
    """A re-review keeps on paying a case whose gradual exit (渐退) had begun. A stop not
    yet reached is withdrawn, as nothing has gone unpaid; a stop already past starts a
    new period the month after it. None when payment never stopped."""
    program, id_index = _key(application, None, None)
    if running(session, program, id_index) is not None:
        return None
    stopped = session.scalar(
        select(Entitlement)
        .where(
            Entitlement.program == program,
            Entitlement.person_id_index == id_index,
            Entitlement.end_reason == EntitlementReason.GRADUAL_EXIT,
        )
        .order_by(Entitlement.id.desc())
        .limit(1)
    )
    if stopped is None:
        return None
    if stopped.to_month >= this_month:
        stopped.to_month = stopped.end_reason = stopped.ended_at = None
        session.flush()
        return stopped
    return _open(
        session,
        program=program,
        person=person_of_period(stopped),
        monthly_amount=stopped.monthly_amount,
        from_month=months.add(stopped.to_month, 1),
        reason=EntitlementReason.REREVIEW_CONTINUED,
        application_id=stopped.application_id,
        band_min_age=stopped.band_min_age,
    )


def record_back_pay(
    session: Session, entitlement: Entitlement, owed: Iterable[tuple[str, Decimal]]
) -> list[BackPay]:
    """Months not paid while stopped, owed with `entitlement` (补发)."""
    rows = [BackPay(entitlement_id=entitlement.id, month=m, amount=a) for m, a in owed]
    session.add_all(rows)
    session.flush()
    return rows


def back_pay_of(session: Session, entitlement_ids: list[int]) -> dict[int, list[BackPay]]:
    found: dict[int, list[BackPay]] = {}
    rows = session.scalars(
        select(BackPay).where(BackPay.entitlement_id.in_(entitlement_ids)).order_by(BackPay.month)
    )
    for row in rows:
        found.setdefault(row.entitlement_id, []).append(row)
    return found


def listing(
    *, program: str | None = None, region: Region | None = None, month: str | None = None
) -> Select:
    """Periods of `program` in `region`'s subtree; with `month`, those paid that month."""
    query = select(Entitlement)
    if program:
        query = query.where(Entitlement.program == program)
    if region is not None:
        query = query.where(
            Entitlement.region_id.in_(select(Region.id).where(regions.subtree_condition(region)))
        )
    if month:
        query = query.where(
            Entitlement.from_month <= month,
            or_(Entitlement.to_month.is_(None), Entitlement.to_month >= month),
        )
    return query


def paid_in(session: Session, program: str, region: Region, month: str) -> list[Entitlement]:
    """Every period paid in `month` in `region`'s subtree: what a payment roll reads."""
    query = listing(program=program, region=region, month=month).order_by(Entitlement.id)
    return list(session.scalars(query))


READERS = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF, Role.ADMIN})
SCOPE = Scope(region_id=Entitlement.region_id, roles=READERS)


def visible_listing(
    session: Session,
    user: User,
    *,
    program: str | None,
    region_code: str | None,
    month: str | None,
) -> Select:
    """`listing` within what `user` may see (staff of the region's subtree)."""
    region = None
    if region_code:
        region = session.scalar(select(Region).where(Region.code == region_code))
        if region is None:
            raise ValidationFailed.field("region_code", "找不到该地区")
    return scope.visible(listing(program=program, region=region, month=month), SCOPE, user)
