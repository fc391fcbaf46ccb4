"""Schemas shared by the disaster endpoints: times, indicators, events, reports."""

from __future__ import annotations

from datetime import datetime

from marshmallow import Schema, ValidationError, fields, validate

from backend.api.attachments import AttachmentSchema
from backend.api.disaster_fields import Count, Measure
from backend.api.fields import StrictInteger
from backend.extensions import db
from backend.models.disaster import (
    COUNTS,
    DECIMALS,
    DISASTER_TYPE_LABELS,
    REPORT_KIND_LABELS,
    DisasterType,
    ReportKind,
)
from backend.services import clock, disaster_photos

PHOTO_IDS = fields.List(
    StrictInteger(validate=validate.Range(1, 2**53)),
    load_default=list,
    validate=validate.Length(max=100),
)


def _plausible(moment: datetime) -> None:
    if not 2000 <= moment.year <= 2100:
        raise ValidationError("时间超出范围")


def moment_field(**kwargs) -> fields.AwareDateTime:
    """An ISO 8601 time; without an offset it is read as Beijing time."""
    return fields.AwareDateTime(default_timezone=clock.SHANGHAI, validate=_plausible, **kwargs)


IndicatorsInSchema = Schema.from_dict(
    {**{name: Count() for name in COUNTS}, **{name: Measure() for name in DECIMALS}},
    name="IndicatorsInSchema",
)
IndicatorsOutSchema = Schema.from_dict(
    {**{name: fields.Integer() for name in COUNTS}, **{name: Measure() for name in DECIMALS}},
    name="IndicatorsSchema",
)
_indicators_out = IndicatorsOutSchema()
_photos_out = AttachmentSchema(many=True)


def dump_indicators(values) -> dict:
    return _indicators_out.dump(values)


class ReportSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    region_code = fields.Function(lambda r: r.region.code)
    region_name = fields.Function(lambda r: r.region.name)
    kind = fields.String()
    kind_label = fields.Function(lambda r: REPORT_KIND_LABELS[ReportKind(r.kind)])
    occurred_at = fields.DateTime()
    submitted_at = fields.DateTime()
    indicators = fields.Function(lambda r: dump_indicators(r.indicators))
    note = fields.String()
    correction_reason = fields.String(allow_none=True)
    is_correction = fields.Boolean()
    photos = fields.Function(lambda r: _photos_out.dump(disaster_photos.photos_of(db.session, r)))


class EventSummarySchema(Schema):
    id = fields.Integer()
    type = fields.String()
    type_label = fields.Function(lambda e: DISASTER_TYPE_LABELS[DisasterType(e.type)])
    name = fields.String()
    started_at = fields.DateTime()
    response_level = fields.String()
    status = fields.String()
    closed_at = fields.DateTime(allow_none=True)
    escalated = fields.Function(lambda e: e.escalated_at is not None)
    escalated_at = fields.DateTime(allow_none=True)
    county_code = fields.Function(lambda e: e.county.code)
    created_at = fields.DateTime()
