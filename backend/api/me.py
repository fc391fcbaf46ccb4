"""/me: the signed-in account, and real-name verification for residents."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import Role, User
from backend.services import real_name, users
from backend.services.crypto import mask_phone

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="我的账号")


class RegionRefSchema(Schema):
    code = fields.String()
    name = fields.String()


def _masked_phone(user: User) -> str | None:
    phone = users.phone_of(user)
    return mask_phone(phone) if phone else None


class MeSchema(Schema):
    id = fields.Integer()
    role = fields.String()
    name = fields.String()
    username = fields.String(allow_none=True)
    phone = fields.Function(_masked_phone, metadata={"example": "138****5678"})
    region = fields.Nested(RegionRefSchema, allow_none=True)
    real_name_verified = fields.Boolean()


class RealNameSchema(Schema):
    name = fields.String(required=True, metadata={"example": "王秀英"})
    id_number = fields.String(required=True, metadata={"example": "11010519491231002X"})
    # Absent: a claim without proof, which the verifier answers (refused, or 503 where
    # online verification is closed, so the portal can send the resident to a window).
    verify_result = fields.String(
        load_default="",
        validate=validate.Length(min=1, max=512),
        metadata={
            "description": "实名核验结果凭证: the mini program's `verify_result` from "
            "wx.startFacialRecognitionVerify, redeemed by the server's identity verifier; "
            "in development, demo and test a refusal carries the expected proof in "
            "`details.debug_verify_result`"
        },
    )


@blp.get("")
@blp.response(200, MeSchema)
@auth_required()
def get_me():
    return current_user()


@blp.post("/real-name")
@blp.arguments(RealNameSchema)
@blp.response(200, MeSchema)
@auth_required(Role.CITIZEN)
def verify_real_name(args):
    """Bind the resident's name and identity number (stored encrypted) to the account,
    once the identity verifier confirms `verify_result` is this person's."""
    user = real_name.verify(
        db.session,
        current_user(),
        args["name"],
        args["id_number"],
        args["verify_result"],
        ip=request.remote_addr,
    )
    db.session.commit()
    return user
