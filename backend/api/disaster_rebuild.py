"""/disaster-events/{id}/collapsed-houses and /collapsed-houses: 倒房重建."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, post_load, validate

from backend.api.disaster_fields import Count
from backend.api.fields import REGION_CODE, IsoDate, Text
from backend.api.idempotency import idempotent
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models.disaster import REBUILD_STATUS_LABELS, CollapsedHouse, RebuildStatus
from backend.services import disaster_rebuild

blp = Blueprint("disaster_rebuild", __name__, url_prefix="/api/v1", description="倒房重建")


class HouseCreateSchema(Schema):
    region_code = fields.String(required=True, validate=REGION_CODE)
    household_head = Text(required=True, validate=validate.Length(1, 30))
    rooms = Count(required=True, validate=validate.Range(1, 100))
    note = Text(load_default="", validate=validate.Length(max=500))

    @post_load
    def build(self, data, **_kwargs):
        return disaster_rebuild.NewHouse(**data)


class ProgressSchema(Schema):
    status = fields.String(
        required=True,
        validate=validate.OneOf([RebuildStatus.BUILDING.value, RebuildStatus.REBUILT.value]),
    )
    on = IsoDate(required=True)


class HouseSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    region_code = fields.Function(lambda h: h.region.code)
    region_name = fields.Function(lambda h: h.region.name)
    household_head = fields.String()
    rooms = fields.Integer()
    status = fields.String()
    status_label = fields.Function(lambda h: REBUILD_STATUS_LABELS[RebuildStatus(h.status)])
    started_on = fields.Date(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    note = fields.String()
    created_at = fields.DateTime()


@blp.post("/disaster-events/<id:event_id>/collapsed-houses")
@auth_required(*disaster_rebuild.KEEPERS)
@idempotent
@blp.arguments(HouseCreateSchema)
@blp.response(201, HouseSchema)
def record_house(new, event_id: int):
    """登记倒房户 (planned)."""
    house = disaster_rebuild.record(
        db.session, current_user(), event_id, new, ip=request.remote_addr
    )
    db.session.commit()
    return house


@blp.get("/disaster-events/<id:event_id>/collapsed-houses")
@auth_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(HouseSchema))
def list_houses(args, event_id: int):
    query = disaster_rebuild.visible(db.session, current_user(), event_id)
    return paginate(db.session, query, [CollapsedHouse.id], args)


@blp.post("/collapsed-houses/<id:house_id>/progress")
@auth_required(*disaster_rebuild.KEEPERS)
@blp.arguments(ProgressSchema)
@blp.response(200, HouseSchema)
def advance_house(body, house_id: int):
    """开工 (building, started on) or 竣工 (rebuilt, completed on)."""
    house = disaster_rebuild.advance(
        db.session,
        current_user(),
        house_id,
        RebuildStatus(body["status"]),
        body["on"],
        ip=request.remote_addr,
    )
    db.session.commit()
    return house
