"""/calendar: the official working-day calendar, and the overrides county staff load
when the State Council publishes a year's schedule before any package has it."""

from __future__ import annotations

from datetime import timedelta

from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.api.fields import IsoDate, Text
from backend.api.security import auth_required
from backend.extensions import db
from backend.models import CalendarOverride, Role
from backend.services import workdays

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/calendar", description="工作日历")

MAX_RANGE_DAYS = 366


class OverrideSchema(Schema):
    day = IsoDate(required=True)
    is_working_day = fields.Boolean(required=True)
    note = Text(load_default="", validate=validate.Length(max=100))


class OverrideListSchema(Schema):
    items = fields.List(fields.Nested(OverrideSchema))


class RangeArgsSchema(Schema):
    start = IsoDate(required=True, data_key="from")
    end = IsoDate(required=True, data_key="to")

    @validates_schema
    def check_range(self, data, **_kwargs):
        if data["end"] < data["start"]:
            raise ValidationError("结束日期不能早于开始日期", "to")
        if (data["end"] - data["start"]).days >= MAX_RANGE_DAYS:
            raise ValidationError(f"一次最多查询 {MAX_RANGE_DAYS} 天", "to")


class WorkingDaySchema(Schema):
    day = fields.Date()
    is_working_day = fields.Boolean()


class WorkingDayListSchema(Schema):
    items = fields.List(fields.Nested(WorkingDaySchema))


@blp.get("/working-days")
@blp.arguments(RangeArgsSchema, location="query")
@blp.response(200, WorkingDayListSchema)
def working_days(args):
    """Each day of the range and whether it is a working day (public)."""
    calendar = workdays.load_calendar(db.session)
    days = (
        args["start"] + timedelta(days=n) for n in range((args["end"] - args["start"]).days + 1)
    )
    return {"items": [{"day": d, "is_working_day": calendar.is_working_day(d)} for d in days]}


@blp.get("/overrides")
@auth_required(Role.COUNTY_STAFF, Role.ADMIN)
@blp.response(200, OverrideListSchema)
def list_overrides():
    return {"items": db.session.scalars(db.select(CalendarOverride).order_by(CalendarOverride.day))}


@blp.put("/overrides")
@auth_required(Role.COUNTY_STAFF, Role.ADMIN)
@blp.arguments(OverrideSchema)
@blp.response(200, OverrideSchema)
def set_override(body):
    """Make a day a working day (调休上班) or a day off; replaces any earlier override."""
    workdays.set_override(db.session, body["day"], body["is_working_day"], body["note"])
    db.session.commit()
    return body
