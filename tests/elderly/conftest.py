"""Elderly allowance fixtures: people born on a given day, the demo county, a person."""

from datetime import date

import pytest
from stdnum.cn import ric

from backend.extensions import db
from backend.services import regions
from backend.services.crypto import current_cipher
from backend.services.entitlements import Person


def born(birth: date, serial: int = 1) -> str:
    """A valid identity number of someone born on `birth` in the demo county."""
    body = f"990101{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def county(demo):
    return regions.get_by_code(db.session, "990100000000")


@pytest.fixture
def village(demo):
    return regions.get_by_code(db.session, "990101001000")


@pytest.fixture
def person(village):
    """person(birth, serial=1, birth_month=True) -> an entitlements.Person of the village."""

    def make(birth: date, serial: int = 1, elderly: bool = True) -> Person:
        id_number = born(birth, serial)
        cipher = current_cipher()
        return Person(
            name="李大爷",
            id_cipher=cipher.encrypt(id_number),
            id_index=cipher.blind_index(id_number),
            region_id=village.id,
            birth_month=f"{birth:%Y-%m}" if elderly else None,
        )

    return make
