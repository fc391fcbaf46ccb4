"""/disaster-tips (随手拍) and /disaster-photos: residents' tips, and photos uploaded
one per request before the report or tip that names them."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, post_load, validate

from backend.api.attachments import AttachmentSchema
from backend.api.disaster_fields import Coordinate
from backend.api.disaster_schemas import PHOTO_IDS
from backend.api.fields import REGION_CODE, StrictInteger, Text, multipart_body, one_of
from backend.api.idempotency import idempotent
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import Role
from backend.models.disaster import DisasterTip, TipStatus
from backend.services import after_commit, attachment_pipeline, disaster_photos, disaster_tips
from backend.services.storage import storage

blp = Blueprint("disaster_tips", __name__, url_prefix="/api/v1", description="随手拍与灾情照片")

_photos_out = AttachmentSchema(many=True)


class TipCreateSchema(Schema):
    description = Text(required=True, validate=validate.Length(1, 500))
    lat = Coordinate(90, load_default=None)
    lon = Coordinate(180, load_default=None)
    photo_ids = PHOTO_IDS

    @post_load
    def build(self, data, **_kwargs):
        return disaster_tips.NewTip(
            description=data["description"],
            latitude=data["lat"],
            longitude=data["lon"],
            photo_ids=data["photo_ids"],
        )


class TipFormSchema(Schema):
    """The multipart form: the same fields, with the photos as `photos` files."""

    description = fields.String(required=True)
    lat = fields.Float()
    lon = fields.Float()
    photos = fields.List(Upload())


class TipSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    description = fields.String()
    lat = fields.Float(attribute="latitude", allow_none=True)
    lon = fields.Float(attribute="longitude", allow_none=True)
    region_code = fields.Function(lambda t: t.region.code if t.region else None)
    region_name = fields.Function(lambda t: t.region.name if t.region else None)
    event_id = fields.Integer(allow_none=True)
    event_name = fields.Function(lambda t: t.event.name if t.event else None)
    review_reason = fields.String()
    reviewed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    photos = fields.Function(lambda t: _photos_out.dump(disaster_photos.photos_of(db.session, t)))


class TipListArgsSchema(PageArgsSchema):
    status = fields.String(load_default=None, validate=one_of(TipStatus))


class VerifySchema(Schema):
    event_id = StrictInteger(required=True, validate=validate.Range(1, 2**53))
    region_code = fields.String(required=True, validate=REGION_CODE)


class DismissSchema(Schema):
    reason = Text(required=True, validate=validate.Length(1, 500))


class PhotoFileSchema(Schema):
    file = Upload(required=True)


@blp.post("/disaster-photos")
@auth_required(*disaster_photos.UPLOADERS)
@idempotent
@blp.arguments(PhotoFileSchema, location="files")
@blp.response(202, AttachmentSchema)
@blp.doc(**multipart_body(PhotoFileSchema))
def upload_photo(files):
    """Upload one photo (multipart `file`); name its id in a report's or tip's
    `photo_ids`. It is checked in the background like any material."""
    photo = disaster_photos.stage(
        db.session, current_user(), files["file"].stream, files["file"].filename, storage()
    )
    # Queued once the row is committed (with the Idempotency-Key's answer, if any).
    after_commit.call(db.session(), attachment_pipeline.request_processing, photo.id)
    db.session.commit()
    return photo


@blp.post("/disaster-tips")
@auth_required(Role.CITIZEN, Role.AGENT)
@idempotent
@blp.arguments(TipCreateSchema, location="json_or_form")
@blp.response(201, TipSchema)
@blp.doc(
    requestBody={
        "required": True,
        "content": {
            "application/json": {"schema": TipCreateSchema},
            "multipart/form-data": {"schema": TipFormSchema},
        },
    }
)
def send_tip(new):
    """随手拍: JSON (photos uploaded before, by id) or multipart with `photos` files."""
    files = [(f.stream, f.filename) for f in request.files.getlist("photos")]
    tip = disaster_tips.send_with_files(
        db.session, current_user(), new, files, storage(), ip=request.remote_addr
    )
    for photo in disaster_photos.photos_of(db.session, tip):
        after_commit.call(db.session(), attachment_pipeline.request_processing, photo.id)
    db.session.commit()
    return tip


@blp.get("/disaster-tips")
@auth_required()
@blp.arguments(TipListArgsSchema, location="query")
@blp.response(200, page_schema(TipSchema))
def list_tips(args):
    query = disaster_tips.visible(current_user())
    if args["status"]:
        query = query.where(DisasterTip.status == args["status"])
    return paginate(db.session, query, [DisasterTip.id], args, descending=True)


@blp.get("/disaster-tips/<id:tip_id>")
@auth_required()
@blp.response(200, TipSchema)
def get_tip(tip_id: int):
    return disaster_tips.get(db.session, current_user(), tip_id)


@blp.post("/disaster-tips/<id:tip_id>/verify")
@auth_required(Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF)
@blp.arguments(VerifySchema)
@blp.response(200, TipSchema)
def verify_tip(body, tip_id: int):
    """属实: link the tip to an event and a region; the tipper is told."""
    tip = disaster_tips.verify(
        db.session,
        current_user(),
        tip_id,
        body["event_id"],
        body["region_code"],
        ip=request.remote_addr,
    )
    db.session.commit()
    return tip


@blp.post("/disaster-tips/<id:tip_id>/dismiss")
@auth_required(Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF)
@blp.arguments(DismissSchema)
@blp.response(200, TipSchema)
def dismiss_tip(body, tip_id: int):
    """不采纳, with the reason the tipper reads."""
    tip = disaster_tips.dismiss(
        db.session, current_user(), tip_id, body["reason"], ip=request.remote_addr
    )
    db.session.commit()
    return tip
