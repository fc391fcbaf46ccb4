"""/public/notices: a programme's publicity (公示) and granted list in a village, for
anyone.

Only what the rules allow the public to see: masked name, village, monthly amount
and the publicity dates; no identity numbers, no ids of people.
"""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.fields import REGION_CODE, Money, one_of
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.extensions import db
from backend.models import Application, ApplicationType
from backend.services import publicity
from backend.services.crypto import mask_name

blp = Blueprint("notices", __name__, url_prefix="/api/v1/public/notices", description="公示")


class NoticeArgsSchema(PageArgsSchema):
    # 低保 when not named: the lists published before there was a second programme.
    program = fields.String(load_default=ApplicationType.DIBAO, validate=one_of(ApplicationType))
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
    query = publicity.notices(db.session, args["program"], args["region_code"])
    return paginate(db.session, query, [Application.id], args, descending=True)
