"""动态管理: an approved 低保 household is re-reviewed (复核) every
`REREVIEW_MONTHS_STABLE` months, or every `REREVIEW_MONTHS_ABLE_TO_WORK` where a
member is able to work. A re-review continues the benefit, adjusts its amount from
the next month, grants a gradual exit (渐退, at most `GRADUAL_EXIT_MAX_MONTHS` more
months paid) or terminates it. Households report a change of circumstances
themselves, which opens a re-review at once.

The steps are rows of the 低保 declaration (`programmes/dibao.py`); the rules they
apply are here.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Forbidden, ValidationFailed
from backend.models import (
    Application,
    AreaType,
    ChangeKind,
    CircumstanceChange,
    Region,
    RegionLevel,
    Role,
    User,
)
from backend.models.circumstance_change import CHANGE_KIND_LABELS
from backend.services import (
    audit,
    case_access,
    clock,
    dibao,
    households,
    notifications,
    regions,
    workflow,
)
from backend.services.case_states import Status
from backend.services.households import IncomeChange
from backend.services.roles import APPLICANT_SIDE

# While the household is paid, it may report a change (a gradual exit is still paid).
REPORTABLE_STATUSES = frozenset({Status.APPROVED, Status.EXITING})


def _setting(name: str) -> int:
    return current_app.config[name]


# ---- dates ----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (08-31 + 6 → 02-28)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def due_on(application: Application, day: date) -> date:
    """The next re-review after a decision on `day`: sooner where someone can work."""
    able_to_work = any(member.able_to_work for member in application.members)
    months = _setting("REREVIEW_MONTHS_ABLE_TO_WORK" if able_to_work else "REREVIEW_MONTHS_STABLE")
    return add_months(day, months)


def exit_month(day: date, months: int) -> str:
    """渐退 decided on `day`: the amount is paid `months` more months, from the next."""
    longest = _setting("GRADUAL_EXIT_MAX_MONTHS")
    if not 1 <= months <= longest:
        raise ValidationFailed.field("data.months", f"渐退期应为1到{longest}个月")
    return month_of(add_months(day.replace(day=1), months))


def last_month_paid(application: Application, day: date) -> str:
    """A case terminated on `day` is paid for this month, or up to its exit if sooner."""
    this_month = month_of(day)
    if application.exit_month and application.exit_month < this_month:
        return application.exit_month
    return this_month


# ---- adjusting the amount (调整) --------------------------------------------------------


def adjust(
    session: Session, application: Application, changes: Sequence[IncomeChange], day: date
) -> None:
    """New incomes for the members named; the amount under the standard in force on
    `day`, paid from the next month. A household no longer below the standard cannot
    be adjusted: the county grants a gradual exit or terminates instead."""
    members = {member.id: member for member in application.members}
    seen: set[int] = set()
    for position, change in enumerate(changes):
        where = f"data.members.{position}"
        member = members.get(change.member_id)
        if member is None:
            raise ValidationFailed.field(f"{where}.member_id", "该成员不属于本户")
        if change.member_id in seen:
            raise ValidationFailed.field(f"{where}.member_id", "同一成员不能重复调整")
        seen.add(change.member_id)
        households.check_sources(change, where)
        member.monthly_income = change.monthly_income
        member.income_sources = households.stored_sources(change.income_sources)
    result = dibao.estimate(
        session,
        regions.county_of(session, application.region),
        AreaType(application.area_type),
        households.incomes(application),
        day,
    )
    if not result.eligible:
        raise ActionNotAllowed(
            f"调整后家庭月人均收入 {result.per_capita_income} 元不低于低保标准 "
            f"{result.standard_monthly} 元,已不符合条件,请选择渐退或终止保障"
        )
    application.monthly_amount = result.monthly_amount
    application.amount_from = dibao.month_after(day)


# ---- daily rules ----------------------------------------------------------------------


def open_due_rereviews(session: Session, day: date) -> dict[str, Any]:
    """Daily rule: an approved case due for re-review on or before `day` is opened.

    Idempotent: an opened case is no longer `approved`, so a re-run opens nothing.
    """
    due = session.scalars(
        select(Application)
        .where(Application.status == Status.APPROVED, Application.rereview_due_on <= day)
        .order_by(Application.id)
    ).all()
    return {"opened": workflow.advance_each(session, due, "start_rereview", day, "复核到期")}


def end_gradual_exits(session: Session, day: date) -> dict[str, Any]:
    """Daily rule: a gradual exit whose last paid month is over ends in termination.

    Idempotent: an ended case is no longer `exiting`, so a re-run ends nothing.
    """
    ended = session.scalars(
        select(Application)
        .where(Application.status == Status.EXITING, Application.exit_month < month_of(day))
        .order_by(Application.id)
    ).all()
    return {"ended": workflow.advance_each(session, ended, "end_gradual_exit", day)}


# ---- changes the household reports ----------------------------------------------------


def report_change(
    session: Session,
    reporter: User,
    application_id: int,
    *,
    kind: ChangeKind,
    description: str,
    happened_on: date,
    ip: str | None = None,
    today: date | None = None,
) -> CircumstanceChange:
    """The resident or the agent who applied reports a change: it is recorded, the case
    goes to re-review at once, and the township's staff are told."""
    today = today or clock.today()
    application = case_access.get(session, reporter, application_id)
    _check_reporter(application, reporter)
    if application.status not in REPORTABLE_STATUSES or not workflow.system_may(
        application, "start_rereview"
    ):
        raise ActionNotAllowed("只有正在享受低保的家庭可以报告情况变化")
    _check_happened_on(application, happened_on, today)
    change = CircumstanceChange(
        application_id=application.id,
        reported_by_id=reporter.id,
        kind=kind,
        description=description,
        happened_on=happened_on,
    )
    session.add(change)
    session.flush()
    audit.record(
        session,
        reporter,
        "application.report_change",
        application,
        ip=ip,
        subject_user_id=application.owner_id,
        note=kind,
    )
    workflow.advance(session, application, "start_rereview", today, comment=_on_timeline(change))
    _tell_township(session, application, change)
    return change


