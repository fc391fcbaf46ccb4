"""flask seed-demo: the demo county of the README, idempotent, refused in production."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from backend.extensions import db
from backend.models import DibaoStandard, ElderlyBand, Region, RegistryOffice, User
from backend.models.marriage import Slot
from backend.services import clock, users
from backend.services.demo import DEMO_PASSWORD, DemoRefused, seed_demo
from backend.services.workdays import WorkCalendar


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_county_has_three_townships_of_three_villages(demo):
    codes = set(db.session.scalars(select(Region.code)))
    assert len(codes) == 13
    assert {"990100000000", "990101000000", "990102000000", "990103000000"} <= codes
    assert {"990101001000", "990101002000", "990101003000", "990103003000"} <= codes
    village = db.session.scalar(select(Region).where(Region.code == "990102001000"))
    assert village.parent.name == "河口乡"
    assert village.path == "990100000000/990102000000/990102001000/"


@pytest.mark.parametrize(
    ("username", "role", "region_code"),
    [
        ("admin", "admin", "990100000000"),
        ("county01", "county_staff", "990100000000"),
        ("town01", "township_staff", "990101000000"),
        ("town02", "township_staff", "990102000000"),
        ("town03", "township_staff", "990103000000"),
        ("agent0101", "agent", "990101001000"),
        ("agent0201", "agent", "990102001000"),
        ("registrar01", "registrar", "990100000000"),
        ("officer0101", "disaster_officer", "990101001000"),
        ("officer01", "disaster_officer", "990101000000"),
        ("officer00", "disaster_officer", "990100000000"),
    ],
)
def test_demo_accounts_sign_in_with_the_demo_password(demo, username, role, region_code):
    user = users.find_by_username(db.session, username)
    assert (user.role, user.region.code) == (role, region_code)
    assert users.verify_password(user, DEMO_PASSWORD)
    assert not users.verify_password(user, "Demo@2025")


def test_standards_bands_and_office(demo):
    urban, rural = db.session.scalars(
        select(DibaoStandard).order_by(DibaoStandard.area_type.desc())
    )
    assert (urban.area_type, str(urban.amount), urban.unit) == ("urban", "528.00", "month")
    assert (rural.area_type, str(rural.amount), rural.unit) == ("rural", "4310.00", "year")
    bands = db.session.execute(
        select(ElderlyBand.min_age, ElderlyBand.max_age, ElderlyBand.monthly_amount).order_by(
            ElderlyBand.min_age
        )
    ).all()
    assert [(lo, hi, str(amount)) for lo, hi, amount in bands] == [
        (90, 99, "100.00"),
        (100, None, "300.00"),
    ]
    assert db.session.scalar(select(RegistryOffice.name)) == "示范县婚姻登记处"


def test_seeding_twice_adds_nothing(demo):
    before = [count(m) for m in (Region, User, DibaoStandard, ElderlyBand, RegistryOffice)]
    added = seed_demo(db.session, "development")
    db.session.commit()
    assert added == {"accounts": 0, "standards": 0, "offices": 0}
    assert [count(m) for m in (Region, User, DibaoStandard, ElderlyBand, RegistryOffice)] == before


def test_production_refuses_demo_data(app):
    with pytest.raises(DemoRefused):
        seed_demo(db.session, "production")
    assert count(User) == 0


def test_phone_numbers_are_not_stored_in_the_clear(demo):
    raw_rows = db.session.execute(text("SELECT * FROM user_account")).all()
    assert raw_rows
    assert "13800000002" not in repr(raw_rows)
    county01 = users.find_by_username(db.session, "county01")
    assert users.phone_of(county01) == "13800000002"
    assert users.find_by_phone(db.session, "13800000002") == county01


def test_seed_demo_command(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert count(User) == 11


def test_demo_office_has_am_and_pm_slots_of_20_on_the_working_days_of_the_next_month(demo):
    calendar = WorkCalendar()
    first = clock.today() + timedelta(days=1)
    days = [first + timedelta(days=n) for n in range(30)]
    expected = {(day, period) for day in days if calendar.is_working_day(day) for period in "ap"}
    slots = db.session.scalars(select(Slot)).all()
    assert {(slot.day, slot.period[0]) for slot in slots} == expected
    assert {(slot.capacity, slot.booked) for slot in slots} == {(20, 0)}
    seed_demo(db.session, "development")
    assert count(Slot) == len(expected)
