"""离婚冷静期 (民法典 第1077条).

自婚姻登记机关收到离婚登记申请之日起三十日内,任何一方不愿意离婚的,可以撤回申请;
期限届满后三十日内,双方应当亲自到婚姻登记机关申请发给离婚证;未申请的,视为撤回。

Periods count from the day after the application is registered, and a period whose
last day is a holiday ends on the next working day (民法典 第201条、第203条).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, NotFound, ValidationFailed
from backend.models import User
from backend.models.marriage import Appointment, DivorceApplication, DivorceStatus
from backend.services import roles
from backend.services.marriage import offices
from backend.services.workdays import WorkCalendar, load_calendar

COOLING_OFF_DAYS = 30
CERTIFICATE_DAYS = 30


def periods(calendar: WorkCalendar, registered_on: date) -> tuple[date, date]:
    """(last day of the cooling-off, last day to ask for the certificate)."""
    cooling_off_ends = calendar.next_working_day(registered_on + timedelta(COOLING_OFF_DAYS))
    deadline = calendar.next_working_day(cooling_off_ends + timedelta(CERTIFICATE_DAYS))
    return cooling_off_ends, deadline


def register(session: Session, appointment: Appointment, today: date) -> DivorceApplication:
    """A completed divorce appointment registers the application."""
    ends, deadline = periods(load_calendar(session), today)
    a, b = (party.id_number_index for party in appointment.parties)
    application = DivorceApplication(
        office_id=appointment.slot.office_id,
        party_a_index=a,
        party_b_index=b,
        registered_on=today,
        cooling_off_ends=ends,
        certificate_deadline=deadline,
        status=DivorceStatus.COOLING_OFF,
    )
    session.add(application)
    session.flush()
    return application


def application_for_certificate(
    session: Session, office_id: int, indexes: Sequence[str], day: date
) -> DivorceApplication:
    """The couple's application that a certificate appointment on `day` concludes."""
    if len(indexes) != 2:
        raise ValidationFailed.field("party_b", "领取离婚证须双方共同预约")
    a, b = indexes
    application = session.scalar(
        select(DivorceApplication).where(
            DivorceApplication.status == DivorceStatus.COOLING_OFF,
            or_(
                (DivorceApplication.party_a_index == a) & (DivorceApplication.party_b_index == b),
                (DivorceApplication.party_a_index == b) & (DivorceApplication.party_b_index == a),
            ),
        )
    )
    if application is None:
        raise ValidationFailed.field("service", "未找到双方进行中的离婚登记申请,请先预约离婚登记")
    if application.office_id != office_id:
        raise ValidationFailed.field("slot_id", "领取离婚证须在受理离婚申请的登记处办理")
    if day <= application.cooling_off_ends:
        raise ValidationFailed.field(
            "slot_id",
            f"离婚冷静期至 {application.cooling_off_ends.isoformat()} 届满,"
            "届满后方可预约领取离婚证",
        )
    if day > application.certificate_deadline:
        raise ValidationFailed.field(
            "slot_id",
            f"应在 {application.certificate_deadline.isoformat()} 前领取离婚证,该日期已超期",
        )
    return application


def certify(session: Session, application_id: int | None) -> None:
    session.execute(
        update(DivorceApplication)
        .where(
            DivorceApplication.id == application_id,
            DivorceApplication.status == DivorceStatus.COOLING_OFF,
        )
        .values(status=DivorceStatus.CERTIFIED),
        execution_options={"synchronize_session": "evaluate"},
    )


def get_for(session: Session, user: User, application_id: int | None) -> DivorceApplication:
    """The application, for one of its parties or staff of its office."""
    application = session.get(DivorceApplication, application_id) if application_id else None
    if application is None:
        raise NotFound("找不到该离婚登记申请")
    if user.role in roles.REGISTRY_MANAGERS:
        allowed = offices.manages(session, user, application.office_id)
    else:
        allowed = user.real_name_verified and application.involves(user.id_number_index or "")
    if allowed:
        return application
    raise NotFound("找不到该离婚登记申请")


def withdraw(application: DivorceApplication, today: date) -> DivorceApplication:
    """Either party may withdraw during the cooling-off."""
    if application.status != DivorceStatus.COOLING_OFF:
        raise ActionNotAllowed("该离婚登记申请已结束,不能撤回")
    if today > application.cooling_off_ends:
        raise ActionNotAllowed(
            f"离婚冷静期已于 {application.cooling_off_ends.isoformat()} 届满,不能再撤回;"
            "届满后30日内未领证的,视为撤回"
        )
    _end(application, "party")
    return application


def lapse(session: Session, day: date) -> dict[str, int]:
    """Daily rule: no certificate asked for in the 30 days → deemed withdrawn."""
    lapsed = session.scalars(
        select(DivorceApplication).where(
            DivorceApplication.status == DivorceStatus.COOLING_OFF,
            DivorceApplication.certificate_deadline < day,
        )
    ).all()
    for application in lapsed:
        _end(application, "lapsed")
    return {"withdrawn": len(lapsed)}


def _end(application: DivorceApplication, reason: str) -> None:
    application.status = DivorceStatus.WITHDRAWN
    application.withdrawn_reason = reason
