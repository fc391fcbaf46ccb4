"""Benefit applications: opening a case, correcting it, finding it, listing a scoped queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from backend.errors import (
    ActionNotAllowed,
    DomainError,
    Forbidden,
    ValidationFailed,
)
from backend.models import (
    Application,
    ApplicationType,
    HouseholdMember,
    Region,
    RegionLevel,
    Role,
    User,
)
from backend.models.attachment import Attachment, ReviewStatus
from backend.services import (
    agent_mandate,
    attachments,
    audit,
    case_access,
    clock,
    households,
    regions,
    relatives,
    roles,
    scope,
    workdays,
    workflow,
)
from backend.services.case_states import EDITABLE, FINAL, Status
from backend.services.crypto import current_cipher
from backend.services.identity import clean_name, parse_id_number
from backend.services.users import normalise_phone


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str | None = None


@dataclass(frozen=True)
class Details:
    """What the applicant side fills in, and may correct while the case is theirs to
    correct (`EDITABLE`). In an edit, a part left None stays as it is."""

    region_code: str | None = None
    name: str | None = None
    phone: str | None = None
    household: households.Household | None = None


def create(
    session: Session,
    actor: User,
    *,
    program: ApplicationType,
    region_code: str,
    applicant: Applicant,
    on_behalf: bool,
    household: households.Household | None = None,
    ip: str | None = None,
) -> Application:
    if actor.role not in roles.CASE_OPENERS:
        raise Forbidden("该角色不能提交申请")
    programme = workflow.programme_of(program)
    id_number = parse_id_number(applicant.id_number, "applicant.id_number").value
    cipher = current_cipher()
    id_index = cipher.blind_index(id_number)
    _check_applying_party(actor, id_index, on_behalf, programme)
    if programme.per_household and household is None:
        raise ValidationFailed.field(
            "household", f"{programme.vocabulary.benefit}申请需填写共同生活的家庭成员"
        )
    details = Details(region_code, applicant.name, applicant.phone or None, household)
    application = Application(
        type=program,
        status=Status.DRAFT,
        owner_id=actor.id if actor.role == Role.CITIZEN else _resident_id(session, id_index),
        applicant_id_cipher=cipher.encrypt(id_number),
        applicant_id_index=id_index,
        on_behalf=on_behalf,
        submitted_by_id=actor.id,
        **_checked_details(session, actor, program, id_number, details),
        # Known to be empty: the new case is answered without asking the database.
        events=[],
        investigations=[],
    )
    opening = workflow.NewCase(session, actor, application, id_number, clock.today())
    for rule in programme.opening_rules:
        rule(opening)
    session.add(application)
    session.flush()
    application.number = f"{programme.number_prefix}{clock.today().year}{application.id:08d}"
    workflow.put_on_timeline(session, application, actor, "create", None, "", ip)
    return application


# The parts of a case an edit may change, as its timeline entry names them.
PART_LABELS = {
    "region_code": "所在村(社区)",
    "name": "申请人姓名",
    "phone": "联系电话",
    "household": "家庭成员及收入",
}


def edit(
    session: Session,
    actor: User,
    application: Application,
    version: int,
    details: Details,
    ip: str | None = None,
) -> Application:
    """Correct the case with the rules it was opened under; the whole household, when
    given, replaces the old one. 409 when stale or no longer the applicant side's."""
    if actor.role not in roles.APPLICANT_SIDE:
        raise Forbidden("只有申请人本人或代办员可以修改申请")
    agent_mandate.check(actor, application)
    workflow.check_version(application, version)
    if application.status not in EDITABLE:
        raise ActionNotAllowed("只有草稿或退回补正的申请可以修改")
    changed = [label for part, label in PART_LABELS.items() if getattr(details, part) is not None]
    if not changed:
        raise ValidationFailed.field("_schema", "请填写要修改的内容")
    applicant_id_number = current_cipher().decrypt(application.applicant_id_cipher)
    values = _checked_details(
        session, actor, application.type, applicant_id_number, details, application.id
    )
    if "members" in values:
        for member in application.members:
            session.delete(member)
    for name, value in values.items():
        setattr(application, name, value)
    application.bump_version()
    status = application.status
    summary = "修改了" + "、".join(changed)
    workflow.put_on_timeline(session, application, actor, "edit", status, summary, ip)
    return application


def allowed_actions(application: Application, user: User) -> list[str]:
    """The workflow's steps open to `user`, and `edit` (PATCH) while they may correct it."""
    if not agent_mandate.covers(user, application):
        return []
    actions = workflow.allowed_actions(application, user)
    if user.role in roles.APPLICANT_SIDE and application.status in EDITABLE:
        actions.append("edit")
    return actions


