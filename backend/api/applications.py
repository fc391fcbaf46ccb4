"""/applications: open a case, correct it, follow it, act on it."""

from __future__ import annotations

from dataclasses import asdict

from flask import request
from flask_jwt_extended import verify_jwt_in_request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, post_load, validate

from backend.api.action_data import AdjustmentDataSchema, GradualExitDataSchema, openapi_metadata
from backend.api.attachments import AttachmentSchema
from backend.api.fields import REGION_CODE, IsoDate, Money, StrictInteger, Text, one_of
from backend.api.household_schemas import HouseholdInSchema, HouseholdOutSchema
from backend.api.idempotency import idempotent
from backend.api.pagination import MAX_LIMIT, PageArgsSchema, page_schema, paginate_in_parts
from backend.api.security import auth_required, current_user
from backend.database import commit_keeping_loaded
from backend.extensions import db
from backend.models import Application, ApplicationType, Role
from backend.services import (
    applications,
    attachments,
    case_access,
    clock,
    programmes,
    relatives,
    roles,
    workdays,
    workflow,
)
from backend.services.case_states import APPEALABLE, Status
from backend.services.crypto import current_cipher, mask_id_number, mask_name, mask_phone

blp = Blueprint(
    "applications", __name__, url_prefix="/api/v1/applications", description="低保、高龄津贴申请"
)

PROGRAMS = one_of(ApplicationType)
VERSION = validate.Range(1, 2**31 - 1)


class ApplicantInSchema(Schema):
    name = Text(required=True)
    id_number = fields.String(required=True)
    phone = fields.String(load_default=None)


class ApplicationCreateSchema(Schema):
    type = fields.String(required=True, validate=PROGRAMS)
    region_code = fields.String(required=True, validate=REGION_CODE)
    applicant = fields.Nested(ApplicantInSchema, required=True)
    on_behalf = fields.Boolean(load_default=False)
    household = fields.Nested(HouseholdInSchema, load_default=None)


class ApplicantChangesSchema(Schema):
    """The applicant's identity number is who the case is for: never changed."""

    name = Text()
    phone = fields.String()


class ApplicationEditSchema(Schema):
    """PATCH: the parts given replace the case's; `type` and `on_behalf` stay as opened."""

    version = StrictInteger(required=True, validate=VERSION)
    region_code = fields.String(validate=REGION_CODE)
    applicant = fields.Nested(ApplicantChangesSchema)
    household = fields.Nested(HouseholdInSchema)

    @post_load
    def build(self, data, **_kwargs):
        applicant = data.get("applicant", {})
        details = applications.Details(
            region_code=data.get("region_code"),
            name=applicant.get("name"),
            phone=applicant.get("phone"),
            household=data.get("household"),
        )
        return {"version": data["version"], "details": details}


class ApplicantOutSchema(Schema):
    name = fields.String(attribute="applicant_name")
    id_number = fields.Function(
        lambda a: mask_id_number(current_cipher().decrypt(a.applicant_id_cipher))
    )
    phone = fields.Function(
        lambda a: (
            mask_phone(current_cipher().decrypt(a.applicant_phone_cipher))
            if a.applicant_phone_cipher
            else None
        )
    )


class ApplicantFullSchema(Schema):
    name = fields.String()
    id_number = fields.String()
    phone = fields.String(allow_none=True)


class TimelineEventSchema(Schema):
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    actor_role = fields.String()
    comment = fields.String()
    at = fields.DateTime(attribute="created_at")


class InvestigationSchema(Schema):
    investigators = fields.List(fields.String())
    visited_on = fields.Date()
    findings = fields.String()


def _days_left(application: Application) -> int | None:
    """Working days to the deadline; negative when overdue."""
    if application.deadline is None:
        return None
    calendar = workdays.load_calendar(db.session)
    return calendar.working_days_between(clock.today(), application.deadline)


def _appeal(application: Application) -> str | None:
    return workflow.APPEAL_NOTICE if application.status in APPEALABLE else None


# Built once: a schema instance copies its declared fields when made.
_applicant_out, _household_out = ApplicantOutSchema(), HouseholdOutSchema()
_attachments_out = AttachmentSchema(many=True)


class ApplicationSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    type = fields.String()
    status = fields.String()
    version = fields.Integer()
    allowed_actions = fields.Function(lambda a: applications.allowed_actions(a, current_user()))
    region_code = fields.Function(lambda a: a.region.code)
    region_name = fields.Function(lambda a: a.region.name)
    applicant = fields.Function(_applicant_out.dump)
    on_behalf = fields.Boolean()
    household = fields.Function(
        lambda a: _household_out.dump(a) if workflow.programme_of(a.type).per_household else None
    )
    accepted_on = fields.Date(allow_none=True)
    deadline = fields.Date(allow_none=True)
    days_left = fields.Function(_days_left)
    publicity_ends_on = fields.Date(allow_none=True)
    monthly_amount = Money(allow_none=True)
    start_month = fields.String(allow_none=True)
    amount_from = fields.String(allow_none=True)
    rereview_due_on = fields.Date(allow_none=True)
    exit_month = fields.String(allow_none=True)
    investigation = fields.Nested(InvestigationSchema, allow_none=True)
    flags = fields.Function(
        lambda a: [relatives.FLAG] if relatives.flagged(db.session, [a]) else []
    )
    decision_reason = fields.String(allow_none=True)
    appeal = fields.Function(_appeal)
    created_at = fields.DateTime()
    timeline = fields.List(fields.Nested(TimelineEventSchema), attribute="events")
    attachments = fields.Function(
        lambda a: _attachments_out.dump(attachments.current_for(db.session, a, current_user()))
    )
    missing_materials = fields.Function(
        lambda a: [asdict(m) for m in attachments.missing_materials(db.session, a)]
    )


class ApplicantSummarySchema(ApplicantOutSchema):
    name = fields.Function(lambda a: mask_name(a.applicant_name))


class MaterialsCountSchema(Schema):
    required = fields.Integer()
    accepted = fields.Integer()
    missing = fields.Integer()


class ApplicationSummarySchema(Schema):
    """A row of the staff queue: what a reviewer needs from the list, in one statement
    per page (no timeline or files: those are the case's own page)."""

    id = fields.Integer(attribute="case.id")
    number = fields.String(attribute="case.number")
    type = fields.String(attribute="case.type")
    status = fields.String(attribute="case.status")
    version = fields.Integer(attribute="case.version")
    allowed_actions = fields.List(fields.String())
    region_code = fields.String(attribute="case.region_code")
    region_name = fields.String(attribute="case.region_name")
    applicant = fields.Nested(ApplicantSummarySchema, attribute="case")
    on_behalf = fields.Boolean(attribute="case.on_behalf")
    deadline = fields.Date(attribute="case.deadline", allow_none=True)
    days_left = fields.Integer(allow_none=True)
    created_at = fields.DateTime(attribute="case.created_at")
    materials = fields.Nested(MaterialsCountSchema)
    flags = fields.List(fields.String())


class QueueArgsSchema(PageArgsSchema):
    status = fields.String(load_default=None, validate=one_of(Status))
    type = fields.String(load_default=None, validate=PROGRAMS)
    region_code = fields.String(load_default=None, validate=REGION_CODE)
    overdue = fields.Boolean(load_default=False)


def _not_in_future(day) -> None:
    if day > clock.today():
        raise ValidationError("调查日期不能晚于今天")


class InvestigationDataSchema(Schema):
    """入户调查: two or more named investigators, the day of the visit, what they found."""

    investigators = fields.List(
        Text(validate=validate.Length(1, 30)),
        required=True,
        validate=validate.Length(2, 10, error="入户调查应有2到10名调查人员"),
    )
    visited_on = IsoDate(required=True, validate=_not_in_future)
    findings = Text(required=True, validate=validate.Length(1, 2000))


# The `data` each kind of action carries, by the name its transition gives.
DATA_SCHEMAS: dict[str, type[Schema]] = {
    "investigation": InvestigationDataSchema,
    "adjustment": AdjustmentDataSchema,
    "gradual_exit": GradualExitDataSchema,
}


class ActionSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(programmes.all_actions()))
    version = StrictInteger(required=True, validate=VERSION)
    comment = Text(load_default="", validate=validate.Length(max=500))
    data = fields.Dict(
        keys=fields.String(), load_default=dict, metadata=openapi_metadata(DATA_SCHEMAS)
    )

    @post_load
    def load_data(self, body, **_kwargs):
        """Check `data` against the schema the action's transition names."""
        name = programmes.transition_named(body["action"]).data
        if name is None:
            if body["data"]:
                raise ValidationError({"data": ["该操作无需提交 data"]})
            return body
        try:
            body["data"] = DATA_SCHEMAS[name]().load(body["data"])
        except ValidationError as error:
            raise ValidationError({"data": error.messages}) from None
        return body


