"""/audit-logs: the administrator's view of the audit log and of its hash chain.

Registering this blueprint also puts every 403 answer of /api on record and refuses
to start with a retention shorter than the legal six months.
"""

from __future__ import annotations

from flask import Response, request
from flask_jwt_extended import get_current_user
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from backend.api.fields import StrictInteger
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import auth_required
from backend.extensions import db
from backend.models import AuditLog, AuditResult, Role
from backend.services import audit

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit-logs", description="审计日志")


class AuditLogSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_role = fields.String(allow_none=True)
    action = fields.String()
    object_type = fields.String(allow_none=True)
    object_id = fields.String(allow_none=True)
    result = fields.String()
    ip = fields.String(allow_none=True)
    before_status = fields.String(allow_none=True)
    after_status = fields.String(allow_none=True)
    subject_user_id = fields.Integer(allow_none=True)
    note = fields.String()
    sealed = fields.Boolean()
    row_hash = fields.String(allow_none=True)


class AuditQuerySchema(PageArgsSchema):
    actor_id = StrictInteger(load_default=None, validate=validate.Range(1, 2**63 - 1))
    action = fields.String(load_default=None, validate=validate.Length(1, 40))
    object_type = fields.String(load_default=None, validate=validate.Length(1, 40))
    object_id = fields.String(load_default=None, validate=validate.Length(1, 64))
    result = fields.String(load_default=None, validate=validate.OneOf(list(AuditResult)))
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)


class ChainReportSchema(Schema):
    valid = fields.Boolean()
    checked = fields.Integer()
    unsealed = fields.Integer()
    first_id = fields.Integer(allow_none=True)
    last_id = fields.Integer(allow_none=True)
    head_hash = fields.String(allow_none=True)
    broken_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)


@blp.get("")
@auth_required(Role.ADMIN)
# A mistyped filter must not quietly list everything: unknown names are 422 here.
@blp.arguments(AuditQuerySchema, location="query", unknown=RAISE)
@blp.response(200, page_schema(AuditLogSchema))
def list_audit_logs(args):
    query = audit.search(
        audit.AuditFilter(
            actor_id=args["actor_id"],
            action=args["action"],
            object_type=args["object_type"],
            object_id=args["object_id"],
            result=args["result"],
            since=args["since"],
            until=args["until"],
        )
    )
    return paginate(db.session, query, [AuditLog.id], args, descending=True)


@blp.get("/verify")
@auth_required(Role.ADMIN)
@blp.response(200, ChainReportSchema)
def verify_audit_chain():
    return audit.verify(db.session)


@blp.after_app_request
def record_refusals(response: Response) -> Response:
    """Authorization failures are audit events (scope 404s are not: too noisy)."""
    if response.status_code != 403 or not request.path.startswith("/api/"):
        return response
    db.session.rollback()  # whatever the refused request began is not kept
    audit.record(
        db.session,
        _signed_in_user(),
        "access.denied",
        audit.Target("endpoint", request.endpoint),
        result=AuditResult.DENIED,
        ip=request.remote_addr,
        note=f"{request.method} {request.path}",
    )
    db.session.commit()
    return response


def _signed_in_user():
    try:
        return get_current_user()
    except RuntimeError:  # refused before any token was read
        return None
