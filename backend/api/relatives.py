"""/relatives: staff and village cadres register their close relatives (近亲属备案)."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.fields import Text
from backend.api.idempotency import idempotent
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import RegisteredRelative, Relation
from backend.services import relatives
from backend.services.crypto import current_cipher, mask_id_number

blp = Blueprint(
    "relatives", __name__, url_prefix="/api/v1/relatives", description="工作人员近亲属备案"
)

RELATIONS = validate.OneOf([r.value for r in Relation if r != Relation.SELF])


class RelativeInSchema(Schema):
    name = Text(required=True)
    id_number = fields.String(required=True)
    relation = fields.String(required=True, validate=RELATIONS)


class RelativeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    id_number = fields.Function(
        lambda r: mask_id_number(current_cipher().decrypt(r.id_number_cipher))
    )
    relation = fields.String()
    created_at = fields.DateTime()


@blp.post("")
@auth_required(*relatives.REGISTRANTS)
@idempotent
@blp.arguments(RelativeInSchema)
@blp.response(201, RelativeSchema)
def register_relative(body):
    entry = relatives.register(
        db.session,
        current_user(),
        name=body["name"],
        id_number=body["id_number"],
        relation=Relation(body["relation"]),
    )
    db.session.commit()
    return entry


@blp.get("")
@auth_required(*relatives.REGISTRANTS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(RelativeSchema))
def list_my_relatives(args):
    """The caller's own register."""
    query = relatives.registered_by(current_user())
    return paginate(db.session, query, [RegisteredRelative.id], args)
