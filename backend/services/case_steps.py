"""Checks and effects any programme's table may use: the working-day clocks, the
materials, the home visit, the relatives register, refusals. A programme's own rules
(its amount, its publicity) are in its declaration under `services/programmes/`.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from flask import current_app

from backend.errors import ActionNotAllowed, ValidationFailed
from backend.models import Investigation
from backend.models.entitlement import EntitlementReason
from backend.services import attachments, clock, entitlements, relatives, workdays
from backend.services.case_states import AWAITING_DECISION, OPEN, PAID, Status
from backend.services.identity import clean_name
from backend.services.roles import APPLICANT_SIDE, COUNTY, SYSTEM, TOWNSHIP
from backend.services.workflow import Step, Transition, transition


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


def mandate_ready(step: Step) -> None:
    """委托书: the resident's consent comes before their data is sent on for them."""
    if step.application.on_behalf and not attachments.mandate_ready(step.session, step.application):
        raise ValidationFailed.field(
            "mandate", "代办申请须先上传申请人签字的委托书(委托书),检查通过后方可提交"
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


def county_decides_for_relatives(step: Step) -> None:
    """近亲属备案: a staff member's relative stays on benefit only by the county's word."""
    session, application = step.session, step.application
    if step.actor.role in TOWNSHIP and application.id in relatives.flagged(session, [application]):
        raise ActionNotAllowed("申请人或家庭成员为工作人员或村干部的近亲属,复核结论须由县级作出")


def not_yet_extended(step: Step) -> None:
    if step.application.deadline_extended:
        raise ActionNotAllowed("办理期限已延长过,不能再次延长")


# ---- clocks (all in working days) -------------------------------------------------


def start_township_clock(step: Step) -> None:
    """The township has the programme's review days from today."""
    step.application.deadline = workdays.load_calendar(step.session).add_working_days(
        step.today, _setting(step.programme.deadlines.review)
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


def set_decision_deadline(step: Step) -> None:
    application, deadlines = step.application, step.programme.deadlines
    allowed = _setting(deadlines.extended if application.deadline_extended else deadlines.decision)
    application.deadline = workdays.load_calendar(step.session).add_working_days(
        application.accepted_on, allowed
    )


def extend_deadline(step: Step) -> None:
    """The decision may take longer once; during the township's review its own days
    still run, and the longer decision deadline applies once the township is done."""
    step.application.deadline_extended = True
    if step.application.status in AWAITING_DECISION:
        set_decision_deadline(step)


def stop_clock(step: Step) -> None:
    """The office no longer owes an answer (decided, or back with the applicant): the
    case leaves the top of the queue, which lists running deadlines first."""
    step.application.deadline = None


# ---- the township's findings and the county's refusal -----------------------------


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


def propose_rejection(step: Step) -> None:
    """The township's written reasons go to the county, never on a public notice and
    never with an amount; the decision deadline runs."""
    step.application.decision_reason = step.comment
    step.application.monthly_amount = None
    set_decision_deadline(step)


def withdraw_proposal(step: Step) -> None:
    """The county sends the case back to the township: its reasons no longer stand; the
    decision deadline, counted from acceptance, still runs."""
    step.application.decision_reason = None


def end_on_death(step: Step) -> None:
    """The person has died: the office owes no more answers and nothing more falls due.
    Payment ends with the entitlement, where the death is recorded."""
    application = step.application
    application.deadline = application.rereview_due_on = application.publicity_ends_on = None
    application.decision_reason = step.comment or "申请人已去世"


def reject(step: Step) -> None:
    """不予批准: written, with the reasons; the case says how to appeal."""
    step.application.decision_reason = step.comment
    step.application.monthly_amount = None


def start_paying(step: Step, monthly_amount: Decimal, from_month: str) -> None:
    """审批通过: the case and its entitlement say the same amount, from the same month."""
    application = step.application
    application.monthly_amount = monthly_amount
    application.start_month = application.amount_from = from_month
    application.decision_reason = None
    entitlements.start(
        step.session,
        program=application.type,
        monthly_amount=monthly_amount,
        from_month=from_month,
        reason=EntitlementReason.APPROVAL,
        application=application,
    )


def stop_paying(step: Step, last_month: str, reason: EntitlementReason) -> None:
    """Paid up to `last_month` included, then no more, for the reasons in the comment."""
    application = step.application
    application.exit_month = last_month
    application.decision_reason = step.comment
    entitlements.end(step.session, last_month=last_month, reason=reason, application=application)


# ---- rows every programme's table starts with -------------------------------------


def filing_rows() -> tuple[Transition, ...]:
    """Filing, correcting, withdrawing, and the township's acceptance (受理) or return."""
    return (
        transition(
            "submit",
            {Status.DRAFT},
            Status.SUBMITTED,
            APPLICANT_SIDE,
            requires=(mandate_ready,),
            effects=(receive,),
        ),
        transition(
            "resubmit",
            {Status.RETURNED},
            Status.SUBMITTED,
            APPLICANT_SIDE,
            requires=(mandate_ready,),
            effects=(receive,),
        ),
        transition(
            "withdraw",
            {Status.DRAFT, Status.SUBMITTED, Status.RETURNED},
            Status.WITHDRAWN,
            APPLICANT_SIDE,
            effects=(stop_clock,),
        ),
        transition("accept", {Status.SUBMITTED}, Status.ACCEPTED, TOWNSHIP, effects=(accept,)),
        transition(
            "return",
            {Status.SUBMITTED, Status.ACCEPTED},
            Status.RETURNED,
            TOWNSHIP,
            needs_comment=True,
            effects=(stop_clock,),
        ),
    )


def refusal_rows(found_ineligible_in: Status) -> tuple[Transition, ...]:
    """The township finds the applicant ineligible (written reasons, no publicity, no
    amount); the county refuses (不予批准, fresh password) or sends the case back."""
    return (
        transition(
            "propose_rejection",
            {found_ineligible_in},
            Status.REJECTION_PROPOSED,
            TOWNSHIP,
            needs_comment=True,
            effects=(propose_rejection,),
        ),
        transition(
            "send_back",
            {Status.REJECTION_PROPOSED},
            found_ineligible_in,
            COUNTY,
            needs_comment=True,
            effects=(withdraw_proposal,),
        ),
        transition(
            "county_reject",
            {Status.PENDING_CONFIRMATION, Status.REJECTION_PROPOSED},
            Status.REJECTED,
            COUNTY,
            needs_comment=True,
            fresh=True,
            effects=(reject, stop_clock),
        ),
    )


def death_row() -> Transition:
    """A recorded death ends the person's case wherever it stands (the system's step)."""
    return transition(
        "record_death", OPEN | PAID, Status.TERMINATED, SYSTEM, effects=(end_on_death,)
    )


def extension_row(before_decision: set[Status]) -> Transition:
    """The county extends the decision deadline once, with a recorded reason."""
    return transition(
        "extend_deadline",
        before_decision,
        None,
        COUNTY,
        needs_comment=True,
        requires=(not_yet_extended,),
        effects=(extend_deadline,),
    )