@blp.post("")
@auth_required(Role.CITIZEN, Role.AGENT, Role.TOWNSHIP_STAFF)
@idempotent
@blp.arguments(ApplicationCreateSchema)
@blp.response(201, ApplicationSchema)
def create_application(body):
    application = applications.create(
        db.session,
        current_user(),
        program=ApplicationType(body["type"]),
        region_code=body["region_code"],
        applicant=applications.Applicant(**body["applicant"]),
        on_behalf=body["on_behalf"],
        household=body["household"],
        ip=request.remote_addr,
    )
    commit_keeping_loaded(db.session())  # the new case is answered from memory
    return application


@blp.get("")
@auth_required()
@blp.arguments(QueueArgsSchema, location="query")
@blp.response(200, page_schema(ApplicationSummarySchema))
def list_applications(args):
    """The caller's queue: first the cases with a running deadline, the nearest (the most
    overdue) at the top; then the rest, newest first."""
    user = current_user()
    filters = applications.QueueFilter(
        status=args["status"],
        program=ApplicationType(args["type"]) if args["type"] else None,
        region_code=args["region_code"],
        overdue=args["overdue"],
    )
    query = applications.queue(db.session, user, filters)
    page = paginate_in_parts(db.session, query, applications.QUEUE_ORDER, args)
    return {**page, "items": applications.queue_items(db.session, user, page["items"])}


@blp.get("/<id:application_id>")
@auth_required()
@blp.response(200, ApplicationSchema)
def get_application(application_id: int):
    return case_access.get(db.session, current_user(), application_id)


@blp.patch("/<id:application_id>")
@auth_required(*roles.APPLICANT_SIDE)
@blp.arguments(ApplicationEditSchema)
@blp.response(200, ApplicationSchema)
def edit_application(body, application_id: int):
    """Correct a draft or returned case; `version` as read, 409 when stale."""
    user = current_user()
    application = case_access.get(db.session, user, application_id)
    applications.edit(
        db.session, user, application, body["version"], body["details"], ip=request.remote_addr
    )
    db.session.commit()
    return application


@blp.post("/<id:application_id>/actions")
@auth_required()
@blp.arguments(ActionSchema)
@blp.response(200, ApplicationSchema)
def act_on_application(body, application_id: int):
    if programmes.transition_named(body["action"]).fresh:
        # Decisions want the password typed again: 401 "请重新输入密码确认此操作".
        verify_jwt_in_request(fresh=True)
    user = current_user()
    application = case_access.get(db.session, user, application_id)
    workflow.perform(
        db.session,
        application,
        user,
        body["action"],
        body["version"],
        body["comment"],
        body["data"],
        ip=request.remote_addr,
    )
    db.session.commit()
    return application


class BatchItemSchema(Schema):
    id = StrictInteger(required=True, validate=validate.Range(1, 2**63 - 1))
    version = StrictInteger(required=True, validate=VERSION)


class BatchActionSchema(Schema):
    action = fields.String(
        required=True, validate=validate.OneOf(sorted(programmes.batch_actions()))
    )
    items = fields.List(
        fields.Nested(BatchItemSchema),
        required=True,
        validate=validate.Length(1, MAX_LIMIT, error=f"一次最多处理 {MAX_LIMIT} 件"),
    )


class BatchOutcomeSchema(Schema):
    id = fields.Integer()
    ok = fields.Boolean()
    status = fields.String(allow_none=True)
    error = fields.Function(
        lambda o: {"code": o.error.code, "message": o.error.message} if o.error else None
    )


class BatchResultSchema(Schema):
    items = fields.List(fields.Nested(BatchOutcomeSchema))


@blp.post("/batch-actions")
@auth_required(Role.COUNTY_STAFF, fresh=True)
@blp.arguments(BatchActionSchema)
@blp.response(200, BatchResultSchema)
def act_on_a_page(body):
    """The county decides a page of pending confirmations at once; each case is still
    validated, versioned and audited alone, and one refusal spoils no other."""
    outcomes = applications.perform_batch(
        db.session,
        current_user(),
        body["action"],
        [(item["id"], item["version"]) for item in body["items"]],
        ip=request.remote_addr,
    )
    return {"items": outcomes}


@blp.get("/<id:application_id>/applicant")
@auth_required(*roles.CASE_REVIEWERS)
@blp.response(200, ApplicantFullSchema)
def reveal_applicant(application_id: int):
    """The applicant's full identity and phone numbers (every read is audited)."""
    applicant = applications.reveal_applicant(
        db.session, current_user(), application_id, ip=request.remote_addr
    )
    db.session.commit()
    return applicant, 200, {"Cache-Control": "no-store"}
