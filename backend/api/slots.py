"""/slots/{id}: a registrar resizes one half-day when staff fall ill or a counter opens;
couples get in line (候补) for a full one."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.appointments import SERVICES, AppointmentSchema, PartyInSchema
from backend.api.fields import StrictInteger
from backend.api.idempotency import idempotent
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.registry_offices import SlotSchema
from backend.api.security import acting, auth_required, current_user
from backend.extensions import db
from backend.models.marriage import WaitlistEntry
from backend.services import clock, roles
from backend.services.marriage import booking, parties, slots, waitlist

blp = Blueprint("slots", __name__, url_prefix="/api/v1/slots", description="预约时段")


class CapacitySchema(Schema):
    capacity = StrictInteger(required=True, validate=validate.Range(0, slots.MAX_CAPACITY))


class WaitlistInSchema(Schema):
    service = fields.String(required=True, validate=SERVICES)
    party_a = fields.Nested(PartyInSchema, required=True)
    party_b = fields.Nested(PartyInSchema, load_default=None)
    on_behalf = fields.Boolean(load_default=False)


class WaitlistEntrySchema(Schema):
    id = fields.Integer()
    slot_id = fields.Integer()
    service = fields.String()
    status = fields.String()
    offered_until = fields.DateTime(allow_none=True)
    appointment_id = fields.Integer(allow_none=True)
    parties = fields.Function(
        lambda entry: [parties.masked_typed(p) for p in parties.unseal(entry.parties_cipher)]
    )
    created_at = fields.DateTime()


@blp.patch("/<id:slot_id>")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.arguments(CapacitySchema)
@blp.response(200, SlotSchema)
@blp.alt_response(409, description="below the places already booked")
def change_capacity(data, slot_id: int):
    slot = slots.get_managed_slot(db.session, current_user(), slot_id)
    booking.resize(db.session, slot, data["capacity"], clock.now(), acting())
    db.session.commit()
    return slot


@blp.post("/<id:slot_id>/waitlist")
@auth_required(*roles.BOOKERS)
@idempotent
@blp.arguments(WaitlistInSchema)
@blp.response(201, WaitlistEntrySchema)
def join_waitlist(data, slot_id: int):
    """Get in line for a full slot; a freed place is offered in turn, held for a while."""
    entry = waitlist.join(db.session, current_user(), slot_id=slot_id, now=clock.now(), **data)
    db.session.commit()
    return entry


@blp.get("/<id:slot_id>/waitlist")
@auth_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(WaitlistEntrySchema))
def list_waitlist(args, slot_id: int):
    """My places in line, or the whole line for the office's staff."""
    query = waitlist.entries(db.session, current_user(), slot_id)
    return paginate(db.session, query, [WaitlistEntry.id], args)


@blp.post("/<id:slot_id>/waitlist/<id:entry_id>/accept")
@auth_required()
@blp.response(200, AppointmentSchema)
def accept_offer(slot_id: int, entry_id: int):
    """Take the place offered: the answer is the new appointment."""
    entry = waitlist.get_own(db.session, current_user(), slot_id, entry_id)
    appointment = waitlist.accept(db.session, entry, clock.now())
    db.session.commit()
    return appointment


@blp.post("/<id:slot_id>/waitlist/<id:entry_id>/leave")
@auth_required()
@blp.response(200, WaitlistEntrySchema)
def leave_waitlist(slot_id: int, entry_id: int):
    entry = waitlist.get_own(db.session, current_user(), slot_id, entry_id)
    waitlist.leave(db.session, entry, clock.now())
    db.session.commit()
    return entry
