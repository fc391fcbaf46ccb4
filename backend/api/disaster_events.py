"""/disaster-events: the county opens and closes events; officers report; everyone
concerned follows the roll-up."""

from __future__ import annotations

import io

from flask import request, send_file
from flask_smorest import Blueprint
from marshmallow import Schema, fields, post_load, validate

from backend.api.disaster_schemas import (
    PHOTO_IDS,
    EventSummarySchema,
    IndicatorsInSchema,
    ReportSchema,
    dump_indicators,
    moment_field,
)
from backend.api.fields import REGION_CODE, Text, one_of
from backend.api.idempotency import idempotent
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import Role
from backend.models.disaster import (
    DisasterEvent,
    DisasterReport,
    DisasterType,
    ReportKind,
    ResponseLevel,
)
from backend.services import (
    clock,
    disaster_events,
    disaster_export,
    disaster_reports,
    disaster_rollup,
)

blp = Blueprint(
    "disaster_events", __name__, url_prefix="/api/v1/disaster-events", description="灾情报告"
)


class EventCreateSchema(Schema):
    type = fields.String(required=True, validate=one_of(DisasterType))
    name = Text(required=True, validate=validate.Length(1, 100))
    started_at = moment_field(required=True)
    region_codes = fields.List(
        fields.String(validate=REGION_CODE), required=True, validate=validate.Length(1, 500)
    )
    response_level = fields.String(
        load_default=ResponseLevel.NONE.value, validate=one_of(ResponseLevel)
    )

    @post_load
    def build(self, data, **_kwargs):
        return disaster_events.NewEvent(
            type=DisasterType(data["type"]),
            name=data["name"],
            started_at=data["started_at"],
            region_codes=data["region_codes"],
            response_level=ResponseLevel(data["response_level"]),
        )


class ResponseLevelSchema(Schema):
    response_level = fields.String(required=True, validate=one_of(ResponseLevel))


class RegionStatusSchema(Schema):
    region_code = fields.Function(lambda s: s.standing.region.code)
    name = fields.Function(lambda s: s.standing.region.name)
    level = fields.Function(lambda s: s.standing.region.level)
    named = fields.Boolean()
    status = fields.String()
    initial_at = fields.DateTime(attribute="standing.initial_at", allow_none=True)
    latest_report_at = fields.DateTime(attribute="standing.latest_report_at", allow_none=True)
    last_submitted_at = fields.DateTime(attribute="standing.last_submitted_at", allow_none=True)
    overdue_initial = fields.Boolean()
    overdue_update = fields.Boolean()


class EventDetailSchema(EventSummarySchema):
    totals = fields.Function(lambda d: dump_indicators(d.totals))
    regions = fields.List(fields.Nested(RegionStatusSchema))
    initial_due_at = fields.DateTime()
    county_initial_due_at = fields.DateTime()
    next_update_due_at = fields.DateTime(allow_none=True)
    final_due_on = fields.Date(allow_none=True)


class ReportCreateSchema(Schema):
    region_code = fields.String(required=True, validate=REGION_CODE)
    kind = fields.String(required=True, validate=one_of(ReportKind))
    occurred_at = moment_field(required=True)
    indicators = fields.Nested(IndicatorsInSchema, load_default=dict)
    note = Text(load_default="", validate=validate.Length(max=1000))
    correction_reason = Text(load_default=None, validate=validate.Length(max=500))
    photo_ids = PHOTO_IDS

    @post_load
    def build(self, data, **_kwargs):
        return disaster_reports.NewReport(
            region_code=data["region_code"],
            kind=ReportKind(data["kind"]),
            occurred_at=data["occurred_at"],
            indicators=data["indicators"],
            note=data["note"],
            correction_reason=data["correction_reason"] or None,
            photo_ids=data["photo_ids"],
        )


class ReportListArgsSchema(PageArgsSchema):
    region_code = fields.String(load_default=None, validate=REGION_CODE)


class SummaryArgsSchema(Schema):
    region_code = fields.String(load_default=None, validate=REGION_CODE)


class StandingSchema(Schema):
    region_code = fields.Function(lambda s: s.region.code)
    name = fields.Function(lambda s: s.region.name)
    level = fields.Function(lambda s: s.region.level)
    totals = fields.Function(lambda s: dump_indicators(s.totals))
    latest_report_at = fields.DateTime(allow_none=True)
    source = fields.String()
    final = fields.Boolean()