def _on_timeline(change: CircumstanceChange) -> str:
    """The report as the timeline shows it (the whole text stays with the report)."""
    kind = CHANGE_KIND_LABELS[ChangeKind(change.kind)]
    return workflow.timeline_comment(f"报告{kind}:{change.description}")


def _check_reporter(application: Application, reporter: User) -> None:
    """A resident sees only their own cases; an agent reports only for cases they applied."""
    if reporter.role not in APPLICANT_SIDE or (
        reporter.role == Role.AGENT and application.submitted_by_id != reporter.id
    ):
        raise Forbidden("只有申请人本人或代办该申请的代办员可以报告情况变化")


def _check_happened_on(application: Application, happened_on: date, today: date) -> None:
    if happened_on > today:
        raise ValidationFailed.field("happened_on", "变化发生日期不能晚于今天")
    approved_on = _approval_day(application)
    if approved_on and happened_on < approved_on:
        raise ValidationFailed.field(
            "happened_on", f"变化发生日期不能早于批准日期 {approved_on.isoformat()}"
        )


def _approval_day(application: Application) -> date | None:
    """The Shanghai date of the county's approval (the latest, should there be several)."""
    approvals = [e for e in application.events if e.action == "county_approve"]
    return clock.shanghai_date(approvals[-1].created_at) if approvals else None


def _tell_township(session: Session, application: Application, change: CircumstanceChange) -> None:
    """The staff of the township the household's village lies in, who re-review it."""
    codes = application.region.path.rstrip("/").split("/")
    staff = session.scalars(
        select(User)
        .join(Region, Region.id == User.region_id)
        .where(
            User.role == Role.TOWNSHIP_STAFF,
            User.is_active,
            Region.code.in_(codes),
            Region.level == RegionLevel.TOWNSHIP,
        )
        .order_by(User.id)
    )
    data = {
        **workflow.notice_data(application, ""),
        "change_id": change.id,
        "kind": change.kind,
        "kind_label": CHANGE_KIND_LABELS[ChangeKind(change.kind)],
    }
    for user in staff:
        notifications.notify(session, user, "circumstance_reported", data)


def changes_of(session: Session, user: User, application_id: int) -> Select:
    """The changes reported for a case the user may see (paged by the caller)."""
    application = case_access.get(session, user, application_id)
    return select(CircumstanceChange).where(CircumstanceChange.application_id == application.id)
