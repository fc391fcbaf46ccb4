"""/applications/{id}/changes: a 低保 household reports a change of circumstances
(主动报告家庭情况变化); the case goes to re-review at once."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.fields import IsoDate, Text, one_of
from backend.api.idempotency import idempotent
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import ChangeKind, CircumstanceChange
from backend.models.circumstance_change import CHANGE_KIND_LABELS
from backend.services import rereview, roles

blp = Blueprint(
    "changes", __name__, url_prefix="/api/v1/applications", description="低保家庭情况变化报告"
)


class ChangeInSchema(Schema):
    kind = fields.String(required=True, validate=one_of(ChangeKind))
    description = Text(required=True, validate=validate.Length(1, 500))
    happened_on = IsoDate(required=True)


class ChangeSchema(Schema):
    id = fields.Integer()
    application_id = fields.Integer()
    kind = fields.String()
    kind_label = fields.Function(lambda c: CHANGE_KIND_LABELS[ChangeKind(c.kind)])
    description = fields.String()
    happened_on = fields.Date()
    created_at = fields.DateTime()


@blp.post("/<id:application_id>/changes")
@auth_required(*roles.APPLICANT_SIDE)
@idempotent
@blp.arguments(ChangeInSchema)
@blp.response(201, ChangeSchema)
def report_change(body, application_id: int):
    """Report a change (the resident, or the agent who applied); opens a re-review."""
    change = rereview.report_change(
        db.session,
        current_user(),
        application_id,
        kind=ChangeKind(body["kind"]),
        description=body["description"],
        happened_on=body["happened_on"],
        ip=request.remote_addr,
    )
    db.session.commit()
    return change


@blp.get("/<id:application_id>/changes")
@auth_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(ChangeSchema))
def list_changes(args, application_id: int):
    """The changes reported for the case, for anyone who may see it."""
    query = rereview.changes_of(db.session, current_user(), application_id)
    return paginate(db.session, query, [CircumstanceChange.id], args, descending=True)
