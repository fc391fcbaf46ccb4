"""What a village agent (村级代办员) may do for a resident: only what the resident asked
them to do. The one rule, used by editing a case, its workflow actions, its uploads
and bookings made on someone's behalf.

An agent acts on a case only when they filed it on the resident's behalf (its
mandate, 委托书, is among the case's materials); a case the resident filed
themself is the resident's alone, though the agent of the village may read it. An
agent books a marriage appointment only for a resident they filed a case for.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from backend.errors import Forbidden, ValidationFailed
from backend.models import Application, Role, User

NOT_MANDATED = "代办员只能办理本人代为提交的申请;居民自行提交的申请请由本人办理"


def covers(user: User, application: Application) -> bool:
    """Whether `user` may act on the case as far as the mandate goes: anyone but an
    agent is judged by the other rules (scope, workflow roles)."""
    if user.role != Role.AGENT:
        return True
    return bool(application.on_behalf) and application.submitted_by_id == user.id


def check(user: User, application: Application) -> None:
    if not covers(user, application):
        raise Forbidden(NOT_MANDATED)


def check_booking(session: Session, booker: User, person_index: str, field: str) -> None:
    """An agent's on-behalf booking names a resident they filed a case for."""
    if booker.role != Role.AGENT:
        return
    filed = session.scalar(
        select(
            exists().where(
                Application.submitted_by_id == booker.id,
                Application.on_behalf.is_(True),
                Application.applicant_id_index == person_index,
            )
        )
    )
    if not filed:
        raise ValidationFailed.field(field, "代办员只能为本人代办过申请的居民预约")
