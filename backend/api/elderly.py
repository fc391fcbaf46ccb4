"""/elderly: 高龄津贴 without applying (免申即享 roster imports) and 生存认证."""

from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from backend.api.fields import IsoDate, Text, multipart_body
from backend.api.idempotency import idempotent
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import Role, RosterImport
from backend.services import clock, elderly_roster, liveness, regions
from backend.services.scope import get_visible
from backend.services.storage import storage

blp = Blueprint("elderly", __name__, url_prefix="/api/v1/elderly", description="高龄津贴")

ERRORS_SHOWN = 100  # the rest are in the downloadable report


class RosterFileSchema(Schema):
    file = Upload(required=True)


class RowErrorSchema(Schema):
    row = fields.Integer()
    reason = fields.String()


class RosterImportSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    file_name = fields.String()
    failure = fields.String(allow_none=True)
    rows_total = fields.Integer(allow_none=True)
    rows_done = fields.Integer()
    enrolled = fields.Integer()
    skipped = fields.Integer()
    deaths = fields.Integer()
    error_count = fields.Integer()
    errors = fields.Function(
        lambda r: RowErrorSchema(many=True).dump(
            elderly_roster.errors_of(db.session, r, ERRORS_SHOWN)
        )
    )
    error_report = fields.Function(lambda r: f"/api/v1/elderly/roster-imports/{r.id}/errors.csv")
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


@blp.post("/roster-imports")
@auth_required(*elderly_roster.IMPORTERS)
@idempotent
@blp.arguments(RosterFileSchema, location="files")
@blp.response(202, RosterImportSchema)
@blp.doc(**multipart_body(RosterFileSchema))
def import_roster(files):
    """The county's hukou roster (CSV or XLSX: name, id_number, village_code,
    hukou_type, alive); eligible people are enrolled in the background."""
    staff = current_user()
    upload = files["file"]
    roster = elderly_roster.create(
        db.session,
        county=regions.county_of(db.session, staff.region),
        data=upload.stream.read(),
        file_name=upload.filename or "roster",
        store=storage(),
        today=clock.today(),
        uploaded_by=staff,
    )
    db.session.commit()
    elderly_roster.request_run(roster.id)
    return roster


@blp.get("/roster-imports/<id:import_id>")
@auth_required(Role.COUNTY_STAFF, Role.ADMIN)
@blp.response(200, RosterImportSchema)
def get_roster_import(import_id: int):
    """Progress: rows done of the total, enrolled, skipped, and the bad rows."""
    return get_visible(db.session, RosterImport, import_id, elderly_roster.SCOPE, current_user())


@blp.get("/roster-imports/<id:import_id>/errors.csv")
@auth_required(Role.COUNTY_STAFF, Role.ADMIN)
@blp.response(200, description="错误行报告 (CSV)")
def download_roster_errors(import_id: int):
    roster = get_visible(db.session, RosterImport, import_id, elderly_roster.SCOPE, current_user())
    return Response(
        elderly_roster.error_report(db.session, roster),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="roster-import-{roster.id}-errors.csv"',
            "Cache-Control": "no-store",
        },
    )


class LivenessCheckSchema(Schema):
    id = fields.Integer()
    month = fields.String()
    method = fields.String()
    status = fields.String()
    reason = fields.String(allow_none=True)
    visited_on = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    confirmed_at = fields.DateTime(allow_none=True)


class VisitSchema(Schema):
    id_number = fields.String(required=True)
    visited_on = IsoDate(required=True)
    note = Text(load_default="", validate=validate.Length(max=500))


class SelfieSchema(Schema):
    file = Upload(required=True)


@blp.post("/liveness-checks/visits")
@auth_required(*liveness.VISITORS)
@idempotent
@blp.arguments(VisitSchema)
@blp.response(201, LivenessCheckSchema)
def record_visit(body):
    """The village agent saw the person this month (上门生存认证)."""
    check = liveness.record_visit(db.session, current_user(), today=clock.today(), **body)
    db.session.commit()
    return check


@blp.post("/liveness-checks/selfies")
@auth_required(Role.CITIZEN)
@idempotent
@blp.arguments(SelfieSchema, location="files")
@blp.response(202, LivenessCheckSchema)
@blp.doc(**multipart_body(SelfieSchema))
def take_selfie(files):
    """The person's own selfie (本人自拍认证), checked in the background."""
    check = liveness.take_selfie(
        db.session,
        current_user(),
        files["file"].stream,
        storage(),
        current_app.config["ATTACHMENT_MAX_BYTES"],
        clock.today(),
    )
    db.session.commit()
    liveness.request_check(check.id)
    return check


@blp.get("/liveness-checks/<id:check_id>")
@auth_required()
@blp.response(200, LivenessCheckSchema)
def get_liveness_check(check_id: int):
    return liveness.get(db.session, current_user(), check_id)