def _checked_details(
    session: Session,
    actor: User,
    program: ApplicationType,
    applicant_id_number: str,
    details: Details,
    application_id: int | None = None,
) -> dict[str, Any]:
    """The case's column values for each part of `details` given, every rule checked
    before anything is written: a refusal leaves the case as it was."""
    values: dict[str, Any] = {}
    if details.region_code is not None:
        values["region"] = _village_in_reach(session, actor, details.region_code)
    if details.name is not None:
        values["applicant_name"] = clean_name(details.name, "applicant.name")
    if details.phone is not None:
        phone = normalise_phone(details.phone, "applicant.phone")
        values["applicant_phone_cipher"] = current_cipher().encrypt(phone)
    if details.household is not None:
        values["area_type"] = details.household.area_type
        values["members"] = _household_members(
            session, program, applicant_id_number, details.household, application_id
        )
    return values


def _household_members(
    session: Session,
    program: ApplicationType,
    applicant_id_number: str,
    household: households.Household,
    application_id: int | None,
) -> list[HouseholdMember]:
    """低保 is granted per household (按户施保); other programmes per person."""
    programme = workflow.programme_of(program)
    if not programme.per_household:
        raise ValidationFailed.field(
            "household", f"{programme.vocabulary.benefit}按个人申请,无需填写家庭成员"
        )
    return households.build_members(
        session, applicant_id_number, household.members, application_id=application_id
    )


def _village_in_reach(session: Session, actor: User, region_code: str) -> Region:
    village = session.scalar(select(Region).where(Region.code == region_code))
    if village is None or village.level != RegionLevel.VILLAGE:
        raise ValidationFailed.field("region_code", "请选择申请人户籍所在的村(社区)")
    if actor.role != Role.CITIZEN and not (actor.region and actor.region.contains(village)):
        raise ValidationFailed.field("region_code", "只能为本辖区的居民申请")
    return village


def _check_applying_party(
    actor: User, id_index: str, on_behalf: bool, programme: workflow.Programme
) -> None:
    if actor.role == Role.CITIZEN:
        if on_behalf and not programme.family_may_apply:
            raise ValidationFailed.field("on_behalf", "居民只能为本人申请;代办请联系村级代办员")
        if not actor.real_name_verified:
            raise Forbidden("请先完成实名认证")
        if on_behalf:
            if actor.id_number_index == id_index:
                raise ValidationFailed.field("on_behalf", "为本人申请时 on_behalf 应为 false")
        elif actor.id_number_index != id_index:
            raise ValidationFailed.field("applicant.id_number", "申请人身份证号与实名认证不一致")
    elif not on_behalf:
        raise ValidationFailed.field("on_behalf", "为他人申请时 on_behalf 应为 true")


def _resident_id(session: Session, id_index: str) -> int | None:
    return session.scalar(
        select(User.id).where(
            User.id_number_index == id_index,
            User.role == Role.CITIZEN,
            User.real_name_verified.is_(True),
        )
    )


def reveal_applicant(
    session: Session, user: User, application_id: int, ip: str | None = None
) -> Applicant:
    """The applicant's unmasked numbers, for staff handling the case; each read is audited."""
    if user.role not in roles.CASE_REVIEWERS:
        raise Forbidden("只有经办的乡镇、县级工作人员可以查看完整的证件号码")
    application = case_access.get(session, user, application_id)
    audit.record(
        session,
        user,
        "application.applicant_read",
        application,
        ip=ip,
        subject_user_id=application.owner_id,
    )
    cipher = current_cipher()
    phone = application.applicant_phone_cipher
    return Applicant(
        name=application.applicant_name,
        id_number=cipher.decrypt(application.applicant_id_cipher),
        phone=cipher.decrypt(phone) if phone else None,
    )


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    program: ApplicationType | None = None
    region_code: str | None = None
    overdue: bool = False


def queue(session: Session, user: User, filters: QueueFilter, today: date | None = None) -> Select:
    """The scoped query of cases matching `filters` (paged by the caller): one row per
    case with all a reviewer decides from at a glance, in one statement per page."""
    query = scope.visible(
        _QUEUE_ROW.join(Region, Region.id == Application.region_id),
        case_access.APPLICATION_SCOPE,
        user,
    )
    if filters.status:
        query = query.where(Application.status == filters.status)
    if filters.program:
        query = query.where(Application.type == filters.program)
    if filters.region_code:
        region = regions.get_by_code(session, filters.region_code)
        query = query.where(
            Application.region_id.in_(select(Region.id).where(regions.subtree_condition(region)))
        )
    if filters.overdue:
        # Only a case the office still owes an answer on has a deadline (`stop_clock`).
        query = query.where(Application.deadline < (today or clock.today()))
    return query


