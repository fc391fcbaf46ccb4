"""生存认证 for 高龄津贴: in the configured months (`LIVENESS_CHECK_MONTHS`, May and
November by default) every recipient confirms being alive within the month, by a
selfie checked by the attachments pipeline or by their village agent's visit record.

A check month missed stops payment from the next month (`stop_missed`, a daily rule
that runs on any day of that next month). A confirmation made later restarts payment
from its own month at the band then in force, and records the months in between as
owed (补发), at the band of each month.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import BinaryIO
from uuid import uuid4

from flask import current_app
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from backend.errors import ValidationFailed
from backend.jobs.queue import enqueue
from backend.models import (
    ApplicationType,
    ElderlyBand,
    Entitlement,
    EntitlementReason,
    LivenessCheck,
    LivenessMethod,
    LivenessStatus,
    Region,
    Role,
    User,
)
from backend.services import (
    clock,
    elderly_bands,
    entitlements,
    months,
    notifications,
    regions,
    scope,
)
from backend.services.attachment_pipeline import Limits, process
from backend.services.crypto import current_cipher
from backend.services.identity import parse_id_number
from backend.services.scope import Scope
from backend.services.storage import Storage

PROGRAM = ApplicationType.ELDERLY_ALLOWANCE
# The person sees their own checks, agents those of their village, staff their region's.
SCOPE = Scope(
    region_id=LivenessCheck.region_id,
    owner_id_index=LivenessCheck.person_id_index,
    submitted_by_id=LivenessCheck.recorded_by_id,
)
VISITORS = frozenset({Role.AGENT})


def check_months() -> tuple[int, ...]:
    return current_app.config["LIVENESS_CHECK_MONTHS"]


def latest_period(session: Session, id_index: str) -> Entitlement | None:
    return session.scalar(
        select(Entitlement)
        .where(Entitlement.program == PROGRAM, Entitlement.person_id_index == id_index)
        .order_by(Entitlement.id.desc())
        .limit(1)
    )


def _enrolled(session: Session, id_index: str, field: str) -> Entitlement:
    """The person's latest 高龄津贴 period: running, or stopped by a missed check."""
    period = latest_period(session, id_index)
    if period is None or (
        period.to_month is not None and period.end_reason != EntitlementReason.LIVENESS_STOP
    ):
        raise ValidationFailed.field(field, "此人未在领取高龄津贴,无需生存认证")
    return period


# Recording ------------------------------------------------------------------------


def record_visit(
    session: Session, agent: User, *, id_number: str, visited_on: date, note: str, today: date
) -> LivenessCheck:
    """The agent saw the person this month (上门认证): confirmed at once."""
    parsed = parse_id_number(id_number, "id_number", today=today)
    if not (today.replace(day=1) <= visited_on <= today):
        raise ValidationFailed.field("visited_on", "上门认证应在本月内、今天或之前")
    id_index = current_cipher().blind_index(parsed.value)
    period = _enrolled(session, id_index, "id_number")
    village = session.get(Region, period.region_id)
    if agent.region is None or not agent.region.contains(village):
        raise ValidationFailed.field("id_number", "此人不在您负责的村(社区)")
    check = LivenessCheck(
        person_id_index=id_index,
        region_id=period.region_id,
        month=months.of(visited_on),
        method=LivenessMethod.VISIT,
        visited_on=visited_on,
        visit_note=note,
        recorded_by_id=agent.id,
    )
    session.add(check)
    confirm(session, check, today)
    return check


def take_selfie(
    session: Session,
    person: User,
    stream: BinaryIO,
    store: Storage,
    max_bytes: int,
    today: date,
) -> LivenessCheck:
    """The person's own selfie, stored and left `pending` for the pipeline's job."""
    if not person.real_name_verified or person.id_number_index is None:
        raise ValidationFailed.field("file", "请先完成实名认证")
    period = _enrolled(session, person.id_number_index, "file")
    key = f"{uuid4().hex}.selfie"
    if store.save(key, stream, max_bytes) == 0:
        store.delete(key)
        raise ValidationFailed.field("file", "文件为空")
    check = LivenessCheck(
        person_id_index=person.id_number_index,
        region_id=period.region_id,
        month=months.of(today),
        method=LivenessMethod.SELFIE,
        selfie_key=key,
        recorded_by_id=person.id,
    )
    session.add(check)
    session.flush()
    return check


