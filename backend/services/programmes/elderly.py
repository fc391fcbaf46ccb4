"""高龄津贴 declared: a person of the county's bands applies (themselves, a relative, or
a village agent with the mandate); the township reviews, the county approves; the
amount is the band's in force. No household, no publicity. The bands themselves are
in `services/elderly_bands.py`; who is paid from when in `services/entitlements.py`.
"""

from __future__ import annotations

from sqlalchemy import select

from backend.errors import Conflict
from backend.models import Application, ApplicationType, EntitlementReason
from backend.models.attachment import AttachmentKind
from backend.services import clock, elderly_bands, entitlements, months, regions
from backend.services.case_states import FINAL, Status
from backend.services.case_steps import (
    death_row,
    extension_row,
    filing_rows,
    materials_complete,
    refusal_rows,
    set_decision_deadline,
    start_paying,
    stop_clock,
    stop_paying,
)
from backend.services.crypto import current_cipher
from backend.services.roles import COUNTY, TOWNSHIP
from backend.services.workflow import (
    Deadlines,
    NewCase,
    Programme,
    Step,
    Vocabulary,
    transition,
)

PROGRAM = ApplicationType.ELDERLY_ALLOWANCE


def _eligibility(step: Step) -> elderly_bands.Eligibility:
    application = step.application
    return elderly_bands.require_band(
        step.session,
        regions.county_of(step.session, application.region),
        current_cipher().decrypt(application.applicant_id_cipher),
        step.today,
    )


# ---- opening a case -----------------------------------------------------------------


def in_a_band(case: NewCase) -> None:
    """Under every band of the applicant's county: 422 giving the day they qualify."""
    county = regions.county_of(case.session, case.application.region)
    elderly_bands.require_band(case.session, county, case.applicant_id_number, case.today)


def not_yet_enrolled(case: NewCase) -> None:
    """One allowance per person: a case under way or paid, or a roster enrolment, is
    named in the 409."""
    id_index = case.application.applicant_id_index
    existing = case.session.scalar(
        select(Application)
        .where(
            Application.type == PROGRAM,
            Application.applicant_id_index == id_index,
            Application.status.not_in(FINAL),
        )
        .order_by(Application.id)
        .limit(1)
    )
    if existing is not None:
        raise Conflict(
            f"该老人已有高龄津贴申请 {existing.number},不能重复申请",
            {"application_id": existing.id, "application_number": existing.number},
        )
    enrolled = entitlements.running(case.session, PROGRAM, id_index)
    if enrolled is not None:
        raise Conflict(
            f"该老人已自 {enrolled.from_month} 起享受高龄津贴,无需申请",
            {"entitlement_id": enrolled.id, "from_month": enrolled.from_month},
        )


# ---- the amount and the payment -----------------------------------------------------


def propose_band_amount(step: Step) -> None:
    """The township's approval proposes the amount of the band in force today; the
    clock now runs to the county's decision."""
    step.application.monthly_amount = _eligibility(step).band.monthly_amount
    set_decision_deadline(step)


def grant(step: Step) -> None:
    """The county fixes the amount of the band in force on the day it decides, paid
    from the month the application was received (the person was in a band then)."""
    received = step.application.submitted_at
    start_paying(
        step,
        _eligibility(step).band.monthly_amount,
        months.of(clock.shanghai_date(received) if received else step.today),
    )


def stop_payment(step: Step) -> None:
    """终止: paid for this month, then no more."""
    stop_paying(step, months.of(step.today), EntitlementReason.TERMINATION)


# ---- the table ----------------------------------------------------------------------

TRANSITIONS = (
    *filing_rows(),
    transition(
        "township_approve",
        {Status.ACCEPTED},
        Status.PENDING_CONFIRMATION,
        TOWNSHIP,
        requires=(materials_complete,),
        effects=(propose_band_amount,),
    ),
    *refusal_rows(found_ineligible_in=Status.ACCEPTED),
    extension_row({Status.ACCEPTED, Status.PENDING_CONFIRMATION, Status.REJECTION_PROPOSED}),
    transition(
        "county_approve",
        {Status.PENDING_CONFIRMATION},
        Status.APPROVED,
        COUNTY,
        fresh=True,
        requires=(materials_complete,),
        effects=(grant, stop_clock),
    ),
    transition(
        "terminate",
        {Status.APPROVED},
        Status.TERMINATED,
        COUNTY,
        needs_comment=True,
        fresh=True,
        effects=(stop_payment,),
    ),
    death_row(),
)

PROGRAMME = Programme(
    name=PROGRAM,
    label="高龄津贴",
    number_prefix="GL",
    vocabulary=Vocabulary(benefit="高龄津贴", payment="津贴"),
    transitions=TRANSITIONS,
    materials=(AttachmentKind.ID_CARD, AttachmentKind.HUKOU),
    on_behalf_materials=(AttachmentKind.MANDATE,),
    deadlines=Deadlines(
        review="TOWNSHIP_REVIEW_WORKDAYS",
        decision="DECISION_WORKDAYS",
        extended="DECISION_EXTENDED_WORKDAYS",
    ),
    per_household=False,
    family_may_apply=True,
    opening_rules=(in_a_band, not_yet_enrolled),
    batch_actions=frozenset({"county_approve"}),
)
