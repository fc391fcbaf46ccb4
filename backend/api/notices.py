"""/public/notices: the village's 低保 publicity (公示) and granted list, for anyone.

Only what the rules allow the public to see: masked name, village, monthly amount
and the publicity dates; no identity numbers, no ids of people.
"""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.fields import REGION_CODE, Money
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.extensions import db
from backend.models import Application
from backend.services import publicity
from backend.services.crypto import mask_name

blp = Blueprint("notices", __name__, url_prefix="/api/v1/public/notices", description="公示")


class NoticeArgsSchema(PageArgsSchema):
    region_code = fields.String(required=True, validate=REGION_CODE)


class NoticeSchema(Schema):
    name = fields.Function(lambda a: mask_name(a.applicant_name))
    village = fields.Function(lambda a: a.region.name)
    status = fields.Function(publicity.notice_status)
    monthly_amount = Money()
    publicity_ends_on = fields.Date(allow_none=True)
    start_month = fields.String(allow_none=True)


@blp.get("")
@blp.arguments(NoticeArgsSchema, location="query")
@blp.response(200, page_schema(NoticeSchema))
def list_notices(args):
    query = publicity.notices(db.session, args["region_code"])
    return paginate(db.session, query, [Application.id], args, descending=True)
