"""低保 declared: the household's case from filing to the county's decision, publicity
(公示) in between, then dynamic management (动态管理) while it is paid. The amount
rules are in `services/dibao.py`, the re-review rules in `services/rereview.py`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from backend.errors import ActionNotAllowed
from backend.models import ApplicationType, AreaType, EntitlementReason
from backend.models.attachment import AttachmentKind
from backend.services import (
    dibao,
    entitlements,
    households,
    months,
    publicity,
    regions,
    rereview,
)
from backend.services.case_states import PAID, Status
from backend.services.case_steps import (
    county_decides_for_relatives,
    county_visit_if_relative,
    death_row,
    extension_row,
    filing_rows,
    materials_complete,
    record_investigation,
    refusal_rows,
    set_decision_deadline,
    start_paying,
    start_township_clock,
    stop_clock,
    stop_paying,
)
from backend.services.roles import COUNTY, SYSTEM, TOWNSHIP
from backend.services.workflow import (
    Deadlines,
    Programme,
    Step,
    Vocabulary,
    transition,
)

# ---- the amount -------------------------------------------------------------------


def _estimate(step: Step) -> dibao.Estimate:
    application = step.application
    return dibao.estimate(
        step.session,
        regions.county_of(step.session, application.region),
        AreaType(application.area_type),
        households.incomes(application),
        step.today,
    )


def household_eligible(step: Step) -> None:
    """An ineligible household is never publicised, and never at 0.00: the township
    proposes a refusal instead."""
    result = _estimate(step)
    if not result.eligible:
        raise ActionNotAllowed(
            f"家庭月人均收入 {result.per_capita_income} 元不低于低保标准 "
            f"{result.standard_monthly} 元,不能公示;请提出不予批准的意见(propose_rejection)"
        )


def start_publicity(step: Step) -> None:
    """公示 from the day after the township's approval, with the proposed amount; the
    clock now runs to the county's decision."""
    application = step.application
    days = current_app.config["PUBLICITY_DAYS"]
    application.publicity_ends_on = step.today + timedelta(days=days)
    application.monthly_amount = _estimate(step).monthly_amount
    set_decision_deadline(step)


def withdraw_publicity(step: Step) -> None:
    """An objection takes the case off the notice until it is approved again."""
    step.application.publicity_ends_on = None
    step.application.monthly_amount = None


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
    start_paying(step, decision.monthly_amount, decision.start_month)


# ---- 动态管理: the rules are in `rereview`; these apply them to the case ------------


def schedule_rereview(step: Step) -> None:
    """Paid in full from now on: the next re-review falls due, no exit is pending."""
    application = step.application
    application.rereview_due_on = rereview.due_on(application, step.today)
    application.exit_month = None


def resume_payment(step: Step) -> None:
    """维持 or 调整 while a gradual exit runs: the household stays on 低保."""
    if step.application.exit_month is not None:
        entitlements.resume(
            step.session, application=step.application, this_month=months.of(step.today)
        )


def adjust_amount(step: Step) -> None:
    application = step.application
    rereview.adjust(step.session, application, step.data["members"], step.today)
    entitlements.change(
        step.session,
        monthly_amount=application.monthly_amount,
        from_month=application.amount_from,
        reason=EntitlementReason.ADJUSTMENT,
        application=application,
    )


def start_gradual_exit(step: Step) -> None:
    step.application.rereview_due_on = None
    stop_paying(
        step, rereview.exit_month(step.today, step.data["months"]), EntitlementReason.GRADUAL_EXIT
    )


def terminate(step: Step) -> None:
    step.application.rereview_due_on = None
    stop_paying(
        step,
        rereview.last_month_paid(step.application, step.today),
        EntitlementReason.TERMINATION,
    )


def end_gradual_exit(step: Step) -> None:
    step.application.decision_reason = "渐退期满,停止保障"


# ---- the table ----------------------------------------------------------------------

BEFORE_DECISION = {
    Status.ACCEPTED,
    Status.INVESTIGATED,
    Status.PUBLICIZING,
    Status.PENDING_CONFIRMATION,
    Status.REJECTION_PROPOSED,
}

