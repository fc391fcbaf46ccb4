"""Recording a death: every programme stops paying after the month of death (or, when
the date is unknown, as from a roster row, after the month it became known), and every
open case of the person ends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import Conflict, ValidationFailed
from backend.models import (
    DeathRecord,
    DeathSource,
    Entitlement,
    EntitlementReason,
    Region,
    RegionLevel,
    Role,
    User,
)
from backend.services import applications, audit, entitlements, months
from backend.services.crypto import current_cipher
from backend.services.identity import clean_name, parse_id_number

CASE_NOTE = "已登记死亡"


def find(session: Session, id_index: str) -> DeathRecord | None:
    return session.scalar(select(DeathRecord).where(DeathRecord.person_id_index == id_index))


def record(
    session: Session,
    *,
    name: str,
    id_number: str,
    village: Region,
    died_on: date | None,
    today: date,
    source: DeathSource,
    recorded_by: User | None = None,
    roster_import_id: int | None = None,
    ip: str | None = None,
) -> tuple[DeathRecord, bool]:
    """(the death record, whether it is new). Recording the same death again changes
    nothing."""
    name = clean_name(name, "name")
    parsed = parse_id_number(id_number, "id_number", today=today)
    if died_on is not None and not parsed.birth_date <= died_on <= today:
        raise ValidationFailed.field("died_on", "死亡日期应在出生日期与今天之间")
    cipher = current_cipher()
    id_index = cipher.blind_index(parsed.value)
    existing = find(session, id_index)
    if existing is not None:
        return existing, False
    last_month = months.of(died_on or today)
    death = DeathRecord(
        person_name=name,
        person_id_cipher=cipher.encrypt(parsed.value),
        person_id_index=id_index,
        region_id=village.id,
        died_on=died_on,
        last_paid_month=last_month,
        source=source,
        recorded_by_id=recorded_by.id if recorded_by else None,
        roster_import_id=roster_import_id,
    )
    session.add(death)
    session.flush()
    ended = stop_payments(session, id_index, last_month)
    cases = applications.end_open_cases(session, id_index, today, CASE_NOTE)
    audit.record(
        session,
        recorded_by,
        "death.record",
        death,
        ip=ip,
        note=f"{source}; 停发 {len(ended)} 项待遇,发放至 {last_month}; 终止 {cases} 件申请",
    )
    return death, True


def stop_payments(session: Session, id_index: str, last_month: str) -> list[Entitlement]:
    """End every running entitlement of the person after `last_month` (or before its
    first month, when it had not begun)."""
    ended = []
    for running in session.scalars(
        select(Entitlement).where(
            Entitlement.person_id_index == id_index, Entitlement.to_month.is_(None)
        )
    ).all():
        last = max(last_month, months.add(running.from_month, -1))
        ended.append(
            entitlements.end(
                session,
                program=running.program,
                id_index=id_index,
                last_month=last,
                reason=EntitlementReason.DEATH,
            )
        )
    return ended


RECORDERS = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF})


def record_by_staff(
    session: Session,
    staff: User,
    *,
    name: str,
    id_number: str,
    region_code: str,
    died_on: date,
    today: date,
    ip: str | None = None,
) -> DeathRecord:
    """A death reported to the township or county; 409 when it is already recorded."""
    village = session.scalar(select(Region).where(Region.code == region_code))
    if village is None or village.level != RegionLevel.VILLAGE:
        raise ValidationFailed.field("region_code", "请填写户籍所在村(社区)的区划代码")
    if staff.region is None or not staff.region.contains(village):
        raise ValidationFailed.field("region_code", "该村(社区)不在您的辖区内")
    death, new = record(
        session,
        name=name,
        id_number=id_number,
        village=village,
        died_on=died_on,
        today=today,
        source=DeathSource.STAFF,
        recorded_by=staff,
        ip=ip,
    )
    if not new:
        raise Conflict(f"此人已于 {death.created_at.date().isoformat()} 登记死亡")
    return death
