"""/appointments: book a marriage-registration slot and follow the appointment."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.fields import StrictInteger, Text, one_of, plan_day
from backend.api.idempotency import idempotent
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import acting, auth_required, current_user
from backend.database import commit_keeping_loaded
from backend.extensions import db
from backend.models.marriage import Appointment, AppointmentStatus, Period, Service
from backend.services import clock, roles
from backend.services.marriage import booking, documents, parties

blp = Blueprint(
    "appointments", __name__, url_prefix="/api/v1/appointments", description="婚姻登记预约"
)

# Ids beyond BIGINT are no rows (404), not a database error.

SERVICES = one_of(Service)
PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class PartyInSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=60))
    id_number = fields.String(required=True, validate=validate.Length(max=40))
    phone = fields.String(load_default=None, validate=validate.Length(max=20))


class BookingSchema(Schema):
    slot_id = StrictInteger(required=True, validate=validate.Range(1, 2**53))
    service = fields.String(required=True, validate=SERVICES)
    party_a = fields.Nested(PartyInSchema, required=True)
    party_b = fields.Nested(PartyInSchema, load_default=None)
    on_behalf = fields.Boolean(load_default=False)


class RescheduleSchema(Schema):
    slot_id = StrictInteger(required=True, validate=validate.Range(1, 2**53))


class CheckInSchema(Schema):
    checkin_code = Text(required=True, validate=validate.Length(min=1, max=20))


class AppointmentSlotSchema(Schema):
    id = fields.Integer()
    date = fields.Date(attribute="day")
    period = fields.String()
    office_id = fields.Integer()
    office_name = fields.Function(lambda slot: slot.office.name)
    starts_at = fields.Function(lambda slot: slot.office.hours(slot.period)[0].strftime("%H:%M"))
    ends_at = fields.Function(lambda slot: slot.office.hours(slot.period)[1].strftime("%H:%M"))
    capacity = fields.Integer()
    remaining = fields.Integer()


class DivorceApplicationSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    withdrawn_reason = fields.String(allow_none=True)
    registered_on = fields.Date()
    cooling_off_ends = fields.Date()
    certificate_deadline = fields.Date()


def _checkin_code(appointment: Appointment) -> str | None:
    # The code proves the couple holds the booking; the counter must not read it here.
    return None if current_user().role in roles.REGISTRY_MANAGERS else appointment.checkin_code


def _party(role: str):
    def dump(appointment: Appointment):
        row = appointment.party(role)
        return parties.masked(row) if row else None

    return dump


class AppointmentSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    service = fields.String()
    checkin_code = fields.Function(_checkin_code)
    slot = fields.Nested(AppointmentSlotSchema)
    party_a = fields.Function(_party("a"))
    party_b = fields.Function(_party("b"))
    on_behalf = fields.Boolean()
    divorce_application = fields.Nested(DivorceApplicationSchema, allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class AppointmentListArgsSchema(PageArgsSchema):
    status = fields.String(load_default=None, validate=one_of(AppointmentStatus))
    service = fields.String(load_default=None, validate=SERVICES)
    office_id = StrictInteger(load_default=None, validate=validate.Range(1, 2**53))
    date = plan_day(load_default=None)
    period = fields.String(load_default=None, validate=one_of(Period))


@blp.post("")
@auth_required(*roles.BOOKERS)
@idempotent
@blp.arguments(BookingSchema)
@blp.response(201, AppointmentSchema)
@blp.alt_response(409, description="slot_full / duplicate_booking / action_not_allowed")
def create_appointment(data):
    """Book a half-day: a citizen for themself, an agent on behalf, a registrar by phone."""
    appointment = booking.book(db.session, current_user(), now=clock.now(), **data)
    commit_keeping_loaded(db.session())  # answered from memory: every row was just written
    return appointment


@blp.get("")
@auth_required()
@blp.arguments(AppointmentListArgsSchema, location="query")
@blp.response(200, page_schema(AppointmentSchema))
def list_appointments(args):
    """Mine (booked by me or naming me), or my offices' for registrars; newest first."""
    query = booking.listing(current_user(), args)
    return paginate(db.session, query, [Appointment.id], args, descending=True)


@blp.get("/<id:appointment_id>")
@auth_required()
@blp.response(200, AppointmentSchema)
def get_appointment(appointment_id: int):
    return booking.get_visible(db.session, current_user(), appointment_id)


@blp.post("/<id:appointment_id>/cancel")
@auth_required()
@blp.response(200, AppointmentSchema)
def cancel_appointment(appointment_id: int):
    appointment = booking.get_visible(db.session, current_user(), appointment_id)
    booking.cancel(db.session, current_user(), appointment, clock.now())
    db.session.commit()
    return appointment


@blp.post("/<id:appointment_id>/reschedule")
@auth_required()
@blp.arguments(RescheduleSchema)
@blp.response(200, AppointmentSchema)
def reschedule_appointment(data, appointment_id: int):
    """Cancel and rebook in one step; the answer is the new appointment."""
    appointment = booking.get_visible(db.session, current_user(), appointment_id)
    new = booking.reschedule(db.session, current_user(), appointment, data["slot_id"], clock.now())
    db.session.commit()
    return new


@blp.post("/<id:appointment_id>/check-in")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.arguments(CheckInSchema)
@blp.response(200, AppointmentSchema)
def check_in(data, appointment_id: int):
    appointment = booking.get_managed(db.session, current_user(), appointment_id)
    booking.check_in(db.session, appointment, data["checkin_code"], clock.now())
    db.session.commit()
    return appointment


@blp.post("/<id:appointment_id>/complete")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.response(200, AppointmentSchema)
def complete(appointment_id: int):
    """Done at the counter; a divorce registers the application and its cooling-off."""
    appointment = booking.get_managed(db.session, current_user(), appointment_id)
    booking.complete(db.session, appointment, clock.now(), acting())
    db.session.commit()
    return appointment


@blp.post("/<id:appointment_id>/no-show")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.response(200, AppointmentSchema)
def no_show(appointment_id: int):
    appointment = booking.get_managed(db.session, current_user(), appointment_id)
    booking.mark_no_show(db.session, appointment, clock.now())
    db.session.commit()
    return appointment


@blp.post("/<id:appointment_id>/withdraw")
@auth_required()
@blp.response(200, AppointmentSchema)
def withdraw_divorce(appointment_id: int):
    """Either party withdraws the divorce application during the cooling-off."""
    appointment = booking.get_visible(db.session, current_user(), appointment_id)
    booking.withdraw_divorce(db.session, current_user(), appointment, clock.now())
    db.session.commit()
    return appointment


@blp.get("/<id:appointment_id>/ics")
@auth_required()
@blp.doc(responses={200: {"description": "iCalendar file", "content": {"text/calendar": {}}}})
def calendar_file(appointment_id: int):
    appointment = booking.get_own(db.session, current_user(), appointment_id)
    return Response(
        documents.ics(appointment, clock.now()),
        mimetype="text/calendar",
        headers={
            **PRIVATE,
            "Content-Disposition": f'attachment; filename="appointment-{appointment.id}.ics"',
        },
    )


@blp.get("/<id:appointment_id>/qr.png")
@auth_required()
@blp.doc(responses={200: {"description": "check-in QR code", "content": {"image/png": {}}}})
def checkin_qr(appointment_id: int):
    appointment = booking.get_own(db.session, current_user(), appointment_id)
    return Response(documents.checkin_qr_png(appointment), mimetype="image/png", headers=PRIVATE)
