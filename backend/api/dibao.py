"""/dibao/estimate: the public self-check (自助测算), before anyone applies."""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.fields import REGION_CODE, IsoDate, Money, one_of
from backend.api.household_schemas import INCOME
from backend.api.request_guard import body_limits
from backend.extensions import db, limiter
from backend.models import AreaType
from backend.services import clock, dibao, regions

blp = Blueprint("dibao", __name__, url_prefix="/api/v1/dibao", description="低保")

AREA_TYPES = one_of(AreaType)


class IncomeSchema(Schema):
    monthly_income = Money(required=True, validate=INCOME)


class EstimateArgsSchema(Schema):
    area_type = fields.String(required=True, validate=AREA_TYPES)
    region_code = fields.String(load_default=None, validate=REGION_CODE)
    members = fields.List(
        fields.Nested(IncomeSchema),
        required=True,
        validate=validate.Length(1, dibao.MAX_MEMBERS, error="家庭成员应为1到20人"),
    )
    date = IsoDate(load_default=None)


class EstimateSchema(Schema):
    eligible = fields.Boolean()
    member_count = fields.Integer()
    per_capita_income = Money()
    standard_monthly = Money()
    monthly_amount = Money()


@blp.post("/estimate")
@limiter.limit(lambda: current_app.config["ESTIMATE_RATE_LIMIT_IP"], key_func=get_remote_address)
@body_limits(8192, 64)  # 20 members and the rest, with room to spare
@blp.arguments(EstimateArgsSchema)
@blp.response(200, EstimateSchema)
def estimate(body):
    """Per-capita income, the standard in force and the monthly amount (public; limited
    per address, `ESTIMATE_RATE_LIMIT_IP`)."""
    county = regions.county_for(db.session, body["region_code"])
    incomes = [member["monthly_income"] for member in body["members"]]
    return dibao.estimate(
        db.session, county, AreaType(body["area_type"]), incomes, body["date"] or clock.today()
    )
