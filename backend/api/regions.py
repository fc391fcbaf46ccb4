"""GET /regions: the region tree, one level at a time (for pickers in the clients)."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.fields import REGION_CODE
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.extensions import db
from backend.models import Region
from backend.services import regions

blp = Blueprint("regions", __name__, url_prefix="/api/v1/regions", description="行政区划")


class RegionSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.Function(lambda region: region.parent.code if region.parent else None)


class RegionListArgsSchema(PageArgsSchema):
    parent_code = fields.String(load_default=None, validate=REGION_CODE)


@blp.get("")
@blp.arguments(RegionListArgsSchema, location="query")
@blp.response(200, page_schema(RegionSchema))
def list_regions(args):
    """Children of `parent_code`, or the top of the tree when it is omitted."""
    query = db.select(Region)
    if args["parent_code"]:
        parent = regions.get_by_code(db.session, args["parent_code"])
        query = query.where(Region.parent_id == parent.id)
    else:
        query = query.where(Region.parent_id.is_(None))
    return paginate(db.session, query, [Region.code], args)


@blp.get("/<code>")
@blp.response(200, RegionSchema)
def get_region(code: str):
    return regions.get_by_code(db.session, code)