class SummarySchema(Schema):
    event_id = fields.Integer(attribute="event.id")
    region_code = fields.Function(lambda s: s.root.region.code)
    name = fields.Function(lambda s: s.root.region.name)
    totals = fields.Function(lambda s: dump_indicators(s.root.totals))
    latest_report_at = fields.DateTime(attribute="root.latest_report_at", allow_none=True)
    children = fields.List(fields.Nested(StandingSchema))
    overdue_initial = fields.List(fields.String())
    overdue_update = fields.List(fields.String())
    escalated = fields.Function(lambda s: s.event.escalated_at is not None)
    rebuild = fields.Dict(metadata={"description": "倒房重建:各状态户数、合计户数与间数"})


def _detail(event_id: int):
    return disaster_rollup.event_detail(db.session, current_user(), event_id, clock.now())


@blp.post("")
@auth_required(Role.COUNTY_STAFF)
@idempotent
@blp.arguments(EventCreateSchema)
@blp.response(201, EventDetailSchema)
def open_event(new):
    """启动灾情报告 (county staff)."""
    event = disaster_events.open_event(db.session, current_user(), new, ip=request.remote_addr)
    db.session.commit()
    return _detail(event.id)


@blp.get("")
@auth_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(EventSummarySchema))
def list_events(args):
    query = disaster_events.visible(current_user())
    return paginate(db.session, query, [DisasterEvent.id], args, descending=True)


@blp.get("/<id:event_id>")
@auth_required()
@blp.response(200, EventDetailSchema)
def get_event(event_id: int):
    return _detail(event_id)


@blp.post("/<id:event_id>/response-level")
@auth_required(Role.COUNTY_STAFF)
@blp.arguments(ResponseLevelSchema)
@blp.response(200, EventDetailSchema)
def set_response_level(body, event_id: int):
    """启动、调整或终止应急响应."""
    disaster_events.set_response_level(
        db.session,
        current_user(),
        event_id,
        ResponseLevel(body["response_level"]),
        ip=request.remote_addr,
    )
    db.session.commit()
    return _detail(event_id)


@blp.post("/<id:event_id>/close")
@auth_required(Role.COUNTY_STAFF)
@blp.response(200, EventDetailSchema)
def close_event(event_id: int):
    """灾情稳定: no more updates are due; final reports still are."""
    disaster_events.close(db.session, current_user(), event_id, ip=request.remote_addr)
    db.session.commit()
    return _detail(event_id)


@blp.post("/<id:event_id>/reports")
@auth_required(Role.DISASTER_OFFICER)
@idempotent
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportSchema)
def submit_report(new, event_id: int):
    """报送灾情 (initial, update or final); photos are uploaded first to /disaster-photos
    and named in `photo_ids`."""
    report = disaster_reports.submit(
        db.session, current_user(), event_id, new, ip=request.remote_addr
    )
    db.session.commit()
    return report


@blp.get("/<id:event_id>/reports")
@auth_required()
@blp.arguments(ReportListArgsSchema, location="query")
@blp.response(200, page_schema(ReportSchema))
def list_reports(args, event_id: int):
    """The reports (and corrections) the caller may see, newest first."""
    query = disaster_reports.visible_reports(
        db.session, current_user(), event_id, args["region_code"]
    )
    return paginate(db.session, query, [DisasterReport.id], args, descending=True)


@blp.get("/<id:event_id>/summary")
@auth_required()
@blp.arguments(SummaryArgsSchema, location="query")
@blp.response(200, SummarySchema)
def get_summary(args, event_id: int):
    """The latest report of every region rolled up (汇总)."""
    return disaster_rollup.summary(
        db.session, current_user(), event_id, args["region_code"], clock.now()
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.get("/<id:event_id>/export.xlsx")
@auth_required()
@blp.response(200, description="灾情统计表(XLSX)")
def export_event(event_id: int):
    """The figures of every level the caller may see, and the collapsed houses."""
    data, filename = disaster_export.workbook(db.session, current_user(), event_id)
    response = send_file(
        io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=filename
    )
    response.headers["Cache-Control"] = "no-store"
    return response
