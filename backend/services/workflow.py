"""Application state machines as data: each transition names the states it leaves,
the state it reaches, the roles that may take it, the checks that must pass first
and the effects it has on the case. `allowed_actions` and `perform` read the same
table, so what a client is offered is what it may do.

Every step is recorded on the case's timeline, audited, and told to the applicant
side (the resident, once they have an account, and the agent who applied).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from backend.errors import ActionNotAllowed, StaleVersion, ValidationFailed
from backend.models import (
    Application,
    ApplicationEvent,
    AreaType,
    Investigation,
    Role,
    User,
)
from backend.services import (
    agent_mandate,
    attachments,
    audit,
    clock,
    dibao,
    households,
    notifications,
    regions,
    relatives,
    rereview,
    workdays,
)
from backend.services.crypto import current_cipher, mask_id_number
from backend.services.identity import clean_name

log = logging.getLogger(__name__)

# A case in one of these is over: nothing more happens to it.
FINAL_STATUSES = frozenset({"withdrawn", "rejected", "terminated"})
# 保障中: the household is paid, whether or not a re-review or a gradual exit is under way.
PAID_STATUSES = frozenset({"approved", "under_rereview", "exiting"})
APPLICANT_SIDE = frozenset({Role.CITIZEN, Role.AGENT})
TOWNSHIP = frozenset({Role.TOWNSHIP_STAFF})
COUNTY = frozenset({Role.COUNTY_STAFF})
# The daily rule (and what residents report) moves a case as the system; no user has
# this role, so a row taken by the system alone is never offered to anyone.
SYSTEM_ROLE = "system"
SYSTEM = frozenset({SYSTEM_ROLE})
# Decisions against the household: each states the way to appeal.
APPEALABLE_STATUSES = frozenset({"rejected", "exiting", "terminated"})

STALE = "该申请已被他人更新,请刷新后重试"
APPEAL_NOTICE = "如对决定不服,可在收到决定之日起60日内申请行政复议,或在6个月内提起行政诉讼。"


@dataclass(frozen=True)
class Step:
    """What a check or an effect of a transition sees: the case and the request."""

    session: Session
    application: Application
    actor: User | None
    comment: str
    data: Mapping[str, Any]
    today: date


# A check raises when the step may not happen now; an effect changes the case.
Check = Callable[[Step], None]
Effect = Callable[[Step], None]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the case stays where it is (a longer deadline)
    roles: frozenset[str]  # user roles, and SYSTEM_ROLE for steps the system takes
    needs_comment: bool = False  # 补正, objections and refusals must say why
    data: str | None = None  # the name of the `data` the action carries (API schemas)
    fresh: bool = False  # a decision: the password entered again moments ago
    requires: tuple[Check, ...] = ()
    effects: tuple[Effect, ...] = ()


def _setting(name: str) -> int:
    return current_app.config[name]


# ---- checks -----------------------------------------------------------------------


def materials_complete(step: Step) -> None:
    """一次性告知: every outstanding material is named at once."""
    missing = attachments.missing_materials(step.session, step.application)
    if missing:
        raise ActionNotAllowed(
            attachments.materials_notice(missing),
            {"missing_materials": [asdict(m) for m in missing]},
        )


def county_visit_if_relative(step: Step) -> None:
    """近亲属备案: a staff member's relative is visited by the county before approval."""
    session, application = step.session, step.application
    if application.id in relatives.flagged(session, [application]) and not (
        relatives.county_has_visited(session, application)
    ):
        raise ActionNotAllowed(
            "申请人或家庭成员为工作人员或村干部的近亲属,须经县级入户核查后方可审核"
        )


def not_yet_extended(step: Step) -> None:
    if step.application.deadline_extended:
        raise ActionNotAllowed("办理期限已延长过,不能再次延长")


def county_decides_for_relatives(step: Step) -> None:
    """近亲属备案: a staff member's relative stays on benefit only by the county's word."""
    session, application = step.session, step.application
    if step.actor.role in TOWNSHIP and application.id in relatives.flagged(session, [application]):
        raise ActionNotAllowed("申请人或家庭成员为工作人员或村干部的近亲属,复核结论须由县级作出")


# ---- effects ----------------------------------------------------------------------


def start_township_clock(step: Step) -> None:
    """The township has `TOWNSHIP_REVIEW_WORKDAYS` working days from today."""
    step.application.deadline = workdays.load_calendar(step.session).add_working_days(
        step.today, _setting("TOWNSHIP_REVIEW_WORKDAYS")
    )


def receive(step: Step) -> None:
    """收件: a case not answered counts as accepted from the day it was received, so the
    township's review period runs from today until it accepts or returns the case."""
    step.application.submitted_at = clock.now()
    start_township_clock(step)


