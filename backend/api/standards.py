"""/standards: 低保 standards and 高龄津贴 bands, in force and their history."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from backend.api.fields import REGION_CODE, IsoDate, Money, StrictInteger, one_of
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import AreaType, Role, StandardUnit
from backend.services import clock, elderly_bands, regions, standards

blp = Blueprint("standards", __name__, url_prefix="/api/v1/standards", description="保障标准")


class StandardSchema(Schema):
    area_type = fields.String(required=True, validate=one_of(AreaType))
    amount = Money(required=True, validate=validate.Range(0, 100_000, min_inclusive=False))
    unit = fields.String(required=True, validate=one_of(StandardUnit))
    effective_from = IsoDate(required=True)
    monthly_equivalent = Money(dump_only=True)
    in_force = fields.Boolean(dump_only=True)


class BandSchema(Schema):
    min_age = StrictInteger(required=True, validate=validate.Range(1, elderly_bands.OLDEST_AGE))
    max_age = StrictInteger(
        load_default=None, allow_none=True, validate=validate.Range(1, elderly_bands.OLDEST_AGE)
    )
    monthly_amount = Money(required=True, validate=validate.Range(0, 100_000, min_inclusive=False))
    effective_from = IsoDate(required=True)
    in_force = fields.Boolean(dump_only=True)


class StandardsSchema(Schema):
    county_code = fields.String()
    county_name = fields.String()
    dibao = fields.List(fields.Nested(StandardSchema))
    elderly_bands = fields.List(fields.Nested(BandSchema))


class StandardsArgsSchema(Schema):
    region_code = fields.String(load_default=None, validate=REGION_CODE)


def _dump_standard(standard, in_force_ids: set[int]) -> dict:
    return {
        "area_type": standard.area_type,
        "amount": standard.amount,
        "unit": standard.unit,
        "effective_from": standard.effective_from,
        "monthly_equivalent": standards.monthly_equivalent_yuan(standard),
        "in_force": standard.id in in_force_ids,
    }


@blp.get("")
@blp.arguments(StandardsArgsSchema, location="query")
@blp.response(200, StandardsSchema)
def list_standards(args):
    """Every standard and band of the county, marking those in force today (public)."""
    return _standards_of(regions.county_for(db.session, args["region_code"]))


def _standards_of(county) -> dict:
    rows = standards.history(db.session, county)
    in_force = standards.in_force_ids(rows, clock.today())
    return {
        "county_code": county.code,
        "county_name": county.name,
        "dibao": [_dump_standard(row, in_force) for row in rows],
        "elderly_bands": _dump_bands(county),
    }


def _dump_bands(county) -> list[dict]:
    """Every band row of the county, oldest first, marking those in force today."""
    rows = standards.bands(db.session, county)
    current = {band.id for band in elderly_bands.in_force(rows, clock.today())}
    return [_dump_band(band, current) for band in rows]


def _dump_band(band, in_force_ids: set[int]) -> dict:
    return {
        "min_age": band.min_age,
        "max_age": band.max_age,
        "monthly_amount": band.monthly_amount,
        "effective_from": band.effective_from,
        "in_force": band.id in in_force_ids,
    }


@blp.post("")
@auth_required(Role.COUNTY_STAFF)
@blp.arguments(StandardSchema)
@blp.response(201, StandardSchema)
def add_standard(body):
    """A new 低保 standard from a date (county staff of that county)."""
    staff = current_user()
    county = regions.county_of(db.session, staff.region)
    standard = standards.add_standard(
        db.session,
        county,
        area_type=AreaType(body["area_type"]),
        amount=body["amount"],
        unit=StandardUnit(body["unit"]),
        effective_from=body["effective_from"],
        today=clock.today(),
    )
    db.session.commit()
    rows = standards.history(db.session, county)
    return _dump_standard(standard, standards.in_force_ids(rows, clock.today()))


@blp.post("/elderly-bands")
@auth_required(Role.COUNTY_STAFF)
@blp.arguments(BandSchema)
@blp.response(201, BandSchema)
def add_band(body):
    """A 高龄津贴 band, or a band's new amount or upper age, from the first day of a
    month (county staff of that county); the rows before it stay as history."""
    county = regions.county_of(db.session, current_user().region)
    band = elderly_bands.add_band(db.session, county, today=clock.today(), **body)
    db.session.commit()
    current = {row.id for row in elderly_bands.bands_in_force(db.session, county, clock.today())}
    return _dump_band(band, current)
