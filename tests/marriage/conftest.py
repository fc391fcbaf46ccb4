"""Fixtures for marriage appointments: the demo office, slots on chosen days, citizens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import select

from backend.extensions import db
from backend.models import RegistryOffice, Role
from backend.models.marriage import Slot
from backend.services import clock, users


@pytest.fixture
def office(demo) -> RegistryOffice:
    return db.session.scalar(
        select(RegistryOffice).where(RegistryOffice.name == "示范县婚姻登记处")
    )


@pytest.fixture
def make_slot(office):
    """make_slot(day, period="am", capacity=20) -> the slot, committed (reused if seeded)."""

    def make(day: date, period: str = "am", capacity: int = 20) -> Slot:
        slot = db.session.scalar(
            select(Slot).where(Slot.office_id == office.id, Slot.day == day, Slot.period == period)
        )
        if slot is None:
            slot = Slot(office_id=office.id, day=day, period=period, capacity=capacity, booked=0)
            db.session.add(slot)
        slot.capacity = capacity
        db.session.commit()
        return slot

    return make


@pytest.fixture
def soon() -> date:
    """A day inside every default booking window: a week from today."""
    return clock.today() + timedelta(days=7)


@pytest.fixture
def citizen(demo):
    """citizen(party) -> (user, headers): a verified resident who is `party`."""

    def make(party: dict):
        user = users.create_user(
            db.session,
            role=Role.CITIZEN,
            name=party["name"],
            phone=party.get("phone"),
            id_number=party["id_number"],
        )
        user.real_name_verified = True
        db.session.commit()
        return user, {"Authorization": f"Bearer {create_access_token(user)}"}

    return make
