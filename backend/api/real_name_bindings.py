"""/real-name-bindings: staff at a bureau window bind a resident's identity number to
their account after seeing the card, taking it back from an account that took it."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.fields import Text
from backend.api.me import MeSchema
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.services import real_name

blp = Blueprint(
    "real_name_bindings",
    __name__,
    url_prefix="/api/v1/real-name-bindings",
    description="窗口实名核验与找回",
)


class CounterBindingSchema(Schema):
    phone = fields.String(required=True, metadata={"example": "13912345678"})
    name = fields.String(required=True, metadata={"example": "王秀英"})
    id_number = fields.String(required=True, metadata={"example": "11010519491231002X"})
    note = Text(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "what was checked, e.g. 核验居民身份证原件"},
    )


@blp.post("")
@auth_required(*real_name.COUNTER_ROLES, fresh=True)
@blp.arguments(CounterBindingSchema)
@blp.response(200, MeSchema)
def bind_at_counter(body):
    """Bind the number to the resident account that signs in with `phone`; an account
    that held it loses it, with the cases and bookings it had in this person's name.
    Needs a fresh sign-in; audited on both accounts."""
    account = real_name.bind_at_counter(
        db.session,
        current_user(),
        body["phone"],
        body["name"],
        body["id_number"],
        body["note"],
        ip=request.remote_addr,
    )
    db.session.commit()
    return account
