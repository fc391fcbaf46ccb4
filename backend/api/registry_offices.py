"""/registry-offices: offices and their settings, open days and closures, slots, and
the registrar's day sheet."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.appointments import AppointmentSchema, PartyInSchema
from backend.api.fields import StrictInteger, Text, one_of, parse_plan_day, plan_day
from backend.api.idempotency import idempotent
from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import acting, auth_required, current_user
from backend.extensions import db
from backend.models import RegistryOffice
from backend.models.marriage import Ballot, BallotEntry, Service, Slot
from backend.models.registry import OfficeDayKind
from backend.services import clock, roles
from backend.services.marriage import ballots, offices, parties, schedule, slots

blp = Blueprint(
    "registry_offices",
    __name__,
    url_prefix="/api/v1/registry-offices",
    description="婚姻登记处与预约时段",
)

DAYS = validate.Range(0, 366)
CAPACITY = validate.Range(0, slots.MAX_CAPACITY)


class OfficeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    address = fields.String()
    phone = fields.String()
    region_code = fields.Function(lambda office: office.region.code)
    am_capacity = fields.Integer()
    pm_capacity = fields.Integer()
    am_start = fields.Time(format="%H:%M")
    am_end = fields.Time(format="%H:%M")
    pm_start = fields.Time(format="%H:%M")
    pm_end = fields.Time(format="%H:%M")
    min_days_ahead = fields.Integer()
    max_days_ahead = fields.Integer()
    release_time = fields.Time(format="%H:%M")
    cancel_days_before = fields.Integer()
    no_show_limit = fields.Integer()
    no_show_lookback_days = fields.Integer()
    no_show_block_days = fields.Integer()
    cancel_limit = fields.Integer()
    cancel_lookback_days = fields.Integer()
    cancel_block_days = fields.Integer()
    waitlist_hold_minutes = fields.Integer()


class OfficeSettingsSchema(Schema):
    am_capacity = StrictInteger(validate=CAPACITY)
    pm_capacity = StrictInteger(validate=CAPACITY)
    am_start = fields.Time(format="%H:%M")
    am_end = fields.Time(format="%H:%M")
    pm_start = fields.Time(format="%H:%M")
    pm_end = fields.Time(format="%H:%M")
    min_days_ahead = StrictInteger(validate=validate.Range(0, 30))
    max_days_ahead = StrictInteger(validate=DAYS)
    release_time = fields.Time(format="%H:%M")
    cancel_days_before = StrictInteger(validate=validate.Range(0, 30))
    no_show_limit = StrictInteger(validate=validate.Range(1, 100))
    no_show_lookback_days = StrictInteger(validate=DAYS)
    no_show_block_days = StrictInteger(validate=DAYS)
    cancel_limit = StrictInteger(validate=validate.Range(1, 100))
    cancel_lookback_days = StrictInteger(validate=DAYS)
    cancel_block_days = StrictInteger(validate=DAYS)
    waitlist_hold_minutes = StrictInteger(validate=validate.Range(5, 24 * 60))


class OfficeDayInSchema(Schema):
    date = plan_day(required=True)
    kind = fields.String(required=True, validate=one_of(OfficeDayKind))
    note = Text(load_default="", validate=validate.Length(max=100))


class OfficeDaySchema(Schema):
    date = fields.Date(attribute="day")
    kind = fields.String()
    note = fields.String()


class SlotSchema(Schema):
    id = fields.Integer()
    date = fields.Date(attribute="day")
    period = fields.String()
    capacity = fields.Integer()
    remaining = fields.Integer()


class SlotListArgsSchema(PageArgsSchema):
    start = plan_day(data_key="from", load_default=None)
    end = plan_day(data_key="to", load_default=None)
    service = fields.String(load_default=None, validate=one_of(Service))


class GenerateSchema(Schema):
    start = plan_day(data_key="from", required=True)
    end = plan_day(data_key="to", required=True)
    am_capacity = StrictInteger(load_default=None, validate=CAPACITY)
    pm_capacity = StrictInteger(load_default=None, validate=CAPACITY)


class GeneratedSchema(Schema):
    created = fields.Integer()
    items = fields.List(fields.Nested(SlotSchema))


class DayArgsSchema(Schema):
    date = plan_day(load_default=None)


class PeriodSheetSchema(Schema):
    period = fields.String()
    slot_id = fields.Integer(allow_none=True)
    capacity = fields.Integer()
    remaining = fields.Integer()
    booked = fields.Integer()
    checked_in = fields.Integer()
    completed = fields.Integer()
    cancelled = fields.Integer()
    no_show = fields.Integer()


class DaySheetSchema(Schema):
    date = fields.Date()
    office_id = fields.Integer()
    periods = fields.List(fields.Nested(PeriodSheetSchema))
    appointments = fields.List(fields.Nested(AppointmentSchema))


class BallotInSchema(Schema):
    date = plan_day(required=True)
    entries_close_at = fields.AwareDateTime(required=True, default_timezone=clock.SHANGHAI)


class BallotSchema(Schema):
    id = fields.Integer()
    office_id = fields.Integer()
    date = fields.Date(attribute="day")
    status = fields.String()
    entries_close_at = fields.DateTime()
    seed = fields.String(allow_none=True)
    drawn_at = fields.DateTime(allow_none=True)


class BallotEntryInSchema(Schema):
    party_a = fields.Nested(PartyInSchema, required=True)
    party_b = fields.Nested(PartyInSchema, required=True)
    on_behalf = fields.Boolean(load_default=False)


class BallotEntrySchema(Schema):
    id = fields.Integer()
    ballot_id = fields.Integer()
    status = fields.String()
    appointment_id = fields.Integer(allow_none=True)
    parties = fields.Function(
        lambda entry: [parties.masked_typed(p) for p in parties.unseal(entry.parties_cipher)]
    )
    created_at = fields.DateTime()


@blp.get("")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(OfficeSchema))
def list_offices(args):
    """Public: every registry office and its booking rules."""
    return paginate(db.session, db.select(RegistryOffice), [RegistryOffice.id], args)


@blp.get("/<id:office_id>")
@blp.response(200, OfficeSchema)
def get_office(office_id: int):
    return offices.get_office(db.session, office_id)


@blp.patch("/<id:office_id>")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.arguments(OfficeSettingsSchema)
@blp.response(200, OfficeSchema)
def update_office(changes, office_id: int):
    office = offices.get_managed_office(db.session, current_user(), office_id)
    offices.update_settings(db.session, office, changes, acting())
    db.session.commit()
    return office


@blp.post("/<id:office_id>/days")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.arguments(OfficeDayInSchema)
@blp.response(200, OfficeDaySchema)
def set_office_day(data, office_id: int):
    """Open on a day off (5月20日, 七夕, 2月14日) or close on a working day."""
    office = offices.get_managed_office(db.session, current_user(), office_id)
    row = offices.set_day(
        db.session, office, data["date"], OfficeDayKind(data["kind"]), acting(), data["note"]
    )
    db.session.commit()
    return row


@blp.delete("/<id:office_id>/days/<string:day>")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.response(204)
def clear_office_day(office_id: int, day: str):
    office = offices.get_managed_office(db.session, current_user(), office_id)
    offices.clear_day(db.session, office, parse_plan_day(day), acting())
    db.session.commit()


@blp.get("/<id:office_id>/slots")
@blp.arguments(SlotListArgsSchema, location="query")
@blp.response(200, page_schema(SlotSchema))
def list_slots(args, office_id: int):
    """Public: slots with the places left, by date. With `service=marriage`, dates
    whose places go by ballot are left out until the draw."""
    offices.get_office(db.session, office_id)
    query = slots.listing(office_id, args["start"], args["end"], args["service"])
    return paginate(db.session, query, [Slot.day, Slot.period, Slot.id], args)


@blp.post("/<id:office_id>/slots/generate")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.arguments(GenerateSchema)
@blp.response(201, GeneratedSchema)
def generate_slots(data, office_id: int):
    """Slots for the working days in [from, to], plus open days, minus closures."""
    office = offices.get_managed_office(db.session, current_user(), office_id)
    created = slots.generate(
        db.session, office, data["start"], data["end"], data["am_capacity"], data["pm_capacity"]
    )
    db.session.commit()
    return {"created": len(created), "items": created}


@blp.get("/<id:office_id>/schedule")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.arguments(DayArgsSchema, location="query")
@blp.response(200, DaySheetSchema)
def day_sheet(args, office_id: int):
    """The registrar's list for a day (today by default), per half-day, with counts."""
    office = offices.get_managed_office(db.session, current_user(), office_id)
    return schedule.day_sheet(db.session, office, args["date"] or clock.today())