def check_selfie(
    session: Session, check_id: int, store: Storage, limits: Limits, today: date
) -> LivenessCheck | None:
    """The job's work: the attachments pipeline decides whether the selfie is a usable
    photo; a usable one confirms the person for its month."""
    check = session.get(LivenessCheck, check_id)
    if check is None or check.status != LivenessStatus.PENDING:
        return None
    with store.local_path(check.selfie_key) as path:
        result = process(path, limits)
    if result.rejection:
        check.status = LivenessStatus.REJECTED
        check.reason = result.rejection
        return check
    if result.content_type == "application/pdf":
        check.status = LivenessStatus.REJECTED
        check.reason = "请上传本人照片"
        return check
    confirm(session, check, today)
    return check


def get(session: Session, user: User, check_id: int) -> LivenessCheck:
    return scope.get_visible(session, LivenessCheck, check_id, SCOPE, user)


# Confirming, stopping, restarting ----------------------------------------------------


def confirm(session: Session, check: LivenessCheck, today: date) -> None:
    """Mark the check confirmed; a person whose payment a missed check stopped is paid
    again from this month, and the months in between are owed."""
    check.status = LivenessStatus.CONFIRMED
    check.confirmed_at = clock.now()
    session.flush()
    period = latest_period(session, check.person_id_index)
    if period is None or period.end_reason != EntitlementReason.LIVENESS_STOP:
        return
    restart(session, period, months.of(today))


def _bands_of(session: Session, period: Entitlement) -> list[ElderlyBand]:
    county = regions.county_of(session, session.get(Region, period.region_id))
    return list(session.scalars(select(ElderlyBand).where(ElderlyBand.county_id == county.id)))


def restart(session: Session, stopped: Entitlement, month: str) -> Entitlement | None:
    bands = _bands_of(session, stopped)
    birth = months.first_day(stopped.birth_month)
    band = elderly_bands.band_in(bands, birth, month)
    if band is None:
        return None
    restarted = entitlements.start(
        session,
        program=PROGRAM,
        person=entitlements.person_of_period(stopped),
        monthly_amount=band.monthly_amount,
        from_month=month,
        reason=EntitlementReason.LIVENESS_RESTORED,
        band_min_age=band.min_age,
    )
    restarted.application_id = stopped.application_id
    owed = []
    for missed in months.between(months.add(stopped.to_month, 1), months.add(month, -1)):
        missed_band = elderly_bands.band_in(bands, birth, missed)
        if missed_band is not None:
            owed.append((missed, missed_band.monthly_amount))
    entitlements.record_back_pay(session, restarted, owed)
    _tell(
        session,
        stopped.person_id_index,
        "liveness_restored",
        {
            "from_month": month,
            "back_pay_months": len(owed),
            "back_pay_amount": f"{sum((a for _, a in owed), Decimal('0.00')):.2f}",
        },
    )
    return restarted


def stop_missed(session: Session, day: date) -> dict:
    """The daily rule: in the month after a check month, stop paying everyone enrolled
    before it who did not confirm within it."""
    checked = months.add(months.of(day), -1)
    if int(checked[5:]) not in check_months():
        return {"stopped": 0}
    confirmed = exists().where(
        and_(
            LivenessCheck.person_id_index == Entitlement.person_id_index,
            LivenessCheck.month == checked,
            LivenessCheck.status == LivenessStatus.CONFIRMED,
        )
    )
    missed = session.scalars(
        select(Entitlement).where(
            Entitlement.program == PROGRAM,
            Entitlement.to_month.is_(None),
            Entitlement.from_month < checked,
            ~confirmed,
        )
    ).all()
    for period in missed:
        entitlements.end(
            session,
            program=PROGRAM,
            id_index=period.person_id_index,
            last_month=checked,
            reason=EntitlementReason.LIVENESS_STOP,
        )
        _tell(
            session,
            period.person_id_index,
            "liveness_stopped",
            {"month": checked, "stop_month": months.of(day)},
        )
    return {"stopped": len(missed)}


def _tell(session: Session, id_index: str, event: str, data: dict) -> None:
    for user in session.scalars(
        select(User).where(User.id_number_index == id_index, User.real_name_verified)
    ):
        notifications.notify(session, user, event, data)


def request_check(check_id: int) -> None:
    """Queue the selfie's check (after the row is committed)."""
    enqueue("liveness.check_selfie", check_id)
