"""/entitlements: who is paid what in a month, from which month, and why it stopped."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.fields import REGION_CODE, Money, one_of
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import ApplicationType, Entitlement
from backend.services import entitlements
from backend.services.crypto import current_cipher, mask_id_number
from backend.services.months import MONTH_PATTERN

blp = Blueprint(
    "entitlements", __name__, url_prefix="/api/v1/entitlements", description="待遇发放名册"
)

MONTH = validate.Regexp(MONTH_PATTERN, error="月份格式应为 YYYY-MM")


class EntitlementArgsSchema(PageArgsSchema):
    program = fields.String(load_default=None, validate=one_of(ApplicationType))
    region_code = fields.String(load_default=None, validate=REGION_CODE)
    month = fields.String(load_default=None, validate=MONTH)


class BackPaySchema(Schema):
    month = fields.String()
    amount = Money()


class EntitlementSchema(Schema):
    id = fields.Integer()
    program = fields.String()
    application_id = fields.Integer(allow_none=True)
    region_code = fields.Function(lambda e: e.region.code)
    person_name = fields.String()
    id_number = fields.Function(
        lambda e: mask_id_number(current_cipher().decrypt(e.person_id_cipher))
    )
    band_min_age = fields.Integer(allow_none=True)
    monthly_amount = Money()
    from_month = fields.String()
    to_month = fields.String(allow_none=True)
    start_reason = fields.String()
    end_reason = fields.String(allow_none=True)
    back_pay = fields.List(fields.Nested(BackPaySchema))


@blp.get("")
@auth_required(*entitlements.READERS)
@blp.arguments(EntitlementArgsSchema, location="query")
@blp.response(200, page_schema(EntitlementSchema))
def list_entitlements(args):
    """Periods of payment in the caller's region; with `month`, those paid that month."""
    query = entitlements.visible_listing(
        db.session,
        current_user(),
        program=args["program"],
        region_code=args["region_code"],
        month=args["month"],
    )
    page = paginate(db.session, query, [Entitlement.id], args)
    owed = entitlements.back_pay_of(db.session, [row.id for row in page["items"]])
    for row in page["items"]:
        row.back_pay = owed.get(row.id, [])
    return page