@blp.get("/<id:office_id>/ballots")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(BallotSchema))
def list_ballots(args, office_id: int):
    """Public: the office's peak-date ballots, with each draw's seed once drawn."""
    offices.get_office(db.session, office_id)
    query = db.select(Ballot).where(Ballot.office_id == office_id)
    return paginate(db.session, query, [Ballot.id], args, descending=True)


@blp.post("/<id:office_id>/ballots")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.arguments(BallotInSchema)
@blp.response(201, BallotSchema)
def create_ballot(data, office_id: int):
    """Make a peak date's marriage places go by ballot (摇号)."""
    office = offices.get_managed_office(db.session, current_user(), office_id)
    ballot = ballots.create(db.session, office, data["date"], data["entries_close_at"], clock.now())
    db.session.commit()
    return ballot


@blp.post("/<id:office_id>/ballots/<id:ballot_id>/entries")
@auth_required(*roles.BOOKERS)
@idempotent
@blp.arguments(BallotEntryInSchema)
@blp.response(201, BallotEntrySchema)
def enter_ballot(data, office_id: int, ballot_id: int):
    ballot = ballots.get_ballot(db.session, office_id, ballot_id)
    entry = ballots.enter(db.session, current_user(), ballot, now=clock.now(), **data)
    db.session.commit()
    return entry


@blp.get("/<id:office_id>/ballots/<id:ballot_id>/entries")
@auth_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(BallotEntrySchema))
def list_ballot_entries(args, office_id: int, ballot_id: int):
    """My entries, or all of them for the office's staff."""
    ballot = ballots.get_ballot(db.session, office_id, ballot_id)
    query = ballots.entries(db.session, current_user(), ballot)
    return paginate(db.session, query, [BallotEntry.id], args)


@blp.post("/<id:office_id>/ballots/<id:ballot_id>/draw")
@auth_required(*roles.REGISTRY_MANAGERS)
@blp.response(200, BallotSchema)
def draw_ballot(office_id: int, ballot_id: int):
    ballot = ballots.get_managed_ballot(db.session, current_user(), office_id, ballot_id)
    ballots.draw(db.session, ballot, clock.now(), acting())
    db.session.commit()
    return ballot