# The queue's order: first the cases the office owes an answer on, the nearest deadline
# (the most overdue) at the top, the earlier filed first on the same day; then the
# rest, newest first. Parts as `pagination.paginate_in_parts` takes them.
QUEUE_ORDER = (
    (Application.deadline.is_not(None), (Application.deadline, Application.id), False),
    (Application.deadline.is_(None), (Application.id,), True),
)


# The kinds with an accepted current file, "id_card,hukou" (the rule of which are
# required stays in `attachments.required_kinds`).
_accepted_kinds = (
    select(func.aggregate_strings(Attachment.kind, ","))
    .where(
        Attachment.application_id == Application.id,
        Attachment.superseded_at.is_(None),
        Attachment.review_status == ReviewStatus.ACCEPTED,
    )
    .scalar_subquery()
)
# A queue row is read as plain columns: a list builds no case objects.
_QUEUE_ROW = select(
    Application.id,
    Application.number,
    Application.type,
    Application.status,
    Application.version,
    Application.applicant_name,
    Application.applicant_id_cipher,
    Application.applicant_phone_cipher,
    Application.on_behalf,
    Application.submitted_by_id,
    Application.deadline,
    Application.created_at,
    Region.code.label("region_code"),
    Region.name.label("region_name"),
    _accepted_kinds.label("accepted_kinds"),
    relatives.is_flagged().label("flagged"),
)


@dataclass(frozen=True)
class MaterialsCount:
    """How far a case's required materials are: accepted by staff, or still missing."""

    required: int
    accepted: int

    @property
    def missing(self) -> int:
        return self.required - self.accepted


@dataclass(frozen=True)
class QueueItem:
    """One row of the staff queue: the case and what a reviewer decides from at a glance."""

    case: Row  # the columns of `queue`
    allowed_actions: list[str]
    days_left: int | None  # working days to the deadline; negative when overdue
    materials: MaterialsCount
    flags: list[str]  # e.g. relative_of_staff (近亲属备案)


def queue_items(
    session: Session, user: User, page: Sequence[Row], today: date | None = None
) -> list[QueueItem]:
    """The queue rows of a page read by `queue`."""
    today = today or clock.today()
    # Loaded once for the page, and only when a row has a deadline to count down to.
    calendar = workdays.load_calendar(session) if any(c.deadline for c in page) else None
    return [
        QueueItem(
            case=case,
            allowed_actions=allowed_actions(case, user),
            days_left=(
                calendar.working_days_between(today, case.deadline)
                if calendar and case.deadline
                else None
            ),
            materials=_materials_count(case, set((case.accepted_kinds or "").split(","))),
            flags=[relatives.FLAG] if case.flagged else [],
        )
        for case in page
    ]


def _materials_count(application: Application | Row, accepted: set[str]) -> MaterialsCount:
    required = attachments.required_kinds(application)
    return MaterialsCount(
        required=len(required), accepted=sum(kind in accepted for kind in required)
    )


@dataclass(frozen=True)
class BatchOutcome:
    id: int
    ok: bool
    status: str | None = None
    error: DomainError | None = None


def perform_batch(
    session: Session,
    user: User,
    action: str,
    items: Sequence[tuple[int, int]],
    ip: str | None = None,
) -> list[BatchOutcome]:
    """Take `action` on each (id, version) in turn; one refusal spoils no other case.

    Each case is committed (or rolled back) on its own, validated and audited exactly
    as when it is decided alone.
    """
    outcomes = []
    for application_id, version in items:
        try:
            application = case_access.get(session, user, application_id)
            workflow.perform(session, application, user, action, version, ip=ip)
            session.commit()
        except DomainError as error:
            session.rollback()
            outcomes.append(BatchOutcome(application_id, False, error=error))
        else:
            outcomes.append(BatchOutcome(application_id, True, status=application.status))
    return outcomes


def end_open_cases(session: Session, id_number_index: str, day: date, reason: str) -> int:
    """A recorded death: every case of the person not yet over ends (`record_death`),
    each on its timeline; return how many. Payment is ended where the death is recorded."""
    cases = session.scalars(
        select(Application)
        .where(
            Application.applicant_id_index == id_number_index,
            Application.status.not_in(FINAL),
        )
        .order_by(Application.id)
    ).all()
    return workflow.advance_each(session, cases, "record_death", day, reason)
