"""/deaths: staff record a death; every programme stops paying after that month."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.fields import REGION_CODE, IsoDate, Text
from backend.api.idempotency import idempotent
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.services import clock, deaths
from backend.services.crypto import current_cipher, mask_id_number

blp = Blueprint("deaths", __name__, url_prefix="/api/v1/deaths", description="死亡登记")


class DeathInSchema(Schema):
    name = Text(required=True)
    id_number = fields.String(required=True)
    region_code = fields.String(required=True, validate=REGION_CODE)
    died_on = IsoDate(required=True)


class DeathSchema(Schema):
    id = fields.Integer()
    person_name = fields.String()
    id_number = fields.Function(
        lambda d: mask_id_number(current_cipher().decrypt(d.person_id_cipher))
    )
    died_on = fields.Date(allow_none=True)
    last_paid_month = fields.String()
    source = fields.String()
    created_at = fields.DateTime()


@blp.post("")
@auth_required(*deaths.RECORDERS)
@idempotent
@blp.arguments(DeathInSchema)
@blp.response(201, DeathSchema)
def record_death(body):
    """Record a death in the caller's region: payments end after the month of death and
    the person's open cases end."""
    death = deaths.record_by_staff(
        db.session, current_user(), today=clock.today(), ip=request.remote_addr, **body
    )
    db.session.commit()
    return death