TRANSITIONS = (
    *filing_rows(),
    transition(
        "record_investigation",
        {Status.ACCEPTED},
        Status.INVESTIGATED,
        TOWNSHIP,
        data="investigation",
        effects=(record_investigation,),
    ),
    transition(
        "township_approve",
        {Status.INVESTIGATED},
        Status.PUBLICIZING,
        TOWNSHIP,
        requires=(materials_complete, county_visit_if_relative, household_eligible),
        effects=(start_publicity,),
    ),
    transition(
        "record_county_investigation",  # the county's own visit, for flagged households
        {Status.INVESTIGATED},
        None,
        COUNTY,
        data="investigation",
        effects=(record_investigation,),
    ),
    transition(
        "register_objection",
        {Status.PUBLICIZING},
        Status.INVESTIGATED,
        TOWNSHIP | COUNTY,
        needs_comment=True,
        effects=(withdraw_publicity,),
    ),
    transition("end_publicity", {Status.PUBLICIZING}, Status.PENDING_CONFIRMATION, SYSTEM),
    extension_row(BEFORE_DECISION),
    transition(
        "county_approve",
        {Status.PENDING_CONFIRMATION},
        Status.APPROVED,
        COUNTY,
        fresh=True,
        # A material sent back for re-upload after the township's approval blocks it too.
        requires=(materials_complete,),
        effects=(approve, stop_clock, schedule_rereview),
    ),
    *refusal_rows(found_ineligible_in=Status.INVESTIGATED),
    # 动态管理: a re-review falls due (daily rule), staff open one, or a report does.
    transition(
        "start_rereview",
        {Status.APPROVED, Status.EXITING},
        Status.UNDER_REREVIEW,
        TOWNSHIP | SYSTEM,
        effects=(start_township_clock,),  # 复核: the same working days as a new case
    ),
    transition(
        "continue",  # 维持
        {Status.UNDER_REREVIEW},
        Status.APPROVED,
        TOWNSHIP | COUNTY,
        requires=(county_decides_for_relatives,),
        effects=(resume_payment, stop_clock, schedule_rereview),
    ),
    transition(
        "adjust",  # 调整保障金
        {Status.UNDER_REREVIEW},
        Status.APPROVED,
        COUNTY,
        data="adjustment",
        fresh=True,
        effects=(resume_payment, adjust_amount, stop_clock, schedule_rereview),
    ),
    transition(
        "gradual_exit",  # 渐退
        {Status.UNDER_REREVIEW},
        Status.EXITING,
        COUNTY,
        needs_comment=True,
        data="gradual_exit",
        fresh=True,
        effects=(stop_clock, start_gradual_exit),
    ),
    transition(
        "terminate",  # 终止
        {Status.APPROVED, Status.UNDER_REREVIEW, Status.EXITING},
        Status.TERMINATED,
        COUNTY,
        needs_comment=True,
        fresh=True,
        effects=(terminate, stop_clock),
    ),
    transition(
        "end_gradual_exit",
        {Status.EXITING},
        Status.TERMINATED,
        SYSTEM,
        effects=(end_gradual_exit,),
    ),
    death_row(),
)

PROGRAMME = Programme(
    name=ApplicationType.DIBAO,
    label="最低生活保障",
    number_prefix="DB",
    vocabulary=Vocabulary(benefit="低保", payment="保障金"),
    transitions=TRANSITIONS,
    materials=(
        AttachmentKind.ID_CARD,
        AttachmentKind.HUKOU,
        AttachmentKind.INCOME_PROOF,
        AttachmentKind.AUTHORIZATION,  # 授权核对书
    ),
    on_behalf_materials=(AttachmentKind.MANDATE,),
    deadlines=Deadlines(
        review="TOWNSHIP_REVIEW_WORKDAYS",
        decision="DECISION_WORKDAYS",
        extended="DECISION_EXTENDED_WORKDAYS",
    ),
    per_household=True,
    # In publicity now, and the households granted; a re-review or an exit is their own.
    on_notice=frozenset({Status.PUBLICIZING}) | PAID,
    daily_rules=(
        publicity.end_publicity,
        rereview.open_due_rereviews,
        rereview.end_gradual_exits,
    ),
    batch_actions=frozenset({"county_approve"}),
    spot_checked=True,
)