def accept(step: Step) -> None:
    """受理: the review period runs again from the day of acceptance."""
    step.application.accepted_on = step.today
    start_township_clock(step)


def record_investigation(step: Step) -> None:
    data = step.data
    names = [
        clean_name(name, f"data.investigators.{position}")
        for position, name in enumerate(data["investigators"])
    ]
    if len(set(names)) != len(names):
        raise ValidationFailed.field(
            "data.investigators", "调查人员不能重复,至少需要两名不同的人员"
        )
    if step.application.accepted_on and data["visited_on"] < step.application.accepted_on:
        raise ValidationFailed.field("data.visited_on", "入户调查日期不能早于受理日期")
    step.session.add(
        Investigation(
            application=step.application,
            investigators=names,
            visited_on=data["visited_on"],
            findings=data["findings"],
            recorded_by_id=step.actor.id,
        )
    )


def start_publicity(step: Step) -> None:
    """公示 from the day after the township's approval, with the proposed amount; the
    clock now runs to the county's decision."""
    application = step.application
    application.publicity_ends_on = step.today + timedelta(days=_setting("PUBLICITY_DAYS"))
    application.monthly_amount = _household_estimate(step).monthly_amount
    set_decision_deadline(step)


def withdraw_publicity(step: Step) -> None:
    """An objection takes the case off the notice until it is approved again."""
    step.application.publicity_ends_on = None
    step.application.monthly_amount = None


def extend_deadline(step: Step) -> None:
    """The decision may take 45 working days; during the township's review its own 10
    still run, and the longer decision deadline applies once the township approves."""
    step.application.deadline_extended = True
    if step.application.status in AWAITING_DECISION:
        set_decision_deadline(step)


def stop_clock(step: Step) -> None:
    """The office no longer owes an answer (decided, or back with the applicant): the
    case leaves the top of the queue, which lists running deadlines first."""
    step.application.deadline = None


def set_decision_deadline(step: Step) -> None:
    application = step.application
    workdays_allowed = _setting(
        "DECISION_EXTENDED_WORKDAYS" if application.deadline_extended else "DECISION_WORKDAYS"
    )
    application.deadline = workdays.load_calendar(step.session).add_working_days(
        application.accepted_on, workdays_allowed
    )


def approve(step: Step) -> None:
    """The county fixes the amount under the standard in force on the day it decides."""
    application = step.application
    decision = dibao.decide(
        step.session,
        regions.county_of(step.session, application.region),
        AreaType(application.area_type),
        households.incomes(application),
        step.today,
    )
    application.monthly_amount = decision.monthly_amount
    application.start_month = application.amount_from = decision.start_month
    application.decision_reason = None


def reject(step: Step) -> None:
    step.application.decision_reason = step.comment
    step.application.monthly_amount = None


# 动态管理: the rules themselves are in `rereview`; these apply them to the case.


def schedule_rereview(step: Step) -> None:
    """Paid in full from now on: the next re-review falls due, no exit is pending."""
    application = step.application
    application.rereview_due_on = rereview.due_on(application, step.today)
    application.exit_month = None


def adjust_amount(step: Step) -> None:
    rereview.adjust(step.session, step.application, step.data["members"], step.today)


def start_gradual_exit(step: Step) -> None:
    application = step.application
    application.exit_month = rereview.exit_month(step.today, step.data["months"])
    application.rereview_due_on = None
    application.decision_reason = step.comment


def terminate(step: Step) -> None:
    application = step.application
    application.exit_month = rereview.last_month_paid(application, step.today)
    application.rereview_due_on = None
    application.decision_reason = step.comment


def end_gradual_exit(step: Step) -> None:
    step.application.decision_reason = "渐退期满,停止保障"


def _household_estimate(step: Step) -> dibao.Estimate:
    application = step.application
    return dibao.estimate(
        step.session,
        regions.county_of(step.session, application.region),
        AreaType(application.area_type),
        households.incomes(application),
        step.today,
    )


def _t(action, sources, target, roles, **rules) -> Transition:
    return Transition(action, frozenset(sources), target, roles, **rules)


AWAITING_DECISION = {"publicizing", "pending_confirmation"}  # the township has approved
BEFORE_DECISION = {"accepted", "investigated", *AWAITING_DECISION}

TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", {"draft"}, "submitted", APPLICANT_SIDE, effects=(receive,)),
    _t("resubmit", {"returned"}, "submitted", APPLICANT_SIDE, effects=(receive,)),
    _t(
        "withdraw",
        {"draft", "submitted", "returned"},
        "withdrawn",
        APPLICANT_SIDE,
        effects=(stop_clock,),
    ),
    _t("accept", {"submitted"}, "accepted", TOWNSHIP, effects=(accept,)),  # 受理
    _t(
        "return",
        {"submitted", "accepted"},
        "returned",
        TOWNSHIP,
        needs_comment=True,
        effects=(stop_clock,),
    ),
    _t(
        "record_investigation",
        {"accepted"},
        "investigated",
        TOWNSHIP,
        data="investigation",
        effects=(record_investigation,),
    ),
    _t(
        "township_approve",
        {"investigated"},
        "publicizing",
        TOWNSHIP,
        requires=(materials_complete, county_visit_if_relative),
        effects=(start_publicity,),
    ),
    _t(
        "record_county_investigation",  # the county's own visit, for flagged households
        {"investigated"},
        None,
        COUNTY,
        data="investigation",
        effects=(record_investigation,),
    ),
    _t(
        "register_objection",
        {"publicizing"},
        "investigated",
        TOWNSHIP | COUNTY,
        needs_comment=True,
        effects=(withdraw_publicity,),
    ),
    _t("end_publicity", {"publicizing"}, "pending_confirmation", SYSTEM),
    _t(
        "extend_deadline",
        BEFORE_DECISION,
        None,
        COUNTY,
        needs_comment=True,
        requires=(not_yet_extended,),
        effects=(extend_deadline,),
    ),
    _t(
        "county_approve",
        {"pending_confirmation"},
        "approved",
        COUNTY,
        fresh=True,
        # A material sent back for re-upload after the township's approval blocks it too.
        requires=(materials_complete,),
        effects=(approve, stop_clock, schedule_rereview),
    ),
    _t(
        "county_reject",
        {"pending_confirmation"},
        "rejected",
        COUNTY,
        needs_comment=True,
        fresh=True,
        effects=(reject, stop_clock),
    ),
    # 动态管理: a re-review falls due (daily rule), staff open one, or a report does.
    _t(
        "start_rereview",
        {"approved", "exiting"},
        "under_rereview",
        TOWNSHIP | SYSTEM,
        effects=(start_township_clock,),  # 复核: the same working days as a new case
    ),
    _t(
        "continue",  # 维持
        {"under_rereview"},
        "approved",
        TOWNSHIP | COUNTY,
        requires=(county_decides_for_relatives,),
        effects=(stop_clock, schedule_rereview),
    ),
    _t(
        "adjust",  # 调整保障金
        {"under_rereview"},
        "approved",
        COUNTY,
        data="adjustment",
        fresh=True,
        effects=(adjust_amount, stop_clock, schedule_rereview),
    ),
    _t(
        "gradual_exit",  # 渐退
        {"under_rereview"},
        "exiting",
        COUNTY,
        needs_comment=True,
        data="gradual_exit",
        fresh=True,
        effects=(stop_clock, start_gradual_exit),
    ),
    _t(
        "terminate",  # 终止
        {"approved", "under_rereview", "exiting"},
        "terminated",
        COUNTY,
        needs_comment=True,
        fresh=True,
        effects=(terminate, stop_clock),
    ),
    _t("end_gradual_exit", {"exiting"}, "terminated", SYSTEM, effects=(end_gradual_exit,)),
)

# What people may ask for; the system's own steps are not among them.
ACTIONS = tuple(sorted({t.action for t in TRANSITIONS if t.roles - SYSTEM}))


def transition_named(action: str) -> Transition | None:
    """The first row of `action` (rows of one action agree on `data` and `fresh`)."""
    return next((t for t in TRANSITIONS if t.action == action), None)


def allowed_actions(application: Application, user: User) -> list[str]:
    return list(_actions_open(application.status, user.role))


@cache  # a handful of statuses times a handful of roles; asked for every row of a queue
def _actions_open(status: str, role: str) -> tuple[str, ...]:
    return tuple(t.action for t in TRANSITIONS if status in t.sources and role in t.roles)


def _transition(application: Application, action: str, user: User) -> Transition:
    for t in TRANSITIONS:
        if t.action == action and application.status in t.sources and user.role in t.roles:
            return t
    raise ActionNotAllowed(f"当前状态下不能执行该操作:{action}")


def perform(
    session: Session,
    application: Application,
    user: User,
    action: str,
    version: int,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
    ip: str | None = None,
    today: date | None = None,
) -> Application:
    """Take `action` on the case as `user`; 409 when stale or not allowed now."""
    agent_mandate.check(user, application)
    check_version(application, version)
    transition = _transition(application, action, user)
    if transition.needs_comment and not comment.strip():
        raise ValidationFailed.field("comment", "请填写原因或需要补正的内容")
    step = Step(session, application, user, comment.strip(), data or {}, today or clock.today())
    _take(step, transition, ip)
    return application


