"""/spot-checks: the county's reproducible random re-visits of approved cases (抽查)."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.fields import REGION_CODE, Ratio, Text, one_of
from backend.api.idempotency import idempotent
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import Role
from backend.services import spot_checks

blp = Blueprint("spot_checks", __name__, url_prefix="/api/v1/spot-checks", description="抽查")


class DrawSchema(Schema):
    township = fields.String(required=True, validate=REGION_CODE)  # the township's code
    ratio = Ratio(required=True)
    seed = Text(load_default=None, validate=validate.Regexp(r"^[0-9A-Za-z_-]{1,64}$"))


class SpotCheckCaseSchema(Schema):
    application_id = fields.Integer()
    result = fields.String(allow_none=True)
    note = fields.String()
    checked_at = fields.DateTime(allow_none=True)


class SpotCheckSchema(Schema):
    id = fields.Integer()
    township = fields.Function(lambda check: check.township.code)
    ratio = Ratio()
    seed = fields.String()
    population = fields.Integer()
    created_at = fields.DateTime()
    cases = fields.List(fields.Nested(SpotCheckCaseSchema))


class ResultSchema(Schema):
    result = fields.String(required=True, validate=one_of(spot_checks.SpotResult))
    note = Text(load_default="", validate=validate.Length(max=500))


@blp.post("")
@auth_required(Role.COUNTY_STAFF)
@idempotent
@blp.arguments(DrawSchema)
@blp.response(201, SpotCheckSchema)
def draw_spot_check(body):
    """Draw at least 10 % of a township's paid 低保 households; the seed is recorded."""
    check = spot_checks.draw(
        db.session,
        current_user(),
        body["township"],
        body["ratio"],
        body["seed"],
        ip=request.remote_addr,
    )
    db.session.commit()
    return check


@blp.get("/<id:spot_check_id>")
@auth_required(Role.COUNTY_STAFF)
@blp.response(200, SpotCheckSchema)
def get_spot_check(spot_check_id: int):
    return spot_checks.get(db.session, current_user(), spot_check_id)


@blp.post("/<id:spot_check_id>/cases/<id:application_id>/result")
@auth_required(Role.COUNTY_STAFF)
@blp.arguments(ResultSchema)
@blp.response(200, SpotCheckSchema)
def record_spot_check_result(body, spot_check_id: int, application_id: int):
    staff = current_user()
    check = spot_checks.get(db.session, staff, spot_check_id)
    spot_checks.record_result(
        db.session,
        staff,
        check,
        application_id,
        spot_checks.SpotResult(body["result"]),
        body["note"],
        ip=request.remote_addr,
    )
    db.session.commit()
    return check