def timeline_comment(text: str) -> str:
    """`text` cut to what a timeline entry holds (the whole stays with its source)."""
    longest = ApplicationEvent.comment.type.length
    return text if len(text) <= longest else text[: longest - 1] + "…"


def advance(
    session: Session, application: Application, action: str, today: date, comment: str = ""
) -> None:
    """A step the system takes (a daily rule, a resident's report), with `comment` on the
    case's timeline."""
    transition = next(
        t
        for t in TRANSITIONS
        if t.action == action and SYSTEM_ROLE in t.roles and application.status in t.sources
    )
    _take(Step(session, application, None, comment, {}, today), transition, ip=None)


def advance_each(
    session: Session,
    applications: Sequence[Application],
    action: str,
    today: date,
    comment: str = "",
) -> int:
    """`advance` every case, each in a savepoint; return how many moved.

    A case that staff changed at the same instant (a stale version) is left as they
    made it, and the rule finds it again on its next run if it still applies: one busy
    case never undoes the day's other steps.
    """
    moved = 0
    for application in applications:
        try:
            with session.begin_nested():
                advance(session, application, action, today, comment)
        except StaleVersion:
            log.warning(
                "%s of case %s left for the next run: changed meanwhile", action, application.id
            )
            continue
        moved += 1
    return moved


def _take(step: Step, transition: Transition, ip: str | None) -> None:
    session, application = step.session, step.application
    for check in transition.requires:
        check(step)
    for effect in transition.effects:
        effect(step)
    before = application.status
    application.status = transition.target or before
    application.bump_version()
    put_on_timeline(session, application, step.actor, transition.action, before, step.comment, ip)
    _tell_applicant_side(session, application, transition.action, step.comment)


def check_version(application: Application, version: int) -> None:
    """The version the client read: another's change since then is a 409, never overwritten."""
    if version != application.version:
        raise StaleVersion(STALE)


def put_on_timeline(
    session: Session,
    application: Application,
    actor: User | None,
    action: str,
    before: str | None,
    comment: str,
    ip: str | None,
) -> None:
    """Record a step of the case on its timeline and the audit log.

    The flush is where a change another request committed meanwhile shows, as a stale
    version (409); the caller rolls back (the request's error handler, a batch, a
    savepoint).
    """
    session.add(
        ApplicationEvent(
            application=application,
            action=action,
            from_status=before,
            to_status=application.status,
            actor_id=actor.id if actor else None,
            actor_role=actor.role if actor else SYSTEM_ROLE,
            comment=comment,
        )
    )
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(STALE) from None
    record_step(session, application, actor, action, before, ip)


def _tell_applicant_side(
    session: Session, application: Application, action: str, comment: str
) -> None:
    """The resident (once they have an account) and the agent who applied, each once."""
    ids = {application.owner_id, application.submitted_by_id} - {None}
    recipients = session.scalars(
        select(User).where(User.id.in_(ids), User.role.in_(APPLICANT_SIDE)).order_by(User.id)
    )
    data = notice_data(application, comment)
    for user in recipients:
        notifications.notify(session, user, f"case_{action}", data)


def notice_data(application: Application, comment: str) -> dict[str, Any]:
    """What the case's notifications may say: no identity or phone numbers."""
    return {
        "application_id": application.id,
        "application_number": application.number,
        "status": application.status,
        "comment": comment,
        "deadline": application.deadline.isoformat() if application.deadline else "",
        "publicity_ends_on": (
            application.publicity_ends_on.isoformat() if application.publicity_ends_on else ""
        ),
        "monthly_amount": f"{application.monthly_amount:.2f}"
        if application.monthly_amount is not None
        else "",
        "start_month": application.start_month or "",
        "amount_from": application.amount_from or "",
        "rereview_due_on": (
            application.rereview_due_on.isoformat() if application.rereview_due_on else ""
        ),
        "exit_month": application.exit_month or "",
        "appeal": APPEAL_NOTICE,
    }


def record_step(
    session: Session,
    application: Application,
    actor: User | None,
    action: str,
    before: str | None,
    ip: str | None,
) -> None:
    """Put a step of the case on the audit log; a step taken for a resident names them."""
    note = ""
    if application.on_behalf:
        applicant = mask_id_number(current_cipher().decrypt(application.applicant_id_cipher))
        note = f"代办,申请人 {applicant}"
    audit.record(
        session,
        actor,
        f"application.{action}",
        application,
        ip=ip,
        before=before,
        after=application.status,
        subject_user_id=application.owner_id,
        note=note,
    )
